"""Status of a register entry: reported, answered, taken down, back - each in its history
and in the chronology of every case that names it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import PlatformReport, TimelineEvent
from schoolsafe.models.base import utcnow
from schoolsafe.services.register import status as register_status
from schoolsafe.services.register.status import AnswerInput, PlatformReportInput, StatusError
from tests.unit.test_register_linking import SARA_OTHER, case_for, entry, named


@pytest.fixture
def setting(app, make):
    """A school, its DSL, and Brum_beef_100 named in a report that is part of a case."""
    school = make.school()
    dsl = make.user(school, "dsl")
    case = case_for(school, named(make, school, ("instagram", "@brum_beef_100")))
    return school, dsl, case, entry(SARA_OTHER)


def case_lines(case) -> list[str]:
    return db.session.scalars(select(TimelineEvent.text).where(TimelineEvent.case_id == case.id)
                              .order_by(TimelineEvent.id)).all()


def history_kinds(account) -> list[str]:
    return db.session.scalars(select(TimelineEvent.kind).where(
        TimelineEvent.account_id == account.id, TimelineEvent.case_id.is_(None))
        .order_by(TimelineEvent.id)).all()


def reported(account, dsl, route="in_app", reference="IG-445", at=None) -> PlatformReport:
    made = register_status.report_to_platform(
        db.session, account, PlatformReportInput(route, at or utcnow() - timedelta(hours=1),
                                                 reference), dsl.id)
    db.session.commit()
    return made


def test_reporting_to_the_platform_records_when_how_reference_and_who(setting):
    _school, dsl, case, account = setting
    made = reported(account, dsl)
    assert account.status == "reported"
    assert (made.reference, made.reported_by_id) == ("IG-445", dsl.id)
    # Stored in words, as referral notes quote it.
    assert made.how == "the report button in the app or on the site"
    assert register_status.route_of(made.how) == "in_app"
    assert history_kinds(account)[-1] == "account_reported"
    assert case_lines(case)[-1] == ("Instagram @brum_beef_100: Reported to Instagram (the report "
                                    "button in the app or on the site), reference IG-445.")


def test_an_escalation_to_posh_keeps_the_entry_reported(setting):
    _school, dsl, case, account = setting
    reported(account, dsl)
    reported(account, dsl, route="posh", reference="")
    assert account.status == "reported"
    assert case_lines(case)[-1].endswith(
        "Reported to Professionals Online Safety Helpline (POSH).")


@pytest.mark.parametrize(("route", "when", "reference", "field"), [
    ("", timedelta(hours=-1), "", "route"),
    ("fax", timedelta(hours=-1), "", "route"),
    ("in_app", None, "", "reported_at"),
    ("in_app", timedelta(days=1), "", "reported_at"),
    ("in_app", timedelta(hours=-1), "x" * 121, "reference"),
])
def test_a_report_missing_facts_is_refused_with_the_field_named(setting, route, when, reference,
                                                                field):
    _school, dsl, _case, account = setting
    at = utcnow() + when if when is not None else None
    with pytest.raises(StatusError) as refused:
        register_status.report_to_platform(db.session, account,
                                           PlatformReportInput(route, at, reference), dsl.id)
    assert refused.value.field == field
    assert account.status == "active"


def test_the_platform_taking_it_down_marks_the_entry_removed(setting):
    _school, dsl, case, account = setting
    made = reported(account, dsl)
    answered = utcnow() - timedelta(minutes=5)
    register_status.record_answer(db.session, account, made,
                                  AnswerInput("removed", answered, "Account disabled."), dsl.id)
    db.session.commit()
    assert (account.status, account.removed_at) == ("removed", answered)
    assert made.response == "Taken down. Account disabled."
    assert history_kinds(account)[-2:] == ["account_answer", "account_removed"]
    assert case_lines(case)[-1].startswith("Instagram @brum_beef_100: Taken down on")


def test_still_up_keeps_it_reported_and_an_answer_before_the_report_is_refused(setting):
    _school, dsl, _case, account = setting
    made = reported(account, dsl)
    with pytest.raises(StatusError) as refused:
        register_status.record_answer(db.session, account, made,
                                      AnswerInput("still_up", made.reported_at - timedelta(1)),
                                      dsl.id)
    assert refused.value.field == "answered_at"
    register_status.record_answer(db.session, account, made,
                                  AnswerInput("still_up", utcnow()), dsl.id)
    assert account.status == "reported"
    assert made.response.startswith("Still up")


def test_taken_down_once_only_and_back_up_only_after_taken_down(setting):
    _school, dsl, _case, account = setting
    with pytest.raises(StatusError):
        register_status.mark_seen_again(db.session, account, dsl.id)
    register_status.mark_removed(db.session, account, utcnow(), dsl.id)
    with pytest.raises(StatusError):
        register_status.mark_removed(db.session, account, utcnow(), dsl.id)
    register_status.mark_seen_again(db.session, account, dsl.id)
    assert account.status == "resurfaced"
    reported(account, dsl)
    assert account.status == "reported"


def test_the_dsl_sets_the_kind_and_it_stops_being_a_suggestion(setting):
    _school, dsl, case, account = setting
    assert not register_status.kind_was_set(db.session, account)
    with pytest.raises(StatusError):
        register_status.set_kind(db.session, account, "rumour_mill", dsl.id)
    assert register_status.set_kind(db.session, account, "bait_out_page", dsl.id)
    db.session.commit()
    assert account.kind == "bait_out_page"
    assert register_status.kind_was_set(db.session, account)
    assert not register_status.set_kind(db.session, account, "bait_out_page", dsl.id)
    assert case_lines(case)[-1] == "Instagram @brum_beef_100: Marked as: Bait-out page."
