"""The services behind lost codes and one-time follow-up pages, without a test client."""

from __future__ import annotations

import pytest

from schoolsafe.extensions import db
from schoolsafe.services.reports import earlier, page_tokens
from schoolsafe.services.reports.submit import ReportError, ReportInput, check

KEY = "k" * 32


def test_a_page_token_is_spent_once_and_a_copy_or_an_altered_one_is_refused(make):
    token = page_tokens.new_token(KEY)
    assert page_tokens.spend(db.session, token, KEY)
    db.session.commit()
    assert not page_tokens.spend(db.session, token, KEY)
    assert not page_tokens.spend(db.session, token + "x", KEY)
    assert not page_tokens.spend(db.session, page_tokens.new_token("another key " * 3), KEY)


def test_a_report_links_only_to_an_earlier_one_of_its_own_school(make):
    oak, elm = make.school(), make.school()
    first = make.report(oak).report
    second = make.report(oak, follows_earlier=True).report
    elsewhere = make.report(elm).report
    with pytest.raises(earlier.LinkError, match="different schools"):
        earlier.link_to_earlier(db.session, second, elsewhere)
    with pytest.raises(earlier.LinkError, match="can't follow itself"):
        earlier.link_to_earlier(db.session, second, second)
    with pytest.raises(earlier.LinkError, match="arrived before"):
        earlier.link_to_earlier(db.session, first, second)
    assert earlier.earlier_candidates(db.session, second) == [first]
    earlier.link_to_earlier(db.session, second, first)
    assert second.follows_report_id == first.id
    assert earlier.followed_by(db.session, first) == [second]


def test_what_the_pupil_remembers_is_checked_like_every_answer():
    with pytest.raises(ReportError, match="roughly when"):
        check(ReportInput(about="self", narrative="x", earlier_when="last_year"))
    with pytest.raises(ReportError, match="under 300 characters"):
        check(ReportInput(about="self", narrative="x", earlier_about="y" * 301))
