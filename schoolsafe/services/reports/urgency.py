"""How urgent a report or case is, and why, from its factors, categories and pupil choices.

Every rule lives in the one table below so that staff, tests and reviewers can read the whole
policy in one place. The levels and factors follow DESIGN section 6: the UK schools' guidance
on nudes (UKCIS) for when to refer at once, and the police guidance's list of aggravating
factors to check at first report.
"""

from collections.abc import Collection, Set
from dataclasses import dataclass

from schoolsafe.services.reports.categories import CATEGORY_LABELS, CHOICES_BY_CODE, categories_for
from schoolsafe.vocab import N_, Labels, Urgency

FACTORS: Labels = Labels({
    "danger_now": N_("Someone is in danger right now"),
    "self_harm": N_("Someone is thinking of hurting themselves"),
    "threats": N_("Threats, or demands for money or more pictures (possible sextortion)"),
    "coercion": N_("Pressured, tricked or groomed into sending images"),
    "adult_involved": N_("An adult is involved"),
    "about_staff": N_("The adult works at the school"),
    "under_13": N_("A child under 13 is involved"),
    "assault_recording": N_("A video or photo of someone being hurt, or of another crime"),
    "extreme_content": N_("Extreme or violent sexual content"),
    "known_vulnerable": N_("A child already known to be vulnerable"),
    "many_children": N_("A high number of children involved"),
})


@dataclass(frozen=True)
class Assessment:
    """The urgency level and one plain reason per rule that fired, most urgent first."""

    level: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class _Rule:
    source: str  # "factor", "category" or "choice": which set of codes the rule looks in
    code: str
    level: Urgency
    reason: str


_RULES: tuple[_Rule, ...] = (
    # A child at immediate risk of harm: UKCIS says refer at once.
    _Rule("factor", "danger_now", Urgency.IMMEDIATE, "Someone may be in danger right now."),
    _Rule("factor", "self_harm", Urgency.IMMEDIATE,
          "Someone may be thinking of hurting themselves."),
    # UKCIS immediate-referral triggers and police aggravating factors: refer today.
    _Rule("factor", "threats", Urgency.HIGH, "Threats or demands for money or more pictures."),
    _Rule("factor", "coercion", Urgency.HIGH, "A child was pressured, tricked or groomed."),
    _Rule("factor", "adult_involved", Urgency.HIGH, "An adult is involved."),
    # An allegation against someone who works with children: referred the same day (KCSIE
    # Part 4 in England), so never below high.
    _Rule("factor", "about_staff", Urgency.HIGH, "The adult works at the school."),
    _Rule("factor", "under_13", Urgency.HIGH, "A child under 13 is involved."),
    _Rule("factor", "assault_recording", Urgency.HIGH,
          "There is a recording of an assault or crime."),
    # The police guidance lists these three among the aggravating factors to establish at first
    # report, next to coercion and under-13, so they rank with them as high rather than medium;
    # extreme or violent content is also a UKCIS reason to refer at once.
    _Rule("factor", "extreme_content", Urgency.HIGH, "The content is extreme or violent."),
    _Rule("factor", "known_vulnerable", Urgency.HIGH, "A child already known to be vulnerable."),
    _Rule("factor", "many_children", Urgency.HIGH, "A high number of children are involved."),
    # Coercion as a category (pressure for nudes, sextortion) is a UKCIS trigger in itself.
    _Rule("category", "coercion", Urgency.HIGH, "Pressure, threats or exploitation were reported."),
    _Rule("choice", "threats", Urgency.HIGH,
          "Someone threatens to share a picture to get something."),
    # Harm that spreads while it stays up: at least medium (DESIGN section 6).
    _Rule("category", "sharing_images", Urgency.MEDIUM,
          "Intimate images shared or taken without consent."),
    _Rule("choice", "fake_profile", Urgency.MEDIUM, "A fake or impersonation profile."),
    _Rule("choice", "bait_out_page", Urgency.MEDIUM, "A bait-out page or group."),
    # An edited or AI-made nude is treated like a real one: it is shared the same way.
    _Rule("choice", "edited_image", Urgency.MEDIUM, "An edited or AI-made sexual image."),
)

# UKCIS: refer to police and/or children's social care at once. A recording of an assault counts
# as violent acts; under-13 is taken broadly because a pupil cannot tell us what imagery shows.
_IMMEDIATE_REFERRAL = ("danger_now", "self_harm", "adult_involved", "coercion", "threats",
                       "extreme_content", "assault_recording", "under_13")


def rank(level: str) -> int:
    """Return 0 for immediate up to 3 for standard, for sorting and comparing levels."""
    if level not in Urgency.values():
        raise ValueError(f"unknown urgency level: {level!r}")
    return Urgency(level).rank


def assess(
    factors: Set[str], categories: Set[str], choices: Set[str] = frozenset()
) -> Assessment:
    """Work out the urgency level and the reasons for it; the most urgent rule wins."""
    _check_known(factors, FACTORS, "factor")
    _check_known(categories, CATEGORY_LABELS, "category")
    _check_known(choices, CHOICES_BY_CODE, "choice")
    # A pupil's choices imply their categories, so callers cannot under-rate by passing one only.
    seen = {
        "factor": set(factors),
        "category": set(categories) | set(categories_for(sorted(choices))),
        "choice": set(choices),
    }
    fired = [rule for rule in _RULES if rule.code in seen[rule.source]]
    if not fired:
        return Assessment(Urgency.STANDARD, ())
    fired.sort(key=lambda rule: rank(rule.level))  # stable: table order within a level
    return Assessment(fired[0].level, tuple(rule.reason for rule in fired))


def immediate_referral_triggers(factors: Set[str]) -> tuple[str, ...]:
    """Return the factor codes present that UKCIS says need a police or social care referral now."""
    _check_known(factors, FACTORS, "factor")
    return tuple(code for code in _IMMEDIATE_REFERRAL if code in factors)


def _check_known(codes: Set[str], known: Collection[str], what: str) -> None:
    # A misspelt code would silently lower the urgency, so refuse it loudly instead.
    unknown = sorted(set(codes) - set(known))
    if unknown:
        raise ValueError(f"unknown {what} code(s): {', '.join(unknown)}")
