"""What the register pages share: the labels their templates show."""

from __future__ import annotations

from schoolsafe.models.account import ACCOUNT_KINDS, ACCOUNT_STATUSES
from schoolsafe.services.accounts.canonical import PLATFORMS
from schoolsafe.services.register import status as register_status
from schoolsafe.services.register.history import KINDS as EVENT_LABELS
from schoolsafe.services.register.queries import SORTS

LABELS = {"platforms": PLATFORMS, "kinds": ACCOUNT_KINDS, "statuses": ACCOUNT_STATUSES,
          "sorts": SORTS, "routes": register_status.ROUTES,
          "outcomes": register_status.OUTCOMES, "event_labels": EVENT_LABELS}
