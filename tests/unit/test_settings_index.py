"""The language server's settings index: typed settings per project file, built once,
forgotten when the editor says pyproject.toml changed (or, unwatched, when it did)."""

from __future__ import annotations

import os

from hubsave.lsp.settings_index import SettingsIndex


def _project(tmp_path, ignore: str):
    (tmp_path / "pyproject.toml").write_text(f'[tool.hubsave]\nignore = ["{ignore}"]\n')
    (tmp_path / "pkg").mkdir(exist_ok=True)
    return str(tmp_path / "pkg" / "train.py")


def test_settings_are_built_once_per_project_and_editor_settings(tmp_path):
    path = _project(tmp_path, "HS402")
    index, editor = SettingsIndex(), {}
    _, first, _ = index.settings_for(path, editor)
    _, again, _ = index.settings_for(path, editor)
    assert first is again and first.ignore == {"HS402"}
    _, other, _ = index.settings_for(path, {"ignore": ["HS108"]})  # new editor settings: merged anew
    assert other.ignore == {"HS108"}


def test_watched_index_trusts_the_file_until_told_it_changed(tmp_path):
    path = _project(tmp_path, "HS402")
    index, editor = SettingsIndex(), {}
    index.watched = True
    assert index.settings_for(path, editor)[1].ignore == {"HS402"}
    _project(tmp_path, "HS204")
    os.utime(tmp_path / "pyproject.toml", (1, 1))  # whatever the clock says, the event decides
    assert index.settings_for(path, editor)[1].ignore == {"HS402"}
    assert index.changed([str(tmp_path / "pyproject.toml")])
    assert index.settings_for(path, editor)[1].ignore == {"HS204"}
    assert not index.changed([str(tmp_path / "setup.cfg")])


def test_a_new_pyproject_nearer_the_file_takes_over_once_reported(tmp_path):
    path = _project(tmp_path, "HS402")
    index = SettingsIndex()
    index.watched = True
    assert index.settings_for(path, {})[1].ignore == {"HS402"}
    (tmp_path / "pkg" / "pyproject.toml").write_text('[tool.hubsave]\nignore = ["HS101"]\n')
    index.changed([str(tmp_path / "pkg" / "pyproject.toml")])
    assert index.settings_for(path, {})[1].ignore == {"HS101"}


def test_unwatched_index_reads_a_changed_file(tmp_path):
    path = _project(tmp_path, "HS402")
    index = SettingsIndex()
    assert index.settings_for(path, {})[1].ignore == {"HS402"}
    _project(tmp_path, "HS204")
    os.utime(tmp_path / "pyproject.toml", (2_000_000_000, 2_000_000_000))  # a later mtime
    assert index.settings_for(path, {})[1].ignore == {"HS204"}
