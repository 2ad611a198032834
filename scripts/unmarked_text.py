"""Words in templates that a person reads but nobody marked for translation.

    python scripts/unmarked_text.py [templates/triage ...]   # one line per unmarked text

Each template is read with Jinja's own lexer: everything inside `{{ }}` and `{% %}` is code,
the rest is the page. In the page, the text between tags and the attributes people read
(title, alt, placeholder, aria-label, value of a button-like input, content of a description)
must not hold a letter: words belong inside `{{ _("...") }}`. Plain-text email templates
(.txt) are all text. Text that is a name of a product or a code, not a word to translate, is
listed in ALLOWED. tests/unit/test_translations.py fails on any line this prints.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
READ_ATTRIBUTES = frozenset({"title", "alt", "placeholder", "aria-label", "aria-description",
                             "aria-roledescription", "summary", "label"})
# Text that reads the same in every language: names of things, symbols, codes.
ALLOWED = frozenset({"schoolsafe", "POSH", "CEOP", "IWF", "UPN", "CSV", "JSON", "TOTP", "SSO",
                     "DSL", "LADO", "OK", "ID", "URL", "Childline", "Meic", "BRIS", "UMO",
                     # class names filled into base.html's <body class>
                     "pupil", "staff",
                     # ... by the staff print views (checklist, case file)
                     "staff print-view", "staff print-view case-file",
                     # the header line of an email template, which mail/builders.py reads off
                     # by this exact word; the subject after it is marked
                     "Subject",
                     # OpenID Connect scope names, typed as they are into the provider's console
                     "openid email profile"})
# Stands in for a Jinja expression or block; letters, so `<h{{ n }}>` is still read as a tag.
_CODE = "QqJinjaQq"
_LETTER = re.compile(r"[^\W\d_]")
_ENTITY = re.compile(r"&#?\w+;")


class _PageText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[tuple[int, str]] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skipping += 1
        attributes = dict(attrs)
        for name, value in attrs:
            read = name in READ_ATTRIBUTES or (
                name == "value" and tag == "input"
                and attributes.get("type") in ("submit", "button", "reset"))
            if read and value:
                self._check(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self._check(data)

    def _check(self, text: str) -> None:
        if unmarked(text):
            self.found.append((self.getpos()[0], " ".join(text.replace(_CODE, "…").split())))


def unmarked(text: str) -> bool:
    """Whether this bit of page text holds a word nobody marked for translation."""
    pieces = [piece.strip(" \t\n.,:;()[]|/·-–—") for piece in _ENTITY.sub(" ", text).split(_CODE)]
    return any(_LETTER.search(piece) and piece not in ALLOWED for piece in pieces)


def page_text(source: str, environment: Environment) -> str:
    """The template with its code replaced by a placeholder and its comments dropped, line
    numbers kept."""
    parts = []
    for _line, kind, value in environment.lex(source):
        if kind == "data":
            parts.append(value)
        else:
            # Code becomes one placeholder; its line breaks stay, so line numbers stay true.
            parts.append(_CODE if kind in ("variable_begin", "block_begin") else "")
            parts.append("\n" * value.count("\n"))
    return "".join(parts)


def unmarked_in(path: Path, environment: Environment | None = None) -> list[tuple[int, str]]:
    """(line, text) for each unmarked bit of text in one template."""
    environment = environment or Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    text = page_text(path.read_text(encoding="utf-8"), environment)
    if path.suffix == ".txt":
        return [(number, line.strip().replace(_CODE, "…"))
                for number, line in enumerate(text.splitlines(), 1) if unmarked(line)]
    reader = _PageText()
    reader.feed(text)
    reader.close()
    return reader.found


def unmarked_everywhere(folders: list[Path] | None = None) -> list[str]:
    """`path:line: text` for every unmarked text under the folders (all templates by default)."""
    environment = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    lines = []
    for folder in folders or [TEMPLATES]:
        paths = [folder] if folder.is_file() else sorted(
            [*folder.rglob("*.html"), *folder.rglob("*.txt")])
        for path in paths:
            lines += [f"{path.relative_to(ROOT)}:{line}: {text}"
                      for line, text in unmarked_in(path, environment)]
    return lines


def main(arguments: list[str]) -> int:
    """Print every unmarked text; exit 1 if there is any."""
    found = unmarked_everywhere([Path(argument).resolve() for argument in arguments] or None)
    print("\n".join(found))
    print(f"{len(found)} unmarked", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
