"""An administrator sets who is alerted: tiers, filters, on call and the fallback address."""

from __future__ import annotations

import re

from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import AlertRoute, AuditEvent, OutboxMessage, Report
from tests.factories import sign_in


def text_of(response) -> str:
    """The page as a reader hears it: tags removed, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def admin_of(make, school):
    return make.user(school, "admin")


def test_a_school_with_no_dsl_still_takes_reports_and_admins_see_a_warning_until_fixed(
        client, make):
    school = make.school("oak")
    sign_in(client, admin_of(make, school))
    assert client.post("/tell/oak", data={"about": "self", "choices": ["rumours"]}
                       ).status_code == 200
    assert db.session.scalar(select(Report)) is not None
    assert db.session.scalar(select(OutboxMessage)) is None  # nobody to tell yet

    overview = text_of(client.get("/staff/admin/"))
    assert "Nobody will be alerted about new reports" in overview
    assert "Nobody has the safeguarding lead role" in overview

    response = client.post("/staff/admin/routing/fallback",
                           data={"fallback": "Safeguarding@Oak.example.org"})
    assert response.status_code == 302
    overview = text_of(client.get("/staff/admin/"))
    assert "Nobody will be alerted" not in overview
    assert "Nobody has the safeguarding lead role" in overview  # still true, still said
    assert school.fallback_email == "Safeguarding@oak.example.org"

    make.user(school, "dsl")
    assert "Alerts need fixing" not in text_of(client.get("/staff/admin/"))


def test_adding_a_deputy_on_tier_two_shows_on_the_ladder_and_is_audited(client, make):
    school = make.school("oak")
    admin = admin_of(make, school)
    lead = make.user(school, "dsl", email="lead@oak.example.org")
    deputy = make.user(school, "dsl", email="deputy@oak.example.org")
    sign_in(client, admin)

    response = client.post("/staff/admin/routing/add", data={
        "user": deputy.public_id, "tier": "2", "min_urgency": "high"})
    assert response.status_code == 302
    page = text_of(client.get("/staff/admin/routing"))
    assert f"At once: {lead.email} Not acknowledged" in page  # the DSLs not placed later
    assert f"Not acknowledged after another 15 minutes: {deputy.email}" in page
    route = db.session.scalar(select(AlertRoute))
    assert (route.user_id, route.tier, route.min_urgency) == (deputy.id, 2, "high")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "routing_added"))
    assert (event.user_id, event.record_type, event.record_id) == (
        admin.id, "alert_route", str(route.id))


def test_category_and_urgency_filters_decide_who_hears_about_a_report(client, make):
    school = make.school("oak")
    make.user(school, "dsl", email="lead@oak.example.org")
    sign_in(client, admin_of(make, school))
    client.post("/staff/admin/routing/add", data={
        "email": "images-team@oak.example.org", "tier": "1", "min_urgency": "standard",
        "categories": ["sharing_images"]})
    client.post("/staff/admin/routing/add", data={
        "email": "head@oak.example.org", "tier": "1", "min_urgency": "high"})

    client.post("/tell/oak", data={"about": "self", "choices": ["nude_shared"]})  # medium
    client.post("/tell/oak", data={"about": "self", "choices": ["rumours"]})  # standard
    client.post("/tell/oak", data={"about": "self", "choices": ["rumours"],
                                   "adult_involved": "y"})  # high
    told = [m.to_addresses for m in db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id))]
    # The standard rumours report matches no tier-1 entry, so it falls back to the DSL.
    assert told == ["images-team@oak.example.org", "lead@oak.example.org",
                    "head@oak.example.org"]


def test_bad_entries_are_refused_with_a_message_and_what_was_typed_is_kept(client, make):
    school = make.school("oak")
    make.user(school, "dsl")
    sign_in(client, admin_of(make, school))
    response = client.post("/staff/admin/routing/add", data={
        "email": "not an address", "tier": "2", "min_urgency": "immediate", "on_call": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "doesn&#39;t look like an email address" in page
    assert 'value="not an address"' in page
    assert re.search(r'<option selected value="immediate">|<option value="immediate" selected',
                     page)
    response = client.post("/staff/admin/routing/add", data={"tier": "1",
                                                             "min_urgency": "standard"})
    assert "Choose a member of staff or type an email address" in response.get_data(as_text=True)
    response = client.post("/staff/admin/routing/fallback", data={"fallback": "nope@"})
    assert response.status_code == 400
    assert 'value="nope@"' in response.get_data(as_text=True)
    assert db.session.scalar(select(AlertRoute)) is None


def test_removing_an_entry_takes_them_off_and_another_schools_entry_cannot_be_touched(
        client, make):
    oak, elm = make.school("oak"), make.school("elm")
    make.user(oak, "dsl")
    theirs = AlertRoute(school_id=elm.id, email="head@elm.example.org", tier=1)
    ours = AlertRoute(school_id=oak.id, email="head@oak.example.org", tier=1)
    db.session.add_all([theirs, ours])
    db.session.commit()
    sign_in(client, admin_of(make, oak))

    client.post(f"/staff/admin/routing/{theirs.id}/remove")
    assert db.session.get(AlertRoute, theirs.id) is not None
    assert "head@elm.example.org" not in client.get("/staff/admin/routing").get_data(
        as_text=True)
    client.post(f"/staff/admin/routing/{ours.id}/remove")
    assert db.session.scalars(select(AlertRoute.email)).all() == ["head@elm.example.org"]
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.record_id == str(ours.id))) == "routing_removed"


def test_only_administrators_reach_the_admin_pages(app, make):
    school = make.school("oak")
    for role in ("staff", "dsl"):
        browser = app.test_client()
        sign_in(browser, make.user(school, role))
        for path in ("/staff/admin/routing", "/staff/admin/hours", "/staff/admin/email"):
            assert browser.get(path).status_code == 403, (role, path)
        assert browser.post("/staff/admin/routing/add", data={
            "email": "x@oak.example.org", "tier": "1",
            "min_urgency": "standard"}).status_code == 403
    assert db.session.scalar(select(AlertRoute)) is None
