"""Referral notes drafted from a case, with only what each recipient needs.

A draft is plain data: subject, body, recipients, what was left out (and what the DSL chose
to put back) and warnings in staff words. Nothing is sent from here; the DSL edits the draft
and the web layer stores and queues it. Subjects never carry names, because they show in
inboxes and notifications.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from email_validator import EmailNotValidError, validate_email

from schoolsafe.services.jurisdictions.recipients import (
    FIRST_REPORT,
    PLATFORM_ANSWERED,
    SAFEGUARDING_CONCERN,
    AgeRule,
    FactorRule,
    PlatformFirst,
)
from schoolsafe.services.referrals import text
from schoolsafe.services.words import Words, words_in
from schoolsafe.vocab import N_, RecipientKind, Urgency

# These never get our pupils' names by default, even if a jurisdiction file forgets to say so.
ALWAYS_MINIMISED = frozenset({RecipientKind.POSH, RecipientKind.REPORT_HARMFUL_CONTENT,
                              RecipientKind.OTHER_SCHOOL})

# What a minimised note leaves out unless the DSL puts it back, in the words the DSL sees.
OMITTABLE: dict[str, str] = {  # English, marked: translate where shown
    "people": N_("Pupils' names or labels, and their roles in the case"),
    "year_groups": N_("Pupils' year groups"),
    "narrative": N_("The written account of what happened, from reports and staff notes"),
    "factors": N_("The aggravating factors (for example self-harm or being known to be "
                  "vulnerable)"),
}

URGENT_LEVELS = frozenset({Urgency.IMMEDIATE, Urgency.HIGH})
DANGER_FACTORS = frozenset({"danger_now", "self_harm"})
# The warning given while a draft has nowhere to go; it lapses once it has.
NO_ADDRESS = N_("There is no email address for %(recipient)s.")
ADDRESS_SEPARATORS = re.compile(r"[,;\r\n]+")
# Staff sometimes write that they kept a copy; holding images of children is itself an offence.
COPY_WORDS = re.compile(r"\b(cop(y|ies|ied)|screen ?shots?|saved|downloaded|forwarded|printed)\b",
                        re.IGNORECASE)


class RecipientInfo(Protocol):
    """A referral body as the jurisdiction file describes it, with the rules its notes follow."""

    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def phone(self) -> str: ...
    @property
    def hours(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def minimised(self) -> bool: ...
    @property
    def asks(self) -> str: ...
    @property
    def notes(self) -> tuple[str, ...]: ...
    @property
    def needs_any_factor(self) -> FactorRule | None: ...
    @property
    def min_age(self) -> AgeRule | None: ...
    @property
    def after_platform(self) -> PlatformFirst | None: ...
    @property
    def statutory(self) -> bool: ...


@dataclass(frozen=True)
class PlatformReportFact:
    """One report the school made to a platform, and the platform's answer."""

    reported_on: datetime
    how: str
    reference: str
    response: str
    response_on: datetime | None


@dataclass(frozen=True)
class AccountFact:
    """One online account in the case, as the register holds it."""

    platform: str
    display: str
    url: str | None
    kind: str
    status: str
    first_seen: datetime | None
    last_seen: datetime | None
    platform_reports: tuple[PlatformReportFact, ...]


@dataclass(frozen=True)
class PersonFact:
    """One person in the case: label as chosen, year group, role in this case, date of birth."""

    label: str
    year_group: str
    role: str
    date_of_birth: date | None = None  # as the DSL recorded it on the case


@dataclass(frozen=True)
class AllegationFact:
    """A case about a member of staff: who is named, how it came to the school, and the
    places as typed (kept off the register)."""

    named: str
    how_reported: tuple[str, ...]
    places: tuple[str, ...]


@dataclass(frozen=True)
class HiddenName:
    """A name a minimised note leaves out: of a child on the case, or of a pupil it names.

    capitalised_only: taken out only where written with its capital, as a name ("Will", not
    "will"), for names found by looking through the directory rather than on the case.
    """

    name: str
    capitalised_only: bool = False


@dataclass(frozen=True)
class Removal:
    """A name a draft left out, and the section of the note it was taken from."""

    name: str
    where: str


@dataclass(frozen=True)
class ReferralFacts:
    """Everything a referral may draw on, gathered from the case."""

    case_reference: str
    school_name: str
    dsl_name: str
    dsl_email: str
    dsl_phone: str
    categories: frozenset[str]
    factors: frozenset[str]
    urgency: str
    started: str
    last_happened: str
    accounts: tuple[AccountFact, ...]
    people: tuple[PersonFact, ...]
    narrative: str
    evidence_held: tuple[str, ...]
    actions_so_far: tuple[str, ...]
    safeguarding_concern: bool
    allegation: AllegationFact | None = None
    # Every variant of every name to leave out when names are left out (from the directory).
    names_to_hide: tuple[HiddenName, ...] = ()
    # The language the note is written in: the school's.
    language: str = "en"
    # The number to call when a child is in danger now, from the school's jurisdiction pack.
    emergency_number: str = "999"


@dataclass(frozen=True)
class Omission:
    """An item a note leaves out by default, or one the DSL chose to put back."""

    code: str
    label: str


@dataclass(frozen=True)
class Draft:
    """A referral note ready for the DSL to check, edit and send."""

    kind: str
    subject: str
    body: str
    to: tuple[str, ...]
    left_out: tuple[Omission, ...]
    included_on_purpose: tuple[Omission, ...]
    warnings: tuple[str, ...]
    names_removed: tuple[Removal, ...] = ()


class ReferralError(ValueError):
    """A referral cannot be drafted as asked."""


class InvalidAddressError(ReferralError):
    """One or more email addresses are not valid; the message names them."""


class UnknownItemError(ReferralError):
    """The DSL asked to include something a referral does not know about."""


def draft_referral(recipient: RecipientInfo, facts: ReferralFacts,
                   include: frozenset[str] = frozenset(), now: datetime | None = None,
                   to_override: tuple[str, ...] | None = None,
                   keep_names: frozenset[str] = frozenset()) -> Draft:
    """Draft a note for one recipient from the case facts, leaving out what it does not need
    (keep_names: names the DSL chose to leave in on purpose)."""
    _check_include(include)
    left_out, on_purpose = _omissions(recipient, include)
    hidden = frozenset(item.code for item in left_out)
    to = _recipients(recipient, to_override)
    words = words_in(facts.language)
    scrub = text.NameScrub(facts.people, hidden, facts.names_to_hide, keep_names, words)
    return Draft(kind=recipient.kind, subject=_subject(facts, words),
                 body=_body(recipient, facts, hidden, scrub, words), to=to, left_out=left_out,
                 included_on_purpose=on_purpose,
                 warnings=_warnings(recipient, facts, hidden, to, now or datetime.now(UTC)),
                 names_removed=tuple(Removal(name, where) for name, where in scrub.removed))


def validate_addresses(text: str) -> tuple[str, ...]:
    """Split a list of addresses, check each one and return them tidied, without repeats."""
    addresses = [part.strip() for part in ADDRESS_SEPARATORS.split(text or "") if part.strip()]
    if not addresses:
        raise InvalidAddressError(N_("Add at least one email address."))
    checked, problems = [], []
    for address in addresses:
        try:
            checked.append(validate_email(address, check_deliverability=False).normalized)
        except EmailNotValidError as error:
            problems.append(f'"{address}" is not a valid email address ({error})')
    if problems:
        raise InvalidAddressError("; ".join(problems) + ".")
    return tuple(dict.fromkeys(checked))


def is_minimised(recipient: RecipientInfo) -> bool:
    """Say whether this recipient gets no pupil names or identifying details by default."""
    return recipient.minimised or recipient.kind in ALWAYS_MINIMISED


def _check_include(include: frozenset[str]) -> None:
    unknown = sorted(include - OMITTABLE.keys())
    if unknown:
        raise UnknownItemError(f"A referral cannot include: {', '.join(unknown)}.")


def _omissions(recipient: RecipientInfo,
               include: frozenset[str]) -> tuple[tuple[Omission, ...], tuple[Omission, ...]]:
    # Recipients that get everything already (police, social care) have nothing "put back".
    if not is_minimised(recipient):
        return (), ()
    items = [Omission(code, label) for code, label in OMITTABLE.items()]
    return (tuple(item for item in items if item.code not in include),
            tuple(item for item in items if item.code in include))


def _subject(facts: ReferralFacts, words: Words) -> str:
    # Built only from the school and case reference, so no name can reach an inbox list.
    school, case = text.one_line(facts.school_name), facts.case_reference
    if facts.urgency in URGENT_LEVELS:
        return words.gettext("Urgent referral from %(school)s: case %(case)s", school=school,
                             case=case)
    return words.gettext("Referral from %(school)s: case %(case)s", school=school, case=case)


def _recipients(recipient: RecipientInfo, to_override: tuple[str, ...] | None) -> tuple[str, ...]:
    if to_override is None:
        return (recipient.email.strip(),) if recipient.email.strip() else ()
    return validate_addresses("\n".join(to_override)) if to_override else ()


def _body(recipient: RecipientInfo, facts: ReferralFacts, hidden: frozenset[str],
          names: text.NameScrub, words: Words) -> str:
    parts = [text.summary(recipient, facts, words)]
    if facts.allegation is not None and not hidden:
        # Only a recipient told everything hears who is named (the LADO, police, social care).
        parts.append(text.allegation(facts.allegation, words))
    parts += [text.what_happened(facts, "narrative" not in hidden,
                                 names.at("What happened and when"), words),
              text.accounts(facts.accounts, names.at("Platforms and accounts"), words)]
    if not {"people", "year_groups"} <= hidden:
        parts.append(text.people(facts.people, "people" not in hidden,
                                 "year_groups" not in hidden, words))
    if "factors" not in hidden:
        parts.append(text.factors(facts.factors, words))
    parts += [text.evidence(facts.evidence_held, names.at("Where the evidence is"), words),
              text.actions(facts.actions_so_far, names.at("What the school has done so far"),
                           words),
              text.asks(recipient, words), text.contact(facts, minimised=bool(hidden),
                                                        words=words)]
    return "\n\n".join(parts) + "\n"


def _warnings(recipient: RecipientInfo, facts: ReferralFacts, hidden: frozenset[str],
              to: tuple[str, ...], now: datetime) -> tuple[str, ...]:
    # Kept with the draft, so written in the school's language like the note itself.
    words = words_in(facts.language)
    found = [_danger(facts, words), *_recipient_rules(recipient, facts, now, words),
             _no_address(recipient, to, words), _copies(facts, words),
             _name_in_handle(facts, hidden, words), *(note.strip() for note in recipient.notes)]
    # Keep the first of any repeats, in this order: danger first, then the recipient's rules.
    return tuple(dict.fromkeys(warning for warning in found if warning))


def _recipient_rules(recipient: RecipientInfo, facts: ReferralFacts, now: datetime,
                     words: Words) -> list[str]:
    found = []
    if recipient.needs_any_factor and not facts.factors & recipient.needs_any_factor.factors:
        found.append(recipient.needs_any_factor.warning)
    if recipient.after_platform:
        found += _after_platform(recipient.after_platform, facts, now, words)
    if recipient.min_age and recipient.min_age.factor in facts.factors:
        found.append(recipient.min_age.warning)
    return found


def _danger(facts: ReferralFacts, words: Words) -> str:
    if facts.factors & DANGER_FACTORS:
        return words.gettext("A child may be in danger: call %(number)s now - do not wait for "
                             "an email.", number=facts.emergency_number)
    return ""


def _after_platform(rule: PlatformFirst, facts: ReferralFacts, now: datetime,
                    words: Words) -> list[str]:
    reports = _platform_reports(facts)
    if not reports:
        return [rule.warn_no_report]
    found = []
    unreported = [text.one_line(a.display) for a in facts.accounts if not a.platform_reports]
    if rule.warn_unreported and unreported:
        found.append(words.gettext("Not yet reported to the platform: %(accounts)s.",
                                   accounts=", ".join(unreported)) + " " + rule.warn_unreported)
    if _too_soon(rule, facts, reports, now):
        found.append(rule.warn_too_soon)
    return found


def _too_soon(rule: PlatformFirst, facts: ReferralFacts, reports: list[PlatformReportFact],
              now: datetime) -> bool:
    if rule.sooner_if == SAFEGUARDING_CONCERN and facts.safeguarding_concern:
        return False
    if rule.sooner_if == PLATFORM_ANSWERED and any(r.response.strip() for r in reports):
        return False
    made = [text.as_utc(report.reported_on) for report in reports]
    since = min(made) if rule.wait_from == FIRST_REPORT else max(made)
    return text.as_utc(now) - since < rule.wait


def _no_address(recipient: RecipientInfo, to: tuple[str, ...], words: Words) -> str:
    if to:
        return ""
    phone = recipient.phone + (f" ({recipient.hours})" if recipient.hours else "")
    if recipient.phone and recipient.url:
        said = words.gettext("Add one before sending, or phone %(phone)s or use %(url)s.",
                             phone=phone, url=recipient.url)
    elif recipient.phone:
        said = words.gettext("Add one before sending, or phone %(phone)s.", phone=phone)
    elif recipient.url:
        said = words.gettext("Add one before sending, or use %(url)s.", url=recipient.url)
    else:
        said = words.gettext("Add one before sending.")
    return words.gettext(NO_ADDRESS, recipient=recipient.name) + " " + said


def is_no_address_warning(warning: str, words: Words) -> bool:
    """Whether a stored warning is the one about a missing address (in the note's language),
    which an address typed in answers."""
    before, _, after = words.gettext(NO_ADDRESS, recipient="\0").partition("\0")
    return re.match(f"{re.escape(before)}.*?{re.escape(after)}", warning) is not None


def _copies(facts: ReferralFacts, words: Words) -> str:
    if not any(COPY_WORDS.search(item) for item in facts.evidence_held):
        return ""
    return words.gettext("An evidence note mentions a copy, screenshot or saved file. Never "
                         "copy, save, print or forward images of children; if a copy of such "
                         "an image exists, ask the police what to do with it.")


def _name_in_handle(facts: ReferralFacts, hidden: frozenset[str], words: Words) -> str:
    # Handles and links stay whole for the recipient to find the account, so say so instead.
    if "people" not in hidden:
        return ""
    # A handle often carries only a first or last name ("owen_bums_..."), so check each part.
    labels = {_squashed(part) for person in facts.people
              for part in (person.label, *person.label.split())}
    places = [_squashed(f"{account.display} {account.url or ''}") for account in facts.accounts]
    if not any(len(label) >= 3 and label in place for label in labels for place in places):
        return ""
    return words.gettext("An account name or link contains a pupil's name or label. It stays "
                         "in the note because the recipient needs it to find the account; "
                         "check this before sending.")


def _squashed(value: str) -> str:
    return re.sub(r"[\W_]+", "", value.lower())


def _platform_reports(facts: ReferralFacts) -> list[PlatformReportFact]:
    return [report for account in facts.accounts for report in account.platform_reports]
