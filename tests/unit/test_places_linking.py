"""Places as pupils write them, linked to the register (issue 21): sentences land on the known
entry, text that names nothing makes no entry but stays on the report, and names typed with no
app, web pages and email addresses are checked for lookalikes like handles."""

from __future__ import annotations

from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import LookalikeFlag, OnlineAccount, Sighting, TimelineEvent
from tests.unit.test_register_linking import SARA_OTHER, SARA_PAGE, entry, named


def keys() -> list[str]:
    return list(db.session.scalars(select(OnlineAccount.canonical_key).order_by(OnlineAccount.id)))


def flagged_pairs() -> set[tuple[str, str]]:
    new, old = OnlineAccount.__table__.alias(), OnlineAccount.__table__.alias()
    rows = db.session.execute(select(new.c.canonical_key, old.c.canonical_key)
                              .join(LookalikeFlag, LookalikeFlag.account_id == new.c.id)
                              .join(old, LookalikeFlag.similar_id == old.c.id)).all()
    return {tuple(row) for row in rows}


def test_the_issues_sentences_land_on_the_entries_already_known(app, make):
    school = make.school()
    named(make, school, ("instagram", "@slags_of_birmingham_xx"), ("snapchat", "brum_beef_100"),
          ("", "tiktok.com/@owen.exposed"), ("phone", "07700 900123"),
          ("", "owen.exposed@gmail.com"), ("", "kik: owenexposed"),
          ("", "threads.net/@owen.exposed"))
    before = keys()
    named(make, school, ("", "its on tiktok @owen.exposed"), ("", "@owen.exposed tiktok"),
          ("", "its @brum_beef_100 on snap"), ("", "IG slags_of_birmingham_xx (the main one)"),
          ("instagram", "the page is @slags_of_birmingham_xx"))
    named(make, school, ("", "07700 900 123 (whatsapp)"), ("", "his number is 07700 900123"),
          ("", "email owen.exposed@gmail.com"), ("", "owenexposed on kik"),
          ("", "kik - OwenExposed"), ("", "threads.com/@Owen.Exposed"))
    assert keys() == before
    assert entry("kik:owenexposed").report_count == 2


def test_a_handle_with_no_app_joins_the_one_known_entry_with_that_name(app, make):
    school = make.school()
    named(make, school, ("instagram", "@slags_of_birmingham_xx"))
    report = named(make, school, ("", "@Slags_of_Birmingham_xx"))
    assert keys() == [SARA_PAGE]
    sighting = db.session.scalar(select(Sighting).where(Sighting.report_id == report.id))
    assert (sighting.account.canonical_key, sighting.raw_text) == (SARA_PAGE,
                                                                  "@Slags_of_Birmingham_xx")


def test_a_handle_with_no_app_known_on_two_apps_keeps_its_own_entry_flagged_as_both(app, make):
    school = make.school()
    named(make, school, ("instagram", "@brum_beef_100"), ("snapchat", "@brum_beef_100"))
    named(make, school, ("", "@brum_beef_100"))
    assert "other:@brum_beef_100" in keys()
    assert flagged_pairs() == {("other:@brum_beef_100", SARA_OTHER),
                               ("other:@brum_beef_100", "snapchat:brum_beef_100")}
    reasons = db.session.scalars(select(LookalikeFlag.reasons)).all()
    assert all("without saying which app" in found[0] for found in reasons)


def test_an_app_entry_made_after_a_handle_with_no_app_is_flagged_as_it(app, make):
    school = make.school()
    named(make, school, ("", "@slags_of_birmingham_xx"))
    named(make, school, ("instagram", "slags_of_birmingham_xx"))
    assert flagged_pairs() == {(SARA_PAGE, "other:@slags_of_birmingham_xx")}


def test_text_that_names_nothing_stays_on_the_report_and_makes_no_entry(app, make):
    school = make.school()
    odd = [("", "@"), ("", "http://"), ("", "t.me/+"), ("", "facebook.com/profile.php?id="),
           ("", "youtube.com/watch?v="), ("instagram", "insta")]
    report = named(make, school, *odd, ("instagram", "@brum_beef_100"))
    assert keys() == [SARA_OTHER]
    assert report.places_unrecognised == [{"platform": p, "text": t} for p, t in odd]
    assert db.session.scalar(select(func.count()).select_from(Sighting)) == 1


def test_lookalikes_are_checked_for_web_pages_email_addresses_and_free_text(app, make):
    school = make.school()
    named(make, school, ("", "linktr.ee/slags_of_birmingham_xx"),
          ("", "owen.exposed@gmail.com"), ("", "the year 10 bait out chat"))
    named(make, school, ("", "https://linktr.ee/slags_of_birmingham_xx2"),
          ("", "0wen.exposed@gmail.com"), ("", "the year 10 bait out chats"))
    assert flagged_pairs() == {
        ("web:https://linktr.ee/slags_of_birmingham_xx2", "web:https://linktr.ee/slags_of_birmingham_xx"),
        ("email:0wen.exposed@gmail.com", "email:owen.exposed@gmail.com"),
        ("other:the year 10 bait out chats", "other:the year 10 bait out chat"),
    }


def test_a_name_that_breaks_its_apps_rules_says_so_in_the_entrys_history(app, make):
    school = make.school()
    named(make, school, ("instagram", "@owen_exposed#1234"))
    account = entry("instagram:owen_exposed#1234")
    first = db.session.scalar(select(TimelineEvent.text).where(
        TimelineEvent.account_id == account.id, TimelineEvent.kind == "account_created"))
    assert first.startswith("Added to the register. Instagram names only use Latin letters")
    assert "a typo or a name made to look like another account's" in first
