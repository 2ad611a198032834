"""Sara's and Owen's stories (police guidance, appendices 3 and 4) entered as cases, and the
checklist each one gets. The builders here are shared by the referral and SMTP tests."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest

from schoolsafe.extensions import db
from schoolsafe.models import (
    Case,
    CasePerson,
    OnlineAccount,
    PlatformReport,
    Report,
    School,
    Sighting,
    TimelineEvent,
    User,
)
from schoolsafe.models.base import utcnow
from schoolsafe.services.cases import checklist as case_checklist
from schoolsafe.services.jurisdictions.packs import JURISDICTIONS_DIR, load_jurisdictions

EW = load_jurisdictions(JURISDICTIONS_DIR)["england-wales"]
_numbers = itertools.count(1)

SARA, SARA_BOY = "Sara Ahmed", "Jayden Cole"
OWEN, HARRY = "Owen Pryce", "Harry Lloyd"
# What would identify the pupils in each story if it reached a minimised recipient.
SARA_SECRETS = ("Sara", "Ahmed", "Jayden", "Cole", "Year 8", "Year 9", "her own life")
OWEN_SECRETS = ("Pryce", "Harry", "Lloyd", "Year 9", "thinks he might be gay")


def add_case(school: School, dsl: User | None = None, **fields: object) -> Case:
    """A case stored the way the case pages store one."""
    n = next(_numbers)
    case = Case(school_id=school.id, reference=f"C-{n:04d}", status="open",
                assigned_to_id=dsl.id if dsl else None, opened_by_id=dsl.id if dsl else None,
                **fields)
    db.session.add(case)
    db.session.flush()
    return case


def add_report(school: School, case: Case | None, **fields: object) -> Report:
    """A pupil's report, linked to the case."""
    report = Report(school_id=school.id, about=fields.pop("about", "self"),
                    case_id=case.id if case else None, received_at=fields.pop("received_at",
                                                                            utcnow()),
                    **fields)
    db.session.add(report)
    db.session.flush()
    return report


def add_account(school: School, display: str, *, report: Report | None = None,
                case: Case | None = None, kind: str = "bait_out_page", status: str = "active",
                seen: datetime | None = None,
                platform_reports: tuple[dict, ...] = ()) -> OnlineAccount:
    """A register entry seen in a report or case, with the platform reports made about it."""
    seen = seen or utcnow()
    account = OnlineAccount(school_id=school.id, platform="instagram",
                            canonical_key=display.lower(), display=display,
                            url=f"https://www.instagram.com/{display.lower()}", kind=kind,
                            status=status, first_seen=seen, last_seen=seen)
    db.session.add(account)
    db.session.flush()
    db.session.add(Sighting(school_id=school.id, account_id=account.id,
                            report_id=report.id if report else None,
                            case_id=case.id if case else None, platform_chosen="instagram",
                            raw_text=display, seen_at=seen))
    for fields in platform_reports:
        db.session.add(PlatformReport(account_id=account.id, **fields))
    db.session.flush()
    return account


def add_event(case: Case, kind: str, text: str, user: User | None = None,
              at: datetime | None = None) -> TimelineEvent:
    """A chronology entry such as a staff note or where evidence is held."""
    event = TimelineEvent(school_id=case.school_id, case_id=case.id, kind=kind, text=text,
                          actor_id=user.id if user else None, at=at or utcnow())
    db.session.add(event)
    db.session.flush()
    return event


def sara(school: School, dsl: User) -> Case:
    """Sara, 13: a nude she was asked for is on two Instagram bait-out pages; she has thought
    of taking her own life. Nobody knows who posted it."""
    now = utcnow()
    case = add_case(school, dsl, categories=["sharing_images", "coercion"],
                    factors=["self_harm"], urgency="immediate", urgency_rank=0,
                    posted_by_known=False)
    case.people = [CasePerson(label=SARA, year_group="Year 8", role="harmed"),
                   CasePerson(label=SARA_BOY, year_group="Year 9", role="alleged")]
    report = add_report(
        school, case, choices=["nude_shared", "asked_for_nudes"], factors=["self_harm"],
        narrative=(f"{SARA} told us a boy in Year 9, {SARA_BOY}, asked her for a nude and she "
                   "sent one. Someone told her it is now on two Instagram pages. She has "
                   "thought about taking her own life."),
        started="about two weeks ago", last_happened="this week", reporter_name=SARA,
        reporter_year="Year 8", urgency="immediate", urgency_rank=0,
        received_at=now - timedelta(days=4))
    add_account(school, "Slags_of_Birmingham_xx", report=report, status="reported",
                seen=now - timedelta(days=4), platform_reports=(
                    {"reported_at": now - timedelta(days=3), "how": "Instagram in-app report",
                     "reference": "IG-77120"},))
    add_account(school, "Brum_beef_100", report=report, status="removed",
                seen=now - timedelta(days=4), platform_reports=(
                    {"reported_at": now - timedelta(days=3), "how": "Instagram in-app report",
                     "reference": "IG-77121", "response": "The account broke our rules and "
                     "has been removed.", "response_at": now - timedelta(days=2)},))
    add_event(case, "evidence", f"The original is still on {SARA}'s phone.", dsl)
    add_event(case, "note", f"{SARA} agreed we can tell her dad. Spoke to {SARA_BOY} and his "
              "friends.", dsl)
    db.session.commit()
    return case


def sara_with_checklist(school: School, dsl: User) -> Case:
    """Sara's case with its checklist made from the England and Wales pack, committed."""
    case = sara(school, dsl)
    case_checklist.sync(db.session, case, EW, dsl.id)
    db.session.commit()
    return case


def owen(school: School, dsl: User) -> Case:
    """Owen, 14: a fake profile mocks him with secretly taken, edited photos and his phone
    number; lots of pupils follow it; a second profile appears after the first is reported."""
    now = utcnow()
    case = add_case(school, dsl, categories=["sexualised_bullying", "unwanted_sexualisation"],
                    factors=["many_children"], urgency="high", urgency_rank=1,
                    posted_by_known=False)
    case.people = [CasePerson(label=OWEN, year_group="Year 9", role="harmed"),
                   CasePerson(label=HARRY, year_group="Year 9", role="bystander")]
    report = add_report(
        school, case, about="friend", choices=["fake_profile", "edited_image", "rumours"],
        narrative=(f"{HARRY} says a fake Instagram profile is making fun of {OWEN} with edited "
                   "photos and has his phone number on it. Owen thinks he might be gay and "
                   "has not told anyone."),
        started="last week", last_happened="today", reporter_name=HARRY,
        urgency="medium", urgency_rank=2, received_at=now - timedelta(days=3))
    add_account(school, "owen_bums_mr_crane", report=report, kind="fake_profile",
                status="reported", seen=now - timedelta(days=3), platform_reports=(
                    {"reported_at": now - timedelta(days=3), "how": "Instagram impersonation "
                     "form", "reference": "IG-88410", "response": "We didn't find a breach "
                     "of our guidelines.", "response_at": now - timedelta(days=2)},))
    add_account(school, "owen_bums_mr_crane_2", case=case, kind="fake_profile",
                status="resurfaced", seen=now - timedelta(hours=20), platform_reports=(
                    {"reported_at": now - timedelta(hours=18), "how": "Instagram "
                     "impersonation form", "reference": "IG-88502"},))
    add_event(case, "evidence", "The profile is still up; staff wrote down its name and link.",
              dsl)
    db.session.commit()
    return case


STORY_STEPS = [
    pytest.param(sara,
                 {"refer-now", "no-images", "record-viewing", "record-facts",
                  "check-aggravating", "talk-to-pupil", "report-to-platform", "posh-escalate",
                  "report-remove", "iwf", "ceop", "support-alleged", "support-bystanders",
                  "watch-return", "review-date"},
                 {"poster-known", "report-harmful-content", "true-vision", "resurfaced"},
                 id="Sara"),
    pytest.param(owen,
                 {"no-images", "record-viewing", "record-facts", "check-aggravating",
                  "talk-to-pupil", "report-to-platform", "posh-escalate", "resurfaced",
                  "report-harmful-content", "true-vision", "support-bystanders",
                  "other-schools", "watch-return", "review-date"},
                 {"refer-now", "ceop", "report-remove", "poster-known", "nrm"},
                 id="Owen"),
]


@pytest.mark.parametrize(("story", "present", "absent"), STORY_STEPS)
def test_each_story_gets_the_steps_the_guidance_calls_for(make, story, present, absent):
    school = make.school()
    case = story(school, make.user(school, "dsl"))
    found = [item.rule_id for item in case_checklist.sync(db.session, case, EW)]
    assert present <= set(found)
    assert not absent & set(found)
    assert (found[0] == "refer-now") is ("refer-now" in present)


def test_sara_needs_a_referral_now_and_her_checklist_says_so_first(make):
    school = make.school()
    case = sara(school, make.user(school, "dsl"))
    first = case_checklist.sync(db.session, case, EW)[0]
    assert first.refer_now and "999" in first.text
