"""When the next step for a register entry is due: the platform first, then the escalations.

The escalations are the school's pack's recipients that expect the platform to have been told
first (in England and Wales, POSH and Report Harmful Content), each offered after the pack's
wait from the entry's first platform report, or sooner: at once with a safeguarding concern,
or when the platform answers, as the pack says. A pack without such a recipient offers none.
Only reports made since the entry last came back count, so a resurfaced page starts again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from schoolsafe.models import OnlineAccount, PlatformReport
from schoolsafe.services.jurisdictions.packs import Jurisdiction
from schoolsafe.services.jurisdictions.recipients import (
    PLATFORM_ANSWERED,
    SAFEGUARDING_CONCERN,
    Recipient,
)
from schoolsafe.services.register.status import route_of
from schoolsafe.vocab import AccountStatus


@dataclass(frozen=True)
class NextStep:
    """One prompt on a register entry, with when it is due."""

    code: str
    title: str
    why: str
    due_at: datetime

    def is_due(self, now: datetime) -> bool:
        """Whether the step should be done now."""
        return self.due_at <= now


def next_steps(account: OnlineAccount, reports: list[PlatformReport], pack: Jurisdiction, *,
               concern: bool, platform_name: str) -> list[NextStep]:
    """The steps still to take for an entry that is up, earliest due first."""
    if account.status == AccountStatus.REMOVED:
        return []
    current = [r for r in reports
               if account.removed_at is None or r.reported_at >= account.removed_at]
    to_platform = [r for r in current if not route_of(r.how or "").escalates]
    steps = []
    if not to_platform:
        steps.append(NextStep("platform", f"Report it to {platform_name}",
                              "It has not been reported to the platform yet.", _start(account)))
    for recipient in pack.recipients.values():
        if recipient.after_platform and not _done(current, recipient.kind):
            steps.append(_escalation(account, recipient, to_platform, concern))
    return sorted((s for s in steps if s is not None), key=lambda s: s.due_at)


def _escalation(account: OnlineAccount, recipient: Recipient, to_platform: list[PlatformReport],
                concern: bool) -> NextStep | None:
    """Due the pack's wait after the first platform report, or sooner as the pack says."""
    # A recipient kind and the register route that records it done share one code.
    rule, code = recipient.after_platform, recipient.kind
    if rule.sooner_if == SAFEGUARDING_CONCERN and concern:
        return NextStep(code, rule.step_title, rule.step_sooner, _start(account))
    if not to_platform:
        return None
    waited = to_platform[0].reported_at + rule.wait
    if rule.sooner_if == PLATFORM_ANSWERED:
        answered = min((r.response_at for r in to_platform if r.response_at), default=None)
        if answered is not None and answered <= waited:
            return NextStep(code, rule.step_title, rule.step_sooner, answered)
    return NextStep(code, rule.step_title, rule.step_waited, waited)


def _done(reports: list[PlatformReport], route: str) -> bool:
    return any(route_of(r.how or "") == route for r in reports)


def _start(account: OnlineAccount) -> datetime:
    """When the current stretch of the entry being up began."""
    return max(account.first_seen, account.removed_at or account.first_seen)
