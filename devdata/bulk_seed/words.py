"""Made-up but plausible content for generated records: place names, handles, sentences.

Nothing here is real: every school, person and account name is invented, and every email
address ends in `.invalid`, so generated data can never reach anyone.
"""

from __future__ import annotations

import random

TOWNS = ("Ashford", "Brookfield", "Castleton", "Dunmore", "Elmstead", "Fairhaven", "Glenbrook",
         "Hartwell", "Ivybridge", "Kingsmead", "Longford", "Marshfield", "Northgate",
         "Oakridge", "Pinehurst", "Queensbury", "Riverside", "Stonebridge", "Thornbury",
         "Upton", "Westfield", "Yarrow")
KINDS_OF_SCHOOL = ("Academy", "High School", "School", "College", "Community School",
                   "Primary School", "Church of England School", "Grammar School")

# Stems and endings that bait-out pages and fake profiles are commonly built from.
STEMS = ("exposed", "confessions", "tea", "spill", "rates", "secrets", "gossip", "leaks",
         "burn_book", "unfiltered", "truths", "baitout", "drama", "uncovered", "rumours",
         "hotornot", "year9", "year10", "year11", "sixthform", "girls", "boys", "lads")
FIRST_NAMES = ("amy", "ben", "chloe", "daniel", "ella", "finn", "grace", "harry", "isla",
               "jack", "katie", "leo", "maya", "noah", "olivia", "priya", "ravi", "sofia",
               "tom", "zara", "aisha", "callum", "jade", "kyle", "leah", "mason", "niamh")
GROUP_WORDS = ("year 10 chat", "the squad", "bus lot", "PE group", "football lads",
               "girls gc", "maths set 2", "after school", "the real ones", "drama club")
PLATFORMS = ("instagram", "snapchat", "tiktok", "instagram", "snapchat", "whatsapp",
             "facebook", "x", "discord", "telegram", "youtube", "reddit")

SENTENCES = (
    "Someone made a page with pictures of people in my year and it keeps getting new posts.",
    "A boy in my class keeps messaging me asking for pictures and I don't want to.",
    "There is a fake account using my name and my photo and it is messaging my friends.",
    "My friend sent a picture to someone she trusted and now it is in a group chat.",
    "People are saying things about me that are not true and it is going round everyone.",
    "An account I don't know said they would post my picture unless I sent more.",
    "I saw a video of a girl from school being passed round on my phone.",
    "They rate the girls in our year out of ten and post it every week.",
    "Someone edited a picture of my friend to make it look like she had no clothes on.",
    "It started after the party and now people won't stop sending it to each other.",
    "I don't know who runs the page but everyone in year 9 follows it.",
    "I told them to stop but they keep adding me back into the group.",
    "I am scared to come to school because everyone has seen it.",
    "My sister is in year 7 and someone older keeps sending her messages.",
    "The account was taken down last month but now there is a new one with nearly the same name.",
)
STAFF_NOTES = (
    "Spoke to the pupil in a quiet room. They are safe at home tonight.",
    "Checked with the head of year; no other reports about this yet.",
    "Parents informed after talking it through with the pupil first.",
    "Reported the page through the app's report button; waiting to hear back.",
    "Spoke to the pupil alleged to have shared it; they agreed to delete it everywhere.",
    "Pastoral support arranged for the pupil twice a week.",
    "Reviewed with the deputy DSL; no referral needed at this stage, reasons recorded.",
    "Followed up with the pupil; things are calmer and the page has gone quiet.",
    "Asked the form tutor to keep an eye out at break times.",
    "Contacted the neighbouring school's DSL as two of their pupils are in the group.",
)
REPLIES = (
    "Thank you for telling us. We have read this and we are going to help.",
    "You did the right thing. Can you come and see Ms Hart at break tomorrow?",
    "We have asked for the page to be taken down. Please tell us if it comes back.",
)
PUPIL_MESSAGES = (
    "Thank you. It is still up.",
    "There is another account now with nearly the same name.",
    "It has gone now, thank you.",
    "Can I come at lunch instead?",
)
YEAR_GROUPS = ("Year 7", "Year 8", "Year 9", "Year 10", "Year 11", "Year 12", "Year 13")


def school_name(number: int) -> str:
    """A made-up school name, distinct per number."""
    town = TOWNS[number % len(TOWNS)]
    kind = KINDS_OF_SCHOOL[(number // len(TOWNS)) % len(KINDS_OF_SCHOOL)]
    return f"{town} {kind} {number}"


def narrative(rng: random.Random) -> str:
    """One to three sentences, as a pupil might write them."""
    return " ".join(rng.sample(SENTENCES, rng.choice((1, 1, 2, 2, 3))))


def place_text(rng: random.Random, platform: str, town: str) -> str:
    """What a pupil types for an account: a handle, an @handle, a link or a group's name."""
    if platform == "whatsapp":
        return f"{rng.choice(GROUP_WORDS)} {rng.randrange(1, 99)}"
    handle = _handle(rng, town)
    style = rng.random()
    if style < 0.45:
        return f"@{handle}"
    if style < 0.75 or platform not in ("instagram", "tiktok", "x"):
        return handle
    host = {"instagram": "instagram.com", "tiktok": "tiktok.com", "x": "x.com"}[platform]
    prefix = "@" if platform == "tiktok" else ""
    return f"https://www.{host}/{prefix}{handle}"


def _handle(rng: random.Random, town: str) -> str:
    if rng.random() < 0.6:
        stem = f"{town.lower()}_{rng.choice(STEMS)}"
    else:
        stem = f"{rng.choice(FIRST_NAMES)}.{rng.choice(FIRST_NAMES)}"
    return f"{stem}{rng.choice(('', '_', '.', 'x'))}{rng.randrange(1, 10_000)}"
