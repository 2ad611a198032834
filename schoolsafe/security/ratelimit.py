"""Rate limits that never store a client address.

The address is turned into a keyed hash whose key changes every window, and the count lives
only in memory (one process) or in Redis (shared by every app server) and expires with the
window. Nothing is written to the database or logs.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time

from redis import Redis
from redis.exceptions import RedisError


class RateLimiter:
    """Fixed-window counters keyed by a hash of (window, purpose, address)."""

    def __init__(self, secret: str, redis_url: str = "") -> None:
        self._secret = secret.encode()
        self._redis = Redis.from_url(redis_url, socket_timeout=1) if redis_url else None
        self._memory: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def _key(self, purpose: str, address: str, window: int) -> str:
        slot = int(time.time() // window)
        message = f"{purpose}|{slot}|{address}".encode()
        return "rl:" + hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:32]

    def hit(self, purpose: str, address: str, limit: int, window: int) -> bool:
        """Count one attempt; False when the limit for this window is already used up."""
        key = self._key(purpose, address, window)
        if self._redis is not None:
            try:
                return self._hit_redis(key, limit, window)
            except RedisError:
                pass  # Redis down: fall back to this process's memory rather than refuse pupils
        return self._hit_memory(key, limit, window)

    def used_up(self, purpose: str, address: str, limit: int, window: int) -> bool:
        """Whether this window's limit is already reached, without counting an attempt."""
        key = self._key(purpose, address, window)
        if self._redis is not None:
            try:
                return int(self._redis.get(key) or 0) >= limit
            except RedisError:
                pass  # as in hit(): fall back to this process's memory
        with self._lock:
            self._forget_expired(time.monotonic())
            return self._memory.get(key, (0, 0.0))[0] >= limit

    def _hit_redis(self, key: str, limit: int, window: int) -> bool:
        pipe = self._redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, window, nx=True)
        count, _ = pipe.execute()
        return int(count) <= limit

    def _hit_memory(self, key: str, limit: int, window: int) -> bool:
        now = time.monotonic()
        with self._lock:
            self._forget_expired(now)
            count, expires = self._memory.get(key, (0, now + window))
            self._memory[key] = (count + 1, expires)
            return count + 1 <= limit

    def _forget_expired(self, now: float) -> None:
        for key in [k for k, (_, expires) in self._memory.items() if expires <= now]:
            del self._memory[key]


def _request_args(purpose: str, limit_key: str | int, window_key: str | int):
    # The one place a client address is read: it is hashed with a rotating key inside the
    # limiter for this check only, and never stored or logged.
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
