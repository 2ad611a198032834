"""Referral drafts: who gets which details, what warnings show, and which addresses pass."""

import re
import subprocess
import sys
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from schoolsafe.services.jurisdictions.packs import JURISDICTIONS_DIR, load_jurisdictions
from schoolsafe.services.jurisdictions.recipients import AgeRule, FactorRule, PlatformFirst
from schoolsafe.services.referrals.rules import (
    AccountFact,
    InvalidAddressError,
    PersonFact,
    PlatformReportFact,
    ReferralFacts,
    UnknownItemError,
    draft_referral,
    validate_addresses,
)

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
MINIMISED_KINDS = ("posh", "report_harmful_content", "other_school")
FULL_KINDS = ("police", "ceop", "social_care")
ALL_KINDS = FULL_KINDS + MINIMISED_KINDS

HARMED = "Amara Quist"
ALLEGED = "Tobias Wren"
NARRATIVE_ONLY = "went round the football team on Friday night"
# Things that identify a pupil, and so must not reach a minimised recipient by default.
SECRETS = (HARMED, ALLEGED, "Year 8", "Year 10", NARRATIVE_ONLY)


@dataclass(frozen=True)
class Recipient:
    """A referral body shaped like the jurisdiction loader's, with test defaults."""

    kind: str
    name: str = "Test recipient"
    email: str = "intake@recipient.example.org"
    phone: str = ""
    hours: str = ""
    url: str = ""
    minimised: bool = False
    asks: str = "Please help us."
    notes: tuple[str, ...] = ()
    needs_any_factor: FactorRule | None = None
    min_age: AgeRule | None = None
    after_platform: PlatformFirst | None = None


# The rules each kind follows, as England and Wales's pack gives them.
RULES = {kind: {"needs_any_factor": r.needs_any_factor, "min_age": r.min_age,
                "after_platform": r.after_platform}
         for kind, r in load_jurisdictions(JURISDICTIONS_DIR)["england-wales"].recipients.items()}


def recipient(kind: str, **changes: object) -> Recipient:
    """Build a recipient flagged as the loader would flag it, with any changes."""
    return replace(Recipient(kind, minimised=kind in MINIMISED_KINDS, **RULES[kind]), **changes)


def report(days_ago: float, response: str = "Account removed",
           reference: str = "IG-4471") -> PlatformReportFact:
    """A platform report made some days before NOW, answered a day later if it has a response."""
    made = NOW - timedelta(days=days_ago)
    return PlatformReportFact(made, "in-app report", reference, response,
                              made + timedelta(days=1) if response else None)


def account(display: str = "bait_page_oakhill",
            reports: tuple[PlatformReportFact, ...] = (report(8),)) -> AccountFact:
    """An Instagram bait-out page with the given platform reports."""
    return AccountFact("Instagram", display, f"https://www.instagram.com/{display}",
                       "bait_out_page", "reported", NOW - timedelta(days=10),
                       NOW - timedelta(days=9), reports)


BASE = ReferralFacts(
    case_reference="OAK-0042", school_name="Oakhill School", dsl_name="Jo Patel",
    dsl_email="dsl@oakhill.example.org", dsl_phone="0121 496 0000",
    categories=frozenset({"sharing_images", "sexualised_bullying"}), factors=frozenset(),
    urgency="medium", started="about two weeks ago", last_happened="last Friday",
    accounts=(account(),),
    people=(PersonFact(HARMED, "Year 8", "harmed"), PersonFact(ALLEGED, "Year 10", "alleged")),
    narrative=f"{HARMED} said the picture {NARRATIVE_ONLY}.",
    evidence_held=(f"Still on {HARMED}'s phone",),
    actions_so_far=(f"Talked with {HARMED} in a quiet room", "Reported the page to Instagram"),
    safeguarding_concern=False,
)


def facts(**changes: object) -> ReferralFacts:
    """The base case with some facts changed."""
    return replace(BASE, **changes)


def draft(kind: str, case: ReferralFacts = BASE, **options: object):
    """Draft a referral for a recipient kind at a fixed time."""
    return draft_referral(recipient(kind), case, now=NOW, **options)


def codes(omissions) -> set[str]:
    return {item.code for item in omissions}


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize("kind, minimised", [
    ("posh", True), ("report_harmful_content", True), ("other_school", True),
    # Another school never gets our pupils' names, even if its file forgets the flag.
    ("other_school", False),
])
def test_minimised_recipient_gets_no_identifying_detail_by_default(kind, minimised, secret):
    result = draft_referral(recipient(kind, minimised=minimised), BASE, now=NOW)
    assert secret.lower() not in (result.subject + result.body).lower()


@pytest.mark.parametrize("kind", MINIMISED_KINDS)
def test_minimised_draft_lists_what_it_left_out(kind):
    result = draft(kind)
    assert {"people", "year_groups", "narrative"} <= codes(result.left_out)
    assert all(item.label for item in result.left_out)
    assert result.included_on_purpose == ()


@pytest.mark.parametrize("item, shown, case", [
    ("people", HARMED, BASE),
    ("year_groups", "Year 8", BASE),
    ("narrative", NARRATIVE_ONLY, BASE),
    ("factors", "under 13", facts(factors=frozenset({"under_13"}))),
])
@pytest.mark.parametrize("kind", MINIMISED_KINDS)
def test_item_included_on_purpose_reaches_recipient_and_is_recorded(kind, item, shown, case):
    left_out = draft(kind, case)
    chosen = draft(kind, case, include=frozenset({item}))
    assert shown.lower() not in left_out.body.lower()
    assert shown.lower() in chosen.body.lower()
    assert item in codes(chosen.included_on_purpose)
    assert item not in codes(chosen.left_out)


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize("kind", FULL_KINDS)
def test_police_ceop_and_social_care_get_names_year_groups_and_account(kind, secret):
    result = draft(kind)
    assert secret in result.body
    assert result.left_out == ()


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_subject_never_names_a_pupil_even_when_names_are_included(kind):
    result = draft(kind, include=frozenset({"people", "year_groups", "narrative", "factors"}))
    assert "Oakhill School" in result.subject
    assert "OAK-0042" in result.subject
    assert not any(name.lower() in result.subject.lower() for name in (HARMED, ALLEGED))


@pytest.mark.parametrize("factor, words", [
    ("danger_now", r"danger"),
    ("self_harm", r"self-harm|suicid"),
    ("threats", r"threat|blackmail"),
    ("coercion", r"pressur|coerc|groom"),
    ("adult_involved", r"adult"),
    ("under_13", r"under 13"),
    ("assault_recording", r"assault|crime"),
    ("extreme_content", r"extreme|violent"),
    ("known_vulnerable", r"vulnerable"),
    ("many_children", r"many|large number"),
])
def test_police_note_names_each_aggravating_factor_in_plain_words(factor, words):
    everything = frozenset({factor, "danger_now", "self_harm", "threats", "coercion",
                            "adult_involved", "under_13", "assault_recording",
                            "extreme_content", "known_vulnerable", "many_children"})
    without = draft("police").body
    with_all = draft("police", facts(factors=everything)).body
    assert not re.search(words, without, re.IGNORECASE)
    assert re.search(words, with_all, re.IGNORECASE)
    assert factor not in with_all


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_platform_report_history_appears_with_dates_references_and_answers(kind):
    answered = report(8, response="We removed the page", reference="IG-4471")
    waiting = report(3, response="", reference="IG-5590")
    body = draft(kind, facts(accounts=(account(reports=(answered, waiting)),))).body
    for expected in ("bait_page_oakhill", "https://www.instagram.com/bait_page_oakhill",
                     "2 March 2025", "IG-4471", "We removed the page", "3 March 2025",
                     "7 March 2025", "IG-5590", "in-app report"):
        assert expected in body
    # The older report is listed first, whatever order the register gave them in.
    assert body.index("IG-4471") < body.index("IG-5590")


UNREPORTED = account("fake_profile_oak", reports=())


@pytest.mark.parametrize("kind, changes, pattern, fires", [
    ("police", {"factors": frozenset({"danger_now"})}, r"999", True),
    ("posh", {"factors": frozenset({"self_harm"})}, r"999", True),
    ("police", {"factors": frozenset({"threats", "under_13"})}, r"999", False),
    ("ceop", {}, r"CEOP", True),
    ("ceop", {"factors": frozenset({"under_13", "many_children"})}, r"CEOP", True),
    ("ceop", {"factors": frozenset({"adult_involved"})}, r"CEOP", False),
    ("ceop", {"factors": frozenset({"coercion"})}, r"CEOP", False),
    ("ceop", {"factors": frozenset({"threats"})}, r"CEOP", False),
    ("posh", {"accounts": (UNREPORTED,)}, r"48 hours", True),
    ("posh", {"accounts": (UNREPORTED,), "safeguarding_concern": True}, r"48 hours", True),
    ("posh", {"accounts": (account(reports=(report(1),)),)}, r"48 hours", True),
    ("posh", {"accounts": (account(reports=(report(1),)),), "safeguarding_concern": True},
     r"48 hours", False),
    ("posh", {"accounts": (account(reports=(report(3),)),)}, r"48 hours", False),
    ("posh", {"accounts": (account(), UNREPORTED)}, r"fake_profile_oak", True),
    ("posh", {"accounts": (account(),)}, r"fake_profile_oak", False),
    ("report_harmful_content", {"accounts": (UNREPORTED,)}, r"platform", True),
    ("report_harmful_content", {}, r"platform", False),
    ("report_harmful_content", {"accounts": (account(reports=(report(2, ""),)),)}, r"week",
     True),
    ("report_harmful_content", {"accounts": (account(reports=(report(9, ""),)),)}, r"week",
     False),
    ("report_harmful_content", {"factors": frozenset({"under_13"})}, r"13", True),
    ("report_harmful_content", {}, r"13", False),
    ("posh", {"evidence_held": ("Screenshot saved on the tutor's laptop",)}, r"screenshot",
     True),
    ("posh", {}, r"screenshot", False),
    ("posh", {"accounts": (account("amara_quist_exposed"),)}, r"name", True),
    ("police", {"accounts": (account("amara_quist_exposed"),)}, r"name", False),
    # Only the first name, or only the surname, is in the handle.
    ("posh", {"accounts": (account("amara_is_a_snitch"),)}, r"name", True),
    ("other_school", {"accounts": (account("rate_the_quists"),)}, r"name", True),
    ("posh", {"accounts": (account("year_ten_gossip"),)}, r"name", False),
])
def test_warning_rule(kind, changes, pattern, fires):
    warnings = "\n".join(draft(kind, facts(**changes)).warnings)
    assert bool(re.search(pattern, warnings, re.IGNORECASE)) is fires


@pytest.mark.parametrize("email, to_override, fires", [
    ("", None, True),
    ("", ("police.referrals@force.example.org",), False),
    ("helpline@saferinternet.org.uk", None, False),
])
def test_warning_when_there_is_nowhere_to_send(email, to_override, fires):
    result = draft_referral(recipient("police", email=email, phone="101"), BASE, now=NOW,
                            to_override=to_override)
    assert bool(result.to) is not fires
    assert any("101" in warning for warning in result.warnings) is fires


@pytest.mark.parametrize("notes, fires", [
    ((), False),
    (("Use the 101 online form out of hours",), True),
])
def test_recipient_notes_show_as_warnings(notes, fires):
    result = draft_referral(recipient("police", notes=notes), BASE, now=NOW)
    assert ("Use the 101 online form out of hours" in result.warnings) is fires


def test_draft_goes_to_the_recipients_address_unless_overridden():
    assert draft("posh").to == ("intake@recipient.example.org",)
    overridden = draft("posh", to_override=("a@school.example.org", "b@school.example.org"))
    assert overridden.to == ("a@school.example.org", "b@school.example.org")


@pytest.mark.parametrize("text, bad", [
    ("not-an-address", "not-an-address"),
    ("dsl@oakhill.example.org, someone@", "someone@"),
    ("dsl@oakhill.example.org; two words@example.org", "two words@example.org"),
    ("Jo Patel <dsl@oakhill.example.org>", "Jo Patel <dsl@oakhill.example.org>"),
    ("dsl@oakhill.test", "dsl@oakhill.test"),
])
def test_invalid_address_is_refused_with_a_message_naming_it(text, bad):
    with pytest.raises(InvalidAddressError) as caught:
        validate_addresses(text)
    assert bad in str(caught.value)
    good = [part for part in re.split(r"[,;]", text) if part.strip() != bad]
    assert not any(part.strip() in str(caught.value) for part in good)


@pytest.mark.parametrize("text", ["", "   ", " ,; \n "])
def test_empty_address_list_is_refused(text):
    with pytest.raises(InvalidAddressError):
        validate_addresses(text)


@pytest.mark.parametrize("text, expected", [
    ("a@one.example.org", ("a@one.example.org",)),
    ("a@one.example.org, b@two.example.org", ("a@one.example.org", "b@two.example.org")),
    ("a@one.example.org;\nb@two.example.org\n", ("a@one.example.org", "b@two.example.org")),
    ("a@one.example.org, a@one.example.org", ("a@one.example.org",)),
])
def test_valid_addresses_are_split_and_kept_in_order(text, expected):
    assert validate_addresses(text) == expected


def test_invalid_override_address_is_refused():
    with pytest.raises(InvalidAddressError, match="nobody@"):
        draft("posh", to_override=("nobody@",))


def test_unknown_item_cannot_be_included():
    with pytest.raises(UnknownItemError, match="home_address"):
        draft("posh", include=frozenset({"home_address"}))


def test_same_case_gives_the_same_draft():
    busy = facts(factors=frozenset({"threats", "under_13", "many_children", "self_harm"}),
                 accounts=(account(), UNREPORTED))
    assert draft("police", busy) == draft("police", busy)


DRAFT_SCRIPT = """
from datetime import datetime
from schoolsafe.services.referrals.rules import ReferralFacts, draft_referral
from tests.unit.test_referrals import BASE, NOW, recipient, replace
case = replace(BASE, factors=frozenset({"threats", "under_13", "many_children", "self_harm",
                                        "coercion", "adult_involved", "danger_now"}),
               categories=frozenset({"sharing_images", "coercion", "sexualised_bullying",
                                     "unwanted_sexualisation", "other"}))
d = draft_referral(recipient("police"), case, now=NOW)
print(d.body, d.warnings)
"""


def test_draft_does_not_depend_on_set_order_between_runs():
    root = Path(__file__).resolve().parents[2]
    bodies = {subprocess.run([sys.executable, "-c", DRAFT_SCRIPT], cwd=root, check=True,
                             capture_output=True, text=True,
                             env={"PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}).stdout
              for seed in ("1", "2", "3")}
    assert len(bodies) == 1


@pytest.mark.parametrize("phone, hours, url, expected", [
    ("", "", "https://www.ceop.police.uk",
     "Add one before sending, or use https://www.ceop.police.uk."),
    ("101", "any time", "https://www.police.uk",
     "Add one before sending, or phone 101 (any time) or use https://www.police.uk."),
    ("101", "", "", "Add one before sending, or phone 101."),
    ("", "", "", "Add one before sending."),
])
def test_the_no_address_warning_reads_as_one_sentence(phone, hours, url, expected):
    result = draft_referral(recipient("ceop", email="", phone=phone, hours=hours, url=url), BASE,
                            now=NOW)
    warning = next(w for w in result.warnings if "no email address" in w)
    assert warning.endswith(expected) and "or or" not in warning
