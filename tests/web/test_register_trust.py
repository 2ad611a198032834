"""The register across a trust: a trust lead sees accounts and numbers from every school of
the trust, a school sees that others have the same account and who to contact - and nobody
sees another school's pupils, reports or typed text."""

from __future__ import annotations

import re

import pyotp
import pytest
from flask import g
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, Trust, TrustLead
from schoolsafe.models.base import utcnow
from tests.conftest import empty_tables, make_app
from tests.factories import PASSWORD, Factory, sign_in
from tests.unit.test_register_linking import SARA_OTHER, case_for, entry, named


@pytest.fixture
def trust(make):
    """Oak and Elm in one trust, Far in none; Brum_beef_100 is known to all three."""
    group = Trust(name="Brum Learning Trust", contact_email="safeguarding@trust.example")
    db.session.add(group)
    db.session.flush()
    oak = make.school("oak", name="Oak Academy", trust_id=group.id,
                      contact_email="dsl@oak.example")
    elm = make.school("elm", name="Elm School", trust_id=group.id)
    far = make.school("far", name="Far School")
    elm_report = named(make, elm, ("instagram", "@brum_beef_100"))
    named(make, elm, ("instagram", "https://instagram.com/brum_beef_100"))
    case_for(elm, elm_report)
    named(make, oak, ("instagram", "@brum_beef_100"), ("instagram", "@slags_of_birmingham_xx"))
    named(make, far, ("instagram", "@brum_beef_100"), ("tiktok", "@far_only_page"))
    return group, oak, elm, far


def trust_lead(make, group, school):
    """A member of staff who leads the trust, with two-factor set up."""
    user = make.user(school, "staff")
    user.totp_secret, user.totp_confirmed_at = pyotp.random_base32(), utcnow()
    db.session.add(TrustLead(user_id=user.id, trust_id=group.id))
    db.session.commit()
    return user


def test_a_school_sees_other_trust_schools_as_numbers_and_a_contact(client, make, trust):
    _group, oak, elm, _far = trust
    sign_in(client, make.user(oak, "dsl"))
    report = named(make, oak, ("instagram", "@brum_beef_100"))
    page = client.get(f"/staff/triage/reports/{report.public_id}").get_data(as_text=True)
    assert "Also known to 1 other school in your trust (2 reports)" in page
    mine = entry(SARA_OTHER, oak)
    page = client.get(f"/staff/register/entries/{mine.public_id}").get_data(as_text=True)
    other = page.split("Other schools in your trust")[1]
    assert "Elm School: 2 reports, 1 case." in other
    assert "safeguarding@trust.example" in other  # Elm has no address of its own
    assert "Far School" not in page
    # Elm's pupils' typed text never appears, only Oak's own sightings.
    assert "https://instagram.com/brum_beef_100" not in page


def test_a_trust_lead_sees_each_account_once_with_counts_across_the_trust(client, make, trust):
    group, oak, _elm, _far = trust
    sign_in(client, trust_lead(make, group, oak))
    assert client.get("/staff/register/").headers["Location"].endswith("/staff/register/trust")
    page = client.get("/staff/register/trust?sort=reports").get_data(as_text=True)
    rows = page.split("<tbody>")[1]
    assert rows.index("@brum_beef_100") < rows.index("@slags_of_birmingham_xx")
    assert "<td>2</td>\n      <td>3</td>" in rows  # two schools, three reports
    assert "@far_only_page" not in page
    shared = entry(SARA_OTHER, oak)
    page = client.get(f"/staff/register/trust/entries/{shared.public_id}").get_data(as_text=True)
    assert "Elm School" in page and "Oak Academy" in page and "Far School" not in page
    assert "dsl@oak.example" in page
    assert "https://instagram.com/brum_beef_100" not in page
    # The trust view gives no way into a school's own entry, reports or cases.
    assert client.get(f"/staff/register/entries/{shared.public_id}").status_code in {403, 404}
    assert db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "view_trust", AuditEvent.record_id == shared.public_id))


def test_the_trust_register_is_closed_to_everyone_else(client, make, trust):
    _group, oak, _elm, far = trust
    sign_in(client, make.user(oak, "dsl"))
    assert client.get("/staff/register/trust").status_code == 403
    outsider = entry(SARA_OTHER, far)
    client.post("/staff/sign-out")
    group = Trust(name="Another trust")
    db.session.add(group)
    db.session.flush()
    birch = make.school("birch", trust_id=group.id)
    sign_in(client, trust_lead(make, group, birch))
    assert client.get("/staff/register/trust").status_code == 200
    assert client.get(f"/staff/register/trust/entries/{outsider.public_id}").status_code == 404


def token_in(client, url: str) -> str:
    """The CSRF token of a page, fetched as a browser would."""
    # The requests share this test's app context, so Flask-WTF's per-request cache in `g`
    # would hand back a token of the session that sign-in has since replaced.
    g.pop("csrf_token", None)
    response = client.get(url)
    page = response.get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "the page carries a CSRF token"
    return match.group(1)


def test_register_forms_work_with_their_csrf_token_and_not_without(database_url, tmp_path):
    app = make_app(database_url, tmp_path)  # CSRF checks on, as in production
    with app.app_context():
        try:
            make = Factory(app)
            school = make.school("oak")
            dsl = make.user(school, "dsl")
            named(make, school, ("instagram", "@brum_beef_100"))
            client = app.test_client()
            signed = client.post("/staff/sign-in", data={
                "email": dsl.email, "password": PASSWORD,
                "csrf_token": token_in(client, "/staff/sign-in")})
            second = client.post("/staff/two-factor", data={
                "code": pyotp.TOTP(dsl.totp_secret).now(),
                "csrf_token": token_in(client, "/staff/two-factor")})
            assert (signed.status_code, second.status_code) == (302, 302)
            address = f"/staff/register/entries/{entry(SARA_OTHER).public_id}"
            token = token_in(client, address)
            refused = client.post(f"{address}/kind", data={"kind": "bait_out_page"})
            assert refused.status_code == 400
            assert entry(SARA_OTHER).kind == "other"
            done = client.post(f"{address}/kind", data={"kind": "bait_out_page",
                                                        "csrf_token": token})
            assert done.status_code == 302
            db.session.expire_all()
            assert entry(SARA_OTHER).kind == "bait_out_page"
        finally:
            db.session.rollback()
            empty_tables()
            db.engine.dispose()
