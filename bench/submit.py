"""Submit throughput: the pupil form's POST under gunicorn, beside a bare Flask app.

    .venv/bin/python bench/submit.py --backend postgresql [--duration 20] [--clients 8]

Both apps run under config/gunicorn.conf.py (2 workers, 4 threads each) on the same
database, with Redis for the job queue and rate-limit counters as in production. Each
simulated pupil does what a browser does: GET the form (a fresh CSRF token and cookie,
since the pupil's session is dropped after every report), then POST it. The bare app does the
same pair: a GET that puts a token in a signed-cookie session, and a POST that checks it and
inserts one row. Both are driven by the same load generator (threads on loopback, keep-alive
connections), one after the other and twice each; each run prints submissions per second
(one GET + POST pair each), POST latency, and the CPU time the app's workers spent per
submission - a figure that, unlike the rate, does not depend on what else the machine is
doing. The last line gives the ratio of the better run of each.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import threading
import time
from dataclasses import dataclass, field

from common import WORK, add_backend_argument, database_url, machine, summary_ms
from generate import ensure
from web import Browser, Gunicorn, cpu_seconds, csrf_token

from tests.support.redis_server import RedisServer

REPORT = {"about": "self", "choices": ["rumours", "bait_out_page"],
          "narrative": "Someone made a page about people in my year and it keeps posting.",
          "started": "last week", "last_happened": "today", "place1-platform": "instagram"}


@dataclass
class Tally:
    """What the clients did: completed submissions, their POST times, and failures."""

    done: int = 0
    failed: int = 0
    post_times: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, ok: bool, post_time: float) -> None:
        with self.lock:
            if ok:
                self.done += 1
                self.post_times.append(post_time)
            else:
                self.failed += 1


def pupil(port: int, slug: str, stop: float, tally: Tally) -> None:
    """One pupil after another on one connection: fetch the form, send a report."""
    browser = Browser(port)
    while time.monotonic() < stop:
        browser.cookies.clear()
        status, page = browser.get(f"/tell/{slug}")
        # Half name a page the school already knows, half a new one.
        handle = "@bench_known_page" if secrets.randbelow(2) else f"@bench_{secrets.token_hex(4)}"
        started = time.perf_counter()
        code, text = browser.post(f"/tell/{slug}", {**REPORT, "place1-text": handle,
                                                    "csrf_token": csrf_token(page)})
        tally.add(status == 200 and code == 200 and "code" in text,
                  time.perf_counter() - started)
    browser.close()


def bare_client(port: int, stop: float, tally: Tally) -> None:
    """The same GET + POST pair against the bare app."""
    browser = Browser(port)
    while time.monotonic() < stop:
        browser.cookies.clear()
        status, page = browser.get("/form")
        started = time.perf_counter()
        code, _ = browser.post("/form", {"body": REPORT["narrative"],
                                         "csrf_token": csrf_token(page)})
        tally.add(status == 200 and code == 200, time.perf_counter() - started)
    browser.close()


def drive(target, clients: int, duration: float, server: Gunicorn,
          warmup: float = 3.0) -> tuple[Tally, float]:
    """Run `clients` threads for warm-up + duration; count only the measured part.

    Also returns the CPU seconds the server's workers used while measured, which (unlike the
    rate) does not depend on what else the machine is doing.
    """
    for seconds in (warmup, duration):  # the warm-up tally is thrown away
        tally = Tally()
        workers = server.worker_pids()
        cpu_before = sum(cpu_seconds(pid) for pid in workers)
        stop = time.monotonic() + seconds
        threads = [threading.Thread(target=target, args=(stop, tally)) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return tally, sum(cpu_seconds(pid) for pid in workers) - cpu_before


def report(name: str, tally: Tally, duration: float, cpu: float) -> float:
    """Print one side's figures; return its submissions per second."""
    rate = tally.done / duration
    print(f"  {name:<12} {rate:7.1f} submissions/s ({2 * rate:7.1f} requests/s)   "
          f"POST {summary_ms(tally.post_times)}   app CPU {cpu / max(tally.done, 1) * 1000:5.1f}"
          f" ms per submission   failed {tally.failed}", flush=True)
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_backend_argument(parser)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--school", default="bulk-001")
    args = parser.parse_args()

    ensure(args.backend)
    url = database_url(args.backend)
    redis_server = RedisServer(WORK / "redis")
    redis_server.start()
    env = {"SCHOOLSAFE_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
           "DATABASE_URL": url, "BASE_URL": "http://localhost", "REDIS_URL": redis_server.url,
           "SESSION_COOKIE_SECURE": "false", "SUBMIT_LIMIT": str(10**9),
           "SCHOOLSAFE_INSTANCE_PATH": str(WORK / "instance"), "LOG_LEVEL": "WARNING"}
    print(f"machine: {machine()}")
    print(f"submit throughput, {args.backend}, {args.clients} clients, {args.duration:.0f} s "
          f"per run, gunicorn 2 workers x {os.environ.get('GUNICORN_THREADS', '4')} threads")
    rates: dict[str, list[float]] = {"bare": [], "pupil form": []}
    try:
        for _ in range(2):
            with Gunicorn("bare_app:app", env, name="bare") as server:
                tally, cpu = drive(lambda stop, t: bare_client(server.port, stop, t),
                                   args.clients, args.duration, server)
                rates["bare"].append(report("bare", tally, args.duration, cpu))
            with Gunicorn("wsgi:app", env, name="schoolsafe") as server:
                tally, cpu = drive(lambda stop, t: pupil(server.port, args.school, stop, t),
                                   args.clients, args.duration, server)
                rates["pupil form"].append(report("pupil form", tally, args.duration, cpu))
    finally:
        redis_server.stop()
    best_form, best_bare = max(rates["pupil form"]), max(rates["bare"])
    print(f"{args.backend}: pupil form {best_form:.1f}/s, bare {best_bare:.1f}/s, "
          f"ratio {best_form / best_bare:.0%} (target 60%); load average "
          f"{os.getloadavg()[0]:.1f}; mean ratio "
          f"{statistics.mean(rates['pupil form']) / statistics.mean(rates['bare']):.0%}")


if __name__ == "__main__":
    main()
