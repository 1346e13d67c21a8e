"""The extension's manifest declares what it does in an untrusted workspace (issue 13).

VS Code reads `capabilities.untrustedWorkspaces` from package.json: `limited` support
keeps the extension running in Restricted Mode, and every setting named in
`restrictedConfigurations` is read from the user's settings only (a workspace's
.vscode/settings.json cannot set it). Those must be every setting that picks a program.
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))


def test_untrusted_workspaces_are_supported_with_limits():
    untrusted = MANIFEST["capabilities"]["untrustedWorkspaces"]
    assert untrusted["supported"] == "limited"
    assert "Restricted Mode" in untrusted["description"]


def test_restricted_settings_are_the_ones_that_choose_what_runs():
    restricted = MANIFEST["capabilities"]["untrustedWorkspaces"]["restrictedConfigurations"]
    declared = MANIFEST["contributes"]["configuration"]["properties"]
    assert sorted(restricted) == ["hubsave.importStrategy", "hubsave.interpreter"]
    assert all(name in declared for name in restricted)  # real settings, spelled as declared


def test_the_client_reads_those_settings_by_the_same_names():
    settings_ts = (ROOT / "client" / "src" / "settings.ts").read_text(encoding="utf-8")
    read = set(re.findall(r"getConfiguration\('hubsave', scope\)\.get<[^>]+>\('(\w+)'", settings_ts))
    restart = json.loads(re.search(r"RESTART_SETTINGS = (\[.*?\]);", settings_ts).group(1).replace("'", '"'))
    restricted = set(MANIFEST["capabilities"]["untrustedWorkspaces"]["restrictedConfigurations"])
    assert {f"hubsave.{name}" for name in read} == restricted == set(restart)
