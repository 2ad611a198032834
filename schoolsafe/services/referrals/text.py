"""The plain-text body of a referral note, written section by section.

The note is emailed and printed, so it is plain text with underlined headings. Every
set in the case facts is walked in a fixed table order, so the same case always gives the
same note whatever order Python keeps a set in.

Every word of the note is written in the language it is given (`words`, the school's language:
a referral to Belgian police goes in Dutch or French); English is the marked text itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from schoolsafe.services import local_time
from schoolsafe.services.reports.categories import CATEGORY_LABELS
from schoolsafe.services.words import ENGLISH, Words
from schoolsafe.vocab import (
    ACCOUNT_KIND_REFERRAL_WORDS,
    ACCOUNT_STATUS_REFERRAL_WORDS,
    N_,
    PERSON_ROLE_REFERRAL_WORDS,
    AccountKind,
    AccountStatus,
)

if TYPE_CHECKING:
    from schoolsafe.services.referrals.rules import (
        AccountFact,
        AllegationFact,
        HiddenName,
        PersonFact,
        PlatformReportFact,
        RecipientInfo,
        ReferralFacts,
    )

# One function turns free text into what this recipient may read (it removes names).
Scrub = Callable[[str], str]

FACTOR_LABELS: dict[str, str] = {
    "danger_now": N_("A child is in danger right now"),
    "self_harm": N_("A child may hurt themselves (self-harm or thoughts of suicide)"),
    "threats": N_("Threats or blackmail, including sextortion"),
    "coercion": N_("A child was pressured, coerced or groomed"),
    "adult_involved": N_("An adult is involved"),
    "under_13": N_("A child involved is under 13"),
    "assault_recording": N_("Images or recordings show a crime, such as an assault"),
    "extreme_content": N_("The content is extreme or violent"),
    "known_vulnerable": N_("A child involved is already known to be vulnerable"),
    "many_children": N_("A large number of children are involved"),
}

# The register's words, plus older spellings of the same codes (never written any more).
ACCOUNT_KIND_LABELS: dict[str, str] = {
    **ACCOUNT_KIND_REFERRAL_WORDS,
    "bait_out": ACCOUNT_KIND_REFERRAL_WORDS[AccountKind.BAIT_OUT_PAGE],
    "impersonation": ACCOUNT_KIND_REFERRAL_WORDS[AccountKind.FAKE_PROFILE],
    "shared_content": ACCOUNT_KIND_REFERRAL_WORDS[AccountKind.SENDER],
}
ACCOUNT_STATUS_LABELS: dict[str, str] = {
    **ACCOUNT_STATUS_REFERRAL_WORDS,
    "reported_to_platform": ACCOUNT_STATUS_REFERRAL_WORDS[AccountStatus.REPORTED],
}


NAME_LEFT_OUT = N_("[name left out]")
YEAR_LEFT_OUT = N_("[year group left out]")
NO_ATTACHMENTS = N_("This note has no attachments. Images and videos stay on the original devices "
                    "and are not copied or forwarded.")
MINIMISED_FOOTER = N_("To protect the children involved, this note leaves out their names and "
                      "other details that could identify them. Please contact the designated "
                      "safeguarding lead if you need more.")


def plain(code: str, table: dict[str, str], words: Words = ENGLISH) -> str:
    """Return the plain words for a code, or the code made readable if the table lacks it."""
    english = dict.get(table, code)  # as written (a vocab.Labels would give the page's)
    if english:
        return words.gettext(english)
    return code.replace("_", " ").strip() or words.gettext("not recorded")


def month_name(month: int, words: Words = ENGLISH) -> str:
    """A month's name in the note's language (English spelled the same on every machine)."""
    return local_time.month_name(month, words.language, "wide")


def in_table_order(codes: Iterable[str], table: dict[str, str]) -> list[str]:
    """Return codes in the table's order, unknown codes after them in sorted order."""
    wanted = set(codes)
    return [code for code in table if code in wanted] + sorted(wanted - table.keys())


def as_utc(moment: datetime) -> datetime:
    """Return a time that compares with any other: times without a zone are taken as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def when(moment: datetime | None, words: Words = ENGLISH) -> str:
    """Write a date and time the same way on every machine, whatever its locale."""
    if moment is None:
        return words.gettext("not recorded")
    zone = f" {moment.tzname()}" if moment.tzinfo else ""
    return (f"{moment.day} {month_name(moment.month, words)} {moment.year}, "
            f"{moment:%H:%M}{zone}")


def one_line(text: str) -> str:
    """Collapse line breaks and runs of spaces, so one field cannot break the layout."""
    return " ".join(text.split())


class NameScrub:
    """Takes hidden names and year groups out of free text, noting each name it took out and
    in which section of the note, so the draft can show the DSL what went and where."""

    def __init__(self, persons: tuple[PersonFact, ...], hidden: frozenset[str],
                 names: tuple[HiddenName, ...] = (), keep: frozenset[str] = frozenset(),
                 words: Words = ENGLISH):
        # Staff notes often name the pupil ("still on Sara's phone"); when names are left out,
        # take them out of that text too. Longest first, so "Sara Jones" goes as a whole.
        terms: dict[str, tuple[str, bool]] = {}
        self.name_left_out = name_left_out = words.gettext(NAME_LEFT_OUT)
        if "year_groups" in hidden:
            year_left_out = words.gettext(YEAR_LEFT_OUT)
            terms |= {person.year_group.strip(): (year_left_out, False) for person in persons}
        if "people" in hidden:
            terms |= {person.label.strip(): (name_left_out, False) for person in persons}
            terms |= {n.name.strip(): (name_left_out, n.capitalised_only) for n in names
                      if n.name.strip() not in terms}
        kept = {k.casefold() for k in keep}
        self.patterns = [(term, _name_pattern(term, exact), replacement)
                         for term, (replacement, exact) in sorted(
                             terms.items(), key=lambda t: (-len(t[0]), t[0]))
                         if is_identifying(term) and term.casefold() not in kept]
        self.removed: dict[tuple[str, str], None] = {}

    def at(self, where: str) -> Scrub:
        """The scrub for one section of the note, noting what it takes out there."""
        def scrub(value: str) -> str:
            for term, pattern, replacement in self.patterns:
                value, count = pattern.subn(replacement, value)
                if count and replacement == self.name_left_out:
                    self.removed[(term, where)] = None
            return value

        return scrub


def _name_pattern(term: str, exact: bool) -> re.Pattern[str]:
    # A hyphen or a space between parts, and accents typed or left out, all match.
    parts = [p for p in re.split(r"[\s-]+", term) if p]
    letters = r"[\s-]+".join("".join(_letter(c) for c in part) for part in parts)
    return re.compile(rf"(?<!\w){letters}(?!\w)", 0 if exact else re.IGNORECASE)


def _letter(character: str) -> str:
    base = unicodedata.normalize("NFKD", character)[0]
    if base == character or not base.isalpha():
        return re.escape(character)
    # "ë" matches "ë", "e" with its accent as a separate mark, and "e" typed without it.
    return f"(?:{re.escape(character)}|{re.escape(base)}[\u0300-\u036f]?)"


def is_identifying(term: str) -> bool:
    """Say whether a term is worth removing from text: not a lone letter or a bare number."""
    # Removing "8" or "A" everywhere would wreck dates and words without hiding anyone.
    return len(term) >= 2 and any(character.isalpha() for character in term)


def section(title: str, lines: Iterable[str]) -> str:
    """Return a heading underlined for plain text, followed by its lines."""
    return "\n".join([title, "-" * len(title), *lines])


def bullets(items: Iterable[str], empty: str) -> list[str]:
    """Return one bulleted line per item, or the given sentence when there are none."""
    lines = [f"- {one_line(item)}" for item in items if item.strip()]
    return lines or [empty]


def summary(recipient: RecipientInfo, facts: ReferralFacts, words: Words = ENGLISH) -> str:
    """Say who is referring what to whom, what it is about and how urgent it is."""
    about = "; ".join(plain(c, CATEGORY_LABELS, words)
                      for c in in_table_order(facts.categories, CATEGORY_LABELS))
    lines = [words.gettext("%(school)s is referring case %(case)s to %(recipient)s.",
                           school=facts.school_name, case=facts.case_reference,
                           recipient=recipient.name),
             words.gettext("What it is about: %(about)s.",
                           about=about or words.gettext("not yet recorded")),
             words.gettext("Urgency set by the school: %(urgency)s.",
                           urgency=facts.urgency or words.gettext("not yet set"))]
    if facts.safeguarding_concern:
        lines.append(words.gettext("The school has a safeguarding concern about a child in this "
                                   "case."))
    return section(words.gettext("Summary"), lines)


def allegation(fact: AllegationFact, words: Words = ENGLISH) -> str:
    """Who is named, how the school heard, the places as typed, and that nobody has looked
    into it or told them: what a designated officer asks first."""
    lines = [words.gettext("The adult named works at the school: %(named)s.",
                           named=one_line(fact.named) or words.gettext("not named")),
             *fact.how_reported,
             *bullets(fact.places, words.gettext("No online places were given.")),
             words.gettext("The school has not investigated, has not questioned the person named "
                           "and has not told them. Only the head teacher (or the chair of "
                           "governors) can see this case in the school's system.")]
    return section(words.gettext("The allegation about a member of staff"), lines)


def what_happened(facts: ReferralFacts, show_narrative: bool, scrub: Scrub,
                  words: Words = ENGLISH) -> str:
    """Give the dates as recorded, then the account in words or a description made from data."""
    not_recorded = words.gettext("not recorded")
    lines = [words.gettext("It started: %(when)s.",
                           when=one_line(facts.started) or not_recorded),
             words.gettext("It last happened: %(when)s.",
                           when=one_line(facts.last_happened) or not_recorded), ""]
    if show_narrative:
        lines.append(scrub(facts.narrative.strip())
                     or words.gettext("No written account is recorded yet."))
    else:
        lines.extend(described(facts, words))
    return section(words.gettext("What happened and when"), lines)


def described(facts: ReferralFacts, words: Words = ENGLISH) -> list[str]:
    """Describe the case from its categories and account kinds, without anyone's own words."""
    about = [plain(c, CATEGORY_LABELS, words).lower()
             for c in in_table_order(facts.categories, CATEGORY_LABELS)]
    lines = [words.gettext("The case is about: %(about)s.",
                           about="; ".join(about) or words.gettext("not yet recorded"))]
    # Counted by kind and platform, so five copies of one page read as one line.
    kinds = Counter(words.gettext("%(kind)s on %(platform)s",
                                  kind=plain(a.kind, ACCOUNT_KIND_LABELS, words),
                                  platform=one_line(a.platform))
                    for a in facts.accounts)
    if kinds:
        lines.append(words.gettext("The online accounts involved (details are below):"))
        lines += [words.ngettext("- %(kind)s (%(num)d account)", "- %(kind)s (%(num)d accounts)",
                                 count, kind=kind)
                  for kind, count in kinds.items()]
    return lines


def accounts(items: tuple[AccountFact, ...], scrub: Scrub, words: Words = ENGLISH) -> str:
    """List each account with its link, status, dates and what the platform was told."""
    lines: list[str] = []
    for number, account in enumerate(items, start=1):
        lines.extend(account_lines(number, account, scrub, words))
    return section(words.gettext("Platforms and accounts"),
                   lines or [words.gettext("No online accounts are recorded yet.")])


def account_lines(number: int, account: AccountFact, scrub: Scrub,
                  words: Words = ENGLISH) -> list[str]:
    """Write one account; handles and links are kept whole because they find the account."""
    lines = [f"{number}. {one_line(account.platform)}: {one_line(account.display)}",
             "   " + words.gettext("What it is: %(kind)s",
                                   kind=plain(account.kind, ACCOUNT_KIND_LABELS, words)),
             "   " + words.gettext("Link: %(link)s", link=one_line(account.url or "")
                                   or words.gettext("not recorded")),
             "   " + words.gettext("Status: %(status)s",
                                   status=plain(account.status, ACCOUNT_STATUS_LABELS, words)),
             "   " + words.gettext("First seen: %(first)s. Last seen: %(last)s.",
                                   first=when(account.first_seen, words),
                                   last=when(account.last_seen, words))]
    if not account.platform_reports:
        return [*lines, "   " + words.gettext("No report to the platform is recorded yet.")]
    lines.append("   " + words.gettext("Reports to the platform:"))
    ordered = sorted(account.platform_reports, key=lambda r: (as_utc(r.reported_on), r.reference))
    return lines + [f"   - {platform_report(report, scrub, words)}" for report in ordered]


def platform_report(report: PlatformReportFact, scrub: Scrub, words: Words = ENGLISH) -> str:
    """Write one platform report as a sentence: when, how, reference and answer."""
    how = scrub(one_line(report.how)) or words.gettext("a way not recorded")
    reference = one_line(report.reference) or words.gettext("none given")
    text = words.gettext("%(when)s, by %(how)s, reference %(reference)s.",
                         when=when(report.reported_on, words), how=how, reference=reference)
    if not report.response.strip():
        return text + " " + words.gettext("No answer yet.")
    answer = scrub(one_line(report.response))
    if report.response_on:
        return text + " " + words.gettext('Answer on %(when)s: "%(answer)s"',
                                          when=when(report.response_on, words), answer=answer)
    return text + " " + words.gettext('Answer: "%(answer)s"', answer=answer)


def people(items: tuple[PersonFact, ...], show_names: bool, show_years: bool,
           words: Words = ENGLISH) -> str:
    """List the people involved, each with only the details this recipient may have."""
    lines = [person_line(p, show_names, show_years, words) for p in items]
    return section(words.gettext("People involved"),
                   lines or [words.gettext("No people are recorded on the case yet.")])


def person_line(person: PersonFact, show_name: bool, show_year: bool,
                words: Words = ENGLISH) -> str:
    """Write one person as a bullet: label or "a pupil", year group if shown, and role.

    A date of birth identifies a child, so it goes only where names do.
    """
    who = one_line(person.label) if show_name else words.gettext("A pupil")
    year = one_line(person.year_group) if show_year else ""
    if year:
        who = (f"{who}, {year}" if show_name
               else words.gettext("%(who)s in %(year)s", who=who, year=year))
    if show_name and person.date_of_birth:
        born = person.date_of_birth
        who = words.gettext("%(who)s, born %(date)s", who=who, date=(
            f"{born.day} {month_name(born.month, words)} {born.year}"))
    return f"- {who}: {plain(person.role, PERSON_ROLE_REFERRAL_WORDS, words)}"


def factors(codes: frozenset[str], words: Words = ENGLISH) -> str:
    """List the aggravating factors in plain words."""
    labels = [plain(code, FACTOR_LABELS, words) for code in in_table_order(codes, FACTOR_LABELS)]
    return section(words.gettext("Aggravating factors"),
                   bullets(labels, words.gettext("None recorded.")))


def evidence(items: tuple[str, ...], scrub: Scrub, words: Words = ENGLISH) -> str:
    """Say where the evidence is, and that nothing is attached or copied."""
    lines = bullets((scrub(item) for item in items), words.gettext("No place is recorded yet."))
    return section(words.gettext("Where the evidence is"),
                   [*lines, "", words.gettext(NO_ATTACHMENTS)])


def actions(items: tuple[str, ...], scrub: Scrub, words: Words = ENGLISH) -> str:
    """List what the school has done so far."""
    return section(words.gettext("What the school has done so far"),
                   bullets((scrub(item) for item in items), words.gettext("Nothing recorded yet.")))


def asks(recipient: RecipientInfo, words: Words = ENGLISH) -> str:
    """Say what we are asking this recipient to do."""
    ask = recipient.asks.strip() or words.gettext(
        "Please tell us what you can do and what you need from us.")
    return section(words.gettext("What we are asking you to do"), [ask])


def contact(facts: ReferralFacts, minimised: bool, words: Words = ENGLISH) -> str:
    """Give the school and DSL contact, and say when details were left out on purpose."""
    not_recorded = words.gettext("not recorded")
    lines = [words.gettext("School: %(school)s", school=facts.school_name),
             words.gettext("Designated safeguarding lead: %(name)s", name=facts.dsl_name),
             words.gettext("Email: %(email)s", email=facts.dsl_email or not_recorded),
             words.gettext("Phone: %(phone)s", phone=facts.dsl_phone or not_recorded),
             words.gettext("Please quote case reference %(case)s.", case=facts.case_reference)]
    if minimised:
        lines += ["", words.gettext(MINIMISED_FOOTER)]
    return section(words.gettext("Contact"), lines)
