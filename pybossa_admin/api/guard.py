"""Hooks run for every /api request (matched or not): API-key errors, the rate limit and its headers."""
from __future__ import annotations

import time

from flask import current_app, g, request
from flask_login import current_user

from ..jobs import get_redis
from ..services import ratelimit
from .errors import API_PREFIX, ApiError

# HEAD and OPTIONS only read the counters: pbs asks HEAD /api/task how much budget is left.
NOT_COUNTED = ("HEAD", "OPTIONS")


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def rate_identity() -> str:
    """Budget per account for key or session users, per address for anonymous callers."""
    if current_user.is_authenticated:
        return f"api:user:{current_user.id}"
    return f"api:ip:{request.remote_addr}"


def before_api_request():
    if not is_api_request():
        return None
    if "\x00" in (request.args.get("api_key") or "") + request.headers.get("Authorization", ""):
        raise ApiError(401, "Invalid API key")  # before the key lookup: the database refuses NUL characters
    identity = rate_identity()  # loads the user (API key or session) first
    limit, window = current_app.config["API_RATE_LIMIT"], current_app.config["API_RATE_WINDOW"]
    if request.method in NOT_COUNTED:
        g.api_rate = ratelimit.peek(identity, limit, window)
    else:
        g.api_rate = ratelimit.hit(identity, limit, window)
        if not g.api_rate.allowed:
            g.api_first_refusal = _first_refusal(identity, g.api_rate.reset, window)
            raise ApiError(429, f"Rate limit exceeded: {limit} requests per {window} seconds. Wait for "
                                "X-RateLimit-Reset (epoch seconds).",
                           headers={"Retry-After": str(max(1, g.api_rate.reset - _now()))})
    auth_error = getattr(g, "api_auth_error", None)
    if auth_error:
        status, message = auth_error
        raise ApiError(status, message)
    return None


def _first_refusal(identity: str, reset: int, window: int) -> bool:
    """True once per identity and window: only the first refusal goes to the operational log."""
    return bool(get_redis().set(f"pybossa_admin:rl-logged:{identity}:{reset}", 1, nx=True, ex=window + 1))


def _now() -> int:
    return int(time.time())


def after_api_request(response):
    window = getattr(g, "api_rate", None)
    if window is not None and is_api_request():
        response.headers["X-RateLimit-Limit"] = str(window.limit)
        response.headers["X-RateLimit-Remaining"] = str(window.remaining)
        response.headers["X-RateLimit-Reset"] = str(window.reset)
    return response
