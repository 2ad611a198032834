"""Referral recipients in a jurisdiction pack: who they are and the rules their notes follow.

A pack lists its recipients under ``[recipients.<kind>]``. The kinds are open: a pack may add
one the others do not have, and a referral can be drafted for it like any other. What differs
between recipients is data here - whether a note leaves out what identifies pupils, the case
factors a recipient needs, its age limit, and how long it expects the platform to have had
first - with the warnings a DSL sees when a case does not fit, in the pack's own words - and
whether sending to it is a statutory referral (police, CEOP, children's social care), which is
what makes a case "Referred" and clears its refer-now prompt.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from types import MappingProxyType

from schoolsafe.services.jurisdictions import fields as field
from schoolsafe.services.reports.urgency import FACTORS
from schoolsafe.vocab import RecipientKind

# Kinds are roles named after the UK bodies DESIGN section 8 starts from; a pack fills each with
# the local body that plays that role (the United States' "ceop" is the NCMEC CyberTipline), or
# adds a kind of its own. Every country has police, children's services and other schools; the
# other roles are left out where nothing like them exists.
REQUIRED_RECIPIENTS = (RecipientKind.POLICE, RecipientKind.SOCIAL_CARE,
                       RecipientKind.OTHER_SCHOOL)
# Stored in referrals.recipient_kind, a 30-character column.
KIND_CODE = re.compile(r"[a-z][a-z0-9_]{0,29}")
# What makes a recipient's wait for the platform end sooner.
SAFEGUARDING_CONCERN, PLATFORM_ANSWERED = "safeguarding_concern", "platform_answered"
# Which platform report a draft counts the wait from.
NEWEST_REPORT, FIRST_REPORT = "newest_report", "first_report"
# The ages a case records, as the factor saying a child is below them.
AGE_FACTORS = {13: "under_13"}


@dataclass(frozen=True)
class FactorRule:
    """The recipient takes only cases with one of these factors; otherwise warn."""

    factors: frozenset[str]
    warning: str


@dataclass(frozen=True)
class AgeRule:
    """The recipient helps only people of at least this age; warn when a child is younger."""

    age: int
    factor: str  # the case factor that says a child is younger
    warning: str


@dataclass(frozen=True)
class PlatformFirst:
    """The recipient expects the platform to have been told, and given time, first.

    The same rule makes the register offer the recipient as a next step for an entry that is
    still up, due `wait` after the entry's first platform report, or sooner.
    """

    wait: timedelta
    sooner_if: str  # SAFEGUARDING_CONCERN or PLATFORM_ANSWERED
    wait_from: str  # NEWEST_REPORT or FIRST_REPORT, for the draft's warning
    warn_no_report: str
    warn_unreported: str  # "" when the recipient does not ask for every account
    warn_too_soon: str
    step_title: str
    step_sooner: str
    step_waited: str


@dataclass(frozen=True)
class Recipient:
    """A body a referral note can go to, with its default address, what we ask and its rules."""

    kind: str
    name: str
    email: str
    phone: str
    hours: str
    url: str
    minimised: bool  # True: no pupil names or identifying details unless a DSL adds them
    asks: str
    notes: tuple[str, ...]
    needs_any_factor: FactorRule | None = None
    min_age: AgeRule | None = None
    after_platform: PlatformFirst | None = None
    # Sending to it is a statutory referral: the case becomes "Referred", the refer-now step
    # is done. A note to POSH or another school asks for help; it refers nobody.
    statutory: bool = False


def recipients(data: dict) -> Mapping[str, Recipient]:
    """Read the pack's recipients, in the order the pack lists them."""
    missing = [kind for kind in REQUIRED_RECIPIENTS if kind not in data]
    if missing:
        raise field.Invalid(f"recipients.{missing[0]}", "missing")
    for kind in data:
        if not KIND_CODE.fullmatch(kind):
            raise field.Invalid(f"recipients.{kind}", "a kind is 1-30 lower-case letters, "
                                                      "digits and underscores")
    found = {kind: _recipient(kind, field.table(data, kind, "recipients")) for kind in data}
    # Every country's police and children's services take statutory referrals; a pack that
    # forgot to say so would leave every case's refer-now prompt up for good.
    for kind in (RecipientKind.POLICE, RecipientKind.SOCIAL_CARE):
        if not found[kind].statutory:
            raise field.Invalid(f"recipients.{kind}.statutory", "must be true")
    return MappingProxyType(found)


def _recipient(kind: str, data: dict) -> Recipient:
    where = f"recipients.{kind}"
    field.only(data, {"name", "email", "phone", "hours", "url", "minimised", "asks", "notes",
                      "needs_any_factor", "min_age", "after_platform", "statutory"}, where)
    field.required(data, ("name", "minimised", "asks"), where)
    return Recipient(
        kind=kind,
        name=field.text(data, "name", where),
        email=field.email(data, "email", where),
        phone=field.phone(data, "phone", where, blank_ok=True),
        hours=field.text(data, "hours", where, blank_ok=True),
        url=field.url(data, "url", where, blank_ok=True),
        minimised=field.flag(data, "minimised", where),
        asks=field.text(data, "asks", where),
        notes=field.texts(data, "notes", where, allow_empty=True),
        needs_any_factor=_optional(data, "needs_any_factor", where, _factor_rule),
        min_age=_optional(data, "min_age", where, _age_rule),
        after_platform=_optional(data, "after_platform", where, _platform_first),
        statutory=field.flag(data, "statutory", where, default=False),
    )


def _optional(data: dict, key: str, where: str, read):
    return read(field.table(data, key, where), f"{where}.{key}") if key in data else None


def _factor_rule(data: dict, where: str) -> FactorRule:
    field.only(data, {"factors", "warning"}, where)
    factors = field.texts(data, "factors", where)
    for index, factor in enumerate(factors):
        if factor not in FACTORS:
            raise field.Invalid(f"{where}.factors[{index}]",
                                f"must be one of {', '.join(FACTORS)}")
    return FactorRule(frozenset(factors), field.text(data, "warning", where))


def _age_rule(data: dict, where: str) -> AgeRule:
    field.only(data, {"age", "warning"}, where)
    age = data.get("age")
    if isinstance(age, bool) or age not in AGE_FACTORS:
        ages = ", ".join(str(known) for known in AGE_FACTORS)
        raise field.Invalid(f"{where}.age", f"must be an age a case records: {ages}")
    return AgeRule(age, AGE_FACTORS[age], field.text(data, "warning", where))


def _platform_first(data: dict, where: str) -> PlatformFirst:
    field.only(data, {"wait", "sooner_if", "wait_from", "warn_no_report", "warn_unreported",
                      "warn_too_soon", "step_title", "step_sooner", "step_waited"}, where)
    return PlatformFirst(
        wait=field.wait(data, "wait", where),
        sooner_if=field.choice(data, "sooner_if", where,
                               (SAFEGUARDING_CONCERN, PLATFORM_ANSWERED)),
        wait_from=field.choice(data, "wait_from", where, (NEWEST_REPORT, FIRST_REPORT)),
        warn_no_report=field.text(data, "warn_no_report", where),
        warn_unreported=field.text(data, "warn_unreported", where, blank_ok=True),
        warn_too_soon=field.text(data, "warn_too_soon", where),
        step_title=field.text(data, "step_title", where),
        step_sooner=field.text(data, "step_sooner", where),
        step_waited=field.text(data, "step_waited", where),
    )
