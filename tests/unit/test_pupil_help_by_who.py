"""Help that fits who it happened to: the pupil, a friend, or something they saw.

The table below is every answer to "who is this about?" against the six things that most
change the help, in each shipped pack: the help must name that country's services, and a
friend or bystander must never be told that the picture is of them.
"""

import re

import pytest

from schoolsafe.services.jurisdictions.packs import (
    HELP_BY_WHO,
    JURISDICTIONS_DIR,
    load_jurisdictions,
)
from schoolsafe.services.reports.pupil_help import help_for
from schoolsafe.vocab import About

PACKS = load_jurisdictions(JURISDICTIONS_DIR)

# What happened, as the form sends it: (factors ticked, choices ticked).
WHAT = {
    "nude shared": (set(), {"nude_shared"}),
    "threats and money": (set(), {"threats"}),
    "adult involved": ({"adult_involved"}, {"unwanted_messages"}),
    "fake profile": (set(), {"fake_profile"}),
    "comments only": (set(), {"unwanted_messages"}),
    "danger now": ({"danger_now"}, set()),
}

# The services that let the person in the picture get it taken down, by the names in each pack.
TAKEDOWN = {
    "england-wales": ["Report Remove", "Take It Down"],
    "wales": ["Report Remove", "Take It Down"],
    "belgium": ["Child Focus", "Take It Down"],
    "sweden": ["Take It Down"],
    "united-states": ["Take It Down"],
}

# Who each cell must name, by (part of) the contact's name in the pack.
BODIES = {
    "england-wales": {
        "nude shared": [*TAKEDOWN["england-wales"], "Childline"],
        "threats and money": ["CEOP", *TAKEDOWN["england-wales"]],
        "adult involved": ["CEOP", "Childline"],
        "fake profile": ["Report Harmful Content", "Childline"],
        "comments only": ["Report Harmful Content", "True Vision", "Childline"],
        "danger now": ["Emergency services", "Childline"],
    },
    # Wales: the same UK bodies, with Meic beside Childline.
    "wales": {
        "nude shared": [*TAKEDOWN["wales"], "Childline", "Meic"],
        "threats and money": ["CEOP", *TAKEDOWN["wales"]],
        "adult involved": ["CEOP", "Childline", "Meic"],
        "fake profile": ["Report Harmful Content", "Childline", "Meic"],
        "comments only": ["Report Harmful Content", "True Vision", "Childline", "Meic"],
        "danger now": ["Emergency services", "Childline", "Meic"],
    },
    "belgium": {
        "nude shared": [*TAKEDOWN["belgium"], "IGVM", "Awel"],
        "threats and money": [*TAKEDOWN["belgium"], "Awel"],
        "adult involved": ["Child Focus", "Awel"],
        "fake profile": ["Child Focus", "Awel"],
        "comments only": ["Awel", "Child Focus"],
        "danger now": ["Emergency services", "Tele-Onthaal"],
    },
    "sweden": {
        "nude shared": [*TAKEDOWN["sweden"], "BRIS"],
        "threats and money": ["Police", *TAKEDOWN["sweden"], "BRIS"],
        "adult involved": ["Police", "BRIS"],
        "fake profile": ["BRIS"],
        "comments only": ["Unizon", "BRIS"],
        "danger now": ["Emergency services", "BRIS"],
    },
    "united-states": {
        "nude shared": [*TAKEDOWN["united-states"], "CyberTipline"],
        "threats and money": ["CyberTipline", *TAKEDOWN["united-states"]],
        "adult involved": ["CyberTipline"],
        "fake profile": ["Cyber Civil Rights Initiative"],
        "comments only": ["RAINN"],
        "danger now": ["Emergency services", "988 Suicide & Crisis Lifeline"],
    },
}

# Words that tell a reader the picture is of them, or that it is not their fault for being in
# it. Fine for the pupil it happened to; wrong for a friend or someone who saw it.
THEIR_PICTURE = [
    r"\byour (own )?(nudes?|pictures?|photos?|videos?|images?)\b",
    r"\b(nudes?|pictures?|photos?|videos?|images?) (of|taken of) you\b",
    r"\byou (are |were )?in (the|a|that) (picture|photo|video)",
    r"\bthis is not your fault\b",
    r"\bnot your fault, even if you sent\b",
    r"\bbefore you were 18\b",
    r"\byou can ask for it to be taken down\b",
    r"\b(threatening|pushing|filmed) you\b",
]

EVERY_CELL = [pytest.param(code, about, what, id=f"{code}-{about}-{what}")
              for code in PACKS for about in About for what in WHAT]
OTHERS_CELLS = [pytest.param(code, about, what, id=f"{code}-{about}-{what}")
                for code in PACKS for about in (About.FRIEND, About.WITNESSED) for what in WHAT]
EVERY_PACK = pytest.mark.parametrize("code", PACKS)


def shown(code: str, about: str, what: str, **hours):
    factors, choices = WHAT[what]
    return help_for(PACKS[code], about, factors, choices, **hours)


def words(sections) -> str:
    parts = []
    for section in sections:
        parts += [section.title, *section.paragraphs, *(c.note for c in section.contacts)]
    return "\n".join(parts)


def names(sections) -> list[str]:
    return [contact.name for section in sections for contact in section.contacts]


def picture_claims(text: str) -> list[str]:
    return [found.group(0) for pattern in THEIR_PICTURE
            for found in re.finditer(pattern, text, re.IGNORECASE)]


# ---- the table ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "about", "what"), EVERY_CELL)
def test_each_cell_names_the_services_of_the_schools_country(code, about, what):
    listed = names(shown(code, about, what))
    missing = [body for body in BODIES[code][what] if not any(body in name for name in listed)]
    assert missing == [], listed


@pytest.mark.parametrize(("code", "about", "what"), OTHERS_CELLS)
def test_a_friend_or_bystander_is_never_told_the_picture_is_of_them(code, about, what):
    # Out of hours too, so every section the page can show is read.
    sections = shown(code, about, what, out_of_hours=True, staff_back="on Monday at 8:00am")
    assert picture_claims(words(sections)) == []


@EVERY_PACK
@pytest.mark.parametrize("what", ["nude shared", "threats and money"])
def test_only_the_pupil_it_happened_to_is_told_about_their_own_picture(code, what):
    # The same answers, three readers: the check finds the pupil's own help, so it can fail.
    assert picture_claims(words(shown(code, About.SELF, what)))
    assert picture_claims(words(shown(code, About.FRIEND, what))) == []
    assert picture_claims(words(shown(code, About.WITNESSED, what))) == []


@EVERY_PACK
def test_without_a_known_who_the_help_never_says_the_picture_is_theirs(code):
    # The form always asks; a report without the answer still gets help, written for a friend.
    sections = help_for(PACKS[code], "", set(), {"nude_shared"})
    assert [section.topic for section in sections] == ["nude_shared", "general"]
    assert sections[0] == PACKS[code].help["nude_shared", About.FRIEND]


# ---- what each reader is told -------------------------------------------------------------------

@EVERY_PACK
def test_a_bystander_sent_a_nude_is_told_what_to_do_with_their_copy(code):
    sections = shown(code, About.WITNESSED, "nude shared")
    text = words(sections).lower()
    assert "do not send it on" in text  # don't forward it
    assert "do not delete it yet" in text
    assert "tell us where" in text
    assert "not your fault that you were sent it" in text
    # The take-down services are for the person in the picture, and the bystander can help.
    sentence = next(s for s in re.split(r"(?<=[.!?])\s+", words(sections))
                    if "for the person in the picture" in s)
    assert all(body in sentence for body in TAKEDOWN[code]), sentence
    assert "you can help them" in text


@EVERY_PACK
@pytest.mark.parametrize("topic", HELP_BY_WHO)
def test_a_friends_help_speaks_about_helping_the_friend(code, topic):
    section = PACKS[code].help[topic, About.FRIEND]
    assert "friend" in section.title
    assert sum("friend" in paragraph for paragraph in section.paragraphs) >= 1
    assert section != PACKS[code].help[topic, About.SELF]


@EVERY_PACK
@pytest.mark.parametrize("about", About.values())
def test_threats_and_money_offer_take_down_help_without_nude_shared_ticked(code, about):
    for factors, choices in [({"threats"}, set()), (set(), {"threats"}),
                             (set(), {"asked_for_nudes"})]:
        sections = help_for(PACKS[code], about, factors, choices)
        assert "nude_shared" not in [section.topic for section in sections]
        threats = next(section for section in sections if section.topic == "threats")
        for body in TAKEDOWN[code]:
            assert any(body in contact.name for contact in threats.contacts), body
            assert any(body in paragraph for paragraph in threats.paragraphs), body


@EVERY_PACK
@pytest.mark.parametrize("about", About.values())
def test_an_adult_involved_gets_a_heading_about_an_adult_and_no_hate_crime_line(code, about):
    sections = shown(code, about, "adult involved")
    adult = sections[0]
    assert adult.topic == "adult_involved"
    assert "adult" in adult.title and "threaten" not in adult.title
    assert not any("True Vision" in name for name in names(sections))
    assert "pick on someone for who they are" not in words(sections)


@EVERY_PACK
@pytest.mark.parametrize("about", About.values())
def test_an_under_13_with_a_fake_profile_is_told_what_they_can_do(code, about):
    sections = help_for(PACKS[code], about, {"under_13"}, {"fake_profile"})
    fake = next(section for section in sections if section.topic == "fake_or_page")
    text = " ".join(fake.paragraphs)
    assert "you can still report it" in text  # in the app
    assert "ask us, or an adult you trust, to report it for you" in text


def test_in_england_and_wales_an_under_13_is_told_report_harmful_content_is_13_and_up():
    pack = PACKS["england-wales"]
    for about in About:
        fake = pack.help["fake_or_page", about]
        assert "Report Harmful Content is for ages 13 and up. If you are younger" in " ".join(
            fake.paragraphs)


# ---- readability ---------------------------------------------------------------------------------

def syllables(word: str) -> int:
    """Vowel groups, less a silent final e: the usual estimate behind Flesch-Kincaid."""
    word = re.sub(r"[^a-z]", "", word.lower())
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", word)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", re.sub(r"^y", "", word))))


def grade(texts: list[str]) -> float:
    """Flesch-Kincaid grade level of the texts, each title counted as a sentence."""
    sentences = [s for text in texts for s in re.split(r"(?<=[.!?])\s+", text) if s]
    found = [w for s in sentences for w in re.findall(r"[A-Za-z0-9'-]+", s)]
    return (0.39 * len(found) / len(sentences)
            + 11.8 * sum(syllables(w) for w in found) / len(found) - 15.59)


HARD = ["Safeguarding professionals considering institutional responsibilities should "
        "communicate appropriately with organisations."]


@EVERY_PACK
@pytest.mark.parametrize("about", About.values())
@pytest.mark.parametrize("topic", HELP_BY_WHO)
def test_help_for_each_reader_reads_at_grade_5_or_lower(code, topic, about):
    assert grade(HARD) > 5  # the measure itself can fail
    section = PACKS[code].help[topic, about]
    texts = [f"{section.title}.", *section.paragraphs, *(c.note for c in section.contacts)]
    assert grade(texts) <= 5, texts


@EVERY_PACK
@pytest.mark.parametrize("about", About.values())
def test_an_adult_who_works_at_the_school_is_told_first_that_they_will_not_read_it(code, about):
    sections = help_for(PACKS[code], about, {"danger_now", "about_staff", "adult_involved"},
                        {"unwanted_messages"})
    topics = [section.topic for section in sections]
    assert topics[:3] == ["danger_now", "about_staff", "adult_involved"]
    staff = sections[1]
    assert staff == PACKS[code].help["about_staff", about]
    said = " ".join(staff.paragraphs)
    for sentence in ("You did the right thing by telling us.", "is always in the wrong.",
                     "The person you told us about will not read this."):
        assert sentence in said
    # The adult is not another young person: no hate-crime line for "unwanted messages".
    assert "unwanted" not in topics
    if about == About.SELF:
        assert "It is not your fault." in said
