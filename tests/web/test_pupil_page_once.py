"""Each showing of a follow-up page can be sent once: a copy of it sent again (Back, Forward,
the browser's resubmit, a sibling on a shared laptop) shows nothing and saves nothing.

The walk through real history in Chromium is tests/browser/test_pupil_history.py; these are
the edges a browser can't easily reach: an old page, an altered token, a page from before.
"""

from __future__ import annotations

import re
import time

from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import ReportMessage, SpentPupilPage
from schoolsafe.services.reports import page_tokens

PUPIL = {"environ_base": {"REMOTE_ADDR": "192.0.2.10"}}


def code_of(client) -> str:
    page = client.post("/tell/oak", data={"about": "self", "narrative": "A page about me"},
                       **PUPIL).get_data(as_text=True)
    return re.search(r'<p class="code" id="code">([^<]+)</p>', page)[1]


def once_of(page: str) -> str:
    return re.search(r'name="once" value="([^"]+)"', page)[1]


def pupil_messages() -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(ReportMessage))


def test_a_message_page_sent_twice_saves_once_and_the_copy_shows_nothing(client, make):
    make.school("oak")
    code = code_of(client)
    form = client.get("/follow-up").get_data(as_text=True)
    thread = client.post("/follow-up", data={"code": code, "once": once_of(form)},
                         **PUPIL).get_data(as_text=True)
    message = {"code": code, "once": once_of(thread), "body": "Sent from the library"}
    assert "We have added that" in client.post("/follow-up", data=message,
                                                **PUPIL).get_data(as_text=True)

    copy = client.post("/follow-up", data=message, **PUPIL).get_data(as_text=True)
    assert "This page has closed" in copy
    assert "Sent from the library" not in copy and code not in copy
    assert "Your messages" not in copy
    assert pupil_messages() == 1
    # The code form it came from, sent again, shows nothing either.
    again = client.post("/follow-up", data={"code": code, "once": once_of(form)},
                        **PUPIL).get_data(as_text=True)
    assert "This page has closed" in again and code not in again


def test_every_showing_has_its_own_token_so_the_pupil_can_keep_going(client, make):
    make.school("oak")
    code = code_of(client)
    page = client.get("/follow-up").get_data(as_text=True)
    for number in range(3):
        page = client.post("/follow-up", data={"code": code, "once": once_of(page),
                                               "body": f"message {number}"},
                           **PUPIL).get_data(as_text=True)
        assert "We have added that" in page
    assert pupil_messages() == 3


def old_token(key: str) -> str:
    """A token as the page would have carried it a day and a minute ago."""
    made = int(time.time() - page_tokens.LIFE.total_seconds() - 60)
    signer = TimestampSigner(key, salt="pupil-page")
    signer.get_timestamp = lambda: made
    return signer.sign("an-old-page").decode()


def test_a_page_older_than_a_day_or_an_altered_token_shows_nothing(client, make, app):
    make.school("oak")
    code = code_of(client)
    fresh = once_of(client.get("/follow-up").get_data(as_text=True))
    for token in (old_token(app.config["SECRET_KEY"]), fresh[:-2] + "xx", "anything"):
        page = client.post("/follow-up", data={"code": code, "once": token,
                                               "body": "typed on an old page"},
                           **PUPIL).get_data(as_text=True)
        assert "This page has closed" in page
        assert "typed on an old page" not in page and code not in page
    assert pupil_messages() == 0


def test_only_a_keyed_hash_and_a_time_are_kept_and_not_for_longer_than_a_token_works(
        client, make, app):
    make.school("oak")
    code = code_of(client)
    once = once_of(client.get("/follow-up").get_data(as_text=True))
    client.post("/follow-up", data={"code": code, "once": once}, **PUPIL)
    db.session.remove()
    kept = db.session.scalars(select(SpentPupilPage)).all()
    assert len(kept) == 1 and once not in kept[0].token_hash and code not in kept[0].token_hash
    kept[0].spent_at -= page_tokens.LIFE
    db.session.commit()
    later = once_of(client.get("/follow-up").get_data(as_text=True))
    client.post("/follow-up", data={"code": code, "once": later}, **PUPIL)
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(SpentPupilPage)) == 1
