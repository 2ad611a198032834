"""When the next step for a register entry is due: platform report, POSH, Report Harmful Content.

POSH usually expects the school to have reported to the platform and waited about 48 hours,
unless there is a safeguarding concern, when it can be called at once. Report Harmful
Content takes a case once the platform has answered, or after about a week without one.
Only reports made since the entry last came back count, so a resurfaced page starts again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from schoolsafe.models import OnlineAccount, PlatformReport
from schoolsafe.services.register.status import ESCALATIONS, route_of
from schoolsafe.vocab import AccountStatus

POSH_WAIT = timedelta(hours=48)
RHC_WAIT = timedelta(days=7)


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


def next_steps(account: OnlineAccount, reports: list[PlatformReport], *, concern: bool,
               platform_name: str) -> list[NextStep]:
    """The steps still to take for an entry that is up, earliest due first."""
    if account.status == AccountStatus.REMOVED:
        return []
    current = [r for r in reports
               if account.removed_at is None or r.reported_at >= account.removed_at]
    to_platform = [r for r in current if route_of(r.how or "") not in ESCALATIONS]
    steps = []
    if not to_platform:
        steps.append(NextStep("platform", f"Report it to {platform_name}",
                              "It has not been reported to the platform yet.", _start(account)))
    if not _done(current, "posh"):
        steps.append(_posh(account, to_platform, concern))
    if to_platform and not _done(current, "rhc"):
        steps.append(_report_harmful_content(to_platform))
    return sorted((s for s in steps if s is not None), key=lambda s: s.due_at)


def _posh(account: OnlineAccount, to_platform: list[PlatformReport], concern: bool,
          ) -> NextStep | None:
    """POSH now with a safeguarding concern, else 48 hours after the first platform report."""
    title = "Ask POSH to help get it taken down"
    if concern:
        return NextStep("posh", title, "A report linked to it has a safeguarding concern, so "
                        "there is no need to wait 48 hours.", _start(account))
    if not to_platform:
        return None
    return NextStep("posh", title, "It is still up 48 hours after it was reported to the "
                    "platform.", to_platform[0].reported_at + POSH_WAIT)


def _report_harmful_content(to_platform: list[PlatformReport]) -> NextStep:
    """Report Harmful Content once the platform answers, or a week after the first report."""
    title = "Ask Report Harmful Content to review it (for people aged 13 and over)"
    week = to_platform[0].reported_at + RHC_WAIT
    first_answer = min((r.response_at for r in to_platform if r.response_at), default=None)
    if first_answer is not None and first_answer <= week:
        return NextStep("rhc", title, "The platform has answered and it is still up.",
                        first_answer)
    return NextStep("rhc", title, "About a week after the platform report, without an answer "
                    "that took it down.", week)


def _done(reports: list[PlatformReport], route: str) -> bool:
    return any(route_of(r.how or "") == route for r in reports)


def _start(account: OnlineAccount) -> datetime:
    """When the current stretch of the entry being up began."""
    return max(account.first_seen, account.removed_at or account.first_seen)
