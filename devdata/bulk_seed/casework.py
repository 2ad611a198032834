"""Generated cases of one school: which reports feed them, their people, checklist and
chronology. Old cases are closed with an outcome; recent ones are still being worked."""

from __future__ import annotations

from datetime import datetime, timedelta

from devdata.bulk_seed import words
from devdata.bulk_seed.plan import Case, Context, Report, SchoolPlan
from schoolsafe.services.cases.checklist_rules import CaseFacts, rules_for
from schoolsafe.services.jurisdictions.packs import ChecklistRule, Jurisdiction
from schoolsafe.vocab import PersonRole

IN_A_CASE = 0.33          # reports a DSL worked as a case
JOINS_RECENT_CASE = 0.3   # of those, ones added to a case opened in the last month
CLOSED_AFTER = timedelta(days=60)
OPEN_STATUSES = ("new", "open", "open", "referred", "monitoring")
OUTCOMES = ("handled_in_school", "referred", "no_further_action")


def group_into_cases(ctx: Context, plan: SchoolPlan, reports: list[Report]) -> list[Case]:
    """Open cases from some reports and add later reports to recent open ones."""
    cases: list[Case] = []
    for report in reports:
        if ctx.rng.random() >= IN_A_CASE:
            continue
        recent = cases[-1] if cases else None
        if recent is not None and report.at - recent.opened_at < timedelta(days=30) \
                and ctx.rng.random() < JOINS_RECENT_CASE:
            recent.reports.append(report)
        else:
            cases.append(_opened(ctx, plan, report, len(cases) + 1))
        report.case = cases[-1]
    if cases:
        # The newest case grows to the long-case size, so the case page is measured full.
        cases[-1].padding = max(ctx.volumes.long_case_entries - _entries(cases[-1]), 0)
    return cases


def _opened(ctx: Context, plan: SchoolPlan, report: Report, number: int) -> Case:
    # References count on across years, as the school's case counter does.
    opened_at = report.at + timedelta(minutes=ctx.rng.randrange(10, 600))
    return Case(id=ctx.sink.new_id("case_file"), reference=f"C-{opened_at.year}-{number:04d}",
                opened_at=opened_at, opened_by=ctx.rng.choice(plan.dsls),
                assigned_to=ctx.rng.choice(plan.dsls), reports=[report])


def _entries(case: Case) -> int:
    """Chronology entries a case has without padding (see _chronology and the reports)."""
    from_reports = sum(1 + r.messages + r.escalations for r in case.reports)
    return from_reports + len(case.reports) + 3


def closed_at(ctx: Context, case: Case) -> datetime | None:
    """When the case was closed, or None while it is still being worked."""
    last = max(r.at for r in case.reports)
    if ctx.now - last < CLOSED_AFTER or case.padding:
        return None
    return min(last + timedelta(days=14 + (case.id % 40)), ctx.now)


def write_case(ctx: Context, plan: SchoolPlan, case: Case, rank_of: dict[str, int]) -> None:
    """The case row with its people, checklist and chronology."""
    rng = ctx.rng
    closed = closed_at(ctx, case)
    categories = sorted({c for r in case.reports for c in r.categories})
    factors = sorted({f for r in case.reports for f in r.factors})
    level = min((r.urgency for r in case.reports), key=rank_of.__getitem__)
    ctx.sink.add("case_file", id=case.id, public_id=case.public_id, school_id=plan.id,
                 reference=case.reference, title=_title(case), categories=categories,
                 factors=factors, urgency=level, urgency_rank=rank_of[level],
                 status="closed" if closed else rng.choice(OPEN_STATUSES),
                 posted_by_known=rng.choice((True, False, None)),
                 assigned_to_id=case.assigned_to, opened_at=case.opened_at,
                 opened_by_id=case.opened_by, closed_at=closed,
                 review_on=None if closed else (ctx.now + timedelta(days=14)).date(),
                 outcome=rng.choice(OUTCOMES) if closed else "",
                 outcome_reason="Resolved and reviewed with the pupil." if closed else "")
    for _ in range(rng.choice((1, 2, 2, 3))):
        ctx.sink.add("case_person", id=ctx.sink.new_id("case_person"), case_id=case.id,
                     label=f"Pupil {rng.choice('ABCDEFGHJK')}{rng.randrange(1, 99)}",
                     year_group=rng.choice(words.YEAR_GROUPS),
                     role=rng.choice(tuple(PersonRole.values())), date_of_birth=None)
    end = closed or ctx.now
    _checklist(ctx, case, categories, factors, level, end)
    _chronology(ctx, plan, case, closed, end)


_rules_seen: dict[tuple[str, CaseFacts], list[ChecklistRule]] = {}


def _rules(pack: Jurisdiction, facts: CaseFacts) -> list[ChecklistRule]:
    # Only a few hundred distinct sets of facts occur, so each is worked out once.
    key = (pack.code, facts)
    if key not in _rules_seen:
        _rules_seen[key] = rules_for(pack, facts)
    return _rules_seen[key]


def _title(case: Case) -> str:
    first = case.reports[0]
    return f"{', '.join(first.choices).replace('_', ' ')} - {first.at:%B %Y}"


def _checklist(ctx: Context, case: Case, categories: list[str], factors: list[str],
               level: str, end: datetime) -> None:
    choices = frozenset(c for r in case.reports for c in r.choices)
    facts = CaseFacts(frozenset(categories), frozenset(factors), level, choices, None,
                      frozenset())
    for position, rule in enumerate(_rules(ctx.pack, facts)):
        done = end < ctx.now or ctx.rng.random() < 0.5
        ctx.sink.add("checklist_item", id=ctx.sink.new_id("checklist_item"), case_id=case.id,
                     rule_id=rule.id, text=rule.text, position=position,
                     refer_now=rule.refer_now, state="done" if done else "open",
                     changed_by_id=case.assigned_to if done else None,
                     changed_at=end if done else None, created_at=case.opened_at)


def _chronology(ctx: Context, plan: SchoolPlan, case: Case, closed: datetime | None,
                end: datetime) -> None:
    def event(kind: str, text: str, at: datetime, actor: int | None = case.assigned_to):
        ctx.sink.add("timeline_event", id=ctx.sink.new_id("timeline_event"),
                     school_id=plan.id, case_id=case.id, report_id=None, account_id=None,
                     kind=kind, text=text, actor_id=actor, at=at)

    first, *later = case.reports
    event("action", f"Opened case {case.reference} from the report received "
          f"{first.at:%d %b %Y %H:%M}.", case.opened_at, case.opened_by)
    for report in later:
        event("action", f"Added the report received {report.at:%d %b %Y %H:%M} to this case.",
              report.at + timedelta(minutes=30))
    event("assign", "Assigned to the safeguarding lead.", case.opened_at)
    event("note", ctx.rng.choice(words.STAFF_NOTES), case.opened_at + timedelta(hours=2))
    event("status", "Status changed to open.", case.opened_at + timedelta(hours=3))
    span = max((end - case.opened_at).total_seconds(), 60.0)
    for n in range(case.padding):
        at = case.opened_at + timedelta(seconds=span * (n + 1) / (case.padding + 1))
        event("note", ctx.rng.choice(words.STAFF_NOTES), at)
    if closed:
        event("status", "Case closed.", closed)
