"""Masking secrets before a value reaches a page, a JSON payload, a log row or an audit row.

Two ways a secret is recognised:
- by its name (a setting, an environment variable or a dict key): SECRET, TOKEN, PASSWORD, KEY, DSN,
  URI, ... -> the whole value becomes MASK;
- by its shape inside free text: the password part of a URL, `api_key=...`-style pairs, `Bearer ...`,
  long hex tokens (API keys), and any value the running app holds as a secret (known_secrets()).

    from pybossa_admin.services import masking
    masking.mask_data({"password": "x", "url": "redis://:pw@host/0"})
    -> {"password": "***", "url": "redis://:***@host/0"}
"""
from __future__ import annotations

import re
from typing import Any, Iterable

MASK = "***"

# Names whose values are secrets. Matches SECRET_KEY, API_KEY, DATABASE_URI, AWS_SECRET_ACCESS_KEY, ...
SECRET_NAME_RE = re.compile(r"SECRET|TOKEN|PASS|PWD|KEY|DSN|URI|CREDENTIAL|PRIVATE|SIGNATURE|COOKIE|SALT"
                            r"|AUTHORIZATION", re.IGNORECASE)
# scheme://user:password@host -> keep the user and host, drop the password.
_URL_PASSWORD_RE = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^:/@\s]*:)(?P<pw>[^@\s/]+)(?P<at>@)")
# key=value / key: value / "key": "value" where the key looks secret.
_PAIR_RE = re.compile(r"(?P<key>[\w\-]*(?:secret|token|passw|pwd|api[_\-]?key|apikey|private[_\-]?key|dsn)"
                      r"[\w\-]*)(?P<sep>\"?\s*[:=]\s*\"?)(?P<value>[^\s\"'&,;)}\]]+)", re.IGNORECASE)
_BEARER_RE = re.compile(r"(?P<head>\b(?:Bearer|Basic|JWT|Token)\s+)(?P<value>[A-Za-z0-9._~+/=\-]{8,})")
# API keys are 40 hex characters; anything this long and hexadecimal is treated as a token.
_HEX_TOKEN_RE = re.compile(r"\b[0-9a-fA-F]{32,}\b")


def is_secret_name(name: Any) -> bool:
    return bool(name) and bool(SECRET_NAME_RE.search(str(name)))


def mask_url(text: str) -> str:
    """The password part of every URL in text replaced by MASK."""
    return _URL_PASSWORD_RE.sub(lambda m: m.group("head") + MASK + m.group("at"), text)


def mask_text(text: Any, known: Iterable[str] = ()) -> Any:
    """Free text with every secret-shaped part masked; non-strings are returned unchanged."""
    if not isinstance(text, str) or not text:
        return text
    for secret in sorted({s for s in known if s and len(s) >= 6}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = mask_url(text)
    text = _PAIR_RE.sub(lambda m: m.group("key") + m.group("sep") + MASK, text)
    text = _BEARER_RE.sub(lambda m: m.group("head") + MASK, text)
    return _HEX_TOKEN_RE.sub(MASK, text)


def mask_value(name: Any, value: Any, known: Iterable[str] = ()) -> Any:
    """A named value: all of it masked when the name looks secret, else its secret-shaped parts."""
    if is_secret_name(name):
        return _mask_strings(value)
    return mask_data(value, known)


def _mask_strings(value: Any) -> Any:
    """Under a secret name every string is masked; numbers and booleans (lengths, flags) are not secrets."""
    if isinstance(value, dict):
        return {key: _mask_strings(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mask_strings(item) for item in value]
    if isinstance(value, (str, bytes)) and value:
        return MASK
    return value


def mask_data(value: Any, known: Iterable[str] = ()) -> Any:
    """Recursively mask a JSON-like structure (dict keys decide, strings are scanned)."""
    known = tuple(known)
    if isinstance(value, dict):
        return {key: mask_value(key, item, known) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_data(item, known) for item in value]
    if isinstance(value, str):
        return mask_text(value, known)
    return value


def _url_password(value: str) -> str | None:
    match = _URL_PASSWORD_RE.search(value)
    return match.group("pw") if match else None


def known_secrets(config: dict) -> set[str]:
    """The secret values a running app holds: secret settings and passwords inside URLs."""
    from ..config import secret_keys
    secret_settings = secret_keys()
    found = set()
    for name, value in config.items():
        if not isinstance(value, str) or not value:
            continue
        password = _url_password(value)
        if password:
            found.add(password)
        elif (name in secret_settings or is_secret_name(name)) and "://" not in value:
            found.add(value)
    return {s for s in found if len(s) >= 6}


def masked_config(config: dict) -> dict:
    """The effective configuration as name -> display value, every secret masked."""
    from ..config import secret_keys
    secret_settings = secret_keys()
    known = known_secrets(config)
    shown = {}
    for name in sorted(config):
        value = config[name]
        if name in secret_settings and value not in (None, ""):
            # Keep the scheme of a URL (which backend) and nothing else: hosts and paths can be sensitive too.
            scheme = value.split("://", 1)[0] if isinstance(value, str) and "://" in value else ""
            shown[name] = f"{scheme}://{MASK}" if scheme else MASK
        else:
            shown[name] = mask_value(name, value, known)
    return shown
