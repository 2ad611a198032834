"""Words a DSL or an administrator reads: names spelled as they are, sentences joined as
sentences, nothing said twice."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import Case, Membership, OnlineAccount
from schoolsafe.services.register.linking import Place
from tests.factories import sign_in


@pytest.fixture
def dsl(client, make, school):
    user = make.user(school, "dsl")
    sign_in(client, user)
    return user


def text(response) -> str:
    return response.get_data(as_text=True)


def test_the_decision_not_to_refer_names_ceop_in_capitals(client, make, school, dsl):
    report = make.report(school).report
    client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    case = db.session.scalar(select(Case))
    page = text(client.get(f"/staff/triage/cases/{case.public_id}"))
    options = re.findall(r'<option value="(\w+)"[^>]*>([^<]+)</option>',
                         page.split('id="not_referred_to"')[1].split("</select>")[0])
    assert {code: html.unescape(label) for code, label in options} == {
        "police_and_social_care": "The police or children's social care",
        "police": "The police", "social_care": "Children's social care", "ceop": "CEOP"}


def test_urgency_reasons_read_as_sentences_not_joined_by_semicolons(client, make, school, dsl):
    report = make.report(school, factors=frozenset({"danger_now", "adult_involved"})).report
    page = text(client.get(f"/staff/triage/reports/{report.public_id}"))
    reasons = re.search(r'<span class="reasons">([^<]*)</span>', page).group(1)
    assert ".;" not in reasons
    assert reasons == "Someone may be in danger right now. An adult is involved."


def test_a_register_entrys_first_event_does_not_repeat_its_label(client, make, school, dsl):
    make.report(school, places=(Place("instagram", "@year10_leaks"),))
    account = db.session.scalar(select(OnlineAccount))
    page = text(client.get(f"/staff/register/entries/{account.public_id}"))
    history = page.split('id="history-heading"')[1]
    assert "First named: First named" not in history
    assert "First named</strong>: Added to the register." in history


def test_the_admin_overview_lists_each_person_once_with_all_their_roles(client, make, school):
    both = make.user(school, "dsl", email="lead@oak.example")
    db.session.add(Membership(user_id=both.id, school_id=school.id, role="admin"))
    db.session.commit()
    make.user(school, "staff", email="teacher@oak.example")
    sign_in(client, both)
    page = text(client.get("/staff/admin/"))
    assert page.count("lead@oak.example") == 1
    row = page.split("lead@oak.example")[1].split("</tr>")[0]
    assert "Safeguarding lead and Administrator" in row
    assert page.count("teacher@oak.example") == 1
