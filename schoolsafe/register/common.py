"""What the register pages share: the labels their templates show."""

from __future__ import annotations

from schoolsafe.services.accounts.canonical import PLATFORMS
from schoolsafe.services.register.queries import SORTS
from schoolsafe.vocab import (
    AccountEventKind,
    AccountKind,
    AccountStatus,
    PlatformAnswer,
    PlatformRoute,
)


def labels() -> dict[str, dict[str, str]]:
    """The words for each code, in this page's language (read when the page is made)."""
    return {"platforms": PLATFORMS, "kinds": AccountKind.labels(),
            "statuses": AccountStatus.labels(), "sorts": SORTS,
            "routes": PlatformRoute.labels(), "outcomes": PlatformAnswer.labels(),
            "event_labels": AccountEventKind.labels()}
