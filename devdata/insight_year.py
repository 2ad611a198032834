"""Made-up reports for the demo school, spread over the last year, so insight has a story to show.

Reports go through the same `submit` as a pupil's, so categories, urgency and register entries
are worked out the real way; then the dates, acknowledgements, take-downs, cases and sent
referrals are filled in as a year of a school's work would leave them. Never used in
production (the command refuses), and it adds nothing to a school that already has reports.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schoolsafe.models import OnlineAccount, PlatformReport, Referral, Report, School
from schoolsafe.services.cases import opening as cases
from schoolsafe.services.register.linking import Place
from schoolsafe.services.reports.submit import ReportInput, submit
from schoolsafe.vocab import ReportStatus

CHOICES = (("nude_shared",), ("bait_out_page", "rumours"), ("fake_profile",), ("rumours",),
           ("unwanted_messages",), ("asked_for_nudes",), ("threats", "asked_for_nudes"),
           ("edited_image",), ("photo_taken",))
PLACES = (("instagram", "@demo_year9_exposed"), ("instagram", "@demo_y9_exposed2"),
          ("snapchat", "snap: demo_gossip_100"), ("tiktok", "@demo.rates.girls"),
          ("whatsapp", "Year 10 chat"), ("discord", "discord.gg/demoLads"))
YEARS = ("Year 7", "7C", "8B", "Year 8", "9Q", "yr 9", "Year 10", "10X", "Y11", "", "", "")


class DemoError(RuntimeError):
    """The demo data can't be added here."""


def add_demo_year(session: Session, school: School, dsl_id: int, code_key: str, now: datetime,
                  *, count: int = 140, seed: int = 7) -> int:
    """Add `count` reports over the last year with their work; return how many were added."""
    if session.scalar(select(func.count()).select_from(Report)
                      .where(Report.school_id == school.id)):
        raise DemoError(f"{school.name} already has reports, so no demo reports were added.")
    rng = random.Random(seed)  # noqa: S311 - made-up data, repeatable on purpose
    reports = [_report(session, school, code_key, now, rng) for _ in range(count)]
    _register_work(session, school, now, rng)
    for report in rng.sample(reports, k=count // 8):
        _case(session, report, dsl_id, rng)
    return len(reports)


def _report(session: Session, school: School, code_key: str, now: datetime,
            rng: random.Random) -> Report:
    places = tuple(Place(*rng.choice(PLACES)) for _ in range(rng.choice((0, 1, 1, 2))))
    data = ReportInput(about=rng.choice(("self", "friend", "witnessed")),
                       choices=rng.choice(CHOICES), places=places,
                       reporter_year=rng.choice(YEARS))
    report = submit(session, school, data, code_key).report
    # More reports in term time than in August, as schools see.
    report.received_at = now - timedelta(days=rng.triangular(0, 360, 60), minutes=rng.random())
    if report.received_at.month == 8 and rng.random() < 0.7:
        report.received_at -= timedelta(days=40)
    if rng.random() < 0.92:
        wait = rng.expovariate(1 / (20 if report.urgency_rank <= 1 else 240))
        report.acknowledged_at = report.received_at + timedelta(minutes=wait)
        report.status = ReportStatus.ACKNOWLEDGED
    report.pupil_returns = rng.choice((0, 0, 0, 1, 2))
    return report


def _register_work(session: Session, school: School, now: datetime, rng: random.Random) -> None:
    session.flush()
    kinds = {"instagram": "bait_out_page", "tiktok": "fake_profile", "whatsapp": "group_chat",
             "snapchat": "sender", "discord": "group_chat"}
    for account in session.scalars(select(OnlineAccount)
                                   .where(OnlineAccount.school_id == school.id)):
        account.kind = kinds.get(account.platform, "other")
        account.first_seen = account.last_seen = now - timedelta(days=rng.randint(20, 300))
        reported = account.first_seen + timedelta(days=1)
        session.add(PlatformReport(account_id=account.id, reported_at=reported,
                                   how="In-app report", reference=f"DEMO-{account.id}"))
        account.status = rng.choice(("reported", "removed", "removed", "resurfaced"))
        if account.status != "reported":
            account.removed_at = reported + timedelta(days=rng.randint(2, 9))
        if account.status == "resurfaced":
            account.last_seen = account.removed_at + timedelta(days=rng.randint(5, 30))


def _case(session: Session, report: Report, dsl_id: int, rng: random.Random) -> None:
    if report.acknowledged_at is None:
        return
    case = cases.open_case(session, report, dsl_id, now=report.acknowledged_at)
    case.status = rng.choice(("open", "monitoring", "referred", "closed", "closed"))
    if case.status == "closed":
        case.closed_at = case.opened_at + timedelta(days=rng.randint(3, 40))
        case.outcome, case.outcome_reason = "resolved", "Demo: handled in school."
    if case.status == "referred":
        sent = case.opened_at + timedelta(hours=rng.randint(1, 48))
        session.add(Referral(school_id=case.school_id, case_id=case.id,
                             recipient_kind=rng.choice(("police", "posh", "social_care")),
                             state="sent", subject="Demo referral", body="A demo referral note.",
                             created_by_id=dsl_id, sent_by_id=dsl_id, queued_at=sent,
                             sent_at=sent))
