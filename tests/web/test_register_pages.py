"""The register as a DSL uses it: from pupils' reports to one entry per account, the counts on
the report page, the entry page, and every change made there - audited, and never leaking
another school's records."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, LookalikeFlag, OnlineAccount, PlatformReport, Report
from schoolsafe.models.base import utcnow
from schoolsafe.services.reports import urgency
from tests.factories import sign_in
from tests.unit.test_register_linking import SARA_OTHER, SARA_PAGE, case_for, entry, named

# Sara's two accounts as three pupils typed them into the real form.
PUPIL_FORMS = [
    {"place1-platform": "instagram", "place1-text": "@Slags_of_Birmingham_xx",
     "place2-platform": "instagram", "place2-text": "Brum_beef_100"},
    {"place1-platform": "", "place1-text": "instagram.com/slags_of_birmingham_xx/?igsh=abc",
     "place2-platform": "", "place2-text": "https://www.instagram.com/brum_beef_100/"},
    {"place1-platform": "instagram", "place1-text": "https://www.instagram.com/Slags_Of_Birmingham_XX",
     "place2-platform": "", "place2-text": "insta: @BRUM_BEEF_100"},
]


@pytest.fixture
def oak(make):
    return make.school("oak", name="Oak Academy")


@pytest.fixture
def dsl(client, make, oak):
    user = make.user(oak, "dsl")
    sign_in(client, user)
    return user


def page_text(response) -> str:
    return response.get_data(as_text=True)


def audited(action: str, record_id: str) -> bool:
    return db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == action, AuditEvent.record_type == "account",
        AuditEvent.record_id == record_id)) is not None


def test_sara_reported_by_three_pupils_is_two_entries_and_the_dsl_sees_the_counts(client, oak,
                                                                                  dsl):
    for places in PUPIL_FORMS:
        response = client.post("/tell/oak", data={"about": "friend",
                                                  "choices": ["bait_out_page"], **places})
        assert response.status_code == 200
    assert db.session.scalars(select(OnlineAccount.canonical_key)
                              .order_by(OnlineAccount.id)).all() == [SARA_PAGE, SARA_OTHER]
    report = db.session.scalars(select(Report).order_by(Report.id)).first()
    page = page_text(client.get(f"/staff/triage/reports/{report.public_id}"))
    assert page.count("Also named in 2 other reports and 0 other cases at this school.") == 2
    register = page_text(client.get("/staff/register/"))
    assert register.count('<td data-label="Reports">3</td>') == 2  # linked to all three reports


def test_the_register_lists_filters_and_pages_entries(client, make, oak, dsl):
    named(make, oak, ("instagram", "@brum_beef_100"), choices=("bait_out_page",))
    named(make, oak, ("tiktok", "@owen_bums_mr_crane"), choices=("fake_profile",))
    page = page_text(client.get("/staff/register/?kind=fake_profile"))
    assert "@owen_bums_mr_crane" in page and "@brum_beef_100" not in page
    page = page_text(client.get("/staff/register/?platform=instagram&sort=reports"))
    assert "@brum_beef_100" in page and "@owen_bums_mr_crane" not in page
    assert '<option value="reports" selected>' in page
    assert audited("view_list", "register")


def test_the_register_list_shows_a_page_for_any_page_or_school_typed_into_the_address(
        client, make, oak, dsl):
    named(make, oak, ("instagram", "@brum_beef_100"))
    for query in ("page=²", "page=" + "9" * 5000, "school=²", "school=" + "1" * 5000, "page=0"):
        response = client.get(f"/staff/register/?{query}")
        assert response.status_code == 200, query
    assert "@brum_beef_100" in page_text(client.get("/staff/register/?page=0&school=²"))


def test_an_entry_page_shows_links_as_inert_text_with_the_platforms_help(client, make, oak, dsl):
    named(make, oak, ("", "https://www.instagram.com/brum_beef_100/?igsh=abc"))
    account = entry(SARA_OTHER)
    page = page_text(client.get(f"/staff/register/entries/{account.public_id}"))
    typed = "https://www.instagram.com/brum_beef_100/?igsh=abc"
    assert f'<span class="inert-url">{typed}</span>' in page
    # The only outside link is the platform's help page from our platforms file, a plain link.
    assert re.findall(r'<a href="(https?://[^"]+)" rel="noreferrer noopener">', page) == [
        "https://help.instagram.com/"]
    assert re.findall(r'href="https?://', page) == ['href="https://']
    assert "don't open them on a school device" in page
    assert "How to report on Instagram" in page and "three dots at the top" in page
    assert "Report it to Instagram" in page  # the first next step
    assert audited("view", account.public_id)


def test_recording_a_platform_report_and_its_answer_through_the_page(client, make, oak, dsl):
    case = case_for(oak, named(make, oak, ("instagram", "@brum_beef_100")))
    account = entry(SARA_OTHER)
    today = utcnow().date().isoformat()
    response = client.post(f"/staff/register/entries/{account.public_id}/platform-reports",
                           data={"route": "in_app", "reported_date": today,
                                 "reported_time": "00:01", "reference": "IG-445"})
    assert response.status_code == 302
    page = page_text(client.get(response.headers["Location"]))
    assert "Report recorded." in page and "reference <span class=\"inert-url\">IG-445" in page
    assert "Ask POSH to help get it taken down" in page
    assert audited("platform_report", account.public_id)

    response = client.post(f"/staff/register/entries/{account.public_id}/platform-reports/1/answer",
                           data={"outcome": "removed", "answered_date": today,
                                 "answer": "Account disabled."})
    assert response.status_code == 302
    db.session.expire_all()
    assert entry(SARA_OTHER).status == "removed"
    chronology = page_text(client.get(f"/staff/triage/cases/{case.public_id}"))
    assert "Reported to Instagram" in chronology and "Taken down on" in chronology


def test_posh_is_due_at_once_when_a_report_or_case_naming_it_is_serious(client, make, oak,
                                                                         dsl):
    report = named(make, oak, ("instagram", "@brum_beef_100"))
    address = f"/staff/register/entries/{entry(SARA_OTHER).public_id}"
    at_once = "so there is no need to wait 48 hours"
    assert at_once not in page_text(client.get(address))
    case = case_for(oak, report)
    case.urgency_rank = urgency.rank("high")
    db.session.commit()
    assert at_once in page_text(client.get(address))
    case.urgency_rank, report.urgency_rank = urgency.rank("standard"), urgency.rank("immediate")
    db.session.commit()
    assert at_once in page_text(client.get(address))


def test_a_refused_change_comes_back_with_a_message_and_what_was_typed(client, make, oak, dsl):
    named(make, oak, ("instagram", "@brum_beef_100"))
    account = entry(SARA_OTHER)
    response = client.post(f"/staff/register/entries/{account.public_id}/platform-reports",
                           data={"route": "", "reported_date": "2025-01-10",
                                 "reference": "ticket 8812"})
    assert response.status_code == 400
    page = page_text(response)
    assert "Please choose how it was reported." in page
    assert 'value="ticket 8812"' in page and 'value="2025-01-10"' in page
    assert db.session.scalar(select(PlatformReport.id)) is None


def test_future_or_garbled_dates_are_refused(client, make, oak, dsl):
    named(make, oak, ("instagram", "@brum_beef_100"))
    account = entry(SARA_OTHER)
    tomorrow = (utcnow() + timedelta(days=2)).date().isoformat()
    for day in (tomorrow, "10/01/2025"):
        response = client.post(f"/staff/register/entries/{account.public_id}/removed",
                               data={"removed_date": day})
        assert response.status_code == 400
    assert entry(SARA_OTHER).status == "active"


def test_owens_fake_profile_back_under_a_lookalike_name_is_flagged_and_confirmed(client, make,
                                                                                 oak, dsl):
    named(make, oak, ("instagram", "@owen_bums_mr_crane"), choices=("fake_profile",))
    old = entry("instagram:owen_bums_mr_crane")
    client.post(f"/staff/register/entries/{old.public_id}/removed",
                data={"removed_date": utcnow().date().isoformat()})
    again = named(make, oak, ("instagram", "owen_bums_mr_crane_2"), choices=("fake_profile",))
    new = entry("instagram:owen_bums_mr_crane_2")

    report_page = page_text(client.get(f"/staff/triage/reports/{again.public_id}"))
    assert "May be the same as <span class=\"inert-url\">@owen_bums_mr_crane</span>, which was " \
           "taken down - it may be back." in report_page
    assert "may be the same as" in page_text(client.get("/staff/register/"))
    entry_page = page_text(client.get(f"/staff/register/entries/{new.public_id}"))
    assert "it may have come back" in entry_page or "may be it coming back" in entry_page

    response = client.post(f"/staff/register/entries/{new.public_id}/lookalikes/"
                           f"{old.public_id}/confirm")
    assert response.status_code == 302
    db.session.expire_all()
    assert entry("instagram:owen_bums_mr_crane_2").status == "resurfaced"
    assert audited("lookalike_confirm", new.public_id)
    page = page_text(client.get(f"/staff/register/entries/{new.public_id}"))
    assert "The same account under other names" in page
    assert ("Named in</dt><dd>2 reports and 0 cases at this school, counting the accounts "
            "confirmed as the same one") in page
    assert "Confirmed as the same account" in page
    # Decided once: the buttons are gone and a second decision is refused.
    assert "Yes, the same account" not in page
    response = client.post(f"/staff/register/entries/{new.public_id}/lookalikes/"
                           f"{old.public_id}/dismiss")
    assert response.status_code == 400
    assert "already decided" in page_text(response)


def test_dismissing_a_lookalike_is_remembered(client, make, oak, dsl):
    named(make, oak, ("instagram", "@slags_of_birmingham_xx"))
    named(make, oak, ("instagram", "@slags_of_birmingham_xx2"))
    old, new = entry(SARA_PAGE), entry("instagram:slags_of_birmingham_xx2")
    client.post(f"/staff/register/entries/{old.public_id}/lookalikes/{new.public_id}/dismiss")
    named(make, oak, ("instagram", "@slags_of_birmingham_xx2"))
    assert db.session.scalars(select(LookalikeFlag.state)).all() == ["dismissed"]
    assert "Possible lookalikes to check" not in page_text(client.get("/staff/register/"))


def test_kind_seen_again_and_history(client, make, oak, dsl):
    named(make, oak, ("instagram", "@brum_beef_100"), choices=("bait_out_page",))
    account = entry(SARA_OTHER)
    page = page_text(client.get(f"/staff/register/entries/{account.public_id}"))
    assert "(suggested from the reports - please check)" in page
    client.post(f"/staff/register/entries/{account.public_id}/kind", data={"kind": "fake_profile"})
    client.post(f"/staff/register/entries/{account.public_id}/removed",
                data={"removed_date": utcnow().date().isoformat()})
    client.post(f"/staff/register/entries/{account.public_id}/seen-again")
    page = page_text(client.get(f"/staff/register/entries/{account.public_id}"))
    assert "suggested from the reports" not in page
    history = page.split('id="history-heading"')[1]  # newest first
    assert history.index("Back after being taken down") < history.index("Taken down on") \
        < history.index("Marked as: Fake or impersonation profile.") < history.index("First named")
    assert audited("set_kind", account.public_id) and audited("seen_again", account.public_id)


def test_a_dsl_names_an_account_on_a_case_and_it_joins_the_register(client, make, oak, dsl):
    case = case_for(oak, named(make, oak, ("instagram", "@brum_beef_100")))
    response = client.post(f"/staff/register/cases/{case.public_id}/places",
                           data={"platform": "snapchat", "text": "snapchat.com/add/brum.gossip"})
    assert response.status_code == 302
    assert db.session.scalar(select(OnlineAccount.canonical_key)
                             .where(OnlineAccount.platform == "snapchat")) == "snapchat:brum.gossip"
    page = page_text(client.get(f"/staff/triage/cases/{case.public_id}"))
    assert "Online accounts" in page and "brum.gossip" in page and "@brum_beef_100" in page
    response = client.post(f"/staff/register/cases/{case.public_id}/places",
                           data={"platform": "snapchat", "text": "   "})
    assert response.status_code == 400
    response = client.post(f"/staff/register/cases/{case.public_id}/places",
                           data={"platform": "myspace", "text": "tom"})
    assert response.status_code == 400 and 'value="tom"' in page_text(response)


def test_other_schools_entries_are_not_found_and_other_roles_are_kept_out(client, make, oak):
    elm = make.school("elm")
    named(make, elm, ("instagram", "@brum_beef_100"))
    theirs = entry(SARA_OTHER, elm)
    sign_in(client, make.user(oak, "dsl"))
    assert client.get(f"/staff/register/entries/{theirs.public_id}").status_code == 404
    assert client.post(f"/staff/register/entries/{theirs.public_id}/removed",
                       data={"removed_date": "2025-01-10"}).status_code == 404
    assert "@brum_beef_100" not in page_text(client.get(f"/staff/register/?school={elm.id}"))
    client.post("/staff/sign-out")
    sign_in(client, make.user(oak, "staff"))
    assert client.get("/staff/register/").status_code == 403
    assert client.get(f"/staff/register/entries/{theirs.public_id}").status_code in {403, 404}
