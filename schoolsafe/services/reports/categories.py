"""The four kinds of online sexual harassment, and the plain choices pupils pick from.

Pupils never see category names; they tick what happened in their own words and the
choices map to categories here, in one place.
"""

from dataclasses import dataclass

from schoolsafe.vocab import N_, Labels

SHARING_IMAGES = "sharing_images"
COERCION = "coercion"
SEXUALISED_BULLYING = "sexualised_bullying"
UNWANTED_SEXUALISATION = "unwanted_sexualisation"
OTHER = "other"

CATEGORY_LABELS: Labels = Labels({
    SHARING_IMAGES: N_("Non-consensual sharing of intimate images or videos"),
    COERCION: N_("Exploitation, coercion and threats"),
    SEXUALISED_BULLYING: N_("Sexualised bullying"),
    UNWANTED_SEXUALISATION: N_("Unwanted sexualisation"),
    OTHER: N_("Something else"),
})


@dataclass(frozen=True)
class Choice:
    """One thing a pupil can tick under "what happened": `label` is its full meaning, as staff
    read it on the report and tick it on a concern; `short` is the few plain words the pupil's
    form shows, so the form stays quick to read."""

    code: str
    label: str
    category: str
    short: str = ""

    @property
    def pupil_label(self) -> str:
        """What the pupil's form shows."""
        return self.short or self.label


PUPIL_CHOICES: tuple[Choice, ...] = (
    Choice("nude_shared", N_("Someone shared or showed a nude or sexy picture or video "
                             "without saying yes"), SHARING_IMAGES,
           N_("Someone shared a nude")),
    Choice("photo_taken", N_("Someone took a picture or video of a private moment without "
                             "asking"), SHARING_IMAGES, N_("Private photos or videos taken")),
    Choice("asked_for_nudes", N_("Someone keeps asking for nudes or pushing to get them"),
           COERCION, N_("Someone asks for nudes")),
    Choice("threats", N_("Someone says they will share a picture unless they get money, "
                         "more pictures or something else"), COERCION,
           N_("Threats to share a picture")),
    Choice("bait_out_page", N_("There's a page or group posting rumours or pictures about "
                               "people at school"), SEXUALISED_BULLYING,
           N_("A page or group about pupils")),
    Choice("fake_profile", N_("Someone made a fake account pretending to be someone"),
           SEXUALISED_BULLYING, N_("A fake account")),
    Choice("rumours", N_("People are spreading sexual rumours or calling someone names"),
           SEXUALISED_BULLYING, N_("Sexual rumours or names")),
    Choice("unwanted_messages", N_("Someone sent sexual messages, pictures or comments "
                                   "that were not wanted"), UNWANTED_SEXUALISATION,
           N_("Unwanted sexual messages")),
    Choice("edited_image", N_("Someone made an edited or AI picture that makes someone look "
                              "naked or sexual"), UNWANTED_SEXUALISATION,
           N_("A fake nude (edited or AI)")),
    Choice("something_else", N_("Something else"), OTHER),
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
