"""Next-step prompts: platform first, POSH after 48 hours (at once with a safeguarding
concern), Report Harmful Content after the platform's answer or about a week."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from types import MappingProxyType

from schoolsafe.models import OnlineAccount, PlatformReport
from schoolsafe.services.jurisdictions.packs import JURISDICTIONS_DIR, load_jurisdictions
from schoolsafe.services.register.next_steps import next_steps

PACKS = load_jurisdictions(JURISDICTIONS_DIR)
EW = PACKS["england-wales"]

SEEN = datetime(2025, 3, 3, 9, 0)
REPORTED = datetime(2025, 3, 4, 10, 0)


def account(status="active", removed_at=None) -> OnlineAccount:
    return OnlineAccount(platform="instagram", canonical_key="instagram:brum_beef_100",
                         display="@brum_beef_100", status=status, first_seen=SEEN,
                         removed_at=removed_at)


def report(how="in_app", at=REPORTED, answered=None) -> PlatformReport:
    return PlatformReport(how=how, reported_at=at, response_at=answered,
                          response="Still up." if answered else "")


def steps(entry, reports=(), concern=False, pack=EW) -> dict[str, datetime]:
    return {step.code: step.due_at for step in
            next_steps(entry, list(reports), pack, concern=concern, platform_name="Instagram")}


def test_an_entry_nobody_has_reported_needs_reporting_to_the_platform_now():
    found = next_steps(account(), [], EW, concern=False, platform_name="Instagram")
    assert [(s.code, s.title, s.due_at) for s in found] == [
        ("platform", "Report it to Instagram", SEEN)]


def test_posh_is_due_48_hours_after_the_platform_report_and_rhc_after_a_week():
    assert steps(account("reported"), [report()]) == {
        "posh": REPORTED + timedelta(hours=48),
        "report_harmful_content": REPORTED + timedelta(days=7)}


def test_posh_is_due_at_once_with_a_safeguarding_concern_even_before_a_platform_report():
    assert steps(account(), concern=True) == {"platform": SEEN, "posh": SEEN}
    assert steps(account("reported"), [report()], concern=True)["posh"] == SEEN


def test_the_platforms_answer_brings_report_harmful_content_forward():
    answered = REPORTED + timedelta(days=2)
    found = steps(account("reported"), [report(answered=answered)])
    assert found["report_harmful_content"] == answered


def test_an_answer_after_a_week_does_not_push_report_harmful_content_back():
    late = REPORTED + timedelta(days=9)
    week = REPORTED + timedelta(days=7)
    assert steps(account("reported"), [report(answered=late)])[
        "report_harmful_content"] == week


def test_escalations_already_made_are_not_prompted_again():
    made = [report(), report("posh", REPORTED + timedelta(hours=50)),
            report("Report Harmful Content", REPORTED + timedelta(days=8))]
    assert steps(account("reported"), made) == {}


def test_routes_are_read_from_our_words_a_bare_code_or_what_earlier_versions_stored():
    made = [report("the report button in the app or on the site"),
            report("POSH (Professionals Online Safety Helpline)"),
            report("rhc", REPORTED + timedelta(days=8))]
    assert steps(account("reported"), made) == {}
    made = [report("web_form"), report("Professionals Online Safety Helpline (POSH)"),
            report("report_harmful_content", REPORTED + timedelta(days=8))]
    assert steps(account("reported"), made) == {}
    assert "posh" in steps(account("reported"), [report("In-app report")])


def test_an_escalation_alone_is_not_a_report_to_the_platform():
    found = steps(account("reported"), [report("posh")])
    assert "platform" in found and "report_harmful_content" not in found


def test_a_removed_entry_has_no_next_steps():
    assert steps(account("removed", removed_at=REPORTED), [report()], concern=True) == {}


def test_a_resurfaced_entry_starts_again_without_its_old_reports():
    back = REPORTED + timedelta(days=3)
    found = steps(account("resurfaced", removed_at=back), [report(), report("posh")])
    assert found == {"platform": back}
    reported_again = report(at=back + timedelta(days=1))
    found = steps(account("reported", removed_at=back),
                  [report(), report("posh"), reported_again])
    assert found["posh"] == reported_again.reported_at + timedelta(hours=48)


def test_a_step_knows_whether_it_is_due():
    (step,) = next_steps(account(), [], EW, concern=False, platform_name="Instagram")
    assert step.is_due(SEEN) and not step.is_due(SEEN - timedelta(minutes=1))


def test_a_pack_without_posh_offers_no_posh_step():
    without_posh = replace(EW, recipients=MappingProxyType(
        {kind: r for kind, r in EW.recipients.items() if kind != "posh"}))
    assert steps(account(), concern=True, pack=without_posh) == {"platform": SEEN}
    assert steps(account("reported"), [report()], concern=True, pack=without_posh) == {
        "report_harmful_content": REPORTED + timedelta(days=7)}


def test_a_pack_without_escalations_offers_only_the_platform():
    belgium = PACKS["belgium"]
    assert steps(account(), concern=True, pack=belgium) == {"platform": SEEN}
    assert steps(account("reported"), [report()], concern=True, pack=belgium) == {}
