"""Alert latency: from a pupil pressing Send on an immediate report to the alert accepted by SMTP.

    .venv/bin/python bench/alert_latency.py [--backend postgresql] [--reports 120]
                                            [--clients 4] [--workers 2]

Everything runs on loopback, as production does on one host: the app under gunicorn
(config/gunicorn.conf.py), a private Redis, `flask worker` processes, and an SMTP server
that wants STARTTLS and a login (aiosmtpd, the test suite's). Each report goes to its own
school, whose only safeguarding lead has their own address, so each alert is matched to the
report it is about without putting anything about the report in the email.

The clock starts just before the POST is sent and stops when the SMTP server accepts the
message (end of DATA). Printed: p50, p95 and max of that, and of the POST alone.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import logging
import os
import queue
import re
import secrets
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from common import WORK, add_backend_argument, create_database, machine, make_app, summary_ms

from tests.support.processes import ChildProcess, free_port, wait_until
from tests.support.redis_server import RedisServer
from tests.support.smtp_server import SmtpServer

FLASK = Path(sys.executable).with_name("flask")
GUNICORN = Path(sys.executable).with_name("gunicorn")
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ROOT = Path(__file__).resolve().parents[1]
REPORT = {"about": "friend", "choices": ["threats"], "danger_now": "y",
          "narrative": "Someone says they will post a picture of my friend tonight."}
SMTP_USER, SMTP_PASSWORD = "alerts", secrets.token_urlsafe(12)


class TimedSmtp(SmtpServer):
    """The test SMTP server, noting when the first message for each recipient was accepted."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.accepted_at: dict[str, float] = {}

    def _record(self, message, envelope) -> None:
        now = time.monotonic()
        for address in envelope.rcpt_tos:
            self.accepted_at.setdefault(address, now)
        super()._record(message, envelope)


@dataclass
class Submissions:
    """When each report was sent (by its lead's address), and how long each POST took."""

    sent_at: dict[str, float] = field(default_factory=dict)
    post_times: list[float] = field(default_factory=list)
    failed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def address(n: int) -> str:
    return f"lead-{n:04d}@bench.example.org"


def prepare(url: str, reports: int) -> None:
    """Build the schema and one school with one safeguarding lead per report."""
    from flask_migrate import upgrade

    from schoolsafe.extensions import db
    from schoolsafe.models import Membership, School, User

    app = make_app(url)
    with app.app_context():
        upgrade(revision="heads")
        for n in range(reports):
            school = School(slug=f"alert-{n:04d}", name=f"Alert School {n}", code=f"AL{n:04d}")
            # Nobody signs in as these leads, so no usable password is stored.
            lead = User(email=address(n), name=f"Lead {n}", password_hash="!")
            db.session.add_all([school, lead])
            db.session.flush()
            db.session.add(Membership(user_id=lead.id, school_id=school.id, role="dsl"))
        db.session.commit()
        db.engine.dispose()


class Pupil:
    """A browser with a fresh cookie jar per report, as the pupil's session ends on Send."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"

    def send(self, slug: str) -> tuple[float, float, bool]:
        """GET the form, POST the report; returns when the POST started, its time, success."""
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with opener.open(f"{self.base}/tell/{slug}", timeout=60) as response:
            token = TOKEN.search(response.read().decode())
        form = urlencode({**REPORT, "csrf_token": token[1] if token else ""}, doseq=True)
        started = time.monotonic()
        try:
            with opener.open(f"{self.base}/tell/{slug}", data=form.encode(),
                             timeout=60) as response:
                ok = response.status == 200 and 'class="code"' in response.read().decode()
        except urllib.error.HTTPError:
            ok = False
        return started, time.monotonic() - started, ok


def pupil(port: int, todo: queue.Queue, done: Submissions) -> None:
    """Send immediate reports, one school after another, until no school is left."""
    browser = Pupil(port)
    while True:
        try:
            n = todo.get_nowait()
        except queue.Empty:
            return
        started, took, ok = browser.send(f"alert-{n:04d}")
        with done.lock:
            done.sent_at[address(n)] = started
            done.post_times.append(took)
            done.failed += not ok


def start_gunicorn(env: dict[str, str]) -> tuple[ChildProcess, int]:
    """The app under gunicorn with the shipped settings; returns it and its port."""
    port = free_port()
    server = ChildProcess("gunicorn", WORK / "alert-gunicorn.log")
    server.start([str(GUNICORN), "-c", str(ROOT / "config" / "gunicorn.conf.py"), "wsgi:app"],
                 cwd=ROOT, env={**os.environ, **env, "BIND": f"127.0.0.1:{port}",
                                "WEB_CONCURRENCY": "2"})

    def serving() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        except OSError:
            return False
        return True

    if not wait_until(serving, 60):
        raise RuntimeError(f"gunicorn did not start; see {WORK}/alert-gunicorn.log")
    return server, port


def start_workers(count: int, env: dict[str, str]) -> list[ChildProcess]:
    """`flask worker` processes, as production runs them."""
    workers = []
    for n in range(count):
        worker = ChildProcess(f"flask worker {n}", WORK / f"alert-worker-{n}.log")
        worker.start([str(FLASK), "worker"], cwd=ROOT, env={**os.environ, **env})
        workers.append(worker)
    return workers


def workers_listening(redis_url: str, count: int) -> bool:
    from redis import Redis
    from rq import Worker

    return len(Worker.all(connection=Redis.from_url(redis_url))) >= count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd logs every command
    add_backend_argument(parser)
    parser.set_defaults(backend="postgresql")
    parser.add_argument("--reports", type=int, default=120)
    parser.add_argument("--clients", type=int, default=4, help="pupils sending at once")
    parser.add_argument("--workers", type=int, default=2, help="flask worker processes")
    parser.add_argument("--timeout", type=float, default=180)
    args = parser.parse_args()
    if args.reports < 1:
        parser.error("--reports must be at least 1")

    url = create_database(args.backend, "schoolsafe_alerts")
    prepare(url, args.reports)
    redis_server = RedisServer(WORK / "alert-redis")
    smtp = TimedSmtp(WORK / "alert-smtp", tls=True, username=SMTP_USER, password=SMTP_PASSWORD)
    redis_server.start()
    smtp.start()
    env = {"SCHOOLSAFE_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
           "DATABASE_URL": url, "BASE_URL": "http://localhost", "REDIS_URL": redis_server.url,
           "RQ_QUEUE": "alert-bench", "SESSION_COOKIE_SECURE": "false",
           "SUBMIT_LIMIT": str(10**9), "SCHOOLSAFE_INSTANCE_PATH": str(WORK / "instance"),
           "MAIL_SERVER": smtp.host, "MAIL_PORT": str(smtp.port), "MAIL_USE_TLS": "true",
           "MAIL_USERNAME": SMTP_USER, "MAIL_PASSWORD": SMTP_PASSWORD,
           "MAIL_DEFAULT_SENDER": "alerts@bench.example.org", "LOG_LEVEL": "WARNING",
           "FLASK_APP": "wsgi.py"}
    processes = start_workers(args.workers, env)
    try:
        if not wait_until(lambda: workers_listening(redis_server.url, args.workers), 60):
            raise RuntimeError(f"workers did not start; see {WORK}/alert-worker-*.log")
        server, port = start_gunicorn(env)
        processes.append(server)
        done = run(port, args)
        wait_until(lambda: len(smtp.accepted_at) >= args.reports, args.timeout)
    finally:
        for process in processes:
            process.stop()
        smtp.stop()
        redis_server.stop()
    print_figures(args, done, smtp)


def run(port: int, args: argparse.Namespace) -> Submissions:
    """Send every report from `clients` pupils at once."""
    todo: queue.Queue[int] = queue.Queue()
    for n in range(args.reports):
        todo.put(n)
    done = Submissions()
    threads = [threading.Thread(target=pupil, args=(port, todo, done))
               for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done


def print_figures(args: argparse.Namespace, done: Submissions, smtp: TimedSmtp) -> None:
    latencies = [smtp.accepted_at[a] - sent for a, sent in done.sent_at.items()
                 if a in smtp.accepted_at]
    print(f"machine: {machine()}")
    print(f"alert latency, {args.backend}, {args.reports} immediate reports from "
          f"{args.clients} pupils at once, {args.workers} workers, SMTP with STARTTLS + login")
    print(f"  submit to alert accepted by SMTP   {summary_ms(latencies)}" if latencies
          else "  no alert arrived")
    print(f"  POST alone                         {summary_ms(done.post_times)}")
    print(f"  alerts delivered {len(latencies)}/{args.reports}, submissions refused "
          f"{done.failed}")
    if len(latencies) < args.reports or done.failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
