"""Who hears about a report: tiers, urgency and category filters, on call, fallbacks, problems."""

from __future__ import annotations

import pytest

from schoolsafe.services.alerts.routing import (
    Route,
    Routing,
    everyone_up_to,
    first_alert,
    ladder,
    next_tier,
    problems,
    recipients,
)

LEAD, DEPUTY, HEAD, ONCALL, IMAGES = ("lead@s.org", "deputy@s.org", "head@s.org",
                                      "oncall@s.org", "images@s.org")
SCHOOL = Routing(
    routes=(
        Route(LEAD, 1),
        Route(IMAGES, 1, categories=("sharing_images",)),
        Route(DEPUTY, 2, min_urgency="high"),
        Route(ONCALL, 2, min_urgency="immediate", on_call=True),
        Route(HEAD, 3, min_urgency="immediate"),
    ),
    dsl_addresses=(LEAD, DEPUTY),
    fallback="inbox@s.org",
)


@pytest.mark.parametrize(("tier", "urgency", "categories", "expected"), [
    (1, "standard", {"sexualised_bullying"}, [LEAD]),
    (1, "medium", {"sharing_images"}, [LEAD, IMAGES]),
    (2, "medium", {"sharing_images"}, []),  # deputy asked for high and above only
    (2, "high", {"coercion"}, [DEPUTY]),
    (2, "immediate", {"coercion"}, [DEPUTY, ONCALL]),
    (3, "high", {"coercion"}, []),
    (3, "immediate", {"other"}, [HEAD]),
])
def test_each_tier_hears_only_the_reports_it_asked_for(tier, urgency, categories, expected):
    assert recipients(SCHOOL, tier, urgency, categories) == expected


@pytest.mark.parametrize(("routing", "expected"), [
    (Routing((Route(IMAGES, 1, categories=("sharing_images",)),), (LEAD, DEPUTY), "x@s.org"),
     [LEAD, DEPUTY]),
    (Routing((), (), "inbox@s.org"), ["inbox@s.org"]),
    (Routing((), (), ""), []),
])
def test_tier_one_falls_back_to_the_dsls_then_the_fallback_inbox(routing, expected):
    assert recipients(routing, 1, "standard", {"sexualised_bullying"}) == expected


def test_a_dsl_placed_on_a_later_tier_is_not_told_first():
    deputy_later = Routing((Route(DEPUTY, 2),), (LEAD, DEPUTY), "inbox@s.org")
    assert recipients(deputy_later, 1, "immediate", set()) == [LEAD]
    everyone_later = Routing((Route(LEAD, 2), Route(DEPUTY, 2)), (LEAD, DEPUTY), "inbox@s.org")
    assert recipients(everyone_later, 1, "immediate", set()) == ["inbox@s.org"]
    no_inbox = Routing((Route(LEAD, 2),), (LEAD,), "")
    assert recipients(no_inbox, 1, "immediate", set()) == [LEAD]  # better early than never


def test_later_tiers_never_fall_back():
    assert recipients(Routing((), (LEAD,), "inbox@s.org"), 2, "immediate", set()) == []


@pytest.mark.parametrize(("urgency", "open_now", "expected"), [
    ("immediate", True, [LEAD]),
    ("immediate", False, [LEAD, ONCALL]),  # out of hours: on call at once, whatever the tier
    ("high", False, [LEAD]),
    ("standard", False, [LEAD]),
])
def test_on_call_hears_about_immediate_reports_out_of_hours_only(urgency, open_now, expected):
    assert first_alert(SCHOOL, urgency, {"coercion"}, open_now) == expected


def test_each_address_is_alerted_once_even_if_listed_twice():
    routing = Routing((Route(LEAD, 1), Route(LEAD, 1, categories=("coercion",)),
                       Route(LEAD, 2, on_call=True)))
    assert first_alert(routing, "immediate", {"coercion"}, open_now=False) == [LEAD]


def test_the_ladder_skips_tiers_nobody_on_wants_and_stops_at_the_top():
    assert next_tier(SCHOOL, 1, "high", {"coercion"}) == 2
    assert next_tier(SCHOOL, 2, "high", {"coercion"}) is None
    assert next_tier(SCHOOL, 2, "immediate", {"coercion"}) == 3
    gap = Routing((Route(LEAD, 1), Route(HEAD, 4)))
    assert next_tier(gap, 1, "standard", set()) == 4


def test_a_reminder_reaches_everyone_told_so_far():
    assert everyone_up_to(SCHOOL, 3, "immediate", {"coercion"}) == [LEAD, DEPUTY, ONCALL, HEAD]


def test_the_ladder_preview_lists_each_tier_in_order():
    assert ladder(SCHOOL, "immediate") == [(1, [LEAD, IMAGES]), (2, [DEPUTY, ONCALL]),
                                           (3, [HEAD])]
    assert ladder(SCHOOL, "high") == [(1, [LEAD, IMAGES]), (2, [DEPUTY])]


def texts(routing: Routing, serious: bool) -> list[str]:
    return [p.text for p in problems(routing) if p.serious is serious]


def test_a_school_nobody_can_hear_from_is_the_first_problem():
    found = texts(Routing(()), serious=True)
    assert found[0].startswith("Nobody will be alerted about new reports.")
    assert any(t.startswith("Nobody has the safeguarding lead role.") for t in found)


def test_a_filter_that_leaves_some_reports_with_nobody_is_named():
    only_images = Routing((Route(IMAGES, 1, categories=("sharing_images",)),))
    [gap, no_dsl] = texts(only_images, serious=True)
    assert gap.startswith("Some reports would alert nobody, for example immediate reports "
                          "about exploitation, coercion and threats.")
    assert no_dsl.startswith("Nobody has the safeguarding lead role.")


def test_a_complete_list_has_no_serious_problems_and_no_notes():
    assert problems(SCHOOL) == []


def test_missing_on_call_and_second_tier_are_notes_not_alarms():
    routing = Routing((), (LEAD,), "")
    assert texts(routing, serious=True) == []
    notes = texts(routing, serious=False)
    assert [n.split(".")[0] for n in notes] == ["Nobody is on call", "Nobody is on a second tier"]
