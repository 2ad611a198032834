"""State changes of a referral that follow from its email."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from schoolsafe.models import Referral
from schoolsafe.vocab import ReferralState


def mark_sent(session: Session, referral_id: int, sent_at: datetime | None) -> None:
    """The email carrying the referral was accepted by the mail server."""
    referral = session.get(Referral, referral_id)
    if referral is not None and referral.state != ReferralState.SENT:
        referral.state = ReferralState.SENT
        referral.sent_at = sent_at
