"""One-time tokens for the pupil's follow-up pages, so no copy of a used page shows anything.

Each showing of the code form or of the messages carries a new token in a hidden field. When
its form is sent the token is spent: a keyed hash of it is stored. Any later copy of the same
post - Back, Forward, the browser's "resubmit", after "leave this site quickly" or not - finds
it spent and gets a page with nothing on it, and nothing is saved. A token is signed with the
time it was made and works for LIFE; spent ones are forgotten after that, as an older token
is refused anyway.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from itsdangerous import BadSignature, TimestampSigner
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from schoolsafe.models import SpentPupilPage
from schoolsafe.models.base import utcnow

# Long enough for a pupil to leave the page open through a school day and come back to it.
LIFE = timedelta(hours=24)
_SALT = "pupil-page"


def new_token(key: str) -> str:
    """A fresh token for one showing of a page (256 random bits, signed with the time)."""
    return TimestampSigner(key, salt=_SALT).sign(secrets.token_urlsafe(32)).decode()


def spend(session: Session, token: str, key: str) -> bool:
    """Use the token up; False if it isn't one of ours, is too old, or was used before.

    The caller commits. Of two copies sent together, one is refused when the other commits.
    """
    try:
        TimestampSigner(key, salt=_SALT).unsign(token, max_age=int(LIFE.total_seconds()))
    except BadSignature:
        return False
    now = utcnow()
    session.execute(delete(SpentPupilPage).where(SpentPupilPage.spent_at < now - LIFE)
                    .execution_options(synchronize_session=False))
    digest = hmac.new(key.encode(), b"pupil-page|" + token.encode(), hashlib.sha256).hexdigest()
    try:
        with session.begin_nested():
            session.add(SpentPupilPage(token_hash=digest, spent_at=now))
    except IntegrityError:
        return False
    return True
