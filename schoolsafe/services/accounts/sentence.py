"""Find the place inside a sentence: "its on tiktok @owen.exposed", "his number is 07700 900123".

Used when the typed text is not itself a handle, a link or a number. The sentence is split
into words; platform words ("insta", "snap", "kik") and filler words ("its", "on", "op",
"på") are recognised from `words.WORDS`; what is left is looked at for an email address, an
@handle, a phone number or a name shaped like a handle, in that order. A plain word only
counts as a name when a platform is named next to it or a naming word ("is", "called")
comes before it, so "snap is where they post it" stays words.

The result is a `Found`, `NOTHING` when the text names a platform and nothing else ("on
insta"), or None when the sentence is best kept as the words the pupil wrote.
"""

import re
from dataclasses import dataclass

from schoolsafe.services.accounts.parts import (
    Found,
    email_found,
    handle_found,
    is_email,
    is_handle,
    looks_like_phone,
    phone_found,
)
from schoolsafe.services.accounts.platforms import HANDLE_PLATFORMS, PLATFORMS
from schoolsafe.services.accounts.words import FILLERS, NOT_IN_SENTENCES, PLATFORM_WORDS

NOTHING = Found("", "", "")  # the text names no place at all

_EDGES = "\"'`()[]{}<>,;:!?.\u2018\u2019\u201c\u201d*|\u2026"
_PHONE_PART_RE = re.compile(r"^\+?[\d()\-./]+$")
_REDDIT_RE = re.compile(r"^/?([ru])/([\w\-]{2,40})/?$", re.I)
_SHAPED_RE = re.compile(r"[._]|\d")
_NAMING = frozenset({"is", "called", "username", "name", "named", "handle", "user", "id",
                     "its", "it's", "heet", "heter", "es", "est", "yw"})
_MOST_WORDS_FOR_NOTHING = 4


@dataclass
class _Word:
    at: int
    text: str   # without surrounding brackets, quotes and end punctuation
    low: str


def find(text: str, hint: str | None) -> Found | None:
    """What the sentence names, NOTHING when it names only a platform, None to keep words."""
    words = _words(text)
    named = _platforms_named(words)
    rest = [w for w in words if w.at not in named and w.low not in FILLERS]
    found = (_email(rest) or _at_handle(rest, named, hint) or _reddit(rest) or _phone(rest)
             or _shaped(rest, named, hint) or _plain(words, rest, named, hint))
    if found:
        return found
    if named and not rest and len(words) <= _MOST_WORDS_FOR_NOTHING:
        return NOTHING
    return None


def platform_word(word: str) -> str | None:
    """The platform a single word names ("insta", "Snapchat", "kik"), else None."""
    low = word.lower()
    if low in NOT_IN_SENTENCES:
        return None
    if low in PLATFORM_WORDS:
        return PLATFORM_WORDS[low]
    return low if low in PLATFORMS and low not in {"phone", "web", "other"} else None


def _words(text: str) -> list[_Word]:
    """The words, with brackets, quotes and end punctuation taken off; empty ones dropped."""
    words = []
    for token in text.split():
        stripped = token.strip(_EDGES)
        if stripped.startswith("@"):
            stripped = "@" + stripped[1:].strip(_EDGES)
        if stripped and stripped != "@":
            words.append(_Word(len(words), stripped, stripped.lower()))
    return words


def _platforms_named(words: list[_Word]) -> dict[int, str]:
    """Position -> platform code, for the words that name a platform."""
    return {w.at: code for w in words if (code := platform_word(w.text))}


def _platform_for(word: _Word, named: dict[int, str], hint: str | None) -> str | None:
    """The platform a handle is on: the nearest platform named in the text, else the choice."""
    handles = {at: code for at, code in named.items() if code in HANDLE_PLATFORMS}
    if handles:
        return handles[min(handles, key=lambda at: (abs(at - word.at), at))]
    return hint if hint in HANDLE_PLATFORMS else None


def _handle(word: _Word, name: str, named: dict[int, str], hint: str | None) -> Found:
    """The handle on its platform, or a handle with no platform (`other:@name`)."""
    platform = _platform_for(word, named, hint)
    if platform:
        return handle_found(platform, name)
    return Found("other", "@" + name.casefold(), "@" + name)


def _email(rest: list[_Word]) -> Found | None:
    """The one email address in the sentence."""
    found = {w.low.removeprefix("mailto:") for w in rest if is_email(w.low.removeprefix("mailto:"))}
    return email_found(found.pop()) if len(found) == 1 else None


def _at_handle(rest: list[_Word], named: dict[int, str], hint: str | None) -> Found | None:
    """The one @handle in the sentence."""
    handles = [w for w in rest if w.text.startswith("@") and is_handle(w.text[1:])]
    if len({w.low for w in handles}) != 1:
        return None
    return _handle(handles[0], handles[0].text[1:], named, hint)


def _reddit(rest: list[_Word]) -> Found | None:
    """A Reddit user (u/name) or community (r/name)."""
    found = {(m[1].lower(), m[2]) for w in rest if (m := _REDDIT_RE.match(w.text))}
    if len(found) != 1:
        return None
    kind, name = found.pop()
    if kind == "u":
        return handle_found("reddit", name)
    name = name.lower()
    return Found("reddit", f"r/{name}", f"r/{name}", f"https://www.reddit.com/r/{name}")


def _phone(rest: list[_Word]) -> Found | None:
    """A phone number, which pupils write in groups of digits: the longest run that is one."""
    runs: list[list[_Word]] = []
    for word in rest:
        if not _PHONE_PART_RE.match(word.text):
            continue
        if runs and runs[-1][-1].at == word.at - 1:
            runs[-1].append(word)
        else:
            runs.append([word])
    for run in sorted(runs, key=len, reverse=True):
        joined = " ".join(w.text for w in run)
        if looks_like_phone(joined):
            return phone_found(joined)
    return None


def _shaped(rest: list[_Word], named: dict[int, str], hint: str | None) -> Found | None:
    """The one word shaped like a handle (dots, underscores or digits among letters)."""
    shaped = [w for w in rest if is_handle(w.text) and _SHAPED_RE.search(w.text)
              and any(ch.isalpha() for ch in w.text)]
    if len({w.low for w in shaped}) != 1:
        return None
    return _handle(shaped[0], shaped[0].text, named, hint)


def _plain(words: list[_Word], rest: list[_Word], named: dict[int, str],
           hint: str | None) -> Found | None:
    """A plain word as a name, when it is the only one and the sentence says it is a name."""
    if len(rest) != 1 or not is_handle(rest[0].text) or len(rest[0].text) < 2:
        return None
    word = rest[0]
    beside = any(abs(at - word.at) == 1 or (abs(at - word.at) == 2 and _is_on(words, at, word))
                 for at in named)
    cue = word.at > 0 and words[word.at - 1].low in _NAMING
    if beside and _platform_for(word, named, None):
        return _handle(word, word.text, named, None)
    if cue and (named or hint in HANDLE_PLATFORMS) and _platform_for(word, named, hint):
        return _handle(word, word.text, named, hint)
    return None


def _is_on(words: list[_Word], platform_at: int, word: _Word) -> bool:
    """True for "<name> on <platform>" and "<platform> is <name>" - one small word between."""
    between = words[(platform_at + word.at) // 2]
    return between.low in FILLERS
