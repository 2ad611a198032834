"""Jurisdiction packs: helplines, referral bodies, pupil help and checklist rules, kept as data.

One TOML file per jurisdiction under config/jurisdictions/. Packs are loaded and checked at
start-up so that a typo stops the app with one line naming the file and the key, instead of a
pupil meeting a blank help page or a DSL a checklist with a step missing. A pack's texts in
another language come from <code>.<lang>.toml beside it (texts.py), checked the same way.
"""

import dataclasses
import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from schoolsafe.services.jurisdictions import fields as field
from schoolsafe.services.jurisdictions import texts as pack_texts
from schoolsafe.services.jurisdictions.recipients import Recipient, recipients
from schoolsafe.services.jurisdictions.steps import ChecklistRule, checklist_rules
from schoolsafe.vocab import About, Language

JURISDICTIONS_DIR = Path(__file__).resolve().parents[3] / "config" / "jurisdictions"
HELP_TOPICS = ("danger_now", "about_staff", "threats", "adult_involved", "nude_shared",
               "fake_or_page", "unwanted", "general", "out_of_hours")
# Topics whose help depends on who it happened to: a pack writes one section for each About
# ([help.nude_shared.self], [help.nude_shared.friend], [help.nude_shared.witnessed]), because a
# bystander sent a copy needs different advice from the pupil in the picture. The others (crisis
# help, what happens next, out of hours) say the same to everyone.
HELP_BY_WHO = ("about_staff", "threats", "adult_involved", "nude_shared", "fake_or_page",
               "unwanted")
# The one placeholder a pack may use, in the out-of-hours help only.
STAFF_BACK = "{staff_back}"


@dataclass(frozen=True)
class Contact:
    """A helpline or service a pupil can turn to; phone or url may be empty, not both."""

    name: str
    phone: str
    url: str
    note: str


@dataclass(frozen=True)
class HelpSection:
    """One block of pupil help: a title, short paragraphs and who to contact."""

    topic: str
    title: str
    paragraphs: tuple[str, ...]
    contacts: tuple[Contact, ...]


@dataclass(frozen=True)
class Jurisdiction:
    """Everything that differs by country: numbers, help, referral bodies and checklist."""

    code: str
    name: str
    emergency_number: str
    non_emergency_police: str
    quick_exit_url: str
    crisis_line: Contact  # the 24-hour line; its note holds the opening hours
    # Keyed by (topic, who it is about); a topic said the same to everyone is under every About.
    help: Mapping[tuple[str, About], HelpSection] = dataclasses.field(hash=False)
    recipients: Mapping[str, Recipient] = dataclasses.field(hash=False)
    checklist: tuple[ChecklistRule, ...]
    # The languages pupils at its schools may be offered (the first is a new school's default),
    # and the one these texts are in.
    languages: tuple[str, ...] = (Language.EN.value,)
    language: str = Language.EN.value
    # The same pack in each of its languages, shared by all of them (filled once at loading).
    translations: Mapping[str, "Jurisdiction"] = dataclasses.field(
        default_factory=dict, hash=False, compare=False, repr=False)

    def in_language(self, code: str | None) -> "Jurisdiction":
        """This pack with its texts in `code`; English for a language the pack does not ship."""
        return self.translations.get(code or "") or self.translations.get(Language.EN) or self


class JurisdictionError(Exception):
    """A jurisdiction pack is missing, unreadable or breaks the schema."""


def load_jurisdictions(directory: Path) -> dict[str, Jurisdiction]:
    """Load and check every *.toml pack in directory, keyed by jurisdiction code, each with
    its texts in the languages it offers (from the <code>.<lang>.toml files beside it)."""
    paths = sorted(Path(directory).glob("*.toml"))
    bases = [path for path in paths if "." not in path.stem]
    if not bases:
        raise JurisdictionError(f"{directory}: no jurisdiction files (*.toml) found")
    codes = {path.stem for path in bases}
    for path in paths:
        if path.stem.split(".")[0] not in codes:
            raise JurisdictionError(f"{path.name}: no base pack {path.stem.split('.')[0]}.toml "
                                    "for this text")
    packs = [load_jurisdiction(path) for path in bases]
    return {pack.code: pack for pack in packs}


def load_jurisdiction(path: Path) -> Jurisdiction:
    """Load and check one pack and its texts in other languages; any problem raises
    JurisdictionError naming the file and the key."""
    # Packs are immutable once parsed; each app (and each test's app) reuses the parse until
    # one of the files changes.
    return _load_checked(tuple((each, *_stamp(each)) for each in _pack_files(path)))


def _pack_files(path: Path) -> list[Path]:
    return [path, *sorted(path.parent.glob(f"{path.stem}.*.toml"))]


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError as error:
        raise JurisdictionError(f"{path.name}: cannot be read: {error.strerror}") from error
    return stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=64)
def _load_checked(files: tuple[tuple[Path, int, int], ...]) -> Jurisdiction:
    path = files[0][0]
    base_data = _read(path)
    pack = _checked(path, lambda: _pack(base_data, path.stem))
    translations: dict[str, Jurisdiction] = {Language.EN.value: pack}
    pack = dataclasses.replace(pack, translations=translations)
    translations[Language.EN.value] = pack
    for language in pack.languages:
        if language != Language.EN:
            translations[language] = _in_language(path, base_data, language, translations)
    return pack


def _in_language(path: Path, base_data: dict, language: str,
                 translations: dict[str, "Jurisdiction"]) -> Jurisdiction:
    overlay = path.with_name(f"{path.stem}.{language}.toml")
    if not overlay.exists():
        raise JurisdictionError(f"{path.name}: languages: {language!r} is offered but "
                                f"{overlay.name} is missing")
    data = _read(overlay)
    _checked(overlay, lambda: pack_texts.check(pack_texts.skeleton(base_data), data))
    pack = _checked(overlay, lambda: _pack(pack_texts.merged(base_data, data), path.stem))
    return dataclasses.replace(pack, language=language, translations=translations)


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise JurisdictionError(f"{path.name}: cannot be read: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        first_line = str(error).splitlines()[0]
        raise JurisdictionError(f"{path.name}: not valid TOML: {first_line}") from error


def _checked(path: Path, read):
    try:
        return read()
    except field.Invalid as error:
        raise JurisdictionError(f"{path.name}: {error}") from error


def read_base(path: Path) -> dict:
    """A base pack's raw data, after checking it loads (for tools that write its texts)."""
    load_jurisdiction(path)
    return _read(path)


def _pack(data: dict, stem: str) -> Jurisdiction:
    field.only(data, {"code", "name", "languages", "emergency_number", "non_emergency_police",
                      "quick_exit_url", "crisis_line", "help", "recipients", "checklist"}, "")
    if field.text(data, "code", "") != stem:
        raise field.Invalid("code", f"must equal the file name {stem!r}")
    pack = Jurisdiction(
        code=stem,
        languages=_languages(data),
        name=field.text(data, "name", ""),
        emergency_number=field.phone(data, "emergency_number", ""),
        non_emergency_police=field.phone(data, "non_emergency_police", "", blank_ok=True),
        quick_exit_url=field.url(data, "quick_exit_url", ""),
        crisis_line=_crisis_line(field.table(data, "crisis_line", "")),
        help=_help(field.table(data, "help", "")),
        recipients=recipients(field.table(data, "recipients", "")),
        checklist=checklist_rules(data.get("checklist")),
    )
    _check_help_numbers(pack)
    return pack


def _languages(data: dict) -> tuple[str, ...]:
    found = field.texts(data, "languages", "")
    for index, code in enumerate(found):
        if code not in Language.values():
            raise field.Invalid(f"languages[{index}]",
                                f"must be one of {', '.join(Language.values())}")
        if code in found[:index]:
            raise field.Invalid(f"languages[{index}]", f"{code!r} is listed twice")
    # Staff pages and the command line fall back to English, so every pack must have it.
    if Language.EN not in found:
        raise field.Invalid("languages", f"must include {Language.EN.value!r}")
    return found


def _crisis_line(data: dict) -> Contact:
    field.only(data, {"name", "phone", "hours", "url"}, "crisis_line")
    where = "crisis_line"
    return Contact(name=field.text(data, "name", where), phone=field.phone(data, "phone", where),
                   url=field.url(data, "url", where, blank_ok=True),
                   note=field.text(data, "hours", where))


def _help(data: dict) -> Mapping[tuple[str, About], HelpSection]:
    field.only(data, set(HELP_TOPICS), "help")
    sections: dict[tuple[str, About], HelpSection] = {}
    for topic in HELP_TOPICS:
        table = field.table(data, topic, "help")
        if topic in HELP_BY_WHO:
            sections.update(_sections_by_who(topic, table))
        else:
            section = _section(topic, table, f"help.{topic}")
            sections.update({(topic, about): section for about in About})
    return MappingProxyType(sections)


def _sections_by_who(topic: str, data: dict) -> dict[tuple[str, About], HelpSection]:
    # Every variant is required: a friend or bystander must never fall back to help that
    # speaks to the pupil in the picture.
    where = f"help.{topic}"
    sections = {(topic, about): _section(topic, field.table(data, about, where),
                                         f"{where}.{about}") for about in About}
    field.only(data, set(About.values()), where)
    return sections


def _section(topic: str, data: dict, where: str) -> HelpSection:
    field.only(data, {"title", "paragraphs", "contacts"}, where)
    paragraphs = field.texts(data, "paragraphs", where)
    for index, paragraph in enumerate(paragraphs):
        _check_placeholders(paragraph, topic == "out_of_hours", f"{where}.paragraphs[{index}]")
    contacts = field.array(data, "contacts", where, allow_empty=True)
    return HelpSection(topic, field.text(data, "title", where), paragraphs, tuple(
        _contact(item, f"{where}.contacts[{index}]") for index, item in enumerate(contacts)))


def _contact(data: object, where: str) -> Contact:
    if not isinstance(data, dict):
        raise field.Invalid(where, "must be a table")
    field.only(data, {"name", "phone", "url", "note"}, where)
    contact = Contact(name=field.text(data, "name", where),
                      phone=field.phone(data, "phone", where, blank_ok=True),
                      url=field.url(data, "url", where, blank_ok=True),
                      note=field.text(data, "note", where))
    if not contact.phone and not contact.url:
        raise field.Invalid(where, "needs a phone or a url")
    return contact


def _check_help_numbers(pack: Jurisdiction) -> None:
    # A pupil in danger or writing at night must see these numbers, so the pack must list them.
    needed = {
        "danger_now": (pack.emergency_number, pack.crisis_line.phone),
        "out_of_hours": (pack.crisis_line.phone,),
    }
    for topic, numbers in needed.items():
        contacts = pack.help[topic, About.SELF].contacts
        listed = {field.digits(contact.phone) for contact in contacts}
        for number in numbers:
            if field.digits(number) not in listed:
                raise field.Invalid(f"help.{topic}.contacts", f"must list the number {number}")
    # One paragraph says when staff are back; another must still make sense when that is unknown.
    uses = [STAFF_BACK in text for text in pack.help["out_of_hours", About.SELF].paragraphs]
    if not any(uses) or all(uses):
        raise field.Invalid("help.out_of_hours.paragraphs",
                            f"needs one paragraph with {STAFF_BACK} and one without")


def _check_placeholders(text: str, staff_back_allowed: bool, where: str) -> None:
    leftover = text.replace(STAFF_BACK, "") if staff_back_allowed else text
    if "{" in leftover or "}" in leftover:
        allowed = f"only {STAFF_BACK}, and only in help.out_of_hours"
        raise field.Invalid(where, f"unknown placeholder or brace ({allowed})")
