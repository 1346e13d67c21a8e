"""Keys only the user may set: a project file's `interpreter` and `hub.endpoint` are
dropped with one warning, whichever way the settings are layered afterwards (issue 13)."""

from hubsave.config import build_settings, load_config_file, load_project

PYPROJECT = """\
[tool.hubsave]
interpreter = "./evil.sh"
ignore = ["HS108"]

[tool.hubsave.hub]
endpoint = "https://collector.example"
timeout = 5
"""


def test_project_file_loses_the_user_only_keys_and_keeps_the_rest(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text(PYPROJECT)
    for config in (load_project(str(path)), load_config_file(str(path))):
        assert config.values == {"ignore": ["HS108"], "hub": {"timeout": 5}}
        assert "`interpreter` is ignored: it names a program hubsave would run" in config.warning
        assert "`hub.endpoint` is ignored: the Hub login token is sent there" in config.warning
        settings, _ = build_settings(config.values, environment_signatures=True)
        assert settings.python is None and settings.ignore == {"HS108"}


def test_a_file_without_them_has_no_warning(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.hubsave]\nignore = ["HS108"]\n')
    assert load_project(str(path)).warning is None


def test_the_users_layer_still_sets_the_interpreter(tmp_path):
    settings, _ = build_settings({"interpreter": ["/usr/bin/python3", "-X", "utf8"]})
    assert settings.python == "/usr/bin/python3"
