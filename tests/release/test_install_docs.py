"""The install docs name what exists: the repository URL of package.json (the one the
.vsix manifest carries), never `pip install hubsave` from PyPI, where nothing is published."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = json.loads((ROOT / "package.json").read_text())
REPO = PACKAGE["repository"]["url"].removesuffix(".git")
DOCS = [ROOT / "README.md", ROOT / "client" / "README.md", ROOT / "CHANGELOG.md", ROOT / "pyproject.toml",
        ROOT / "docs" / "github-actions.yml", *sorted((ROOT / "docs").rglob("*.md"))]


def test_manifest_links_are_the_repository():
    assert REPO.startswith("https://github.com/")
    assert PACKAGE["homepage"].startswith(REPO) and PACKAGE["bugs"]["url"] == f"{REPO}/issues"
    assert "Linters" in PACKAGE["categories"] and PACKAGE["keywords"] and PACKAGE["galleryBanner"]["color"]


def test_docs_name_only_the_repository():
    for doc in DOCS:
        for url in re.findall(r"https://github\.com/[\w.-]+/hubsave\b", doc.read_text()):
            assert url == REPO, f"{doc.relative_to(ROOT)}: {url}"


def test_no_doc_installs_an_unpublished_package():
    for doc in DOCS:
        assert not re.search(r"pip install (-U )?hubsave\b", doc.read_text()), doc.relative_to(ROOT)


def test_workflow_installs_from_the_repository():
    workflow = yaml.safe_load((ROOT / "docs" / "github-actions.yml").read_text())
    (job,) = workflow["jobs"].values()
    installs = [s["run"] for s in job["steps"] if s.get("run", "").startswith("pip install")]
    assert installs == [f'pip install "git+{REPO}"']
