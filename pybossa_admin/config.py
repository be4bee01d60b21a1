"""Settings: defaults -> settings.py -> PYBOSSA_ADMIN_* environment -> explicit overrides.

Every key is declared once here with a parser; values are parsed and validated once, at
create_app time, and a bad value raises ConfigError with one line naming the key.
"""
from __future__ import annotations

import os
import runpy
import secrets
from dataclasses import dataclass
from typing import Any, Callable

ENV_PREFIX = "PYBOSSA_ADMIN_"
# PYBOSSA_ADMIN_* variables that are not settings: never copied into app.config (NEW_PASSWORD is a
# secret for `users create`; TEST_* belong to the test suite).
ENV_NOT_SETTINGS = ("SETTINGS", "INSTANCE_PATH", "NEW_PASSWORD")


class ConfigError(Exception):
    """A setting has a bad value; the message is one line naming the key."""


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"expected a boolean (true/false), got {value!r}")


def _int(minimum: int = 0) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise ValueError(f"expected an integer, got {value!r}")
        try:
            number = int(str(value).strip()) if not isinstance(value, int) else value
        except ValueError:
            raise ValueError(f"expected an integer, got {value!r}") from None
        if number < minimum:
            raise ValueError(f"must be at least {minimum}, got {number}")
        return number
    return parse


def _str(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {type(value).__name__}")
    return value


def _list(value: Any) -> list[str]:
    if isinstance(value, (list, tuple, set)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def _choice(*choices: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = str(value).strip().lower()
        if text not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}, got {value!r}")
        return text
    return parse


def normalize_database_url(text: str) -> str:
    """postgresql:// means psycopg2 here (the driver we install); SQLAlchemy 2.1 would pick psycopg 3."""
    scheme, sep, rest = text.partition("://")
    if scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg2://{rest}"
    return text


def _database_url(value: Any) -> str:
    text = _str(value).strip()
    if text and not text.split(":", 1)[0].startswith(("sqlite", "postgres")):
        raise ValueError(f"expected a sqlite:// or postgresql:// URL, got scheme {text.split(':', 1)[0]!r}")
    return normalize_database_url(text)


def _redis_url(value: Any) -> str:
    text = _str(value).strip() or "fakeredis://"
    if not text.startswith(("redis://", "rediss://", "unix://", "fakeredis://")):
        raise ValueError("expected a redis://, rediss://, unix:// or fakeredis:// URL")
    return text


def _number(minimum: float, maximum: float) -> Callable[[Any], float]:
    def parse(value: Any) -> float:
        try:
            number = float(str(value).strip()) if not isinstance(value, bool) else None
        except ValueError:
            number = None
        if number is None or not minimum <= number <= maximum:
            raise ValueError(f"expected a number from {minimum:g} to {maximum:g}, got {value!r}")
        return number
    return parse


# Public parser factories, for plugins that declare Setting(...) in Plugin.config.
boolean, integer, number, text, choice, text_list = _bool, _int, _number, _str, _choice, _list


@dataclass(frozen=True)
class Setting:
    parse: Callable[[Any], Any]
    default: Any
    secret: bool = False


def plugin_setting(default: Any) -> Setting:
    """A plugin's config entry as a Setting: declared explicitly, or inferred from a plain default."""
    if isinstance(default, Setting):
        return default
    for kind, parse in ((bool, _bool), (int, _int()), (float, _number(float("-inf"), float("inf"))),
                        (str, _str), (list, _list), (tuple, _list)):
        if isinstance(default, kind):
            return Setting(parse, default)
    return Setting(lambda value: value, default)


def parse_plugin_config(config: dict, declared: dict[str, Any], plugin: str) -> dict[str, Any]:
    """Defaults filled in and every value parsed; a bad one raises ConfigError naming the key."""
    parsed = {}
    for key, default in declared.items():
        setting = plugin_setting(default)
        raw = config.get(key, setting.default)
        try:
            parsed[key] = setting.parse(raw)
        except ValueError as exc:
            source = config.get("CONFIG_SOURCES", {}).get(key, "default")
            origin = ENV_PREFIX + key if source == "environment" else key
            raise ConfigError(f"{origin} ({source}, plugin {plugin}): {exc}") from None
    return parsed


# name -> Setting. settings.py.tmpl documents each of these; a test keeps the two in step.
SETTINGS: dict[str, Setting] = {
    "SECRET_KEY": Setting(_str, "", secret=True),
    "DATABASE_URL": Setting(_database_url, "", secret=True),
    "REDIS_URL": Setting(_redis_url, "fakeredis://", secret=True),
    "SERVER_NAME_FOR_LINKS": Setting(_str, ""),
    "PLUGINS_STRICT": Setting(_bool, False),
    "SAFE_MODE": Setting(_bool, False),
    "PLUGINS_DISABLED": Setting(_list, []),
    "PLUGINS_FOLDER": Setting(_str, ""),
    "BOOTSTRAP_LINK": Setting(_choice("auto", "always", "never"), "auto"),
    "BOOTSTRAP_LINK_MINUTES": Setting(_int(1), 30),
    "SIGNIN_MAX_FAILURES_PER_ACCOUNT": Setting(_int(1), 5),
    "SIGNIN_MAX_FAILURES_PER_IP": Setting(_int(1), 20),
    "SIGNIN_FAILURE_WINDOW": Setting(_int(1), 900),
    "SESSION_LIFETIME_DAYS": Setting(_int(1), 14),
    "SESSION_COOKIE_SECURE": Setting(_bool, False),
    "API_RATE_LIMIT": Setting(_int(1), 300),
    "API_RATE_WINDOW": Setting(_int(1), 900),
    "MAX_CONTENT_LENGTH": Setting(_int(1024), 10 * 1024 * 1024),
    "LOG_RETENTION_DAYS": Setting(_int(1), 90),
    "PASSWORD_MIN_LENGTH": Setting(_int(1), 8),
    "JOB_TIMEOUT": Setting(_int(1), 600),
    "WTF_CSRF_ENABLED": Setting(_bool, True),
    "TRUST_PROXY_HEADERS": Setting(_int(0), 0),
}


def _load_settings_file(path: str | None) -> dict[str, Any]:
    if not path or not os.path.exists(path):
        return {}
    try:
        namespace = runpy.run_path(path)
    except Exception as exc:  # a syntax error in settings.py is a start-up error, not a traceback
        raise ConfigError(f"settings file {path}: {exc.__class__.__name__}: {exc}") from None
    return {k: v for k, v in namespace.items() if k.isupper()}


def _secret_key(instance_path: str) -> str:
    """A SECRET_KEY generated once and kept in the instance folder (never a fixed default)."""
    os.makedirs(instance_path, exist_ok=True)
    path = os.path.join(instance_path, "secret_key")
    if os.path.exists(path):
        with open(path) as handle:
            key = handle.read().strip()
        if key:
            return key
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def load_config(instance_path: str, overrides: dict[str, Any] | None = None,
                environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Merge the four layers and validate them. Returns the final key/value mapping."""
    environ = os.environ if environ is None else environ
    raw: dict[str, Any] = {name: setting.default for name, setting in SETTINGS.items()}
    sources: dict[str, str] = {name: "default" for name in SETTINGS}

    settings_path = environ.get(ENV_PREFIX + "SETTINGS") or os.path.join(os.getcwd(), "settings.py")
    for key, value in _load_settings_file(settings_path).items():
        raw[key] = value
        sources[key] = "settings.py"
    for env_key, value in environ.items():
        key = env_key[len(ENV_PREFIX):]
        if env_key.startswith(ENV_PREFIX) and key not in ENV_NOT_SETTINGS and not key.startswith("TEST_"):
            raw[key] = value
            sources[key] = "environment"
    for key, value in (overrides or {}).items():
        raw[key] = value
        sources[key] = "override"

    final: dict[str, Any] = {}
    for key, value in raw.items():
        setting = SETTINGS.get(key)
        if setting is None:
            final[key] = value  # plugin and Flask keys pass through; plugins validate their own
            continue
        try:
            final[key] = setting.parse(value)
        except ValueError as exc:
            origin = ENV_PREFIX + key if sources[key] == "environment" else key
            raise ConfigError(f"{origin} ({sources[key]}): {exc}") from None

    if not final["SECRET_KEY"]:
        final["SECRET_KEY"] = _secret_key(instance_path)
    elif len(final["SECRET_KEY"]) < 16:
        raise ConfigError("SECRET_KEY: must be at least 16 characters long")
    if not final["DATABASE_URL"]:
        os.makedirs(instance_path, exist_ok=True)
        final["DATABASE_URL"] = "sqlite:///" + os.path.join(instance_path, "pybossa_admin.db")
    final["SQLALCHEMY_DATABASE_URI"] = final["DATABASE_URL"]
    final["EMBEDDED_JOBS"] = final["REDIS_URL"].startswith("fakeredis://")
    final["CONFIG_SOURCES"] = sources
    return final


def secret_keys() -> set[str]:
    return {name for name, setting in SETTINGS.items() if setting.secret}
