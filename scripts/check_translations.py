"""Check the translation catalogues against the English: every string translated, the same
placeholders, every plural form there. Prints per language how many strings are translated.

    python scripts/check_translations.py            # exit 1 if a shipped language falls short

A language in LANGUAGES_NOT_YET_SHIPPED is counted and checked for placeholders, but may still
lack strings. When a language is translated in full, take it out of that list: from then on a
missing string in it fails `make test` (tests/unit/test_translations.py).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "schoolsafe" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
LANGUAGES = ("en", "cy", "nl", "fr", "sv", "es")
# As `make translations` extracts them (keep the two the same).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "_nl": (1, 2), "N_": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2)}

# Languages still being translated: the check counts them but lets strings be missing.
# Take a language out of this list once its catalogue is complete.
LANGUAGES_NOT_YET_SHIPPED: tuple[str, ...] = ()

# A named placeholder, `%(count)d`, or a bare one, `%s` (never `%%`, a plain percent sign).
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[#0 +-]*\d*(?:\.\d+)?[sdifr]|%%")


@dataclass
class LanguageReport:
    """What one catalogue lacks or gets wrong, compared with the English template."""

    language: str
    total: int = 0
    translated: int = 0
    missing: list[str] = field(default_factory=list)
    placeholder_problems: list[str] = field(default_factory=list)
    plural_problems: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every string translated, with the right placeholders and plural forms."""
        return not (self.missing or self.placeholder_problems or self.plural_problems)

    def summary(self) -> str:
        """One line: the language and how many of its strings are translated."""
        return f"{self.language}: {self.translated} of {self.total} strings translated"


def read(path: Path, locale: str | None = None) -> Catalog:
    """A .po or .pot file as a catalogue."""
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def check(template: Catalog, catalogue: Catalog, language: str) -> LanguageReport:
    """Compare one language's catalogue with the English template."""
    report = LanguageReport(language)
    forms = catalogue.num_plurals
    for english in template:
        if not english.id:
            continue  # the header
        report.total += 1
        found = catalogue.get(english.id, context=english.context)
        key = _key(english)
        if found is None or not _filled(found):
            report.missing.append(key)
            continue
        report.translated += 1
        strings = found.string if isinstance(found.string, tuple | list) else (found.string,)
        if english.pluralizable and len(strings) != forms:
            report.plural_problems.append(f"{key}: {len(strings)} forms, {language} has {forms}")
        allowed, required = _placeholders(english)
        report.placeholder_problems += [
            f"{key}: {sorted(_named(text))} instead of {sorted(allowed)}"
            for text in strings if text and not required <= _named(text) <= allowed]
    return report


def check_all(template_path: Path = TEMPLATE, folder: Path = TRANSLATIONS,
              languages: tuple[str, ...] = LANGUAGES) -> list[LanguageReport]:
    """Check every language's catalogue in `folder` against the template."""
    template = read(template_path)
    return [check(template, read(folder / code / "LC_MESSAGES" / "messages.po", code), code)
            for code in languages]


def marked_in_code(root: Path = ROOT) -> set[str]:
    """Every string the code and templates mark for translation, as extraction finds them."""
    with (root / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    return {found[2][0] if isinstance(found[2], tuple) else found[2]
            for found in extract_from_dir(str(root), method_map, options_map, KEYWORDS)}


def in_template(template_path: Path = TEMPLATE) -> set[str]:
    """Every string messages.pot holds."""
    return {_key(message) for message in read(template_path) if message.id}


def _key(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple | list) else message.id


def _filled(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return bool(strings) and all(strings)


def _placeholders(message: Message) -> tuple[set[str], set[str]]:
    # The placeholders a translation may use and those it must: a plural form may leave the
    # number itself out ("One message", or Welsh "Dwy neges" for two).
    ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
    allowed = set().union(*(_named(text) for text in ids))
    return allowed, allowed - {"num"} if message.pluralizable else allowed


def _named(text: str) -> set[str]:
    return {match.group(1) or match.group(0) for match in PLACEHOLDER.finditer(text)
            if match.group(0) != "%%"}


def main() -> int:
    """Print each language's count and problems; fail if a shipped language falls short."""
    failed = False
    for report in check_all():
        shipped = report.language not in LANGUAGES_NOT_YET_SHIPPED
        print(report.summary() + ("" if shipped else " (not yet shipped)"))
        for problem in report.placeholder_problems + report.plural_problems:
            print(f"  {problem}")
        if shipped:
            for key in report.missing:
                print(f"  missing: {key}")
        failed |= bool(report.placeholder_problems or report.plural_problems
                       or (shipped and report.missing))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
