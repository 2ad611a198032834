"""The four kinds of online sexual harassment, and the plain choices pupils pick from.

Pupils never see category names; they tick what happened in their own words and the
choices map to categories here, in one place.
"""

from dataclasses import dataclass

SHARING_IMAGES = "sharing_images"
COERCION = "coercion"
SEXUALISED_BULLYING = "sexualised_bullying"
UNWANTED_SEXUALISATION = "unwanted_sexualisation"
OTHER = "other"

CATEGORY_LABELS: dict[str, str] = {
    SHARING_IMAGES: "Non-consensual sharing of intimate images or videos",
    COERCION: "Exploitation, coercion and threats",
    SEXUALISED_BULLYING: "Sexualised bullying",
    UNWANTED_SEXUALISATION: "Unwanted sexualisation",
    OTHER: "Something else",
}


@dataclass(frozen=True)
class Choice:
    """One thing a pupil can tick under "what happened"."""

    code: str
    label: str
    category: str


PUPIL_CHOICES: tuple[Choice, ...] = (
    Choice("nude_shared", "Someone shared or showed a nude or sexy picture without saying yes",
           SHARING_IMAGES),
    Choice("photo_taken", "Someone filmed or photographed a private moment without asking",
           SHARING_IMAGES),
    Choice("asked_for_nudes", "Someone keeps asking for nudes", COERCION),
    Choice("threats", "Someone says they will share a picture unless they get something",
           COERCION),
    Choice("bait_out_page", "There's a page or group posting rumours or pictures about pupils",
           SEXUALISED_BULLYING),
    Choice("fake_profile", "Someone made a fake account pretending to be someone",
           SEXUALISED_BULLYING),
    Choice("rumours", "People are spreading sexual rumours or calling someone names",
           SEXUALISED_BULLYING),
    Choice("unwanted_messages", "Someone sent sexual messages or pictures nobody wanted",
           UNWANTED_SEXUALISATION),
    Choice("edited_image", "Someone made a fake naked or sexual picture (edited or AI)",
           UNWANTED_SEXUALISATION),
    Choice("something_else", "Something else", OTHER),
)

# Not on the form: recorded when a pupil answers only "who is this about?", which says
# "something happened, please talk to me". The DSL sees it on the report and in the queue.
WANTS_TO_TALK = Choice("wants_to_talk", "Wants to talk", OTHER)

CHOICES_BY_CODE: dict[str, Choice] = {choice.code: choice
                                      for choice in (*PUPIL_CHOICES, WANTS_TO_TALK)}


def categories_for(choice_codes: list[str]) -> list[str]:
    """Return the categories the given choices map to, in a stable order, without repeats."""
    wanted = {CHOICES_BY_CODE[code].category for code in choice_codes if code in CHOICES_BY_CODE}
    return [category for category in CATEGORY_LABELS if category in wanted]
