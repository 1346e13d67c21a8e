"""The release command, scripts/release.sh, run for real into a temporary folder: the sdist
and wheel pass `twine check`, and each .vsix is for its VS Code target, carries libcst's
compiled parser for that platform (file format and CPU read from the binary) for every
supported CPython, the LICENSE and the CHANGELOG, and no byte code.

Needs network to PyPI and the npm registry (the first time; pip and npm cache after).
About 3 minutes on 2 idle cores: most of it waits on downloads.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

pytestmark = pytest.mark.release
ROOT = Path(__file__).resolve().parents[2]
VERSION = json.loads((ROOT / "package.json").read_text())["version"]
PYTHONS = {"310", "311", "312", "313", "314"}
# VS Code target -> (binary format, CPU) its compiled modules must have.
TARGETS = {
    "linux-x64": ("ELF", "x86_64"),
    "linux-arm64": ("ELF", "arm64"),
    "darwin-x64": ("Mach-O", "x86_64"),
    "darwin-arm64": ("Mach-O", "arm64"),
    "win32-x64": ("PE", "x86_64"),
}
ELF_MACHINES = {0x3E: "x86_64", 0xB7: "arm64"}
MACHO_CPUS = {0x01000007: "x86_64", 0x0100000C: "arm64"}
PE_MACHINES = {0x8664: "x86_64", 0xAA64: "arm64"}


def binary_kind(data: bytes) -> tuple[str, set[str]]:
    """(format, CPUs) of a compiled module, from its header."""
    if data[:4] == b"\x7fELF":
        return "ELF", {ELF_MACHINES.get(struct.unpack_from("<H", data, 18)[0], "other")}
    if data[:4] == b"\xcf\xfa\xed\xfe":  # 64-bit Mach-O
        return "Mach-O", {MACHO_CPUS.get(struct.unpack_from("<I", data, 4)[0], "other")}
    if data[:4] == b"\xca\xfe\xba\xbe":  # universal Mach-O: several CPUs
        (count,) = struct.unpack_from(">I", data, 4)
        return "Mach-O", {MACHO_CPUS.get(struct.unpack_from(">I", data, 8 + 20 * i)[0], "other") for i in range(count)}
    if data[:2] == b"MZ":
        (pe,) = struct.unpack_from("<I", data, 0x3C)
        assert data[pe : pe + 4] == b"PE\0\0"
        return "PE", {PE_MACHINES.get(struct.unpack_from("<H", data, pe + 4)[0], "other")}
    return "unknown", set()


def host_target() -> str | None:
    machine = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine().lower())
    return f"{sys.platform}-{machine}" if sys.platform in ("linux", "darwin", "win32") and machine else None


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> tuple[Path, str]:
    if shutil.which("npm") is None and not os.environ.get("CI"):
        pytest.skip("no npm on PATH (scripts/test.sh provides one from PyPI)")
    out = tmp_path_factory.mktemp("dist")
    # The release runs with this test's Python environment (it has build and twine).
    env = {**os.environ, "HUBSAVE_RELEASE_OUT": str(out), "VIRTUAL_ENV": sys.prefix,
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.run(["bash", "scripts/release.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-6000:]
    return out, proc.stdout


def test_release_builds_every_artifact_and_lists_them(release):
    out, stdout = release
    expected = {f"hubsave-{VERSION}.tar.gz", f"hubsave-{VERSION}-py3-none-any.whl",
                *(f"hubsave-{VERSION}-{target}.vsix" for target in TARGETS)}
    assert {p.name for p in out.iterdir()} == expected
    listed = {Path(line.split()[-1]).name for line in stdout.splitlines() if line.startswith("-")}
    assert listed == expected, stdout


def test_wheel_and_sdist(release):
    out, _ = release
    with zipfile.ZipFile(out / f"hubsave-{VERSION}-py3-none-any.whl") as wheel:
        names = wheel.namelist()
        metadata = Parser().parsestr(wheel.read(f"hubsave-{VERSION}.dist-info/METADATA").decode())
        assert wheel.read(f"hubsave-{VERSION}.dist-info/licenses/LICENSE") == (ROOT / "LICENSE").read_bytes()
    assert metadata["Version"] == VERSION and metadata["License-Expression"] == "Apache-2.0"
    assert metadata["Description-Content-Type"] == "text/markdown"
    data = {f"hubsave/data/{p.name}" for p in (ROOT / "server" / "hubsave" / "data").glob("*.json")}
    assert data and data <= set(names)
    assert not [n for n in names if n.endswith((".pyc", ".pyo"))]
    with tarfile.open(out / f"hubsave-{VERSION}.tar.gz") as sdist:
        members = {Path(*Path(m).parts[1:]).as_posix() for m in sdist.getnames()}
    assert {"LICENSE", "README.md", "pyproject.toml", "server/hubsave/__init__.py"} <= members


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_vsix_is_for_its_target(release, target):
    out, _ = release
    with zipfile.ZipFile(out / f"hubsave-{VERSION}-{target}.vsix") as vsix:
        names = vsix.namelist()
        manifest = ET.fromstring(vsix.read("extension.vsixmanifest"))
        identity = manifest.find(".//{*}Identity")
        assert (identity.get("TargetPlatform"), identity.get("Version")) == (target, VERSION)
        assert manifest.findtext(".//{*}Categories") == "Linters"
        properties = {p.get("Id"): p.get("Value") for p in manifest.iter("{http://schemas.microsoft.com/developer/vsx-schema/2011}Property")}
        package = json.loads((ROOT / "package.json").read_text())
        assert properties["Microsoft.VisualStudio.Services.Links.Source"] == package["repository"]["url"]
        assert properties["Microsoft.VisualStudio.Services.Links.Support"] == package["bugs"]["url"]
        assert properties["Microsoft.VisualStudio.Services.Branding.Color"] == package["galleryBanner"]["color"]
        assert vsix.read("extension/LICENSE.txt") == (ROOT / "LICENSE").read_bytes()
        assert f"## {VERSION}" in vsix.read("extension/changelog.md").decode()
        assert vsix.read("extension/bundled/libs/TARGET").decode().strip() == target
        assert f"extension/bundled/libs/hubsave-{VERSION}.dist-info/METADATA" in names

        assert not [n for n in names if n.endswith((".pyc", ".pyo")) or "__pycache__" in n]

        binaries = [n for n in names if n.endswith((".so", ".pyd", ".dylib"))]
        kinds = {n: binary_kind(vsix.read(n)) for n in binaries}
        fmt, cpu = TARGETS[target]
        assert {n: k for n, k in kinds.items() if k[0] != fmt or cpu not in k[1]} == {}
        # libcst's parser, once per supported CPython (the module names carry the version).
        parsers = [n for n in binaries if n.startswith("extension/bundled/libs/libcst/native.")]
        versions = [re.search(r"native\.cp(?:ython-)?(3\d+)", n).group(1) for n in parsers]
        assert sorted(versions) == sorted(PYTHONS), parsers


def test_host_vsix_runs_its_bundled_server(release, tmp_path):
    """The .vsix for this machine: its bundled server and parser load with nothing but the
    standard library and bundled/libs (as the extension runs it)."""
    target = host_target()
    if target not in TARGETS:
        pytest.skip(f"no .vsix for this machine ({target})")
    out, _ = release
    with zipfile.ZipFile(out / f"hubsave-{VERSION}-{target}.vsix") as vsix:
        vsix.extractall(tmp_path)
    libs = tmp_path / "extension" / "bundled" / "libs"
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import hubsave, libcst;"
            "libcst.parse_module('x = 1'); print(hubsave.__version__, hubsave.__file__)")
    proc = subprocess.run([sys.executable, "-I", "-S", "-B", "-c", code, str(libs)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    version, path = proc.stdout.split()
    assert version == VERSION and Path(path).is_relative_to(libs)
