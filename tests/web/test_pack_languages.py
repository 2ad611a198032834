"""Pack texts in the reader's language: a pupil's help in the page's language, a checklist in
the staff member's, a referral note in the school's; a school offers only the languages its
pack is written in, and starts with the pack's."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from schoolsafe.cli import make_school
from schoolsafe.extensions import db
from schoolsafe.models import Referral
from tests.factories import sign_in
from tests.support.pack_overlays import base_data, mark, use_packs, write_packs
from tests.unit.test_case_checklist_stories import sara, sara_with_checklist

PUPIL = {"environ_base": {"REMOTE_ADDR": "192.0.2.10"}}
NL, CY = mark("nl"), mark("cy")


@pytest.fixture
def dutch_packs(app, tmp_path, monkeypatch):
    """Belgium and England offer Dutch as well as English (marked overlays)."""
    use_packs(app, monkeypatch, write_packs(tmp_path / "packs", {
        "belgium": ["nl", "en"], "england-wales": ["en", "nl"]}))


def text_of(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_pupil_help_is_in_the_language_the_pupil_chose(client, make, dutch_packs):
    make.school("gent", jurisdiction="belgium", language="en", languages=["en", "nl"])
    dutch = text_of(client.get("/tell/gent?lang=nl", **PUPIL))
    english = text_of(client.get("/tell/gent?lang=en", **PUPIL))
    assert f"{NL}Tele-Onthaal" in dutch
    assert "Tele-Onthaal" in english and NL not in english

    sent = text_of(client.post("/tell/gent?lang=nl", data={
        "about": "friend", "choices": ["threats"], "narrative": "Someone wants money."},
        **PUPIL))
    title = base_data("belgium")["help"]["threats"]["friend"]["title"]
    assert f"{NL}{title}" in sent
    again = text_of(client.post("/tell/gent?lang=en", data={
        "about": "friend", "choices": ["threats"], "narrative": "Someone asks my friend again."},
        **PUPIL))
    assert title in again and NL not in again


def test_the_checklist_is_in_the_language_each_member_of_staff_reads(client, make, dutch_packs):
    school = make.school(language="en", languages=["en", "nl"])
    dsl, colleague = make.user(school, "dsl"), make.user(school, "dsl")
    dsl.language = "nl"
    db.session.commit()
    case = sara_with_checklist(school, dsl)
    step = next(rule["text"] for rule in base_data("england-wales")["checklist"]
                if rule["id"] == "no-images")
    sign_in(client, dsl)
    url = f"/staff/triage/cases/{case.public_id}/checklist"
    assert f"{NL}{step}" in text_of(client.get(url))
    assert f"{NL}{step}" in text_of(client.get(url + "/print"))
    other = client.application.test_client()
    sign_in(other, colleague)
    english = text_of(other.get(url))
    assert step in english and NL not in english


def test_a_referral_note_is_written_in_the_schools_language(client, make, dutch_packs):
    school = make.school(language="nl", languages=["en", "nl"])
    dsl = make.user(school, "dsl")
    dsl.language = "en"  # the DSL reads English; the police get the school's Dutch
    db.session.commit()
    case = sara(school, dsl)
    sign_in(client, dsl)
    listed = text_of(client.get(f"/staff/triage/cases/{case.public_id}/referrals/new"))
    police = base_data("england-wales")["recipients"]["police"]
    assert police["name"] in listed and NL not in listed
    response = client.post(f"/staff/triage/cases/{case.public_id}/referrals",
                           data={"kind": "police"})
    assert response.status_code == 302
    note = db.session.scalar(select(Referral)).body
    # The pack's words from its Dutch text, the note's own words from the Dutch catalogue.
    assert f"{NL}{police['asks']}" in note and f"{NL}{police['name']}." in note
    assert f"to {NL}{police['name']}." not in note
    assert f"\n{police['asks']}" not in note  # not in English as well


def test_a_new_school_gets_its_packs_languages_and_only_those(app, tmp_path, monkeypatch):
    use_packs(app, monkeypatch, write_packs(tmp_path / "packs", {"wales": ["cy", "en"]}))
    welsh = make_school("derw", "Ysgol Derw", "DERW", "wales")
    assert (welsh.language, welsh.languages) == ("cy", ["en", "cy"])
    english = make_school("oak", "Oak", "OAK", "england-wales")
    assert (english.language, english.languages) == ("en", ["en"])
    with pytest.raises(Exception, match="not written in Cymraeg yet. Choose from: English."):
        make_school("elm", "Elm", "ELM", "england-wales", ("cy", "en"))


def test_the_admin_may_offer_only_languages_the_pack_is_written_in(client, make):
    school = make.school()
    sign_in(client, make.user(school, "admin"))
    refused = client.post("/staff/admin/languages", data={"language": "en",
                                                          "languages": ["en", "cy"]})
    assert refused.status_code == 400
    assert "Help for pupils at this school is not written in Cymraeg yet. Choose from: " \
           "English." in text_of(refused)
    db.session.refresh(school)
    assert (school.language, school.languages) == ("en", ["en"])
