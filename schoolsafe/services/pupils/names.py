"""Names in every spelling: accents typed or not, any case, hyphens or spaces.

One normalisation serves search (the stored words) and minimisation (the variants to take out
of a note), so a name found by one is found by the other.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def fold(text: str) -> str:
    """Lower case without accents: "Zoë" and "zoe" read the same."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def plain_letters(text: str) -> str:
    """The text with accents taken off its letters, keeping their case ("Zoë" to "Zoe")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return unicodedata.normalize("NFC", "".join(c for c in decomposed
                                                if not unicodedata.combining(c)))


def words(text: str) -> list[str]:
    """The folded words of a name or a search, hyphenated parts apart ("adebayo", "clarke")."""
    return [w.replace("'", "") for w in WORD.findall(fold(text))]


@dataclass(frozen=True)
class NameParts:
    """The names a pupil is known by, as the directory holds them."""

    first: str
    last: str
    preferred: str = ""
    others: tuple[str, ...] = ()


def tokens(parts: NameParts, upn: str = "") -> set[str]:
    """Every folded word a search may match this pupil by, and their whole surname run
    together ("adebayoclarke"), and their UPN."""
    found: set[str] = set()
    for name in (parts.first, parts.last, parts.preferred, *parts.others):
        found.update(words(name))
        if len(words(name)) > 1:
            found.add("".join(words(name)))
    if upn.strip():
        found.add(fold(upn.strip()))
    return {t[:80] for t in found if t}


def variants(parts: NameParts) -> list[str]:
    """Every way the pupil's name may be written, longest first: full names, each first name
    and surname alone, and each part of a hyphenated surname."""
    firsts = [n for n in (parts.first, parts.preferred) if n.strip()]
    lasts = [parts.last] if parts.last.strip() else []
    found = {f"{f} {lasts[0]}" for f in firsts if lasts}
    found.update(firsts + lasts + [n for n in parts.others if n.strip()])
    for name in [*lasts, *parts.others]:
        # "Adebayo-Clarke" also matches "Adebayo Clarke" where it is taken out (any space or
        # hyphen between parts), so only the parts themselves are added.
        found.update(p for p in re.split(r"[-\s]+", name) if p)
    return sorted({" ".join(v.split()) for v in found if len(v.strip()) >= 2},
                  key=lambda v: (-len(v), v))


def surname_parts(last: str) -> list[str]:
    """A surname and, when hyphenated or double, each part of it."""
    parts = [p for p in re.split(r"[-\s]+", last) if p]
    return [last, *parts] if len(parts) > 1 else parts


def any_folded_in(needles: Iterable[str], text: str) -> bool:
    """Whether any of the names appears as whole words in the text, in any spelling."""
    haystack = f" {' '.join(words(text))} "
    return any(f" {' '.join(words(n))} " in haystack for n in needles if words(n))
