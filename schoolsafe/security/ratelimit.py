"""Rate limits that never store a client address.

Counters are fixed windows keyed by an HMAC of (purpose, window, address) under a random key
made for that window alone. The window key lives in Redis (so every app server uses the same
one and their counts add up) or, without Redis, in this process's memory; never on disk. It
expires a little after its window ends, and with it any way of telling which address a
counter belonged to: even someone holding SECRET_KEY and a copy of Redis would have to try
every address against a key that no longer exists. Counts live only in memory or Redis and
expire with the window. Nothing is written to the database or logs.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import time
from collections.abc import Callable

from redis import Redis
from redis.exceptions import RedisError

# How long a window key outlives its window, so a request that began at the very end of it
# still finds the same key on every server.
GRACE_SECONDS = 60
KEY_BYTES = 32


class RateLimiter:
    """Fixed-window counters keyed by an HMAC of (purpose, window, address) with a key that is
    random per window. `clock` (seconds, like time.time) decides the windows."""

    def __init__(self, redis_url: str = "", clock: Callable[[], float] = time.time) -> None:
        self._redis = Redis.from_url(redis_url, socket_timeout=1) if redis_url else None
        self.clock = clock
        self._memory: dict[str, tuple[int, float]] = {}
        self._window_keys: dict[tuple[int, int], tuple[bytes, float]] = {}
        self._lock = threading.Lock()

    def hit(self, purpose: str, address: str, limit: int, window: int) -> bool:
        """Count one attempt; False when the limit for this window is already used up."""
        now = self.clock()
        if self._redis is not None:
            try:
                return self._hit_redis(self._key(purpose, address, window, now, self._redis),
                                       limit, _left(window, now))
            except RedisError:
                pass  # Redis down: fall back to this process's memory rather than refuse pupils
        return self._hit_memory(self._key(purpose, address, window, now), limit, now,
                                _window_end(window, now))

    def used_up(self, purpose: str, address: str, limit: int, window: int) -> bool:
        """Whether this window's limit is already reached, without counting an attempt."""
        now = self.clock()
        if self._redis is not None:
            try:
                key = self._key(purpose, address, window, now, self._redis)
                return int(self._redis.get(key) or 0) >= limit
            except RedisError:
                pass  # as in hit(): fall back to this process's memory
        key = self._key(purpose, address, window, now)
        with self._lock:
            self._forget_expired(now)
            return self._memory.get(key, (0, 0.0))[0] >= limit

    def _key(self, purpose: str, address: str, window: int, now: float,
             redis: Redis | None = None) -> str:
        slot = int(now // window)
        secret = (_shared_window_key(redis, window, slot, _left(window, now)) if redis is not None
                  else self._memory_window_key(window, slot, now))
        message = f"{purpose}|{window}|{slot}|{address}".encode()
        return "rl:" + hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]

    def _memory_window_key(self, window: int, slot: int, now: float) -> bytes:
        with self._lock:
            self._forget_expired(now)
            if (window, slot) not in self._window_keys:
                self._window_keys[(window, slot)] = (secrets.token_bytes(KEY_BYTES),
                                                     _window_end(window, now) + GRACE_SECONDS)
            return self._window_keys[(window, slot)][0]

    def _hit_redis(self, key: str, limit: int, seconds_left: int) -> bool:
        pipe = self._redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, seconds_left, nx=True)
        count, _ = pipe.execute()
        return int(count) <= limit

    def _hit_memory(self, key: str, limit: int, now: float, ends: float) -> bool:
        with self._lock:
            self._forget_expired(now)
            count, expires = self._memory.get(key, (0, ends))
            self._memory[key] = (count + 1, expires)
            return count + 1 <= limit

    def _forget_expired(self, now: float) -> None:
        for key in [k for k, (_, expires) in self._memory.items() if expires <= now]:
            del self._memory[key]
        for slot in [s for s, (_, expires) in self._window_keys.items() if expires <= now]:
            del self._window_keys[slot]


def _window_end(window: int, now: float) -> float:
    return (now // window + 1) * window


def _left(window: int, now: float) -> int:
    """Whole seconds until this window ends (at least one)."""
    return max(1, math.ceil(_window_end(window, now) - now))


def _shared_window_key(redis: Redis, window: int, slot: int, seconds_left: int) -> bytes:
    """This window's random key, made by whichever app server asks first (SET NX)."""
    name = f"rl-window:{window}:{slot}"
    pipe = redis.pipeline()  # one transaction: set only if absent, then read the winner
    pipe.set(name, secrets.token_bytes(KEY_BYTES), nx=True, ex=seconds_left + GRACE_SECONDS)
    pipe.get(name)
    _, key = pipe.execute()
    return key


def _request_args(purpose: str, limit_key: str | int, window_key: str | int):
    # The one place a client address is read: it is hashed with this window's random key
    # inside the limiter for this check only, and never stored or logged.
    from flask import current_app, request

    config = current_app.config
    limit = config[limit_key] if isinstance(limit_key, str) else limit_key
    window = config[window_key] if isinstance(window_key, str) else window_key
    return current_app.extensions["ratelimiter"], (purpose, request.remote_addr or "", limit,
                                                   window)


def hit_for_request(purpose: str, limit: str | int, window: str | int) -> bool:
    """Count a try from this request's network; False when the limit is used up.
    `limit` and `window` are numbers or the names of config settings."""
    limiter, args = _request_args(purpose, limit, window)
    return limiter.hit(*args)


def used_up_for_request(purpose: str, limit: str | int, window: str | int) -> bool:
    """Whether this request's network has used up the limit, without counting a try."""
    limiter, args = _request_args(purpose, limit, window)
    return limiter.used_up(*args)
