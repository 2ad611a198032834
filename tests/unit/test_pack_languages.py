"""Jurisdiction packs in other languages: an overlay per language gives every text a person
reads, start-up refuses an incomplete one naming the file and the key, and the pack gives its
texts in a language (English for one it does not ship). Also the Wales pack's own words."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from schoolsafe.services.jurisdictions.packs import (
    JURISDICTIONS_DIR,
    JurisdictionError,
    load_jurisdictions,
)
from schoolsafe.services.jurisdictions.texts import skeleton
from schoolsafe.services.reports.pupil_help import help_for
from schoolsafe.vocab import About
from tests.support.pack_overlays import (
    base_data,
    mark,
    marked_texts,
    write_overlay,
    write_packs,
)

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = load_jurisdictions(JURISDICTIONS_DIR)
NL = mark("nl")


def test_a_complete_overlay_gives_every_text_in_its_language_and_keeps_numbers(tmp_path):
    packs = load_jurisdictions(write_packs(tmp_path, {"belgium": ["nl", "en"]}))
    english, dutch = packs["belgium"], packs["belgium"].in_language("nl")
    assert english.languages == ("nl", "en") and dutch.language == "nl"
    danger = dutch.help["danger_now", About.SELF]
    assert danger.title == NL + english.help["danger_now", About.SELF].title
    assert all(paragraph.startswith(NL) for paragraph in danger.paragraphs)
    assert [(c.name, c.phone, c.url) for c in danger.contacts] == [
        (NL + c.name, c.phone, c.url) for c in english.help["danger_now", About.SELF].contacts]
    assert all(c.note.startswith(NL) for c in danger.contacts)
    assert dutch.crisis_line.note.startswith(NL) and dutch.crisis_line.phone == \
        english.crisis_line.phone
    assert all(rule.text.startswith(NL) for rule in dutch.checklist)
    assert [(r.id, r.when, r.refer_now) for r in dutch.checklist] == [
        (r.id, r.when, r.refer_now) for r in english.checklist]
    police = dutch.recipients["police"]
    assert police.asks.startswith(NL) and all(note.startswith(NL) for note in police.notes)
    assert police.email == english.recipients["police"].email
    assert dutch.emergency_number == english.emergency_number
    assert dutch.quick_exit_url == english.quick_exit_url


def test_a_language_the_pack_does_not_ship_falls_back_to_english(tmp_path):
    belgium = load_jurisdictions(write_packs(tmp_path, {"belgium": ["nl", "en"]}))["belgium"]
    assert belgium.in_language("cy") is belgium.in_language("en") is belgium
    assert belgium.in_language(None) is belgium
    assert belgium.in_language("nl").in_language("en") is belgium
    assert belgium.in_language("nl") is belgium.in_language("nl").in_language("nl")


def test_pupil_help_in_the_overlay_language_says_the_same_with_its_words(tmp_path):
    belgium = load_jurisdictions(write_packs(tmp_path, {"belgium": ["nl", "en"]}))["belgium"]
    shown = help_for(belgium.in_language("nl"), About.FRIEND, set(), {"threats"},
                     out_of_hours=True, staff_back="on Monday at 8:30")
    english = help_for(belgium, About.FRIEND, set(), {"threats"},
                       out_of_hours=True, staff_back="on Monday at 8:30")
    assert [s.topic for s in shown] == [s.topic for s in english]
    assert all(s.title.startswith(NL) for s in shown)
    assert any("on Monday at 8:30" in p for s in shown for p in s.paragraphs)


def broken(change, language="nl"):
    texts = copy.deepcopy(marked_texts("belgium", language))
    change(texts)
    return texts


BROKEN_OVERLAYS = [
    pytest.param(lambda t: t["help"]["danger_now"].pop("title"),
                 "help.danger_now.title: missing", id="missing title"),
    pytest.param(lambda t: t["help"]["threats"]["friend"]["paragraphs"].clear(),
                 "help.threats.friend.paragraphs: must be a non-empty list", id="no paragraphs"),
    pytest.param(lambda t: t["help"]["danger_now"]["contacts"][0].pop("note"),
                 r"help.danger_now.contacts\[0\].note: missing", id="missing contact note"),
    pytest.param(lambda t: t["recipients"]["police"].pop("asks"),
                 "recipients.police.asks: missing", id="missing recipient text"),
    pytest.param(lambda t: t["crisis_line"].pop("hours"), "crisis_line.hours: missing",
                 id="missing crisis hours"),
    pytest.param(lambda t: t.update(emergency_number="112"), "emergency_number: unknown key",
                 id="a number is not a text"),
    pytest.param(lambda t: t["help"]["danger_now"].update(phone="112"),
                 "help.danger_now.phone: unknown key", id="unknown key"),
    pytest.param(lambda t: t["help"]["danger_now"]["contacts"][0].update(email="a@b.example"),
                 r"help.danger_now.contacts\[0\].email: unknown key", id="contact email"),
    pytest.param(lambda t: t["help"]["danger_now"]["contacts"].pop(),
                 "help.danger_now.contacts: must be a list of 3 tables", id="contacts length"),
    pytest.param(lambda t: t["checklist"].pop(0), "checklist.refer-now: missing",
                 id="missing checklist id"),
    pytest.param(lambda t: t["checklist"].append({"id": "made-up", "text": "x"}),
                 r"checklist\[\d+\].id: 'made-up' is not a step", id="unknown checklist id"),
    pytest.param(lambda t: t["checklist"][0].update(when="always"),
                 "checklist.refer-now.when: unknown key", id="checklist condition"),
    pytest.param(lambda t: t["help"]["out_of_hours"].update(paragraphs=["Staff are away."]),
                 r"help.out_of_hours.paragraphs: needs one paragraph with \{staff_back\}",
                 id="staff_back dropped"),
    pytest.param(lambda t: t["help"]["general"]["paragraphs"].append("Back {staff_back}."),
                 r"help.general.paragraphs\[\d\]: unknown placeholder", id="staff_back moved"),
]


@pytest.mark.parametrize(("change", "problem"), BROKEN_OVERLAYS)
def test_an_incomplete_overlay_stops_start_up_naming_file_and_key(tmp_path, change, problem):
    folder = write_packs(tmp_path, {"belgium": ["nl", "en"]},
                         {("belgium", "nl"): broken(change)})
    with pytest.raises(JurisdictionError, match=rf"^belgium\.nl\.toml: {problem}[^\n]*$"):
        load_jurisdictions(folder)


def test_a_service_without_a_local_name_keeps_its_english_one(tmp_path):
    texts = broken(lambda t: [t["crisis_line"].pop("name"),
                              *(c.pop("name") for c in t["help"]["danger_now"]["contacts"])])
    folder = write_packs(tmp_path, {"belgium": ["nl", "en"]}, {("belgium", "nl"): texts})
    belgium = load_jurisdictions(folder)["belgium"]
    dutch = belgium.in_language("nl")
    assert dutch.crisis_line.name == belgium.crisis_line.name
    assert [(c.name, c.note[:len(NL)]) for c in dutch.help["danger_now", About.SELF].contacts] \
        == [(c.name, NL) for c in belgium.help["danger_now", About.SELF].contacts]


def test_a_service_for_speakers_of_the_language_may_have_its_own_number(tmp_path):
    # Tele-Onthaal answers in Dutch; a French-speaking pupil is given Télé-Accueil instead.
    def local(texts):
        texts["crisis_line"].update(name="Télé-Accueil", phone="107",
                                    url="https://www.tele-accueil.be")
        sections = [table for table in texts["help"].values() if "title" in table]
        sections += [one for table in texts["help"].values() if "title" not in table
                     for one in table.values()]
        for contact in (contact for section in sections for contact in section["contacts"]):
            if contact.get("name", "").endswith("Tele-Onthaal"):
                contact.update(name="Télé-Accueil", phone="107")
    folder = write_packs(tmp_path, {"belgium": ["fr", "en"]},
                         {("belgium", "fr"): broken(local, "fr")})
    belgium = load_jurisdictions(folder)["belgium"]
    french = belgium.in_language("fr")
    assert (french.crisis_line.name, french.crisis_line.phone) == ("Télé-Accueil", "107")
    assert ("Télé-Accueil", "107") in [
        (c.name, c.phone) for c in french.help["danger_now", About.SELF].contacts]
    assert (belgium.crisis_line.name, belgium.crisis_line.phone) == ("Tele-Onthaal", "106")
    blank = broken(lambda texts: texts["crisis_line"].update(phone=" "), "fr")
    with pytest.raises(JurisdictionError, match=r"belgium.fr.toml: crisis_line.phone"):
        load_jurisdictions(write_packs(tmp_path / "blank", {"belgium": ["fr", "en"]},
                                       {("belgium", "fr"): blank}))


def test_an_offered_language_without_its_file_stops_start_up(tmp_path):
    folder = write_packs(tmp_path, {"sweden": ["sv", "en"]})
    (folder / "sweden.sv.toml").unlink()
    with pytest.raises(JurisdictionError,
                       match=r"^sweden\.toml: languages: 'sv' is offered but sweden\.sv\.toml "
                             r"is missing$"):
        load_jurisdictions(folder)


@pytest.mark.parametrize(("languages", "problem"), [
    (["nl"], "languages: must include 'en'"),
    (["en", "xx"], r"languages\[1\]: must be one of en, cy"),
    (["en", "en"], r"languages\[1\]: 'en' is listed twice"),
])
def test_a_pack_must_offer_english_and_known_languages(tmp_path, languages, problem):
    folder = write_packs(tmp_path, {})
    text = re.sub(r"^languages = .*$", f"languages = {languages!r}".replace("'", '"'),
                  (folder / "sweden.toml").read_text(encoding="utf-8"), count=1, flags=re.M)
    (folder / "sweden.toml").write_text(text, encoding="utf-8")
    with pytest.raises(JurisdictionError, match=rf"^sweden\.toml: {problem}"):
        load_jurisdictions(folder)


def test_an_overlay_not_yet_offered_is_left_alone_and_one_without_a_pack_is_refused(tmp_path):
    folder = write_packs(tmp_path, {"sweden": ["en"]})
    write_overlay(folder, "sweden", "sv", {"name": "Sverige"})  # a translator half-way through
    assert load_jurisdictions(folder)["sweden"].in_language("sv").name == "Sweden"
    write_overlay(folder, "sweeden", "sv", {"name": "Sverige"})
    with pytest.raises(JurisdictionError, match=r"^sweeden\.sv\.toml: no base pack sweeden"):
        load_jurisdictions(folder)


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_pack_texts_prints_an_overlay_that_loads_once_every_value_is_filled_in(tmp_path, code):
    printed = subprocess.run([sys.executable, "scripts/pack_texts.py", code, "cy"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
    assert printed.startswith(f"# {code}.cy.toml: ")
    assert "replace each one with its translation" in printed
    assert tomllib.loads(printed) == skeleton(base_data(code))  # every text key, in English
    folder = write_packs(tmp_path, {code: ["en", "cy"]})
    (folder / f"{code}.cy.toml").write_text(printed, encoding="utf-8")
    welsh, english = load_jurisdictions(folder)[code].in_language("cy"), SHIPPED[code]
    assert welsh.language == "cy"
    assert (dict(welsh.help), welsh.checklist, dict(welsh.recipients), welsh.crisis_line) == (
        dict(english.help), english.checklist, dict(english.recipients), english.crisis_line)


def test_pack_texts_refuses_an_unknown_pack_or_language_plainly():
    for args, message in ((["atlantis", "cy"], "No pack named 'atlantis'"),
                          (["wales", "xx"], "'xx' is not a language to translate into")):
        result = subprocess.run([sys.executable, "scripts/pack_texts.py", *args], cwd=ROOT,
                                capture_output=True, text=True)
        assert result.returncode == 2 and message in result.stderr and not result.stdout


# ---- Wales ---------------------------------------------------------------------------------



def wales():
    return SHIPPED["wales"]


def contact_names(pack, topic):
    return [contact.name for contact in pack.help[topic, About.SELF].contacts]


def test_wales_is_its_own_pack_with_meic_beside_childline_in_the_crisis_help():
    WALES = wales()  # noqa: N806 - the pack, named as the country
    assert (WALES.code, WALES.name) == ("wales", "Wales")
    for topic in ("danger_now", "out_of_hours", "general"):
        names = contact_names(WALES, topic)
        assert names.index("Meic") == names.index("Childline") + 1, topic
    meic = next(c for c in WALES.help["danger_now", About.SELF].contacts if c.name == "Meic")
    assert (meic.phone, meic.url) == ("080880 23456", "https://www.meic.cymru")
    assert "8am to midnight" in meic.note and "84001" in meic.note
    assert any("Meic" in p for p in WALES.help["danger_now", About.SELF].paragraphs)
    assert "Meic" not in contact_names(SHIPPED["england-wales"], "danger_now")


def test_wales_names_the_designated_safeguarding_person_and_its_own_guidance():
    WALES = wales()  # noqa: N806 - the pack, named as the country
    pupil_words = " ".join(p for topic in ("general", "about_staff")
                           for p in WALES.help[topic, About.SELF].paragraphs)
    assert "Designated Safeguarding Person (DSP)" in pupil_words
    steps = " ".join(rule.text for rule in WALES.checklist)
    assert "Keeping learners safe" in steps and "Hwb guidance on sharing nudes" in steps
    england = " ".join(rule.text for rule in SHIPPED["england-wales"].checklist)
    assert "Keeping learners safe" not in england
    assert {kind for kind in WALES.recipients} == set(SHIPPED["england-wales"].recipients)
