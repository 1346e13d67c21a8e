"""Install the hubsave server and its dependencies into bundled/libs for the .vsix.

Pure-Python dependencies come from client/bundled-requirements.txt
(`pip install --target --no-deps --implementation py`, as Microsoft's Python tool
extensions do). Packages with a compiled part come from client/bundled-native.txt
(see there), built for one VS Code target platform, so the .vsix is platform-specific.

Usage: python client/scripts/bundle_server.py [--target linux-x64] [--server DIR]
Then checks that the server imports with nothing but bundled/libs and the stdlib.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIBS = ROOT / "bundled" / "libs"
PYTHON_VERSIONS = ["3.10", "3.11", "3.12", "3.13", "3.14"]
DOWNLOADS = ThreadPoolExecutor(max_workers=8)

# VS Code target -> pip platform tags that its wheels may carry (pip also accepts older
# macOS versions than the one named).
PLATFORMS = {
    "linux-x64": ["manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"],
    "linux-arm64": ["manylinux_2_28_aarch64", "manylinux_2_17_aarch64", "manylinux2014_aarch64"],
    "darwin-x64": ["macosx_10_15_x86_64"],
    "darwin-arm64": ["macosx_11_0_arm64"],
    "win32-x64": ["win_amd64"],
}

def host_target() -> str:
    machine = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}[platform.machine().lower()]
    system = {"linux": "linux", "darwin": "darwin", "win32": "win32"}[sys.platform]
    return f"{system}-{machine}"


def native_requirements(target: str) -> list[tuple[str, str]]:
    """(requirement, mode) pairs from client/bundled-native.txt that apply to the target."""
    lines = (line.split("#", 1)[0].split() for line in (ROOT / "client" / "bundled-native.txt").read_text().splitlines())
    return [(line[0], line[1]) for line in lines if line and (len(line) < 3 or target in line[2].split(","))]


def pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args], check=True)


def download_native(target: str, requirement: str, mode: str, dest: Path) -> list[Future]:
    """Start downloading the requirement's wheels for the target (one per CPython version
    for per-python), each into its own folder under dest."""
    versions = PYTHON_VERSIONS if mode == "per-python" else PYTHON_VERSIONS[:1]
    platform_args = [arg for tag in PLATFORMS[target] for arg in ("--platform", tag)]
    return [
        DOWNLOADS.submit(pip, "download", "--no-deps", "--only-binary=:all:", "--implementation", "cp",
                         "--python-version", version, *platform_args, "-d", str(dest / f"{requirement}-{version}"),
                         requirement)
        for version in versions
    ]


def unpack_native(requirement: str, mode: str, dest: Path) -> None:
    for wheel in sorted(dest.glob(f"{requirement}-*/*.whl")):
        with zipfile.ZipFile(wheel) as zf:
            names = zf.namelist()
            if mode == "pure-fallback":
                names = [n for n in names if not n.endswith((".so", ".pyd"))]
            zf.extractall(LIBS, names)

def trim() -> None:
    # Console scripts and byte code are not needed inside the extension; jedi's stubs for
    # third-party packages (25 MB, 4,000+ files) are not either: hubsave asks jedi about
    # the user's own installed packages, and jedi skips a missing stubs folder.
    for path in [LIBS / "bin", LIBS / "jedi/third_party/typeshed/stubs", LIBS / "jedi/third_party/django-stubs",
                 *LIBS.rglob("__pycache__")]:
        shutil.rmtree(path, ignore_errors=True)


def check_requires_python() -> None:
    """Every bundled distribution must accept every Python the bundle serves."""
    sys.path.insert(0, str(LIBS))
    from packaging.specifiers import SpecifierSet

    refused = []
    for metadata in sorted(LIBS.glob("*.dist-info/METADATA")):
        for line in metadata.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("Requires-Python:"):
                spec = SpecifierSet(line.split(":", 1)[1].strip())
                refused += [f"{metadata.parent.name}: Python {v} not in {spec}" for v in PYTHON_VERSIONS if f"{v}.0" not in spec]
    if refused:
        sys.exit("bundled packages that do not run on every supported Python:\n  " + "\n  ".join(refused))


def check_imports() -> None:
    # -I -S: no site-packages, no PYTHONPATH; only the stdlib and bundled/libs.
    # -B: write no byte code into bundled/libs (it would ship in the .vsix, compiled
    # for this machine's Python only).
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import hubsave, pygls.lsp.server, jedi, libcst, huggingface_hub;"
        "from huggingface_hub import HfApi;"
        "libcst.parse_module('x = 1');"
        "jedi.Script('import os\\nos.pa').complete();"
        "print('bundle imports ok on', sys.version.split()[0], 'hubsave from', hubsave.__file__)"
    )
    subprocess.run([sys.executable, "-I", "-S", "-B", "-c", code, str(LIBS)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", default=host_target(), choices=sorted(PLATFORMS))
    parser.add_argument("--server", default=str(ROOT), help="hubsave source tree or wheel to bundle")
    args = parser.parse_args()
    sys.dont_write_bytecode = True  # check_requires_python imports packaging from bundled/libs

    shutil.rmtree(LIBS, ignore_errors=True)
    LIBS.mkdir(parents=True)
    natives = native_requirements(args.target)
    with tempfile.TemporaryDirectory() as tmp:
        # The downloads wait on the network, not the CPU: run them side by side.
        pending = [DOWNLOADS.submit(pip, "install", "--target", str(LIBS), "--no-deps", "--implementation", "py",
                                    "--only-binary=:all:", "--no-compile",
                                    "-r", str(ROOT / "client" / "bundled-requirements.txt"))]
        for requirement, mode in natives:
            pending += download_native(args.target, requirement, mode, Path(tmp))
        for future in pending:
            future.result()
        for requirement, mode in natives:
            unpack_native(requirement, mode, Path(tmp))
    shutil.rmtree(LIBS / "bin", ignore_errors=True)  # console scripts; pip would warn on the next install
    pip("install", "--target", str(LIBS), "--no-deps", "--no-compile", args.server)
    trim()
    (LIBS / "TARGET").write_text(args.target + "\n")
    check_requires_python()
    if args.target == host_target():
        check_imports()
    byte_code = [str(path.relative_to(LIBS)) for path in LIBS.rglob("*.py[co]")]
    if byte_code:
        sys.exit(f"byte code in bundled/libs (the .vsix must carry none): {byte_code[:5]}")


if __name__ == "__main__":
    main()
