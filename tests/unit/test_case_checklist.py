"""A case's checklist as stored: made once, grown as the case changes, never shrinking, and every
change named in the chronology with who and when."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import Case, ChecklistItem, TimelineEvent
from schoolsafe.services.cases import checklist as case_checklist
from schoolsafe.services.cases.checklist import ChecklistError
from tests.unit.test_case_checklist_stories import EW, add_account, add_case, add_report


def chronology(case) -> list[str]:
    return list(db.session.scalars(select(TimelineEvent.text).where(
        TimelineEvent.case_id == case.id, TimelineEvent.kind == "checklist")
        .order_by(TimelineEvent.id)))


def rule_ids(items) -> list[str]:
    return [item.rule_id for item in items]


@pytest.fixture
def school(make):
    return make.school()


@pytest.fixture
def dsl(make, school):
    return make.user(school, "dsl")


def test_a_new_case_gets_its_checklist_once_with_one_chronology_line(school, dsl):
    case = add_case(school, dsl, categories=["sharing_images"], urgency="medium")
    made = case_checklist.sync(db.session, case, EW, dsl.id)
    again = case_checklist.sync(db.session, case, EW, dsl.id)
    assert rule_ids(made) == rule_ids(again)
    assert "report-remove" in rule_ids(made)
    assert chronology(case) == [f"Containment checklist made with {len(made)} steps."]


def test_immediate_triggers_put_refer_now_at_the_top(school, dsl):
    case = add_case(school, dsl, categories=["sharing_images"], factors=["under_13"],
                    urgency="high")
    items = case_checklist.sync(db.session, case, EW, dsl.id)
    assert items[0].rule_id == "refer-now" and items[0].refer_now
    assert "refer-now step" in chronology(case)[0]


def test_a_change_adds_steps_one_by_one_and_keeps_worked_items(school, dsl):
    case = add_case(school, dsl, categories=["sexualised_bullying"], posted_by_known=True,
                    urgency="medium")
    poster = next(item for item in case_checklist.sync(db.session, case, EW, dsl.id)
                  if item.rule_id == "poster-known")
    case_checklist.mark(db.session, poster, "done", "", dsl.id)
    # The DSL learns it was not who they thought, and an adult is involved.
    case.posted_by_known, case.factors, case.urgency = False, ["adult_involved"], "high"
    items = case_checklist.sync(db.session, case, EW, dsl.id)
    ids = rule_ids(items)
    assert ids[0] == "refer-now"
    assert {"report-to-platform", "ceop", "nrm", "poster-known"} <= set(ids)
    kept = next(item for item in items if item.rule_id == "poster-known")
    assert (kept.state, kept.changed_by_id) == ("done", dsl.id)
    added = [line for line in chronology(case) if line.startswith("Checklist step added")]
    assert len(added) == 4
    assert any('"Refer now"' in line for line in added)


def test_platform_state_of_the_case_accounts_brings_in_escalation(school, dsl):
    case = add_case(school, dsl, categories=["sexualised_bullying"], urgency="medium")
    assert "posh-escalate" not in rule_ids(case_checklist.sync(db.session, case, EW))
    report = add_report(school, case, choices=["bait_out_page"])
    add_account(school, "oak_bait_page", report=report, status="reported")
    assert {"posh-escalate", "other-schools"} <= set(
        rule_ids(case_checklist.sync(db.session, case, EW)))


def test_accounts_of_other_cases_do_not_count(school, dsl):
    mine = add_case(school, dsl)
    other = add_case(school, dsl)
    add_account(school, "someone_elses_page", case=other, status="resurfaced")
    assert case_checklist.case_accounts(db.session, mine) == []
    assert "resurfaced" not in rule_ids(case_checklist.sync(db.session, mine, EW))


@pytest.fixture
def item(school, dsl):
    case = add_case(school, dsl, categories=["sharing_images"], urgency="medium")
    return next(i for i in case_checklist.sync(db.session, case, EW) if i.rule_id == "iwf")


def test_marking_done_records_who_and_when_in_the_item_and_the_chronology(item, dsl):
    at = datetime(2025, 3, 4, 10, 30)
    assert case_checklist.mark(db.session, item, "done", "", dsl.id, at)
    assert (item.state, item.changed_by_id, item.changed_at) == ("done", dsl.id, at)
    event = db.session.scalars(select(TimelineEvent).where(
        TimelineEvent.case_id == item.case_id).order_by(TimelineEvent.id.desc())).first()
    assert (event.actor_id, event.at) == (dsl.id, at)
    assert event.text.startswith("Checklist step marked done:")
    assert "Internet Watch Foundation" in event.text


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_not_applicable_needs_a_reason(item, dsl, reason):
    with pytest.raises(ChecklistError, match="why"):
        case_checklist.mark(db.session, item, "not_applicable", reason, dsl.id)
    assert (item.state, item.changed_by_id) == ("open", None)


def test_not_applicable_keeps_its_reason_and_says_it_in_the_chronology(item, dsl):
    case_checklist.mark(db.session, item, "not_applicable", "  Nothing illegal\nwas seen ",
                        dsl.id)
    assert item.reason == "Nothing illegal was seen"
    assert chronology_last(item).endswith("Reason: Nothing illegal was seen")
    # Back to "to do": the reason goes, since it no longer describes the step.
    case_checklist.mark(db.session, item, "open", "ignored", dsl.id)
    assert (item.state, item.reason) == ("open", "")


def chronology_last(item) -> str:
    return db.session.scalars(select(TimelineEvent.text).where(
        TimelineEvent.case_id == item.case_id).order_by(TimelineEvent.id.desc())).first()


def test_an_unchanged_mark_writes_nothing(item, dsl):
    case_checklist.mark(db.session, item, "done", "", dsl.id)
    before = chronology_last(item)
    count = db.session.query(TimelineEvent).count()
    assert not case_checklist.mark(db.session, item, "done", "", dsl.id)
    assert db.session.query(TimelineEvent).count() == count
    assert chronology_last(item) == before


@pytest.mark.parametrize("state", ["finished", "", "DONE"])
def test_unknown_states_are_refused(item, dsl, state):
    with pytest.raises(ChecklistError):
        case_checklist.mark(db.session, item, state, "", dsl.id)


def test_an_overlong_reason_is_refused_with_its_length(item, dsl):
    with pytest.raises(ChecklistError, match="1001"):
        case_checklist.mark(db.session, item, "not_applicable", "x" * 1001, dsl.id)


def test_an_item_id_of_another_case_is_not_found(school, dsl, item):
    other = add_case(school, dsl)
    assert case_checklist.item_for_case(db.session, other, item.id) is None
    assert db.session.get(ChecklistItem, item.id) is not None


def test_rows_name_whoever_changed_each_item(item, dsl):
    case_checklist.mark(db.session, item, "done", "", dsl.id)
    case = db.session.get(Case, item.case_id)
    rows = {row.item.rule_id: row for row in case_checklist.rows(db.session, case)}
    assert rows["iwf"].changed_by == dsl.name and rows["iwf"].state_label == "Done"
    assert rows["no-images"].changed_by == "" and rows["no-images"].state_label == "To do"


@pytest.mark.parametrize("text, expected", [
    ("Refer now: call 999 if a child is in danger.", '"Refer now".'),
    ("Set a review date for this case.", '"Set a review date for this case".'),
    ("word " * 60, None),
])
def test_headlines_are_the_first_clause_and_short(text, expected):
    found = case_checklist.headline(text)
    if expected:
        assert found == expected
    else:
        assert len(found) <= case_checklist.HEADLINE_LENGTH + 6 and found.endswith('...".')
