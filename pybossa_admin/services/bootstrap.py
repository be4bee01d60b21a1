"""The one-time first-admin link printed when the platform starts with no admin."""
from __future__ import annotations

import ipaddress

from flask import current_app

from . import tokens, users

BOOTSTRAP = "bootstrap"


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def offer_link(base_url: str, host: str) -> str | None:
    """A fresh link when no admin exists and the setting allows it for this host; else None."""
    mode = current_app.config["BOOTSTRAP_LINK"]
    if mode == "never" or (mode == "auto" and not is_loopback(host)):
        return None
    if users.admin_count() > 0:
        return None
    token = tokens.issue(BOOTSTRAP, current_app.config["BOOTSTRAP_LINK_MINUTES"])
    # The token travels in the fragment: browsers never send it, so no access log records it.
    return f"{base_url.rstrip('/')}/account/bootstrap#{token}"
