"""A school's administrator sets where its referral notes go (its police team, its MASH);
drafts start from those addresses, blank boxes fall back to the pack, every change is audited,
and the delivery page says where each referral email went."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, Membership, RecipientAddress
from tests.factories import sign_in
from tests.unit.test_case_checklist_stories import sara
from tests.web.test_referrals import POSH_ADDRESS, draft, send

POLICE = "public.protection@westmids.police.example.uk"


@pytest.fixture
def school(make):
    return make.school("oak", name="Oak Academy")


@pytest.fixture
def lead(make, school):
    """A safeguarding lead who is also the school's administrator."""
    user = make.user(school, "dsl")
    db.session.add(Membership(user_id=user.id, school_id=school.id, role="admin"))
    db.session.commit()
    return user


@pytest.fixture
def signed_in(client, lead):
    sign_in(client, lead)
    return client


def box(page: str, kind: str) -> str:
    return unescape(re.search(rf'name="address-{kind}" value="([^"]*)"', page).group(1))


def save(client, **boxes: str):
    return client.post("/staff/admin/recipients",
                       data={f"address-{kind}": text for kind, text in boxes.items()})


def audits(school) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action == "recipient_addresses_changed", AuditEvent.record_type == "school",
        AuditEvent.record_id == str(school.id))))


def test_a_police_address_set_by_the_admin_is_where_the_draft_goes(signed_in, school, lead):
    page = signed_in.get("/staff/admin/recipients").get_data(as_text=True)
    assert "Local police" in page and f"Usual address: {POSH_ADDRESS}" in page
    response = save(signed_in, police=f"  {POLICE} ")
    assert response.status_code == 302
    assert box(signed_in.get("/staff/admin/recipients").get_data(as_text=True),
               "police") == POLICE
    assert audits(school) == ["recipient_addresses_changed"]
    referral = draft(signed_in, sara(school, lead), "police")
    assert referral.to_addresses == POLICE
    assert not any("no email address" in w for w in referral.warnings)


def test_a_blank_box_goes_back_to_the_packs_address(signed_in, school, lead):
    save(signed_in, posh="posh.local@oak.example.org")
    case = sara(school, lead)
    assert draft(signed_in, case, "posh").to_addresses == "posh.local@oak.example.org"
    save(signed_in, posh="")
    assert db.session.scalar(select(RecipientAddress)) is None
    assert draft(signed_in, case, "posh").to_addresses == POSH_ADDRESS
    assert len(audits(school)) == 2


def test_a_bad_address_is_refused_keeping_what_was_typed(signed_in, school):
    response = save(signed_in, police="pps at westmids", social_care="mash@oak.example.org")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing has been saved yet" in page and "is not a valid email address" in page
    assert box(page, "police") == "pps at westmids"
    assert box(page, "social_care") == "mash@oak.example.org"
    assert db.session.scalar(select(RecipientAddress)) is None and audits(school) == []


def test_one_schools_address_is_not_another_schools(signed_in, make, school, lead):
    save(signed_in, police=POLICE)
    other = make.school("elm")
    other_lead = make.user(other, "dsl")
    signed_in.post("/staff/sign-out")
    sign_in(signed_in, other_lead)
    assert draft(signed_in, sara(other, other_lead), "police").to_addresses == ""


@pytest.mark.parametrize("role", ["dsl", "staff"])
def test_only_administrators_open_the_page(client, make, school, role):
    sign_in(client, make.user(school, role))
    assert client.get("/staff/admin/recipients").status_code == 403
    assert save(client, police=POLICE).status_code == 403


def test_the_delivery_page_shows_where_a_referral_email_went(signed_in, school, lead):
    referral = draft(signed_in, sara(school, lead), "posh")
    assert send(signed_in, referral).status_code == 302
    page = signed_in.get("/staff/admin/email").get_data(as_text=True)
    row = next(r for r in page.split("<tr") if "Referral note" in r)
    assert POSH_ADDRESS in row
