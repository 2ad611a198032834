"""Rows for one school's register: entries, their blocking keys, history, platform reports
and lookalike flags, written the way the register service would have left them."""

from __future__ import annotations

from datetime import timedelta

from devdata.bulk_seed.plan import Account, Context, SchoolPlan
from schoolsafe.services.accounts.lookalike import blocking_keys

# What has happened to entries by now: most are reported, many taken down, a few came back.
REPORTED, REMOVED, RESURFACED = 0.22, 0.42, 0.44


def write_entries(ctx: Context, plan: SchoolPlan, accounts: list[Account],
                  lookalikes: list[tuple[Account, Account]]) -> None:
    """Every entry of the school with what the register keeps about it."""
    decided = [(new, old, _decision(ctx, new, old)) for new, old in lookalikes]
    for account in accounts:
        _decide_status(ctx, plan, account)
        ctx.sink.add("online_account", id=account.id, public_id=account.public_id,
                     school_id=plan.id, platform=account.platform,
                     canonical_key=account.key, display=account.display[:300],
                     url=account.url, kind=account.kind, status=account.status,
                     alias_group_id=account.alias_group_id,
                     report_count=account.report_count, first_seen=account.first_seen,
                     last_seen=account.last_seen, removed_at=account.removed_at)
        for key in blocking_keys(account.platform, account.key):
            ctx.sink.add("lookalike_key", id=ctx.sink.new_id("lookalike_key"),
                         school_id=plan.id, account_id=account.id, key=key)
        _history(ctx, plan, account, "account_created", "First named.", account.first_seen)
    for new, old, state in decided:
        _flag(ctx, plan, new, old, state)


def _decide_status(ctx: Context, plan: SchoolPlan, account: Account) -> None:
    """Report some entries to their platform, some taken down, a few seen again since."""
    draw = ctx.rng.random()
    if draw >= RESURFACED:
        return
    reported_at = min(account.first_seen + timedelta(hours=ctx.rng.randrange(2, 96)), ctx.now)
    dsl = ctx.rng.choice(plan.dsls)
    answered = draw >= REPORTED
    response_at = min(reported_at + timedelta(days=ctx.rng.randrange(1, 10)), ctx.now)
    ctx.sink.add("platform_report", id=ctx.sink.new_id("platform_report"), account_id=account.id,
                 reported_at=reported_at, how="in_app",
                 reference=f"REF-{ctx.rng.randrange(10**7, 10**8)}", reported_by_id=dsl,
                 response="Removed under our community guidelines." if answered else "",
                 response_at=response_at if answered else None, created_at=reported_at)
    _history(ctx, plan, account, "account_reported", "Reported through the app.", reported_at,
             dsl)
    account.status = "reported"
    if answered:
        account.status, account.removed_at = "removed", response_at
        _history(ctx, plan, account, "account_removed", "Taken down.", response_at, dsl)
    if draw >= REMOVED:
        account.status = "resurfaced"
        _history(ctx, plan, account, "account_resurfaced", "It was named again.",
                 account.last_seen)


def _history(ctx: Context, plan: SchoolPlan, account: Account, kind: str, text: str,
             at, actor: int | None = None) -> None:
    ctx.sink.add("timeline_event", id=ctx.sink.new_id("timeline_event"), school_id=plan.id,
                 case_id=None, report_id=None, account_id=account.id, kind=kind, text=text,
                 actor_id=actor, at=at)


def _decision(ctx: Context, new: Account, old: Account) -> str:
    """Open while recent; older flags were decided, and confirmed pairs share an alias group."""
    if ctx.now - new.first_seen < timedelta(days=30):
        return "open"
    if ctx.rng.random() < 0.5:
        return "dismissed"
    group = min(g for g in (new.alias_group_id, old.alias_group_id, new.id, old.id) if g)
    new.alias_group_id = old.alias_group_id = group
    return "confirmed"


def _flag(ctx: Context, plan: SchoolPlan, new: Account, old: Account, state: str) -> None:
    """A possible reappearance, as the lookalike check raised it, with any decision."""
    decided_at = None if state == "open" else new.first_seen + timedelta(days=1)
    ctx.sink.add("lookalike_flag", id=ctx.sink.new_id("lookalike_flag"), school_id=plan.id,
                 account_id=new.id, similar_id=old.id, score=0.85,
                 reasons=["Same name with a number added"], state=state,
                 decided_by_id=None if state == "open" else plan.dsls[0],
                 decided_at=decided_at, created_at=new.first_seen)
    _history(ctx, plan, new, "account_lookalike", f"May be the same as {old.display}.",
             new.first_seen)
