"""Referral records: facts gathered from the case, drafts that leave out what a recipient does not
need, edits checked, and a referral frozen the moment it is queued."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from schoolsafe.extensions import db
from schoolsafe.models import Membership, OutboxMessage, Referral, TimelineEvent
from schoolsafe.services.cases import checklist as case_checklist
from schoolsafe.services.referrals import drafts as referral_drafts
from schoolsafe.services.referrals.drafts import DraftTextError, EvidenceError, NotADraftError
from schoolsafe.services.referrals.rules import InvalidAddressError
from tests.unit.test_case_checklist_stories import (
    EW,
    OWEN,
    OWEN_SECRETS,
    SARA,
    SARA_BOY,
    SARA_SECRETS,
    add_case,
    owen,
    sara,
)
from tests.unit.test_jurisdictions import pack_with_lado

POLICE, POSH = EW.recipients["police"], EW.recipients["posh"]
OTHER_SCHOOL = EW.recipients["other_school"]


@pytest.fixture
def school(make):
    return make.school(name="Kingsmead Academy")


@pytest.fixture
def dsl(make, school):
    return make.user(school, "dsl")


@pytest.fixture
def sara_case(school, dsl):
    return sara(school, dsl)


def chronology(case) -> list[str]:
    return list(db.session.scalars(select(TimelineEvent.text).where(
        TimelineEvent.case_id == case.id, TimelineEvent.kind == "referral")
        .order_by(TimelineEvent.id)))


def test_facts_come_from_the_case_its_reports_accounts_notes_and_checklist(sara_case, dsl):
    step = next(i for i in case_checklist.sync(db.session, sara_case, EW)
                if i.rule_id == "talk-to-pupil")
    case_checklist.mark(db.session, step, "done", "", dsl.id)
    facts = referral_drafts.facts_for_case(db.session, sara_case, dsl)
    assert [(p.label, p.role) for p in facts.people] == [(SARA, "harmed"), (SARA_BOY, "alleged")]
    assert [a.display for a in facts.accounts] == ["Slags_of_Birmingham_xx", "Brum_beef_100"]
    assert [r.reference for a in facts.accounts for r in a.platform_reports] == [
        "IG-77120", "IG-77121"]
    assert "asked her for a nude" in facts.narrative and "tell her dad" in facts.narrative
    assert facts.evidence_held == (f"The original is still on {SARA}'s phone.",)
    assert len(facts.actions_so_far) == 1 and "safe, private place" in facts.actions_so_far[0]
    assert (facts.started, facts.last_happened) == ("about two weeks ago", "this week")
    assert (facts.dsl_name, facts.dsl_email) == (dsl.name, dsl.email)
    assert facts.safeguarding_concern


def test_the_assigned_dsl_is_the_contact_whoever_drafts(make, school, sara_case):
    deputy = make.user(school, "dsl")
    facts = referral_drafts.facts_for_case(db.session, sara_case, deputy)
    assert facts.dsl_name != deputy.name


@pytest.mark.parametrize("story, secrets", [(sara, SARA_SECRETS), (owen, OWEN_SECRETS)])
@pytest.mark.parametrize("recipient", [POSH, OTHER_SCHOOL], ids=["posh", "other_school"])
def test_no_pupil_detail_reaches_minimised_recipients_by_default(school, dsl, story, secrets,
                                                                 recipient):
    referral = referral_drafts.create(db.session, story(school, dsl), recipient, dsl)
    sent_text = (referral.subject + referral.body).lower()
    for secret in secrets:
        assert secret.lower() not in sent_text
    assert {"people", "year_groups", "narrative"} <= set(referral.left_out)


def test_a_name_inside_a_handle_stays_and_is_warned_about(school, dsl):
    referral = referral_drafts.create(db.session, owen(school, dsl), POSH, dsl)
    assert "owen_bums_mr_crane" in referral.body
    assert OWEN.split()[0] not in referral.body.replace("owen_bums_mr_crane", "")
    assert any("contains a pupil's name" in warning for warning in referral.warnings)


def test_including_names_on_purpose_is_recorded_in_the_chronology(sara_case, dsl):
    referral = referral_drafts.create(db.session, sara_case, POSH, dsl,
                                      include=frozenset({"people"}))
    assert SARA in referral.body
    assert referral.included_on_purpose == ["people"]
    assert chronology(sara_case)[-1].startswith("Chose to include in the referral to "
                                                "Professionals Online Safety Helpline")
    referral_drafts.redraft(db.session, referral, POSH, dsl, frozenset())
    assert SARA not in referral.body
    assert chronology(sara_case)[-1].startswith("Left out again")


def test_a_police_draft_has_names_and_factors_and_no_address_yet(sara_case, dsl):
    referral = referral_drafts.create(db.session, sara_case, POLICE, dsl)
    assert SARA in referral.body and "self-harm" in referral.body
    assert referral.to_addresses == "" and referral.left_out == []
    assert any("no email address for Local police" in w for w in referral.warnings)
    assert chronology(sara_case) == ["Referral to Local police drafted."]


@pytest.fixture
def draft(sara_case, dsl):
    return referral_drafts.create(db.session, sara_case, POSH, dsl)


def test_edits_are_kept_with_line_endings_as_the_email_carries_them(draft):
    referral_drafts.save(db.session, draft, "  Referral:\n case 7 ", "Line one  \r\nLine two\r\n",
                         "a@one.example.org; b@two.example.org")
    assert (draft.subject, draft.body) == ("Referral: case 7", "Line one\nLine two\n")
    assert draft.to_addresses == "a@one.example.org, b@two.example.org"


def test_an_invalid_address_is_refused_and_nothing_changes(draft):
    body = draft.body
    with pytest.raises(InvalidAddressError, match="someone@"):
        referral_drafts.save(db.session, draft, "New subject", "New body", "ok@one.example.org, "
                             "someone@")
    db.session.refresh(draft)
    assert draft.body == body and draft.subject != "New subject"


@pytest.mark.parametrize("subject, body, message", [
    ("", "Body", "subject"), ("Subject", "  \n ", "empty"), ("S" * 301, "Body", "300"),
])
def test_a_blank_or_overlong_draft_is_refused(draft, subject, body, message):
    with pytest.raises(DraftTextError, match=message):
        referral_drafts.save(db.session, draft, subject, body, "")


def test_queueing_freezes_the_referral_and_leaves_a_posh_case_unreferred(draft, sara_case, dsl):
    referral_drafts.queue_for_sending(db.session, draft, POSH, dsl.id)
    assert (draft.state, draft.sent_by_id) == ("queued", dsl.id)
    assert draft.queued_at is not None
    # POSH helps with removal; it is not a statutory referral.
    assert sara_case.status == "open"
    assert chronology(sara_case)[-1] == (
        "Referral to Professionals Online Safety Helpline (POSH) queued to send by email to "
        f'helpline@saferinternet.org.uk. Subject: "{draft.subject}". Left out: '
        "Pupils' names or labels, and their roles in the case; Pupils' year groups; The "
        "written account of what happened, from reports and staff notes; The aggravating "
        "factors (for example self-harm or being known to be vulnerable). This is not a "
        "statutory referral, so the case stays open.")


def test_queueing_a_police_referral_marks_the_case_referred(sara_case, dsl):
    referral = referral_drafts.create(db.session, sara_case, POLICE, dsl)
    referral_drafts.save(db.session, referral, referral.subject, referral.body,
                         "cyber@police.example.org")
    referral_drafts.queue_for_sending(db.session, referral, POLICE, dsl.id)
    assert sara_case.status == "referred"
    assert chronology(sara_case)[-1].endswith(
        "This is a statutory referral: the case is now referred.")


def test_a_queued_referral_cannot_be_edited_sent_again_or_redrafted(draft, dsl):
    referral_drafts.queue_for_sending(db.session, draft, POSH, dsl.id)
    body = draft.body
    with pytest.raises(NotADraftError, match="Copy it to a new draft"):
        referral_drafts.save(db.session, draft, "Changed", "Changed", "x@one.example.org")
    with pytest.raises(NotADraftError):
        referral_drafts.queue_for_sending(db.session, draft, POSH, dsl.id)
    with pytest.raises(NotADraftError):
        referral_drafts.redraft(db.session, draft, POSH, dsl, frozenset({"people"}))
    db.session.refresh(draft)
    assert (draft.body, draft.state) == (body, "queued")


def test_a_stale_copy_of_the_draft_loses_the_race(draft, dsl):
    # Another request queued it after this one loaded it: only the database knows.
    db.session.execute(update(Referral).where(Referral.id == draft.id).values(state="queued")
                       .execution_options(synchronize_session=False))
    assert draft.state == "draft"
    with pytest.raises(NotADraftError):
        referral_drafts.queue_for_sending(db.session, draft, POSH, dsl.id)
    with pytest.raises(NotADraftError):
        referral_drafts.save(db.session, draft, "Subject", "Body", "")
    assert draft.state == "queued"


def test_a_draft_without_an_address_cannot_be_queued(sara_case, dsl):
    referral = referral_drafts.create(db.session, sara_case, POLICE, dsl)
    with pytest.raises(InvalidAddressError, match="at least one"):
        referral_drafts.queue_for_sending(db.session, referral, POLICE, dsl.id)
    assert referral.state == "draft"


def test_copying_makes_a_new_draft_and_leaves_the_sent_one_alone(draft, dsl):
    referral_drafts.queue_for_sending(db.session, draft, POSH, dsl.id)
    copied = referral_drafts.copy_to_draft(db.session, draft, POSH, dsl.id)
    assert (copied.state, copied.copied_from_id, copied.body) == ("draft", draft.id, draft.body)
    referral_drafts.save(db.session, copied, "Follow-up", "Follow-up note", "")
    db.session.refresh(draft)
    assert draft.state == "queued" and draft.body != copied.body


def test_delivery_shows_a_failed_try_with_its_error_then_sent(draft, dsl):
    referral_drafts.queue_for_sending(db.session, draft, POSH, dsl.id)
    assert referral_drafts.delivery(db.session, draft).state == "queued"
    message = OutboxMessage(purpose="referral", referral_id=draft.id, to_addresses="x@y.org",
                            subject="s", body="b", tries=1, last_error="SMTPConnectError: down")
    db.session.add(message)
    db.session.flush()
    failed = referral_drafts.delivery(db.session, draft)
    assert (failed.state, failed.error, failed.tries) == ("failed", "SMTPConnectError: down", 1)
    message.state, draft.state = "sent", "sent"
    assert referral_drafts.delivery(db.session, draft).state == "sent"


@pytest.mark.parametrize("role, can_refer, same_school, allowed", [
    ("dsl", False, True, True),
    ("staff", True, True, True),
    ("staff", False, True, False),
    ("admin", False, True, False),
    ("dsl", False, False, False),
])
def test_who_may_refer(make, school, role, can_refer, same_school, allowed):
    home = school if same_school else make.school()
    user = make.user(home, role)
    db.session.scalar(select(Membership).where(Membership.user_id == user.id)).can_refer = (
        can_refer)
    assert referral_drafts.may_refer(user, school.id) is allowed


def test_evidence_places_are_recorded_and_checked(school, dsl):
    case = add_case(school, dsl)
    referral_drafts.record_evidence(db.session, case, dsl.id, "  On the pupil's\nphone ")
    assert [e.text for e in referral_drafts.evidence_places(db.session, case)] == [
        "On the pupil's phone"]
    for bad in ("", "   ", "data:image/png;base64,iVBORw0KGgo=", "x" * 501):
        with pytest.raises(EvidenceError):
            referral_drafts.record_evidence(db.session, case, dsl.id, bad)


def test_typing_an_address_answers_the_no_address_warning_and_only_that(sara_case, dsl):
    referral = referral_drafts.create(db.session, sara_case, POLICE, dsl)
    others = [w for w in referral.warnings if "no email address" not in w]
    referral_drafts.save(db.session, referral, referral.subject, referral.body,
                         "referrals@force.example.org")
    assert referral.warnings == others and others


def test_a_draft_can_be_stored_for_a_recipient_kind_a_pack_adds(tmp_path, sara_case, dsl):
    lado = pack_with_lado(tmp_path).recipients["lado"]
    referral = referral_drafts.create(db.session, sara_case, lado, dsl)
    assert (referral.recipient_kind, referral.to_addresses) == ("lado", "lado@council.example.org")
    assert SARA in referral.body and referral.left_out == []
    assert chronology(sara_case) == [f"Referral to {lado.name} drafted."]
