"""Configuration: layering, validation, the generated SECRET_KEY, the embedded default and the
settings.py.tmpl that documents every key."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from pybossa_admin import ROOT, create_app
from pybossa_admin.config import ENV_PREFIX, SETTINGS, ConfigError, load_config

TEMPLATE = os.path.join(ROOT, "settings.py.tmpl")
KEY_LINE = re.compile(r"^#\s?([A-Z][A-Z0-9_]*)\s*=\s*(.+)$")


@pytest.fixture(autouse=True)
def _no_settings_py_here(tmp_path, monkeypatch):
    # load_config reads ./settings.py when PYBOSSA_ADMIN_SETTINGS is unset: keep a developer's out.
    monkeypatch.chdir(tmp_path)


def _settings_file(tmp_path, body: str) -> str:
    path = tmp_path / "settings.py"
    path.write_text(body)
    return str(path)


def test_layers_apply_in_order(tmp_path):
    settings = _settings_file(tmp_path, "JOB_TIMEOUT = 111\nAPI_RATE_LIMIT = 222\nLOG_RETENTION_DAYS = 333\n")
    environ = {ENV_PREFIX + "SETTINGS": settings, ENV_PREFIX + "API_RATE_LIMIT": "444",
               ENV_PREFIX + "LOG_RETENTION_DAYS": "555"}
    config = load_config(str(tmp_path / "instance"), {"LOG_RETENTION_DAYS": 666}, environ=environ)
    assert config["PASSWORD_MIN_LENGTH"] == SETTINGS["PASSWORD_MIN_LENGTH"].default  # default
    assert config["JOB_TIMEOUT"] == 111          # settings.py over default
    assert config["API_RATE_LIMIT"] == 444       # environment over settings.py
    assert config["LOG_RETENTION_DAYS"] == 666   # explicit override over environment
    sources = config["CONFIG_SOURCES"]
    assert (sources["PASSWORD_MIN_LENGTH"], sources["JOB_TIMEOUT"], sources["API_RATE_LIMIT"],
            sources["LOG_RETENTION_DAYS"]) == ("default", "settings.py", "environment", "override")


def test_environment_values_are_parsed(tmp_path):
    environ = {ENV_PREFIX + "SAFE_MODE": "yes", ENV_PREFIX + "PLUGINS_DISABLED": "stats, audit,,",
               ENV_PREFIX + "BOOTSTRAP_LINK": "ALWAYS", ENV_PREFIX + "DATABASE_URL": "postgresql://u@h/db"}
    config = load_config(str(tmp_path), environ=environ)
    assert config["SAFE_MODE"] is True
    assert config["PLUGINS_DISABLED"] == ["stats", "audit"]
    assert config["BOOTSTRAP_LINK"] == "always"
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg2://u@h/db"


def test_settings_file_from_the_working_directory(tmp_path, monkeypatch):
    _settings_file(tmp_path, "SESSION_LIFETIME_DAYS = 3\n")
    monkeypatch.chdir(tmp_path)
    assert load_config(str(tmp_path / "i"), environ={})["SESSION_LIFETIME_DAYS"] == 3


@pytest.mark.parametrize("layer, key, value, expected", [
    ("env", "JOB_TIMEOUT", "soon", "PYBOSSA_ADMIN_JOB_TIMEOUT (environment): expected an integer"),
    ("env", "SAFE_MODE", "maybe", "PYBOSSA_ADMIN_SAFE_MODE (environment): expected a boolean"),
    ("env", "REDIS_URL", "http://x", "PYBOSSA_ADMIN_REDIS_URL (environment): expected a redis://"),
    ("file", "DATABASE_URL", "'mysql://x/y'", "DATABASE_URL (settings.py): expected a sqlite:// or postgresql://"),
    ("file", "BOOTSTRAP_LINK", "'sometimes'", "BOOTSTRAP_LINK (settings.py): expected one of auto, always, never"),
    ("override", "PASSWORD_MIN_LENGTH", 0, "PASSWORD_MIN_LENGTH (override): must be at least 1"),
    ("override", "SECRET_KEY", "short", "SECRET_KEY: must be at least 16 characters"),
])
def test_bad_value_is_one_line_naming_the_key(tmp_path, layer, key, value, expected):
    environ, overrides = {}, {}
    if layer == "env":
        environ[ENV_PREFIX + key] = value
    elif layer == "file":
        environ[ENV_PREFIX + "SETTINGS"] = _settings_file(tmp_path, f"{key} = {value}\n")
    else:
        overrides[key] = value
    with pytest.raises(ConfigError) as info:
        load_config(str(tmp_path), overrides, environ=environ)
    message = str(info.value)
    assert message.startswith(expected), message
    assert "\n" not in message


def test_broken_settings_file_is_a_config_error(tmp_path):
    environ = {ENV_PREFIX + "SETTINGS": _settings_file(tmp_path, "JOB_TIMEOUT = (\n")}
    with pytest.raises(ConfigError, match="settings file .*SyntaxError"):
        load_config(str(tmp_path), environ=environ)


def test_create_app_refuses_a_bad_value(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_PREFIX + "API_RATE_WINDOW", "-5")
    with pytest.raises(ConfigError, match="PYBOSSA_ADMIN_API_RATE_WINDOW"):
        create_app({"SECRET_KEY": "k" * 32}, instance_path=str(tmp_path))


def _cli_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
    env.update({ENV_PREFIX + "INSTANCE_PATH": str(tmp_path / "instance"), "PYTHONPATH": ROOT}, **extra)
    return env


@pytest.mark.parametrize("args", [[], ["users", "create", "--help"], ["db", "upgrade"]])
def test_cli_reports_config_errors_without_traceback(tmp_path, args):
    env = _cli_env(tmp_path, PYBOSSA_ADMIN_JOB_TIMEOUT="forever")
    result = subprocess.run([sys.executable, os.path.join(ROOT, "cli.py"), *args], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode != 0
    assert "Configuration error: PYBOSSA_ADMIN_JOB_TIMEOUT (environment): expected an integer" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_generated_secret_key_is_persisted_and_reused(tmp_path):
    instance = tmp_path / "instance"
    first = load_config(str(instance), environ={})["SECRET_KEY"]
    key_file = instance / "secret_key"
    assert key_file.read_text().strip() == first
    assert len(first) >= 32
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert load_config(str(instance), environ={})["SECRET_KEY"] == first  # reused
    other = load_config(str(tmp_path / "elsewhere"), environ={})["SECRET_KEY"]
    assert other != first  # generated per instance, never a fixed default


def test_embedded_default(tmp_path, monkeypatch):
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX) and not name.startswith(ENV_PREFIX + "TEST_"):
            monkeypatch.delenv(name)
    instance = tmp_path / "instance"
    app = create_app(instance_path=str(instance))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'pybossa_admin.db'}"
    assert app.config["EMBEDDED_JOBS"] is True
    assert type(app.extensions["redis"]).__module__.startswith("fakeredis")
    assert (instance / "secret_key").exists()
    assert app.config["SECRET_KEY"] == (instance / "secret_key").read_text().strip()

    from pybossa_admin.jobs import enqueue
    with app.app_context():
        job = enqueue("pybossa_admin.config.normalize_database_url", "postgres://a/b")
        assert job.is_finished and job.return_value() == "postgresql+psycopg2://a/b"  # ran inline


def _template_keys() -> dict[str, str]:
    with open(TEMPLATE) as handle:
        return {m.group(1): m.group(2) for m in map(KEY_LINE.match, handle.read().splitlines()) if m}


def test_template_documents_every_setting():
    documented = _template_keys()
    missing = sorted(set(SETTINGS) - set(documented))
    unknown = sorted(set(documented) - set(SETTINGS))
    assert not missing, f"settings.py.tmpl does not document: {', '.join(missing)}"
    assert not unknown, f"settings.py.tmpl documents keys config.py does not have: {', '.join(unknown)}"


def test_template_values_are_the_defaults_and_valid(tmp_path):
    """Uncommenting every line of the template gives a settings.py that loads with default values."""
    body = "\n".join(f"{key} = {value}" for key, value in _template_keys().items())
    environ = {ENV_PREFIX + "SETTINGS": _settings_file(tmp_path, body)}
    config = load_config(str(tmp_path / "instance"), environ=environ)
    defaults = load_config(str(tmp_path / "instance"), environ={})
    for key in SETTINGS:
        assert config[key] == defaults[key], f"{key}: the template shows {config[key]!r}, default is {defaults[key]!r}"


def test_non_setting_variables_stay_out_of_the_config(tmp_path):
    environ = {ENV_PREFIX + "NEW_PASSWORD": "hunter2-secret", ENV_PREFIX + "INSTANCE_PATH": str(tmp_path),
               ENV_PREFIX + "TEST_DATABASE_URL": "postgresql://x/y", ENV_PREFIX + "STATS_DAYS": "30"}
    config = load_config(str(tmp_path), environ=environ)
    assert "hunter2-secret" not in repr(config)
    assert not {"NEW_PASSWORD", "INSTANCE_PATH", "TEST_DATABASE_URL"} & set(config)
    assert config["STATS_DAYS"] == "30"  # plugin keys pass through for the plugin to parse


def test_plugin_settings_without_a_declared_parser_are_parsed_by_their_default_type(make_app, monkeypatch):
    from pybossa_admin.config import ConfigError
    monkeypatch.setenv("PYBOSSA_ADMIN_ACCOUNTS_PER_PAGE", "75")
    app = make_app()
    assert app.config["ACCOUNTS_PER_PAGE"] == 75  # an int, not the text of the variable
    monkeypatch.setenv("PYBOSSA_ADMIN_ACCOUNTS_PER_PAGE", "many")
    with pytest.raises(ConfigError) as caught:
        make_app()
    assert "PYBOSSA_ADMIN_ACCOUNTS_PER_PAGE (environment, plugin accounts): expected an integer" in str(caught.value)
