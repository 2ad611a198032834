"""Urgency rules from DESIGN section 6, one row per rule, then combinations."""

import pytest

from schoolsafe.services.reports.urgency import (
    FACTORS,
    assess,
    immediate_referral_triggers,
    rank,
)
from schoolsafe.vocab import Urgency

# (what the report says: factors, categories, choices) -> the level DESIGN section 6 asks for
ONE_RULE = [
    pytest.param({"danger_now"}, set(), set(), "immediate", id="in danger now"),
    pytest.param({"self_harm"}, set(), set(), "immediate", id="thinking of self-harm"),
    pytest.param({"threats"}, set(), set(), "high", id="threats or sextortion"),
    pytest.param({"coercion"}, set(), set(), "high", id="coerced or groomed"),
    pytest.param({"adult_involved"}, set(), set(), "high", id="adult involved"),
    pytest.param({"under_13"}, set(), set(), "high", id="under 13"),
    pytest.param({"assault_recording"}, set(), set(), "high", id="recording of an assault"),
    pytest.param({"extreme_content"}, set(), set(), "high", id="extreme content"),
    pytest.param({"known_vulnerable"}, set(), set(), "high", id="known vulnerable child"),
    pytest.param({"many_children"}, set(), set(), "high", id="many children"),
    pytest.param(set(), {"coercion"}, set(), "high", id="coercion category"),
    pytest.param(set(), {"sharing_images"}, set(), "medium", id="nudes shared"),
    pytest.param(set(), set(), {"fake_profile"}, "medium", id="fake profile"),
    pytest.param(set(), set(), {"bait_out_page"}, "medium", id="bait-out page"),
    pytest.param(set(), set(), {"edited_image"}, "medium", id="edited or AI nude"),
]


@pytest.mark.parametrize(("factors", "categories", "choices", "level"), ONE_RULE)
def test_each_rule_sets_its_level_and_gives_one_reason(factors, categories, choices, level):
    result = assess(factors, categories, choices)
    assert result.level == level
    assert len(result.reasons) == 1
    assert result.reasons[0].strip()


@pytest.mark.parametrize(
    ("categories", "choices"),
    [
        pytest.param(set(), set(), id="nothing ticked"),
        pytest.param({"sexualised_bullying"}, {"rumours"}, id="rumours"),
        pytest.param({"unwanted_sexualisation"}, {"unwanted_messages"}, id="unwanted messages"),
        pytest.param({"other"}, {"something_else"}, id="something else"),
    ],
)
def test_reports_with_no_rule_are_standard_with_no_reasons(categories, choices):
    assert assess(set(), categories, choices) == assess(set(), set())
    assert assess(set(), categories, choices).level == "standard"
    assert assess(set(), categories, choices).reasons == ()


@pytest.mark.parametrize(
    ("factors", "categories", "choices", "level", "reason_count"),
    [
        pytest.param({"danger_now"}, {"sharing_images"}, {"nude_shared"}, "immediate", 2,
                     id="danger beats nudes"),
        pytest.param({"adult_involved"}, {"sexualised_bullying"}, {"fake_profile"}, "high", 2,
                     id="adult beats fake profile"),
        pytest.param({"self_harm", "threats", "under_13"}, set(), set(), "immediate", 3,
                     id="every factor listed"),
        pytest.param(set(), {"sharing_images"}, {"bait_out_page", "fake_profile"}, "medium", 3,
                     id="several medium rules"),
        pytest.param(set(), set(), {"threats"}, "high", 2,
                     id="threat choice also counts as the coercion category"),
    ],
)
def test_highest_level_wins_and_every_reason_is_listed(
    factors, categories, choices, level, reason_count
):
    result = assess(factors, categories, choices)
    assert result.level == level
    assert len(set(result.reasons)) == reason_count


def test_reasons_come_most_urgent_first():
    result = assess({"danger_now"}, set(), {"fake_profile"})
    assert result.reasons[0] == assess({"danger_now"}, set()).reasons[0]
    assert result.reasons[-1] == assess(set(), set(), {"fake_profile"}).reasons[0]


def test_a_pupil_choice_alone_is_enough_without_its_category():
    assert assess(set(), set(), {"nude_shared"}).level == "medium"


@pytest.mark.parametrize(
    ("factors", "categories", "choices"),
    [
        pytest.param({"danger"}, set(), set(), id="misspelt factor"),
        pytest.param(set(), {"nudes"}, set(), id="unknown category"),
        pytest.param(set(), set(), {"fake"}, id="unknown choice"),
    ],
)
def test_unknown_codes_are_refused_rather_than_ignored(factors, categories, choices):
    with pytest.raises(ValueError, match="unknown"):
        assess(factors, categories, choices)


def test_rank_orders_levels_most_urgent_first():
    assert [rank(level) for level in ("standard", "immediate", "medium", "high")] == [3, 0, 2, 1]
    assert sorted(Urgency.values(), key=rank) == list(Urgency.values())
    with pytest.raises(ValueError):
        rank("urgent")


# UKCIS: adult involved; coerced, blackmailed or groomed; violent acts; under 13; immediate risk.
TRIGGERS = {"danger_now", "self_harm", "threats", "coercion", "adult_involved", "under_13",
            "assault_recording", "extreme_content"}


@pytest.mark.parametrize("factor", sorted(FACTORS))
def test_immediate_referral_triggers_follow_the_ukcis_list(factor):
    assert immediate_referral_triggers({factor}) == ((factor,) if factor in TRIGGERS else ())


def test_immediate_referral_triggers_lists_all_that_are_present():
    found = immediate_referral_triggers({"many_children", "under_13", "danger_now"})
    assert sorted(found) == ["danger_now", "under_13"]


def test_every_factor_has_a_staff_label():
    assert all(label.strip() for label in FACTORS.values())
    assert all(assess({factor}, set()).level != "standard" for factor in FACTORS)
