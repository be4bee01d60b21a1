"""Fixed-window counters in Redis (the fake one on the embedded default)."""
from __future__ import annotations

import time
from dataclasses import dataclass

from ..jobs import get_redis


@dataclass(frozen=True)
class Window:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # epoch seconds when the window ends


def _key(name: str, window: int) -> tuple[str, int]:
    start = int(time.time()) // window * window
    return f"pybossa_admin:rl:{name}:{start}", start + window


def hit(name: str, limit: int, window: int) -> Window:
    """Count one event against `name`; allowed while the count stays within limit."""
    key, reset = _key(name, window)
    redis = get_redis()
    pipe = redis.pipeline(transaction=False)  # one round trip; atomicity is not needed for a counter
    pipe.incr(key)
    pipe.expire(key, window + 1)
    count = int(pipe.execute()[0])
    return Window(count <= limit, limit, max(0, limit - count), reset)


def peek(name: str, limit: int, window: int) -> Window:
    key, reset = _key(name, window)
    count = int(get_redis().get(key) or 0)
    return Window(count < limit, limit, max(0, limit - count), reset)


def clear(name: str, window: int) -> None:
    key, _ = _key(name, window)
    get_redis().delete(key)
