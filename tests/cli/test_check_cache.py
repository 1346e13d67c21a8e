"""`hubsave check`'s results cache (.hubsave_cache): reused only while nothing that made a
result changed: the file, its settings, hubsave itself, the files its analysis read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hubsave import check_cache
from hubsave.cli import main

SUBMIT = 'from huggingface_hub import run_uv_job\n\nrun_uv_job("scripts/train.py", timeout="2h")\n'
TRAIN = 'from trl import SFTConfig\n\nargs = SFTConfig(output_dir="out", push_to_hub=False)\n'
PYPROJECT = '[project]\nname = "demo"\n\n[tool.hubsave]\n'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "submit.py").write_text(SUBMIT)
    (tmp_path / "train_a.py").write_text(TRAIN)
    (tmp_path / "train_b.py").write_text(TRAIN.replace('"out"', '"out-b"'))
    return tmp_path


@pytest.fixture
def check(monkeypatch, capsys):
    """check(cwd, *args) -> (output, files analyzed rather than taken from the cache)."""
    analyzed: list[str] = []
    recorded = check_cache.check_recorded

    def counting(check_file, job):
        analyzed.append(Path(job.path).name)
        return recorded(check_file, job)

    # Counts the cache's misses (check_recorded checks each one); the checking is real.
    monkeypatch.setattr(check_cache, "check_recorded", counting)

    def run(cwd: Path, *args: str) -> tuple[str, list[str]]:
        monkeypatch.chdir(cwd)
        analyzed.clear()
        capsys.readouterr()
        main(["check", *args, "."])
        return capsys.readouterr().out, sorted(analyzed)

    return run


def test_second_run_reuses_every_result_and_prints_the_same(project, check):
    first, analyzed = check(project)
    assert analyzed == ["submit.py", "train_a.py", "train_b.py"]
    assert "HS102" in first and "HS310" in first
    second, analyzed = check(project)
    assert analyzed == []
    assert second == first
    cache = project / check_cache.CACHE_DIR
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"


def test_a_changed_file_is_checked_again(project, check):
    check(project)
    (project / "train_a.py").write_text(TRAIN.replace("push_to_hub=False", "push_to_hub=True"))
    out, analyzed = check(project)
    assert analyzed == ["train_a.py"]
    assert "train_a.py:3:36: HS103" in out and "HS102" not in out.split("train_b")[0]


def test_edit_right_after_a_check_is_seen_even_with_the_same_size_and_mtime(project, check):
    """The stat memo of a file's hash is not trusted for a file that changed less than a
    second before it was hashed (git's racy-clean rule): such an edit is hashed again."""
    path = project / "train_a.py"
    check(project)
    before = path.stat()
    path.write_text(TRAIN.replace("push_to_hub=False", "push_to_hub=Nope_"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    out, analyzed = check(project)
    assert analyzed == ["train_a.py"] and "train_a.py:3" not in out


def test_changed_settings_check_everything_again(project, check):
    first, _ = check(project)
    (project / "pyproject.toml").write_text(PYPROJECT + 'ignore = ["HS102"]\n')
    out, analyzed = check(project)
    assert analyzed == ["submit.py", "train_a.py", "train_b.py"]
    assert "HS102" not in out and "HS102" in first
    _, analyzed = check(project, "--select", "HS310")
    assert analyzed == ["submit.py", "train_a.py", "train_b.py"]


def test_another_hubsave_version_checks_everything_again(project, check, monkeypatch):
    check(project)
    monkeypatch.setattr(check_cache, "__version__", "999.0")
    _, analyzed = check(project)
    assert analyzed == ["submit.py", "train_a.py", "train_b.py"]


def test_a_file_the_analysis_read_invalidates_the_result_that_read_it(project, check):
    first, _ = check(project)
    assert "HS310" in first  # scripts/train.py does not exist (yet)
    (project / "scripts").mkdir()
    (project / "scripts" / "train.py").write_text("print('training')\n")
    out, analyzed = check(project)
    assert "submit.py" in analyzed and "train_a.py" not in analyzed
    assert "HS310" not in out


def test_no_cache_neither_reads_nor_writes(project, check):
    first, analyzed = check(project, "--no-cache")
    assert analyzed == []  # no cache in play: nothing went through its recording check
    assert not (project / check_cache.CACHE_DIR).exists()
    check(project)
    # A stored result that differs from the file's real findings: a cached run shows
    # it (so the cache is read), a --no-cache run does not.
    cache = check_cache.CheckCache.load(str(project), (False,))
    entry = cache.entries[str(project / "train_a.py")]
    entry.result.findings = []
    cache.changed = True
    cache.save()
    cached, _ = check(project)
    assert "train_a.py" not in cached
    uncached, _ = check(project, "--no-cache")
    assert uncached == first and "train_a.py:3" in uncached


def test_clean_removes_the_cache(project, check, capsys, monkeypatch):
    check(project)
    assert (project / check_cache.CACHE_DIR).is_dir()
    monkeypatch.chdir(project)
    assert main(["clean"]) == 0
    assert not (project / check_cache.CACHE_DIR).exists()
    _, analyzed = check(project)
    assert analyzed == ["submit.py", "train_a.py", "train_b.py"]


def test_cache_lives_at_the_project_root_when_run_from_a_subfolder(project, check):
    sub = project / "pkg"
    sub.mkdir()
    (sub / "train_c.py").write_text(TRAIN)
    check(sub)
    assert (project / check_cache.CACHE_DIR).is_dir() and not (sub / check_cache.CACHE_DIR).exists()


def test_unreadable_cache_is_ignored(project, check):
    first, _ = check(project)
    (project / check_cache.CACHE_DIR / "results.pickle").write_bytes(b"not a pickle")
    out, analyzed = check(project)
    assert out == first and len(analyzed) == 3


def test_a_result_names_the_file_as_this_run_was_given_it(project, check, monkeypatch, capsys):
    """A cached result recorded for `.` (relative paths) is not reused for an absolute
    path: its records would name the file the other way."""
    check(project)
    monkeypatch.chdir(project)
    capsys.readouterr()
    main(["check", str(project / "train_a.py")])
    out = capsys.readouterr().out
    assert f"{project / 'train_a.py'}:" in out and "HS102" in out


def test_files_of_two_projects_in_one_run_are_keyed_by_their_own_settings(project, check):
    """The settings key is computed once per Settings object (one per project file)."""
    sub = project / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_text(PYPROJECT + 'ignore = ["HS102"]\n')
    (sub / "train_c.py").write_text(TRAIN)
    first, analyzed = check(project)
    assert analyzed == ["submit.py", "train_a.py", "train_b.py", "train_c.py"]
    assert "train_c.py" not in first and "train_a.py:3" in first
    (sub / "pyproject.toml").write_text(PYPROJECT)
    out, analyzed = check(project)
    assert analyzed == ["train_c.py"]
    assert "train_c.py:3" in out
    assert out == check(project, "--no-cache")[0]
