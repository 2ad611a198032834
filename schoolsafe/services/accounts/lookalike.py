"""Spot a new account name that is probably an old one come back under a new spelling.

Bait-out pages and fake profiles are often re-made after removal with a number added, a
letter swapped for a digit or a look-alike letter from another alphabet. `skeleton` folds
all of that away; `compare` decides whether two register keys look like the same place.

To stay fast on a register of a million entries the database stores each entry's
`blocking_keys` in an indexed table, fetches the entries that share a key with the new one,
and calls `compare` only on those. The keys are the first and last halves of the skeleton
(for odd lengths both ways of halving), so two skeletons one edit apart always share one.

Thresholds, by the length of the shorter skeleton:
- under 5 characters: never flagged and no keys ("amy" and "amy2" are usually two people);
- 5 to 7: flagged only when the skeletons are identical;
- 8 to 11: flagged when the skeletons are at most one letter apart;
- 12 or more: flagged at most two letters apart, if the two also share a blocking key.
  (Two edits in different halves share no key; the index could not find that pair, so
  `compare` does not flag it either and results never depend on how a pair was found.)
"""

import re
import unicodedata
from dataclasses import dataclass

from schoolsafe.services.accounts.platforms import HANDLE_PLATFORMS

SHORTEST = 5
EXACT_BELOW = 8
TWO_EDITS_FROM = 12
LONGEST = 64     # a longer skeleton is a sentence, not a name
PIECE = 32       # longest blocking-key piece, to keep the index small
_REASON_LIMIT = 8  # differences beyond this all count as "far apart" when naming reasons

# Key kinds that are names people chose; ids, invites, posts, links and phones are not.
_NAMED_KINDS = frozenset({"", "r", "groups", "c", "user", "text"})
# Phone numbers a digit apart are usually different people, so they are never compared.
_UNNAMED_PLATFORMS = frozenset({"phone"})
# A name typed with no app ("@owen.exposed", under other:) is compared with the names on
# every app that has usernames, and they with it; other platforms only with themselves.
_ANY_APP = "other"

# Letters from other alphabets that look like Latin ones, after lower-casing.
_CONFUSABLES = str.maketrans({
    "а": "a", "в": "b", "г": "r", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "п": "n", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ь": "b", "ѕ": "s",
    "і": "i", "ј": "j", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ү": "y",
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u",
    "ν": "v", "ο": "o", "ρ": "p", "σ": "o", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ɡ": "g", "ɑ": "a", "ɩ": "i",
})
# Digits used as letters; 1, i and l are all folded to l further down.
_DIGITS = str.maketrans("0123456789", "olzeasbtbg")
_SHAPES = (("rn", "m"), ("vv", "w"))
_NOT_ALNUM_RE = re.compile(r"[\W_]+")
_TRAILING_NUMBER_RE = re.compile(r"(?<=\D)\d+$")
_DIGIT_RE = re.compile(r"\d")


@dataclass(frozen=True)
class Lookalike:
    """Why a new entry may be an existing one, and how sure we are."""

    score: float
    reasons: tuple[str, ...]


def skeleton(handle: str) -> str:
    """Fold case, confusables, separators, digits-as-letters; strip appended numbers."""
    text = _TRAILING_NUMBER_RE.sub("", _unseparated(_letters(handle)))
    text = text.translate(_DIGITS).replace("i", "l")
    for pair, single in _SHAPES:
        text = text.replace(pair, single)
    return text


def blocking_keys(platform: str, canonical_key: str) -> list[str]:
    """At most ~4 short strings; two handles within the rules above share at least one key.
    Keys include the platform so different platforms never collide. Empty list for keys that
    name nothing (phones, invite codes, post ids)."""
    name = _name_in(platform, canonical_key)
    return _keys_for(platform, skeleton(name) if name else "")


def search_keys(platform: str, canonical_key: str) -> list[str]:
    """The blocking keys to look up for a new entry: its own, and for a name typed with no
    app (or a name on an app) the same keys on every app it may be (or on no app)."""
    own = blocking_keys(platform, canonical_key)
    related = _related(platform) - {platform}
    return own + [f"{other}{key[len(platform):]}" for other in sorted(related) for key in own]


def _related(platform: str) -> set[str]:
    """The platforms whose entries a new entry on this platform is compared with."""
    if platform == _ANY_APP:
        return {_ANY_APP, *HANDLE_PLATFORMS}
    if platform in HANDLE_PLATFORMS:
        return {platform, _ANY_APP}
    return {platform}


def _keys_for(platform: str, folded: str) -> list[str]:
    """Blocking keys of a skeleton: itself when short, else its first and last halves."""
    if not SHORTEST <= len(folded) <= LONGEST:
        return []
    if len(folded) < EXACT_BELOW:
        return [f"{platform}={folded}"]
    keys = []
    for half in sorted({len(folded) // 2, (len(folded) + 1) // 2}):
        keys.append(f"{platform}<{folded[:half][:PIECE]}")
        keys.append(f"{platform}>{folded[-half:][-PIECE:]}")
    return keys


def compare(new_key: str, existing_key: str, existing_removed: bool = False) -> Lookalike | None:
    """None when not similar enough to flag. A removed existing entry adds weight (resurfacing)."""
    edits = Matcher(new_key).edits(existing_key)
    if edits is None:
        return None
    platform, existing_platform = new_key.partition(":")[0], existing_key.partition(":")[0]
    reasons = _reasons(_name_in(platform, new_key),
                       _name_in(existing_platform, existing_key), edits)
    if platform != existing_platform:
        reasons = ("the same name given without saying which app it is on",
                   *(r for r in reasons if r != "a very similar name"))
    if existing_removed:
        reasons += ("the account it looks like was taken down, so this may be it coming back",)
    return Lookalike(score(edits, existing_removed), reasons)


def score(edits: int, existing_removed: bool = False) -> float:
    """How sure a flag is: closer skeletons score higher, a removed original adds weight."""
    value = {0: 0.9, 1: 0.75, 2: 0.6}[edits] + (0.08 if existing_removed else 0.0)
    return round(min(value, 1.0), 2)


class Matcher:
    """The first half of compare() for one new key, worked out once for many existing keys.

    Checking a new entry against a couple of hundred candidates from the index should not
    fold the new name a couple of hundred times; `edits` gives the same answer as compare()
    without the reasons, which only the few flags shown to staff need.
    """

    def __init__(self, new_key: str) -> None:
        self.new_key = new_key
        self.platform = new_key.partition(":")[0]
        self.skeleton = skeleton(_name_in(self.platform, new_key))
        self.keys = set(_keys_for("", self.skeleton))
        self.related = _related(self.platform)

    def edits(self, existing_key: str) -> int | None:
        """Letters between the two skeletons when close enough to flag, else None."""
        existing_platform = existing_key.partition(":")[0]
        if existing_key == self.new_key or not self.keys \
                or existing_platform not in self.related:
            return None
        old = skeleton(_name_in(existing_platform, existing_key))
        if not self.keys & set(_keys_for("", old)):
            return None
        allowed = _allowed_edits(min(len(self.skeleton), len(old)))
        found = _distance(self.skeleton, old, allowed)
        return found if found <= allowed else None


def _allowed_edits(length: int) -> int:
    """How many letters two skeletons of this (shorter) length may differ by."""
    if length < EXACT_BELOW:
        return 0
    return 1 if length < TWO_EDITS_FROM else 2


def _name_in(platform: str, canonical_key: str) -> str:
    """The chosen name inside a register key, or "" when the key is not a name."""
    key_platform, _, body = canonical_key.partition(":")
    if key_platform != platform or platform in _UNNAMED_PLATFORMS:
        return ""
    if platform == "email":
        return body.partition("@")[0]  # the name chosen; the provider is not a name
    if platform == "web":
        return _web_name(body)
    if platform == _ANY_APP:
        return body.removeprefix("@")
    kind, _, name = body.rpartition("/")
    if kind not in _NAMED_KINDS or name.isdigit():
        return ""
    return name


def _web_name(url: str) -> str:
    """A web page's site and path as one name, or "" for short links and numbered pages."""
    if url.startswith("short/"):
        return ""
    rest = url.partition("://")[2].partition("?")[0]
    parts = [part for part in rest.split("/") if part]
    if len(parts) > 1 and parts[-1].isdigit():
        return ""  # /thread/123 and /thread/124 are different pages, not lookalikes
    return "/".join(parts)


def _letters(handle: str) -> str:
    """Case, accents and other alphabets' look-alike letters folded to plain Latin."""
    if handle.isascii():
        return handle.lower()  # the steps below change nothing else in plain ASCII
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", handle).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.translate(_CONFUSABLES)


def _unseparated(text: str) -> str:
    """Dots, dashes, underscores, spaces and symbols removed."""
    return _NOT_ALNUM_RE.sub("", text)


def _reasons(new: str, old: str, edits: int) -> tuple[str, ...]:
    """Plain words for each folding step that brought the two names closer."""
    steps = (
        (_letters, "letters from another alphabet, or with accents, that look the same"),
        (lambda s: _unseparated(_letters(s)), "dots, dashes, underscores or spaces changed"),
        (lambda s: _TRAILING_NUMBER_RE.sub("", _unseparated(_letters(s))),
         _number_words(new, old)),
        (skeleton, "numbers or look-alike letters used in place of letters "
                   "(like 0 for o, 1 for l, rn for m)"),
    )
    reasons: list[str] = []
    # A step counts only if it made the names closer, so a shared "_" is not a reason.
    before = _distance(new.casefold(), old.casefold(), _REASON_LIMIT)
    for fold, words in steps:
        after = _distance(fold(new), fold(old), _REASON_LIMIT)
        if after < before:
            reasons.append(words)
        before = after
    if edits and not reasons and _only_numbers_differ(new, old):
        reasons.append("the numbers in the name are different")
    elif edits:
        reasons.append("one letter added, removed or changed" if edits == 1
                       else f"{edits} letters added, removed or changed")
    return tuple(reasons) or ("a very similar name",)


def _only_numbers_differ(new: str, old: str) -> bool:
    """True when the names match once every digit is taken out, but not before."""
    new_plain, old_plain = _unseparated(_letters(new)), _unseparated(_letters(old))
    return new_plain != old_plain and _DIGIT_RE.sub("", new_plain) == _DIGIT_RE.sub("", old_plain)


def _number_words(new: str, old: str) -> str:
    """How the number at the end of the name changed, in plain words."""
    new_number = bool(_TRAILING_NUMBER_RE.search(_unseparated(_letters(new))))
    old_number = bool(_TRAILING_NUMBER_RE.search(_unseparated(_letters(old))))
    if new_number and not old_number:
        return "same name with a number added"
    if old_number and not new_number:
        return "same name with the number at the end taken off"
    return "same name with a different number at the end"


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or limit + 1 once it must exceed limit (only a band is filled)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    a, b = _without_shared_ends(a, b)
    over = limit + 1
    previous = [min(j, over) for j in range(len(b) + 1)]
    for i, ch in enumerate(a, 1):
        low, high = max(1, i - limit), min(len(b), i + limit)
        current = [over] * (len(b) + 1)
        current[0] = min(i, over)
        for j in range(low, high + 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1,
                             previous[j - 1] + (ch != b[j - 1]), over)
        if min(current[low - 1:high + 1]) > limit:
            return over
        previous = current
    return previous[-1]


def _without_shared_ends(a: str, b: str) -> tuple[str, str]:
    """Both strings minus their common start and end, which never add to the distance."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return a[start:len(a) - end], b[start:len(b) - end]
