"""DSL pages at scale: p50 and p95 time of each page, and one worker's memory afterwards.

    .venv/bin/python bench/generate.py --backend postgresql     # once: 1,000,000 reports
    .venv/bin/python bench/pages.py --backend postgresql [--requests 60]

Runs the real app under gunicorn with one worker (so every request lands in the process
whose memory is read at the end), signs in through the real sign-in and two-factor pages as
the lead DSL of the school with the most reports, and GETs each page over a keep-alive
loopback connection. Times are measured at the client, so they include the HTTP round trip
(well under a millisecond on loopback) on top of the server's own time. Every page view
writes its audit row and commits, as in real use. Beside the times it prints the CPU time the
worker spent per request, which does not depend on what else the machine is doing.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import time

import pyotp
from common import (
    add_backend_argument,
    database_url,
    machine,
    make_app,
    percentile,
    summary_ms,
)
from generate import bench_password, ensure
from sqlalchemy import func, select
from web import Browser, Gunicorn, cpu_seconds, csrf_token, resident_mb

TARGET_MS = 50.0
MEMORY_TARGET_MB = 150.0


def subjects(url: str) -> dict[str, str]:
    """The school with most reports, its lead DSL, its longest case, a register entry named
    in five reports and its busiest entry."""
    from schoolsafe.extensions import db
    from schoolsafe.models import Case, OnlineAccount, School, TimelineEvent, User
    from schoolsafe.models.report import Report

    app = make_app(url)
    with app.app_context():
        school_id = db.session.execute(
            select(Report.school_id).group_by(Report.school_id)
            .order_by(func.count().desc()).limit(1)).scalar_one()
        school = db.session.get(School, school_id)
        case_id = db.session.execute(
            select(TimelineEvent.case_id).where(TimelineEvent.school_id == school_id,
                                                TimelineEvent.case_id.is_not(None))
            .group_by(TimelineEvent.case_id).order_by(func.count().desc()).limit(1)).scalar_one()
        entry = db.session.scalars(
            select(OnlineAccount).where(OnlineAccount.school_id == school_id)
            .order_by(OnlineAccount.report_count.desc()).limit(1)).one()
        # A page several pupils reported, as most busy entries are.
        typical = db.session.scalars(
            select(OnlineAccount).where(OnlineAccount.school_id == school_id,
                                        OnlineAccount.report_count == 5).limit(1)).one()
        dsl = db.session.scalars(select(User).where(
            User.email == f"dsl1.{school.slug}@bulk.school.invalid")).one()
        found = {"school": school.slug, "reports": str(db.session.scalar(
            select(func.count()).select_from(Report).where(Report.school_id == school_id))),
            "all_reports": str(db.session.scalar(select(func.count()).select_from(Report))),
            "case": db.session.get(Case, case_id).public_id, "entry": typical.public_id,
            "busiest": entry.public_id, "busiest_reports": str(entry.report_count),
            "email": dsl.email,
            "totp": dsl.totp_secret or ""}
        db.engine.dispose()
    return found


def sign_in(browser: Browser, email: str, totp_secret: str) -> None:
    """Through the real pages: password, then the six-digit code."""
    _, page = browser.get("/staff/sign-in")
    status, _ = browser.post("/staff/sign-in", {"email": email, "password": bench_password(),
                                                "csrf_token": csrf_token(page)})
    _, page = browser.get("/staff/two-factor")
    status, _ = browser.post("/staff/two-factor", {"code": pyotp.TOTP(totp_secret).now(),
                                                   "csrf_token": csrf_token(page)})
    if status != 302:
        raise RuntimeError(f"two-factor sign-in failed with {status}")


def pages(found: dict[str, str]) -> list[tuple[str, str]]:
    """(name, path) of every page measured; the first four are the issue's targets."""
    return [
        ("queue", "/staff/triage/"),
        (f"case page ({found['case_entries']})", f"/staff/triage/cases/{found['case']}"),
        ("register list", "/staff/register/"),
        ("register entry (5 reports)", f"/staff/register/entries/{found['entry']}"),
        (f"register entry, busiest ({found['busiest_reports']} reports)",
         f"/staff/register/entries/{found['busiest']}"),
        ("queue, all reports", "/staff/triage/?status=all"),
        ("queue, all, page 100", "/staff/triage/?status=all&page=100"),
        ("queue, search", "/staff/triage/?status=all&q=exposed"),
        ("case list", "/staff/triage/cases"),
        ("register by reports", "/staff/register/?sort=reports"),
        ("insight", "/staff/insight/"),
    ]


def measure(browser: Browser, path: str, requests: int) -> list[float]:
    """Warm up, then time `requests` sequential GETs; every one must answer 200."""
    times = []
    for n in range(3 + requests):
        started = time.perf_counter()
        status, _ = browser.get(path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        if n >= 3:
            times.append(time.perf_counter() - started)
    return times


def case_entries(browser: Browser, path: str) -> str:
    """How many entries the case's chronology has, and how many its page shows."""
    _, page = browser.get(path)
    shown = page.count('<li class="entry entry-')
    paged = re.search(r"\((\d+) entries\)", page)
    return f"{paged.group(1)} entries, {shown} shown" if paged else f"{shown} entries"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_backend_argument(parser)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()

    ensure(args.backend)
    url = database_url(args.backend)
    found = subjects(url)
    env = {"SCHOOLSAFE_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
           "DATABASE_URL": url, "BASE_URL": "http://localhost", "SESSION_COOKIE_SECURE": "false",
           "SCHOOLSAFE_INSTANCE_PATH": str(os.environ.get("BENCH_DIR", "/tmp")),
           "LOG_LEVEL": "WARNING"}
    print(f"machine: {machine()}")
    print(f"DSL pages, {args.backend}: {int(found['all_reports']):,} reports in all; school "
          f"{found['school']} has {int(found['reports']):,}; {args.requests} requests per page, "
          "gunicorn 1 worker")
    with Gunicorn("wsgi:app", env, workers=1, name="pages") as server:
        browser = Browser(server.port)
        sign_in(browser, found["email"], found["totp"])
        found["case_entries"] = case_entries(browser, f"/staff/triage/cases/{found['case']}")
        slow = []
        (worker,) = server.worker_pids()
        for name, path in pages(found):
            cpu_before = cpu_seconds(worker)
            times = measure(browser, path, args.requests)
            cpu = (cpu_seconds(worker) - cpu_before) / (args.requests + 3) * 1000
            print(f"  {name:<34} {summary_ms(times)}   worker CPU {cpu:5.1f} ms", flush=True)
            if percentile(times, 0.95) * 1000 > TARGET_MS:
                slow.append(name)
        memory = resident_mb(worker)
    print(f"{args.backend}: pages over {TARGET_MS:.0f} ms at p95: {', '.join(slow) or 'none'}; "
          f"worker resident memory {memory:.0f} MB (target {MEMORY_TARGET_MB:.0f} MB); "
          f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
