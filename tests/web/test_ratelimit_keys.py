"""Rate-limit counters can't be traced back to an address, even with SECRET_KEY and a copy of
Redis: each window hashes addresses with its own random key, shared by every app server
through Redis and gone soon after the window ends."""

from __future__ import annotations

import hashlib
import hmac
import time

import pytest
from redis import Redis

from schoolsafe.security.ratelimit import GRACE_SECONDS, RateLimiter
from tests.conftest import make_app

pytestmark = pytest.mark.redis

WINDOW = 600
START = 1_800_000_000.0  # the start of a ten-minute window
PUPIL = "203.0.113.5"
WRONG = {"code": "ocean ocean ocean ocean ocean ocean"}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(redis_server):
    store = Redis.from_url(redis_server.url)
    store.flushdb()
    yield store
    store.flushdb()


def counters(store: Redis) -> set[bytes]:
    return set(store.keys("rl:*"))


def window_keys(store: Redis) -> dict[bytes, bytes]:
    return {name: store.get(name) for name in store.keys("rl-window:*")}


def test_a_counter_cannot_be_traced_to_its_address_with_the_secret_key(
        store, redis_server, database_url, tmp_path, make):
    make.school("oak")
    app = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=False, REDIS_URL=redis_server.url)
    app.test_client().post("/follow-up", data=WRONG, environ_base={"REMOTE_ADDR": PUPIL})
    [stored] = counters(store)
    # Someone with SECRET_KEY and this snapshot tries every address of the network, every
    # recent window and every way of writing the message: none gives the stored counter.
    secret = app.config["SECRET_KEY"].encode()
    slot = int(time.time() // WINDOW)
    tried = set()
    for host in range(256):
        for message in (f"followup|{s}|203.0.113.{host}" for s in (slot - 1, slot, slot + 1)):
            tried.add(b"rl:" + hmac.new(secret, message.encode(),
                                        hashlib.sha256).hexdigest()[:32].encode())
        for message in (f"followup|{WINDOW}|{s}|203.0.113.{host}" for s in (slot - 1, slot)):
            tried.add(b"rl:" + hmac.new(secret, message.encode(),
                                        hashlib.sha256).hexdigest()[:32].encode())
    assert stored not in tried
    assert all(PUPIL.encode() not in value for value in window_keys(store).values())


def test_each_window_has_its_own_random_key_and_its_own_count(store, redis_server):
    clock = Clock(START + 10)
    limiter = RateLimiter(redis_server.url, clock)
    assert [limiter.hit("followup", PUPIL, 2, WINDOW) for _ in range(3)] == [True, True, False]
    first_counters, first_keys = counters(store), window_keys(store)
    clock.now += WINDOW
    assert limiter.hit("followup", PUPIL, 2, WINDOW)  # a new window: counting starts again
    second_keys = window_keys(store)
    assert len(second_keys) == 2 and len(set(second_keys.values())) == 2
    assert len(first_keys[next(iter(first_keys))]) == 32  # 256 random bits
    assert counters(store) - first_counters  # the same address, another counter


def test_app_servers_sharing_redis_share_the_window_key_so_counts_add_up(store, redis_server):
    clock = Clock(START + 10)
    servers = [RateLimiter(redis_server.url, clock), RateLimiter(redis_server.url, clock)]
    answers = [servers[n % 2].hit("followup", PUPIL, 4, WINDOW) for n in range(5)]
    assert answers == [True, True, True, True, False]
    assert len(window_keys(store)) == 1 and len(counters(store)) == 1
    assert servers[1].used_up("followup", PUPIL, 4, WINDOW)


def test_the_window_key_outlives_its_window_briefly_then_a_new_one_is_made(store, redis_server):
    clock = Clock(START + WINDOW - 100)  # 100 seconds before the window ends
    limiter = RateLimiter(redis_server.url, clock)
    assert [limiter.hit("followup", PUPIL, 1, WINDOW) for _ in range(2)] == [True, False]
    [(name, old_key)] = window_keys(store).items()
    assert 100 < store.ttl(name) <= 100 + GRACE_SECONDS
    assert all(0 < store.ttl(counter) <= 100 for counter in counters(store))
    store.pexpire(name, 1)  # as Redis does when its time is up
    time.sleep(0.05)
    assert limiter.hit("followup", PUPIL, 1, WINDOW)  # the old count can't be found any more
    [new_key] = window_keys(store).values()
    assert new_key != old_key


def test_without_redis_each_window_has_its_own_count():
    clock = Clock(START + 10)
    limiter = RateLimiter("", clock)
    assert [limiter.hit("submit", PUPIL, 1, WINDOW) for _ in range(2)] == [True, False]
    assert limiter.used_up("submit", PUPIL, 1, WINDOW)
    assert not limiter.used_up("submit", "198.51.100.1", 1, WINDOW)
    clock.now += WINDOW
    assert limiter.hit("submit", PUPIL, 1, WINDOW)
