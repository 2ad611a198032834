"""The case file: a DSL prints a whole case for a child-protection transfer, and it is audited."""

from __future__ import annotations

import re
from datetime import datetime

import pyotp
import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, Referral, Trust, TrustLead
from schoolsafe.models.base import utcnow
from schoolsafe.services.cases import checklist as case_checklist
from schoolsafe.services.cases import chronology
from schoolsafe.services.cases import opening as cases
from schoolsafe.services.cases import people as case_people
from tests.factories import sign_in


@pytest.fixture
def case_world(app, make):
    """A case at Oak with a person, a note with a link, a checklist and two referrals."""
    trust = Trust(name="Riverside Trust")
    db.session.add(trust)
    db.session.commit()
    oak = make.school("oak", name="Oak School", trust_id=trust.id)
    dsl = make.user(oak, "dsl")
    report = make.report(oak, choices=("nude_shared",), narrative="It was posted on Friday",
                         reporter_name="Amara Quist").report
    case = cases.open_case(db.session, report, dsl.id)
    case_people.add_person(db.session, case, dsl.id, label="Jordan Blake", year_group="Year 10",
                           role="alleged", date_of_birth="2010-04-02")
    chronology.add_note(db.session, case, dsl.id,
                        "Spoke to Amara's carer. The page was at www.example.com/page")
    case_checklist.sync(db.session, case, app.extensions["jurisdictions"]["england-wales"],
                        dsl.id)
    db.session.add(Referral(school_id=oak.id, case_id=case.id, recipient_kind="police",
                            state="sent", subject="Referral from Oak School",
                            body="Police note about Jordan Blake, as sent.",
                            to_addresses="police@example.org", created_by_id=dsl.id,
                            sent_by_id=dsl.id, queued_at=datetime(2025, 3, 1, 9),
                            sent_at=datetime(2025, 3, 1, 9, 1)))
    db.session.add(Referral(school_id=oak.id, case_id=case.id, recipient_kind="posh",
                            state="draft", body="Half-written draft", created_by_id=dsl.id))
    db.session.commit()
    return {"oak": oak, "dsl": dsl, "case": case, "trust": trust}


def export_url(case) -> str:
    return f"/staff/triage/cases/{case.public_id}/export"


def test_the_case_file_holds_summary_people_chronology_checklist_and_sent_referrals(client,
                                                                                     case_world):
    sign_in(client, case_world["dsl"])
    case = case_world["case"]
    response = client.get(export_url(case))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Case file: case {case.reference}" in page
    assert "Jordan Blake" in page and "Year 10" in page and "02 Apr 2010" in page
    assert "Alleged to have done it" in page
    assert "It was posted on Friday" in page  # the report, in the chronology
    assert "Spoke to Amara&#39;s carer" in page
    assert '<span class="inert-url">www.example.com/page</span>' in page
    assert 'href="http://www.example.com' not in page and 'href="www.' not in page
    assert page.index("It was posted on Friday") < page.index("Spoke to Amara")  # time order
    items = case_checklist.items(db.session, case)
    assert items and all(item.text.split(".")[0][:40] in page.replace("&#39;", "'")
                         for item in items)
    assert "Police note about Jordan Blake, as sent." in page
    assert "police@example.org" in page and "Local police" in page
    assert "Half-written draft" not in page
    assert "1 draft never sent is left out." in page
    assert "Confidential: safeguarding record." in page
    assert "style=" not in page and "<script" not in page


def test_making_the_case_file_is_audited(client, case_world):
    sign_in(client, case_world["dsl"])
    client.get(export_url(case_world["case"]))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert (event.user_id, event.school_id, event.record_type, event.record_id) == (
        case_world["dsl"].id, case_world["oak"].id, "case", case_world["case"].public_id)


def test_another_schools_dsl_cannot_find_the_case(client, make, case_world):
    ash = make.school("ash")
    sign_in(client, make.user(ash, "dsl"))
    assert client.get(export_url(case_world["case"])).status_code == 404
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export")) is None


def test_a_trust_lead_of_the_schools_trust_cannot_export_it(client, make, case_world):
    office = make.school("office", trust_id=case_world["trust"].id)
    lead = make.user(office, "staff")
    db.session.add(TrustLead(user_id=lead.id, trust_id=case_world["trust"].id))
    lead.totp_secret, lead.totp_confirmed_at = pyotp.random_base32(), utcnow()
    db.session.commit()
    sign_in(client, lead)
    response = client.get(export_url(case_world["case"]))
    assert response.status_code in (403, 404)
    assert "Jordan Blake" not in response.get_data(as_text=True)


def test_the_case_page_links_to_the_case_file(client, case_world):
    sign_in(client, case_world["dsl"])
    page = client.get(f"/staff/triage/cases/{case_world['case'].public_id}").get_data(
        as_text=True)
    assert re.search(rf'href="{re.escape(export_url(case_world["case"]))}"', page)
