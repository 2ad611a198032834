"""The report page shows every place as the pupil typed it, and says which could not be
recognised or have a name to check (issue 21)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import OnlineAccount
from tests.factories import sign_in
from tests.unit.test_register_linking import named


@pytest.fixture
def oak(make):
    return make.school("oak", name="Oak Academy")


@pytest.fixture
def dsl(client, make, oak):
    user = make.user(oak, "dsl")
    sign_in(client, user)
    return user


def test_places_that_name_nothing_are_shown_as_typed_and_marked(client, make, oak, dsl):
    report = named(make, oak, ("", "@"), ("", "t.me/+"), ("instagram", "@brum_beef_100"))
    page = client.get(f"/staff/triage/reports/{report.public_id}").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(OnlineAccount)) == 1
    for typed in ("@", "t.me/+", "@brum_beef_100"):
        assert f'<span class="inert-url">{typed}</span>' in page
    assert page.count("Could not be recognised") == 2
    assert "it was not added to the register" in page


def test_a_name_to_check_and_a_disagreeing_choice_are_pointed_out(client, make, oak, dsl):
    report = named(make, oak, ("instagram", "sl\u0430gs_of_birmingham_xx"),
                   ("instagram", "its on tiktok @owen.exposed"))
    page = client.get(f"/staff/triage/reports/{report.public_id}").get_data(as_text=True)
    assert page.count("On the register - check the name") == 2
    assert "Instagram names only use Latin letters, digits, dots and underscores" in page
    assert "Instagram was chosen on the form, but what was typed names TikTok." in page
