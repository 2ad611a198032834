"""The help a pupil sees after telling us: the right sections, in the right order, in words a
9-11 year old can read, for every shipped jurisdiction."""

import re

import pytest

from schoolsafe.services.jurisdictions.packs import JURISDICTIONS_DIR, load_jurisdictions
from schoolsafe.services.reports.pupil_help import help_for
from schoolsafe.vocab import About

PACKS = load_jurisdictions(JURISDICTIONS_DIR)
EVERY_PACK = pytest.mark.parametrize("pack", PACKS.values(), ids=list(PACKS))

# (factors, choices) -> section topics the pupil should see, in order
SECTIONS = [
    pytest.param(set(), set(), ["general"], id="nothing ticked"),
    pytest.param(set(), {"something_else"}, ["general"], id="something else"),
    pytest.param({"danger_now"}, set(), ["danger_now", "general"], id="in danger now"),
    pytest.param({"self_harm"}, set(), ["danger_now", "general"], id="thinking of self-harm"),
    pytest.param(set(), {"nude_shared"}, ["nude_shared", "general"], id="nude shared"),
    pytest.param(set(), {"photo_taken"}, ["nude_shared", "general"], id="photo taken"),
    pytest.param(set(), {"edited_image"}, ["nude_shared", "general"], id="edited image"),
    pytest.param({"threats"}, set(), ["threats", "general"], id="threat answer"),
    pytest.param(set(), {"threats"}, ["threats", "general"], id="threat choice"),
    pytest.param(set(), {"asked_for_nudes"}, ["threats", "general"], id="asked for nudes"),
    pytest.param({"adult_involved"}, set(), ["adult_involved", "general"], id="adult involved"),
    pytest.param({"adult_involved"}, {"unwanted_messages"}, ["adult_involved", "general"],
                 id="messages from an adult"),
    pytest.param({"threats", "adult_involved"}, set(), ["threats", "adult_involved", "general"],
                 id="threats from an adult"),
    pytest.param(set(), {"fake_profile"}, ["fake_or_page", "general"], id="fake profile"),
    pytest.param(set(), {"bait_out_page"}, ["fake_or_page", "general"], id="bait-out page"),
    pytest.param(set(), {"unwanted_messages"}, ["unwanted", "general"], id="unwanted messages"),
    pytest.param(set(), {"rumours"}, ["unwanted", "general"], id="rumours"),
    pytest.param({"danger_now", "threats"}, {"nude_shared", "fake_profile"},
                 ["danger_now", "threats", "nude_shared", "fake_or_page", "general"],
                 id="crisis first, general last, each section once"),
]


@EVERY_PACK
@pytest.mark.parametrize(("factors", "choices", "topics"), SECTIONS)
def test_the_pupil_sees_help_that_fits_what_they_said(pack, factors, choices, topics):
    assert [section.topic for section in help_for(pack, About.SELF, factors, choices)] == topics


@EVERY_PACK
def test_crisis_help_shows_the_emergency_number_and_the_24_hour_line(pack):
    danger = help_for(pack, About.SELF, {"danger_now"}, set())[0]
    phones = {contact.phone for contact in danger.contacts}
    assert {pack.emergency_number, pack.crisis_line.phone} <= phones


@EVERY_PACK
@pytest.mark.parametrize(
    ("factors", "position"),
    [pytest.param(set(), 0, id="first"), pytest.param({"self_harm"}, 1, id="after crisis help")],
)
def test_out_of_hours_says_when_staff_are_back_high_up(pack, factors, position):
    sections = help_for(pack, About.SELF, factors, {"nude_shared"}, out_of_hours=True,
                        staff_back="Monday at 8:30am")
    night = sections[position]
    assert night.topic == "out_of_hours"
    assert any("Monday at 8:30am" in paragraph for paragraph in night.paragraphs)
    assert pack.crisis_line.phone in {contact.phone for contact in night.contacts}
    assert sections[-1].topic == "general"


@EVERY_PACK
def test_out_of_hours_without_a_known_time_leaves_no_gap_or_placeholder(pack):
    night = help_for(pack, About.SELF, set(), set(), out_of_hours=True)[0]
    assert night.paragraphs
    assert not any("{" in paragraph or " on ." in paragraph for paragraph in night.paragraphs)


@EVERY_PACK
def test_in_school_hours_there_is_no_out_of_hours_section(pack):
    topics = [section.topic for section in help_for(pack, About.SELF, {"danger_now"}, set())]
    assert "out_of_hours" not in topics


# ---- the words themselves --------------------------------------------------------------------

def pupil_sentences(pack):
    for section in pack.help.values():
        texts = [section.title, *section.paragraphs, *(c.note for c in section.contacts)]
        for text in texts:
            yield from (s for s in re.split(r"(?<=[.!?])\s+", text) if s)


# Police and case-file words put pupils off telling (DESIGN section 2).
POLICE_WORDS = ["victim", "perpetrator", "offender", "offence", "suspect", "alleged",
                "allegation", "evidence", "investigat", "prosecut", "disclos"]


@EVERY_PACK
@pytest.mark.parametrize("word", POLICE_WORDS)
def test_pupil_help_uses_no_police_words(pack, word):
    assert not [s for s in pupil_sentences(pack) if word in s.lower()]


@EVERY_PACK
def test_pupil_sentences_are_short(pack):
    # Reading age 9-11: long sentences are the first thing that loses a young reader.
    assert not [s for s in pupil_sentences(pack) if len(s.split()) > 20]


@EVERY_PACK
def test_pupil_help_never_says_it_is_their_fault(pack):
    for sentence in pupil_sentences(pack):
        for match in re.finditer(r"your fault", sentence, re.IGNORECASE):
            assert sentence[:match.start()].lower().endswith("not "), sentence


@EVERY_PACK
def test_pupil_help_tells_them_not_to_send_pictures(pack):
    shared = help_for(pack, About.SELF, set(), {"nude_shared"})[0]
    assert any("do not send" in paragraph.lower() for paragraph in shared.paragraphs)
