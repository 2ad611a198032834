"""Tenancy: schools in trusts, trust leads who see counts only, and ids nobody can guess."""

from __future__ import annotations

import re

import pyotp
import pytest

from schoolsafe.extensions import db
from schoolsafe.models import Case, OnlineAccount, Trust, TrustLead
from schoolsafe.models.base import utcnow
from schoolsafe.services.insight import tenancy
from tests.factories import PASSWORD, sign_in


def page(response) -> str:
    return response.get_data(as_text=True)


def trust_lead(make, trust: Trust, **user_fields):
    """A member of staff of a trust school who also leads the trust, with TOTP set up."""
    school = make.school()
    school.trust_id = trust.id
    user = make.user(school, "staff")
    db.session.add(TrustLead(user_id=user.id, trust_id=trust.id))
    user.totp_secret, user.totp_confirmed_at = pyotp.random_base32(), utcnow()
    db.session.commit()
    return user


@pytest.fixture
def trust_world(make):
    """Riverside Trust with Oak and Elm; Ash is in another trust."""
    riverside, hillside = Trust(name="Riverside Trust"), Trust(name="Hillside Trust")
    db.session.add_all([riverside, hillside])
    db.session.commit()
    oak = make.school(name="Oak School", trust_id=riverside.id)
    elm = make.school(name="Elm School", trust_id=riverside.id)
    ash = make.school(name="Ash School", trust_id=hillside.id)
    make.report(oak, narrative="Jordan Blake made a page about me", reporter_name="Sam Reed")
    make.report(oak, narrative="A fake account of Priya")
    make.report(elm, friend_name="Kai Moss")
    make.report(ash, narrative="Ash pupil story")
    db.session.add(Case(school_id=oak.id, reference="C-0001", status="closed"))
    db.session.add(Case(school_id=oak.id, reference="C-0002", status="open"))
    db.session.add(OnlineAccount(school_id=elm.id, platform="instagram",
                                 canonical_key="instagram:oak_baitout", display="@oak_baitout"))
    db.session.commit()
    return {"riverside": riverside, "hillside": hillside, "oak": oak, "elm": elm, "ash": ash}


def test_trust_counts_are_per_school_and_only_for_the_trust(trust_world):
    rows = tenancy.trust_counts(db.session, [trust_world["riverside"].id], hide_below=2)
    assert rows == [
        tenancy.SchoolCounts("Elm School", reports=None, cases=0, register_entries=1),
        tenancy.SchoolCounts("Oak School", reports=2, cases=2, register_entries=0),
    ]


@pytest.mark.parametrize("count, shown", [(0, 0), (1, None), (4, None), (5, 5), (40, 40)])
def test_small_counts_are_hidden_but_zero_is_not(count, shown):
    assert tenancy.hidden_if_small(count, 5) == shown


def test_the_trust_lead_sees_counts_and_no_pupil_details(client, make, trust_world):
    lead = trust_lead(make, trust_world["riverside"])
    sign_in(client, lead)
    overview = page(client.get("/staff/insight/trust"))
    assert "Trust overview" in overview and "Riverside Trust" in overview
    assert "<td>fewer than 5</td>" in overview  # Oak's 2 reports, with the default setting
    assert "Oak School" in overview and "Elm School" in overview
    assert "Ash School" not in overview
    for detail in ("Jordan", "Sam Reed", "Priya", "Kai Moss", "oak_baitout", "C-0001"):
        assert detail not in overview


def test_leading_a_trust_opens_no_school_record(client, make, trust_world):
    lead = trust_lead(make, trust_world["riverside"])
    oak_report = make.report(trust_world["oak"]).report
    sign_in(client, lead)
    assert client.get(f"/staff/triage/reports/{oak_report.public_id}").status_code == 403
    assert client.get("/staff/triage/").status_code == 403


def test_a_trust_lead_who_is_also_a_dsl_opens_only_their_own_schools_reports(client, make,
                                                                              trust_world):
    lead = trust_lead(make, trust_world["riverside"])
    oak, elm = trust_world["oak"], trust_world["elm"]
    make.user(oak, "dsl", email=lead.email)
    own, neighbour = make.report(oak).report, make.report(elm).report
    sign_in(client, lead)
    assert client.get(f"/staff/triage/reports/{own.public_id}").status_code == 200
    assert client.get(f"/staff/triage/reports/{neighbour.public_id}").status_code == 404
    assert neighbour.public_id not in page(client.get("/staff/triage/?status=all"))


def test_a_trust_lead_must_use_two_factor(client, make, trust_world):
    lead = trust_lead(make, trust_world["riverside"])
    lead.totp_secret, lead.totp_confirmed_at = None, None
    db.session.commit()
    client.post("/staff/sign-in", data={"email": lead.email, "password": PASSWORD})
    response = client.get("/staff/insight/trust")
    assert response.headers["Location"].startswith("/staff/two-factor")
    assert "Set up two-factor sign-in" in page(client.get("/staff/two-factor"))


def test_dsls_without_a_trust_role_cannot_see_the_trust_overview(client, make, trust_world):
    sign_in(client, make.user(trust_world["oak"], "dsl"))
    assert client.get("/staff/insight/trust").status_code == 403


def test_public_ids_are_long_random_and_unrelated_to_each_other(make):
    school = make.school()
    ids = [make.report(school).report.public_id for _ in range(20)]
    assert len(set(ids)) == 20
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{16}", i) for i in ids)  # 96 random bits each
    # No shared prefix or counter: neighbours differ in most places.
    assert all(sum(a != b for a, b in zip(x, y, strict=True)) > 8
               for x, y in zip(ids, ids[1:], strict=False))
