"""Containment checklists: one row per shipped England and Wales rule, the refer-now item at the
top, and a checklist that only ever grows."""

from dataclasses import replace

import pytest

from schoolsafe.services.cases.checklist_rules import CaseFacts, rules_for, rules_to_add
from schoolsafe.services.jurisdictions.packs import JURISDICTIONS_DIR, load_jurisdictions
from schoolsafe.services.reports.urgency import FACTORS

EW = load_jurisdictions(JURISDICTIONS_DIR)["england-wales"]


def facts(categories=(), factors=(), urgency="standard", choices=(), posted_by_known=None,
          statuses=()):
    """A case with nothing known except what the row says."""
    return CaseFacts(frozenset(categories), frozenset(factors), urgency, frozenset(choices),
                     posted_by_known, frozenset(statuses))


def ids(rules):
    return [rule.id for rule in rules]


EMPTY = facts()

# rule id -> cases it must appear in, cases it must not (DESIGN section 7)
RULES = {
    "refer-now": ([facts(urgency="immediate")], [facts(urgency="high")]),
    "no-images": ([EMPTY], []),
    "record-viewing": (
        [facts(categories={"sharing_images"}), facts(categories={"coercion"}),
         facts(choices={"edited_image"})],
        [facts(categories={"sexualised_bullying"}, choices={"fake_profile"})],
    ),
    "record-facts": ([EMPTY], []),
    "check-aggravating": ([EMPTY], []),
    "talk-to-pupil": ([EMPTY], []),
    "poster-known": ([facts(posted_by_known=True)],
                     [facts(posted_by_known=False), EMPTY]),
    "report-to-platform": ([facts(posted_by_known=False)],
                           [facts(posted_by_known=True), EMPTY]),
    "posh-escalate": ([facts(statuses={"reported"})],
                      [facts(statuses={"active"}), facts(statuses={"removed"})]),
    "resurfaced": ([facts(statuses={"resurfaced", "removed"})], [facts(statuses={"removed"})]),
    "report-remove": ([facts(categories={"sharing_images"})],
                      [facts(categories={"sexualised_bullying"})]),
    "iwf": (
        [facts(categories={"sharing_images"}), facts(factors={"extreme_content"}),
         facts(factors={"assault_recording"})],
        [facts(categories={"unwanted_sexualisation"})],
    ),
    "ceop": (
        [facts(factors={"adult_involved"}), facts(factors={"coercion"}),
         facts(factors={"threats"}), facts(categories={"coercion"})],
        # CEOP does not take bullying or fake accounts.
        [facts(categories={"sexualised_bullying"}, choices={"fake_profile"})],
    ),
    "nrm": ([facts(factors={"adult_involved"}), facts(factors={"coercion"})],
            [facts(factors={"many_children"})]),
    "report-harmful-content": (
        [facts(categories={"sexualised_bullying"}), facts(categories={"unwanted_sexualisation"})],
        [facts(categories={"sharing_images"})],
    ),
    "true-vision": (
        [facts(categories={"sexualised_bullying"}), facts(categories={"unwanted_sexualisation"})],
        [facts(categories={"coercion"})],
    ),
    "support-alleged": ([EMPTY], []),
    "support-bystanders": (
        [facts(categories={"sharing_images"}), facts(categories={"sexualised_bullying"})],
        [facts(categories={"unwanted_sexualisation"})],
    ),
    "other-schools": ([facts(factors={"many_children"}), facts(choices={"bait_out_page"})],
                      [facts(choices={"fake_profile"})]),
    "watch-return": ([EMPTY], []),
    "review-date": ([EMPTY], []),
    # An adult who works at the school is named (KCSIE Part 4).
    **{rule: ([facts(factors={"about_staff"})], [EMPTY, facts(factors={"adult_involved"})])
       for rule in ("allegation-refer-lado", "allegation-no-investigation",
                    "allegation-do-not-tell", "allegation-record")},
}


def test_every_shipped_rule_has_a_row_here():
    assert set(RULES) == set(ids(EW.checklist))


@pytest.mark.parametrize("rule_id", list(RULES))
def test_each_rule_applies_when_it_should_and_not_otherwise(rule_id):
    applies, does_not = RULES[rule_id]
    for case in applies:
        assert rule_id in ids(rules_for(EW, case)), case
    for case in does_not:
        assert rule_id not in ids(rules_for(EW, case)), case


# UKCIS: adult involved; coerced, blackmailed or groomed; violent acts; under 13; immediate risk.
UKCIS_TRIGGERS = {"danger_now", "self_harm", "threats", "coercion", "adult_involved", "under_13",
                  "assault_recording", "extreme_content"}


@pytest.mark.parametrize("factor", sorted(FACTORS))
def test_an_immediate_referral_trigger_puts_refer_now_at_the_top(factor):
    # The refer-now rule is moved to the end of the pack so only the forcing can put it first.
    pack = replace(EW, checklist=tuple(sorted(EW.checklist, key=lambda rule: rule.refer_now)))
    rules = rules_for(pack, facts(factors={factor}, urgency="high"))
    if factor in UKCIS_TRIGGERS:
        assert rules[0].refer_now
    else:
        assert not any(rule.refer_now for rule in rules)


def test_rules_keep_the_pack_order_after_refer_now():
    rules = rules_for(EW, facts(categories={"sharing_images"}, factors={"self_harm"}))
    pack_order = ids(EW.checklist)
    rest = ids(rules[1:])
    assert rest == sorted(rest, key=pack_order.index)


STORIES = [
    # Sara, 13: her nude posted on two accounts after she was asked for it; thoughts of suicide.
    pytest.param(
        facts(categories={"sharing_images", "coercion"}, factors={"self_harm"},
              urgency="immediate", choices={"nude_shared", "asked_for_nudes"},
              posted_by_known=False, statuses={"active"}),
        {"refer-now", "report-remove", "iwf", "ceop", "report-to-platform", "support-bystanders"},
        {"poster-known", "report-harmful-content"},
        id="Sara",
    ),
    # Owen, 14: a fake profile with secretly taken, edited photos; nobody knows who made it.
    pytest.param(
        facts(categories={"sexualised_bullying", "unwanted_sexualisation"}, urgency="medium",
              choices={"fake_profile", "edited_image"}, posted_by_known=False,
              statuses={"reported"}),
        {"report-to-platform", "posh-escalate", "report-harmful-content", "true-vision",
         "record-viewing"},
        {"refer-now", "ceop", "report-remove"},
        id="Owen",
    ),
]


@pytest.mark.parametrize(("case", "present", "absent"), STORIES)
def test_the_guidance_case_studies_get_the_steps_the_guidance_calls_for(case, present, absent):
    found = set(ids(rules_for(EW, case)))
    assert present <= found
    assert not absent & found


CHANGES = [
    pytest.param(facts(categories={"sexualised_bullying"}, posted_by_known=True),
                 facts(categories={"sexualised_bullying"}, posted_by_known=False),
                 id="poster turns out unknown"),
    pytest.param(facts(categories={"unwanted_sexualisation"}),
                 facts(categories={"sharing_images"}, factors={"adult_involved"},
                       urgency="high"),
                 id="categories and factors change"),
    pytest.param(facts(statuses={"reported"}), facts(statuses={"removed"}),
                 id="account removed"),
]


@pytest.mark.parametrize(("before", "after"), CHANGES)
def test_extending_a_checklist_adds_what_is_now_needed_and_never_drops_an_item(before, after):
    existing = set(ids(rules_for(EW, before)))
    kept = set(existing)
    added = ids(rules_to_add(EW, after, existing))
    assert existing == kept  # the case's own items are untouched
    assert not existing & set(added)  # nothing already on the case is offered again
    assert set(ids(rules_for(EW, after))) <= existing | set(added)


def test_extending_an_unchanged_case_adds_nothing():
    case = facts(categories={"sharing_images"}, posted_by_known=False)
    assert rules_to_add(EW, case, set(ids(rules_for(EW, case)))) == []


def test_a_new_trigger_adds_refer_now_first():
    before = facts(categories={"sharing_images"}, urgency="medium")
    after = replace(before, factors=frozenset({"under_13"}), urgency="high")
    added = rules_to_add(EW, after, set(ids(rules_for(EW, before))))
    assert added[0].refer_now


def test_case_facts_refuse_an_unknown_urgency():
    with pytest.raises(ValueError):
        facts(urgency="urgent")
