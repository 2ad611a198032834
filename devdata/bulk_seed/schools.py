"""Trusts, schools and their staff, and the order one school's records are generated in."""

from __future__ import annotations

import base64
import secrets

from devdata.bulk_seed import words
from devdata.bulk_seed.casework import closed_at, group_into_cases, write_case
from devdata.bulk_seed.entries import write_entries
from devdata.bulk_seed.plan import Context, SchoolPlan
from devdata.bulk_seed.pupils import Places, arrival_times, new_report
from devdata.bulk_seed.report_rows import write_report
from schoolsafe.services.reports import urgency
from schoolsafe.vocab import Urgency

SLUG_PREFIX = "bulk-"
EMAIL_DOMAIN = "bulk.school.invalid"
# Per school: the lead and two deputies, an administrator and six other staff.
DEPUTIES, OTHER_STAFF = 2, 6
AREA_PAGES_PER_SCHOOL = 3
RANKS = {level: urgency.rank(level) for level in Urgency.values()}


def slug(number: int) -> str:
    """The slug of generated school number `number` (from 1)."""
    return f"{SLUG_PREFIX}{number:03d}"


def school_sizes(ctx: Context) -> list[int]:
    """Reports per school: uneven, as schools are, and adding up to exactly the total."""
    weights = [ctx.rng.lognormvariate(0, 0.5) for _ in range(ctx.volumes.schools)]
    total = sum(weights)
    sizes = [int(ctx.volumes.reports * w / total) for w in weights]
    for n in range(ctx.volumes.reports - sum(sizes)):
        sizes[n % len(sizes)] += 1
    return sizes


def write_trusts(ctx: Context) -> list[int]:
    """One trust per few schools, each with a trust lead; returns the trust ids."""
    count = -(-ctx.volumes.schools // ctx.volumes.schools_per_trust)
    ids = []
    for n in range(1, count + 1):
        trust_id = ctx.sink.new_id("trust")
        ctx.sink.add("trust", id=trust_id, name=f"{words.TOWNS[n % len(words.TOWNS)]} "
                     f"Learning Trust {n}", contact_email=f"safeguarding.trust{n}@{EMAIL_DOMAIN}",
                     created_at=ctx.now)
        lead = _user(ctx, f"trust-lead{n}@{EMAIL_DOMAIN}", f"Trust Lead {n}", two_factor=True)
        ctx.sink.add("trust_lead", id=ctx.sink.new_id("trust_lead"), user_id=lead,
                     trust_id=trust_id)
        ids.append(trust_id)
    return ids


def _user(ctx: Context, email: str, name: str, two_factor: bool) -> int:
    user_id = ctx.sink.new_id("staff_user")
    secret = base64.b32encode(secrets.token_bytes(20)).decode() if two_factor else None
    ctx.sink.add("staff_user", id=user_id, public_id=secrets.token_urlsafe(12), email=email,
                 name=name, password_hash=ctx.password_hash, totp_secret=secret,
                 totp_confirmed_at=ctx.now if two_factor else None, created_at=ctx.now)
    return user_id


def plan_school(ctx: Context, number: int, trust_id: int, reports: int) -> SchoolPlan:
    """A school's ids and staff, written now; its reports come in write_school."""
    plan = SchoolPlan(id=ctx.sink.new_id("school"), number=number, slug=slug(number),
                      town=words.TOWNS[number % len(words.TOWNS)], trust_id=trust_id,
                      reports=reports)
    for role, count in (("dsl", 1 + DEPUTIES), ("admin", 1), ("staff", OTHER_STAFF)):
        for k in range(1, count + 1):
            user = _user(ctx, f"{role}{k}.{plan.slug}@{EMAIL_DOMAIN}",
                         f"{role.upper()} {k} of {plan.slug}", two_factor=role != "staff")
            ctx.sink.add("membership", id=ctx.sink.new_id("membership"), user_id=user,
                         school_id=plan.id, role=role, can_refer=role == "dsl")
            (plan.dsls if role == "dsl" else plan.staff).append(user)
    for tier, user in enumerate(plan.dsls[:2], start=1):
        ctx.sink.add("alert_route", id=ctx.sink.new_id("alert_route"), school_id=plan.id,
                     user_id=user, email="", tier=tier, min_urgency="standard", categories=[],
                     on_call=tier == 1)
    return plan


def write_school(ctx: Context, plan: SchoolPlan, area_pages: list[tuple[str, str]]) -> None:
    """Generate the school's reports, register and cases, then write them all."""
    places = Places(ctx, plan, area_pages)
    reports = [new_report(ctx, plan, at) for at in arrival_times(ctx, plan.reports)]
    for report in reports:
        places.name_places(report)
    cases = group_into_cases(ctx, plan, reports)
    closed = {case.id: closed_at(ctx, case) for case in cases}
    accounts = list(places.by_key.values())
    write_entries(ctx, plan, accounts, places.lookalikes)
    for case in cases:
        write_case(ctx, plan, case, RANKS)
    for report in reports:
        write_report(ctx, plan, report, closed)
    _school_row(ctx, plan, case_counter=len(cases))
    # A few of this school's pages turn up in the reports of the trust's other schools.
    for account in ctx.rng.sample(accounts, min(AREA_PAGES_PER_SCHOOL, len(accounts))):
        area_pages.append((account.platform, account.display))


def _school_row(ctx: Context, plan: SchoolPlan, case_counter: int) -> None:
    ctx.sink.add("school", id=plan.id, slug=plan.slug, name=words.school_name(plan.number),
                 code=f"B{plan.number:04d}", jurisdiction=ctx.pack.code, trust_id=plan.trust_id,
                 contact_email=f"office.{plan.slug}@{EMAIL_DOMAIN}", contact_phone="",
                 fallback_email=f"safeguarding.{plan.slug}@{EMAIL_DOMAIN}",
                 case_counter=case_counter, created_at=ctx.now)
