"""Linking reports to register entries: one entry per account however it is spelled,
kinds suggested from the report, lookalikes flagged through the index, comebacks caught."""

from __future__ import annotations

import itertools
import random
import string

import pytest
from sqlalchemy import delete, func, select

from schoolsafe.extensions import db
from schoolsafe.models import (
    Case,
    LookalikeFlag,
    LookalikeKey,
    OnlineAccount,
    Report,
    Sighting,
    TimelineEvent,
)
from schoolsafe.services.register import linking as register
from schoolsafe.services.register import lookalikes as register_lookalikes
from schoolsafe.services.register import status as register_status
from schoolsafe.services.register.linking import Place, suggested_kind

_cases = itertools.count(1)

SARA_PAGE = "instagram:slags_of_birmingham_xx"
SARA_OTHER = "instagram:brum_beef_100"
# Several pupils, several spellings of Sara's two accounts (DESIGN section 4, deSHAME story).
SARA_REPORTS = [
    [("instagram", "@Slags_of_Birmingham_xx"), ("instagram", "Brum_beef_100")],
    [("", "instagram.com/slags_of_birmingham_xx/?igsh=abc"),
     ("", "https://www.instagram.com/brum_beef_100/")],
    [("instagram", "https://www.instagram.com/Slags_Of_Birmingham_XX"),
     ("", "insta: @BRUM_BEEF_100")],
    [("", "slags_of_birmingham_xx (insta)"), ("instagram", "'brum_beef_100'")],
]


def named(make, school, *places: tuple[str, str], choices=("rumours",)) -> Report:
    """A pupil's report naming the given (platform picked, text typed) places."""
    return make.report(school, choices=choices,
                       places=tuple(Place(p, t) for p, t in places)).report


def case_for(school, *reports: Report) -> Case:
    """A case holding the reports."""
    case = Case(school_id=school.id, reference=f"C-TEST-{next(_cases)}")
    db.session.add(case)
    db.session.flush()
    for report in reports:
        report.case_id = case.id
    db.session.commit()
    return case


def entry(key: str, school=None) -> OnlineAccount:
    query = select(OnlineAccount).where(OnlineAccount.canonical_key == key)
    if school is not None:
        query = query.where(OnlineAccount.school_id == school.id)
    return db.session.scalar(query)


def removed(account: OnlineAccount, user=None) -> OnlineAccount:
    """Mark an entry taken down yesterday, as the DSL would."""
    register_status.mark_removed(db.session, account, account.first_seen, user.id if user else None)
    db.session.commit()
    return account


def test_sara_two_accounts_in_many_spellings_are_two_entries_linked_to_every_report(app, make):
    school = make.school()
    reports = [named(make, school, *places) for places in SARA_REPORTS]
    entries = db.session.scalars(select(OnlineAccount).order_by(OnlineAccount.id)).all()
    assert [e.canonical_key for e in entries] == [SARA_PAGE, SARA_OTHER]
    for account in entries:
        linked = set(db.session.scalars(select(Sighting.report_id)
                                        .where(Sighting.account_id == account.id)))
        assert linked == {r.id for r in reports}
        assert account.report_count == len(SARA_REPORTS)
    # Different spellings of one account are never flagged as lookalikes of each other.
    assert db.session.scalar(select(func.count()).select_from(LookalikeFlag)) == 0


def test_each_school_has_its_own_entry_for_the_same_account(app, make):
    first, second = make.school(), make.school()
    named(make, first, ("instagram", "@brum_beef_100"))
    named(make, second, ("", "instagram.com/brum_beef_100"))
    rows = db.session.scalars(select(OnlineAccount.school_id)
                              .where(OnlineAccount.canonical_key == SARA_OTHER)).all()
    assert sorted(rows) == sorted([first.id, second.id])


def test_one_report_naming_an_account_twice_counts_one_report(app, make):
    school = make.school()
    named(make, school, ("instagram", "@brum_beef_100"), ("", "instagram.com/brum_beef_100"))
    account = entry(SARA_OTHER)
    assert account.report_count == 1
    assert db.session.scalar(select(func.count()).select_from(Sighting)) == 2


def test_sighting_keeps_the_text_exactly_as_typed(app, make):
    school = make.school()
    named(make, school, ("instagram", "https://www.instagram.com/Slags_Of_Birmingham_XX?igsh=1"))
    sighting = db.session.scalar(select(Sighting))
    assert sighting.raw_text == "https://www.instagram.com/Slags_Of_Birmingham_XX?igsh=1"
    assert sighting.platform_chosen == "instagram"


@pytest.mark.parametrize(("choices", "kind"), [
    (("bait_out_page",), "bait_out_page"),
    (("fake_profile", "rumours"), "fake_profile"),
    (("bait_out_page", "fake_profile"), None),       # two pages ticked: can't tell which is which
    (("nude_shared",), "sender"),
    (("threats", "asked_for_nudes"), "sender"),
    (("nude_shared", "bait_out_page"), "bait_out_page"),
    (("rumours",), None),
    ((), None),
])
def test_kind_is_suggested_from_what_the_pupil_ticked(choices, kind):
    assert suggested_kind(list(choices)) == kind


def test_new_entry_takes_the_suggested_kind_and_a_chat_invite_is_a_group_chat(app, make):
    school = make.school()
    named(make, school, ("instagram", "@owen_bums_mr_crane"), ("", "chat.whatsapp.com/AbCdEf123"),
          choices=("fake_profile",))
    assert entry("instagram:owen_bums_mr_crane").kind == "fake_profile"
    invite = db.session.scalar(select(OnlineAccount).where(OnlineAccount.platform == "whatsapp"))
    assert invite.kind == "group_chat"


def test_an_unsorted_entry_takes_a_later_suggestion_but_never_overrides_the_dsl(app, make):
    school = make.school()
    dsl = make.user(school, "dsl")
    named(make, school, ("instagram", "@brum_beef_100"))
    assert entry(SARA_OTHER).kind == "other"
    named(make, school, ("instagram", "@brum_beef_100"), choices=("bait_out_page",))
    assert entry(SARA_OTHER).kind == "bait_out_page"

    named(make, school, ("instagram", "@slags_of_birmingham_xx"))
    register_status.set_kind(db.session, entry(SARA_PAGE), "other", dsl.id)
    db.session.commit()
    named(make, school, ("instagram", "@slags_of_birmingham_xx"), choices=("fake_profile",))
    assert entry(SARA_PAGE).kind == "other"


def test_a_removed_profile_remade_under_a_lookalike_handle_is_flagged_as_possibly_back(app, make):
    school = make.school()
    first = named(make, school, ("instagram", "@owen_bums_mr_crane"), choices=("fake_profile",))
    case = case_for(school, first)
    old = removed(entry("instagram:owen_bums_mr_crane"))
    named(make, school, ("instagram", "@0wen_bums_mr_crane2"), choices=("fake_profile",))

    new = entry("instagram:0wen_bums_mr_crane2")
    flag = db.session.scalar(select(LookalikeFlag))
    assert (flag.account_id, flag.similar_id, flag.state) == (new.id, old.id, "open")
    assert any("taken down" in reason for reason in flag.reasons)
    assert any("number added" in reason for reason in flag.reasons)
    # The case about the removed profile hears that it may be back.
    told = db.session.scalars(select(TimelineEvent.text).where(
        TimelineEvent.case_id == case.id, TimelineEvent.kind == "account_lookalike")).all()
    assert told and "may be this one come back" in told[0]


def test_removal_adds_weight_to_a_lookalike_flag(app, make):
    school = make.school()
    named(make, school, ("instagram", "@owen_bums_mr_crane"))
    named(make, school, ("instagram", "@slags_of_birmingham_xx"))
    removed(entry(SARA_PAGE))
    named(make, school, ("instagram", "@owen_bums_mr_crane2"),
          ("instagram", "@slags_of_birmingham_xx2"))
    scores = dict(db.session.execute(
        select(OnlineAccount.canonical_key, LookalikeFlag.score)
        .join(LookalikeFlag, LookalikeFlag.similar_id == OnlineAccount.id)).all())
    assert scores[SARA_PAGE] > scores["instagram:owen_bums_mr_crane"]


def test_different_accounts_and_other_platforms_are_not_flagged(app, make):
    school = make.school()
    named(make, school, ("instagram", "@owen_bums_mr_crane"))
    named(make, school, ("tiktok", "@owen_bums_mr_crane2"), ("instagram", "@slags_of_bristol_xx"))
    assert db.session.scalar(select(func.count()).select_from(LookalikeFlag)) == 0


def test_lookalikes_are_found_through_the_index_not_by_comparing_every_entry(app, make,
                                                                             monkeypatch):
    school = make.school()
    rng = random.Random(6)
    names = ["@" + "".join(rng.choices(string.ascii_lowercase, k=14)) for _ in range(120)]
    register.link_places(db.session, school.id, [Place("instagram", n) for n in names])
    db.session.commit()
    named(make, school, ("instagram", "@slags_of_birmingham_xx"))
    compared = []

    class Counting(register_lookalikes.Matcher):
        def edits(self, existing_key):
            compared.append(existing_key)
            return super().edits(existing_key)

    monkeypatch.setattr(register_lookalikes, "Matcher", Counting)
    named(make, school, ("instagram", "@slags_of_birmingham_xx2"))
    assert compared == [SARA_PAGE]
    keys = db.session.scalar(select(func.count()).select_from(LookalikeKey))
    assert keys >= 2 * 120  # every entry's keys are stored for the next report


def test_a_removed_entry_named_again_is_resurfaced_in_its_history_and_cases(app, make):
    school = make.school()
    first = named(make, school, ("instagram", "@brum_beef_100"))
    case = case_for(school, first)
    account = removed(entry(SARA_OTHER))
    named(make, school, ("", "instagram.com/brum_beef_100"))
    assert account.status == "resurfaced"
    kinds = db.session.scalars(select(TimelineEvent.kind).where(
        TimelineEvent.account_id == account.id, TimelineEvent.case_id.is_(None))).all()
    assert "account_resurfaced" in kinds
    assert db.session.scalar(select(TimelineEvent.text).where(
        TimelineEvent.case_id == case.id, TimelineEvent.kind == "account_resurfaced")) \
        .startswith("Instagram @brum_beef_100: Back after being taken down")


def test_an_entry_confirmed_as_a_removed_account_is_resurfaced(app, make):
    school = make.school()
    dsl = make.user(school, "dsl")
    named(make, school, ("instagram", "@owen_bums_mr_crane"))
    old = removed(entry("instagram:owen_bums_mr_crane"))
    named(make, school, ("instagram", "@owen_bums_mr_crane2"))
    new = entry("instagram:owen_bums_mr_crane2")
    assert new.status == "active"  # only flagged until someone decides
    flag = db.session.scalar(select(LookalikeFlag))
    register_lookalikes.confirm(db.session, flag, dsl.id)
    db.session.commit()
    assert new.status == "resurfaced"
    assert new.alias_group_id == old.alias_group_id == old.id
    assert (flag.state, flag.decided_by_id) == ("confirmed", dsl.id)
    assert register_lookalikes.aliases(db.session, old) == [new]


def test_an_active_alias_of_a_removed_account_named_again_is_resurfaced(app, make):
    school = make.school()
    dsl = make.user(school, "dsl")
    named(make, school, ("instagram", "@slags_of_birmingham_xx"))
    named(make, school, ("instagram", "@slags_of_birmingham_xx2"))
    register_lookalikes.confirm(db.session, db.session.scalar(select(LookalikeFlag)), dsl.id)
    db.session.commit()
    twin = entry("instagram:slags_of_birmingham_xx2")
    assert twin.status == "active"  # the first was still up when they were joined
    removed(entry(SARA_PAGE))
    named(make, school, ("instagram", "@slags_of_birmingham_xx2"))
    assert twin.status == "resurfaced"


def test_a_dismissed_pair_stays_dismissed_and_is_never_flagged_again(app, make):
    school = make.school()
    dsl = make.user(school, "dsl")
    named(make, school, ("instagram", "@owen_bums_mr_crane"))
    named(make, school, ("instagram", "@owen_bums_mr_crane2"))
    flag = db.session.scalar(select(LookalikeFlag))
    register_lookalikes.dismiss(db.session, flag, dsl.id)
    db.session.commit()
    named(make, school, ("instagram", "@owen_bums_mr_crane2"), ("instagram", "@owen_bums_mr_crane"))
    assert db.session.scalars(select(LookalikeFlag.state)).all() == ["dismissed"]
    with pytest.raises(register_lookalikes.LookalikeError):
        register_lookalikes.confirm(db.session, flag, dsl.id)


def test_confirming_joins_whole_alias_groups(app, make):
    school = make.school()
    dsl = make.user(school, "dsl")
    for handle in ("@slags_of_birmingham_xx", "@slags_of_birmingham_xx2",
                   "@slags_of_birmingham_xx3"):
        named(make, school, ("instagram", handle))
    flags = db.session.scalars(select(LookalikeFlag).order_by(LookalikeFlag.id)).all()
    for flag in flags[:2]:
        register_lookalikes.confirm(db.session, flag, dsl.id)
    db.session.commit()
    groups = set(db.session.scalars(select(OnlineAccount.alias_group_id)))
    assert groups == {entry(SARA_PAGE).id}


def test_a_report_that_loses_the_race_to_create_an_entry_joins_the_winners(app, make,
                                                                          monkeypatch):
    school = make.school()
    winner = named(make, school, ("instagram", "@brum_beef_100"))
    real = register._find_all
    lookups = []

    def before_the_other_commit(session, school_id, refs):
        # The first lookup ran just before the other pupil's report committed the entry.
        lookups.append(refs)
        return {} if len(lookups) == 1 else real(session, school_id, refs)

    monkeypatch.setattr(register, "_find_all", before_the_other_commit)
    loser = named(make, school, ("", "instagram.com/brum_beef_100"))
    account = entry(SARA_OTHER)
    assert db.session.scalar(select(func.count()).select_from(OnlineAccount)) == 1
    assert set(db.session.scalars(select(Sighting.report_id))) == {winner.id, loser.id}
    assert account.report_count == 2
    assert len(lookups) == 2  # the insert skipped the duplicate, and the entry was found


def test_only_the_closest_few_are_flagged_and_taken_down_ones_come_first(app, make):
    school = make.school()
    known = [f"@leeds_gossip_page{n}" for n in range(1, 9)]
    register.link_places(db.session, school.id, [Place("instagram", n) for n in known])
    removed(entry("instagram:leeds_gossip_page8"))
    db.session.execute(delete(LookalikeFlag))
    db.session.commit()
    named(make, school, ("instagram", "@leeds_gossip_page"))
    new = entry("instagram:leeds_gossip_page")
    flagged = db.session.scalars(select(OnlineAccount.canonical_key)
                                 .join(LookalikeFlag, LookalikeFlag.similar_id == OnlineAccount.id)
                                 .where(LookalikeFlag.account_id == new.id)
                                 .order_by(LookalikeFlag.score.desc(), OnlineAccount.id)).all()
    assert len(flagged) == register_lookalikes.MAX_FLAGS
    assert flagged[0] == "instagram:leeds_gossip_page8"
