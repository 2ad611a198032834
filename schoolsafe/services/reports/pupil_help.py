"""Choose the help a pupil sees after telling us, from who it is about and what happened.

The words live in the school's jurisdiction pack; this module only picks the sections and
puts them in order. It never raises for codes it does not know: a pupil must always get help,
and the general section is always there.
"""

from collections.abc import Set
from dataclasses import replace

from schoolsafe.services.jurisdictions.packs import STAFF_BACK, HelpSection, Jurisdiction
from schoolsafe.vocab import About

# Most pressing first. Threats come before nudes being shared because "don't pay, don't send
# more" has to be read before anything else when both apply (sextortion); the threats help
# names the take-down services itself, so they are offered even when "nude shared" is not ticked.
_TOPIC_TRIGGERS: tuple[tuple[str, frozenset[str]], ...] = (
    ("danger_now", frozenset({"danger_now", "self_harm"})),
    # Said early: the pupil must know the adult they named will not be the one reading.
    ("about_staff", frozenset({"about_staff"})),
    ("threats", frozenset({"threats", "asked_for_nudes", "coercion"})),
    ("adult_involved", frozenset({"adult_involved"})),
    ("nude_shared", frozenset({"nude_shared", "photo_taken", "edited_image"})),
    ("fake_or_page", frozenset({"fake_profile", "bait_out_page"})),
    ("unwanted", frozenset({"unwanted_messages", "rumours"})),
)
# The help about an adult covers messages from that adult (block, keep them, tell someone);
# the general "unwanted" help is about other young people and would point at hate-crime lines.
# An adult who works at the school is such an adult too.
_COVERED_BY: dict[str, frozenset[str]] = {"unwanted": frozenset({"adult_involved", "about_staff"})}


def help_for(
    jurisdiction: Jurisdiction,
    about: str,
    factors: Set[str],
    choices: Set[str],
    out_of_hours: bool = False,
    staff_back: str | None = None,
) -> list[HelpSection]:
    """Help sections for this pupil, crisis help first and the general section last."""
    said = set(factors) | set(choices)  # "threats" is both a factor and a choice
    topics = [topic for topic, codes in _TOPIC_TRIGGERS if said & codes]
    topics = [topic for topic in topics if not _COVERED_BY.get(topic, frozenset()) & set(topics)]
    if out_of_hours:
        # Straight after crisis help: the pupil must know nobody will read this tonight, and
        # where the 24-hour line is, before any other advice.
        topics.insert(1 if topics[:1] == ["danger_now"] else 0, "out_of_hours")
    topics.append("general")
    who = _who(about)
    return [_filled(jurisdiction.help[topic, who], staff_back) for topic in topics]


def _who(about: str) -> About:
    # The form always says who it is about; if it somehow did not, help written about someone
    # else is the safe guess: it never tells a pupil a picture is of them.
    return About(about) if about in About.values() else About.FRIEND


def _filled(section: HelpSection, staff_back: str | None) -> HelpSection:
    if section.topic != "out_of_hours":
        return section
    back = (staff_back or "").strip()
    # Without a known time the paragraph that names it is dropped rather than left half-empty.
    paragraphs = tuple(
        paragraph.replace(STAFF_BACK, back)
        for paragraph in section.paragraphs
        if back or STAFF_BACK not in paragraph
    )
    return replace(section, paragraphs=paragraphs)
