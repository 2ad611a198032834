"""Follow-up codes: random words a pupil writes down to come back to their report.

Only a keyed hash of a code is stored. The words come from the BIP-39 English list (2048
common words whose first four letters are unique, so typos are easy to forgive), minus words
that would be upsetting to be handed in this context. Six words give more than 64 bits.

A pupil's code is derived from a random secret carried by their form page and the server's
key, so a resend of the same form (its first answer lost) can be given the same code again
without the code, or anything it is made from, ever being stored.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
import unicodedata
from functools import cache

from mnemonic import Mnemonic

WORDS_PER_CODE = 6
_FORM_SECRET = re.compile(r"[A-Za-z0-9_-]{43}")
_FORM_STEP = re.compile(r"[A-Za-z0-9_-]{22}")
# Words nobody should be handed after telling us about harassment.
UNSUITABLE = frozenset(
    "abuse accident alcohol attack blood bomb bullet crash crime cruel dirt disease divorce "
    "drink enemy evil fat fatal fever fire gun hurt knife panic police prison punch rib sad "
    "scare shoot sick sorry tragic trap ugly weapon alarm arrest danger drama fault guilt "
    "harsh hole horror hungry injury insane kiss lazy liar lonely maid mistake nasty pistol "
    "riot rude shock skull sniff spy stomach sword toilet trouble upset worry wreck virus "
    "abandon absurd addict adult angry anxiety betray bitter blame cage chase claw crush "
    "escape exile fragile gossip grief hazard ignore illness infant innocent jealous junk "
    "naked sex nude body shame".split()
)


@cache
def wordlist() -> tuple[str, ...]:
    """The words codes are made from."""
    return tuple(w for w in Mnemonic("english").wordlist if w not in UNSUITABLE)


def entropy_bits() -> float:
    """How many bits of randomness one code carries."""
    return WORDS_PER_CODE * math.log2(len(wordlist()))


def new_code() -> str:
    """A fresh code: six random words separated by spaces."""
    words = wordlist()
    return " ".join(secrets.choice(words) for _ in range(WORDS_PER_CODE))


def new_form_secret() -> str:
    """A random secret for one report form page (256 bits, URL-safe text)."""
    return secrets.token_urlsafe(32)


def form_secret(posted: str | None) -> str | None:
    """The posted form secret if it has the shape new_form_secret() gives, else None."""
    return posted if posted and _FORM_SECRET.fullmatch(posted) else None


def new_form_step() -> str:
    """A random name for one showing of a report form page (128 bits, URL-safe text)."""
    return secrets.token_urlsafe(16)


def form_step(posted: str | None) -> str | None:
    """The posted step name if it has the shape new_form_step() gives, else None."""
    return posted if posted and _FORM_STEP.fullmatch(posted) else None


def derived_code(secret: str, key: str, step: str | None = None) -> str:
    """The code of the form carrying this secret: the same secret and key give the same words.

    With `step` (the name of the showing of the form that was sent) only a copy of that very
    showing gives the words again: an earlier showing of the same form (the "add another
    place" step, a form that came back with a problem) gives other words.
    """
    message = b"followup-code|" + secret.encode()
    if step:
        message += b"|" + step.encode()
    seed = hmac.new(key.encode(), message, hashlib.sha256).digest()
    return code_from_seed(seed)


def code_from_seed(seed: bytes) -> str:
    """Six words picked by a 256-bit seed (the bias of taking remainders is below 2**-180)."""
    words = wordlist()
    number = int.from_bytes(seed, "big")
    picked = []
    for _ in range(WORDS_PER_CODE):
        number, index = divmod(number, len(words))
        picked.append(words[index])
    return " ".join(picked)


def normalise(typed: str) -> str:
    """Forgive case, extra spaces, hyphens and dots, words typed by their first 4 letters,
    and whole words run together without spaces."""
    text = unicodedata.normalize("NFKC", typed).lower()
    parts = [p for p in re.split(r"[^a-z]+", text) if p]
    by_prefix = _words_by_prefix()
    words = []
    for part in parts:
        word = by_prefix.get(part[:4], part)
        run_together = len(part) > len(word) or word not in by_prefix.values()
        words.extend((run_together and _split_words(part)) or [word])
    return " ".join(words)


def _split_words(text: str) -> list[str] | None:
    """Whole list words run together ("garlicplay") split apart, or None if they aren't.

    Every word is known by its first four letters (or is three letters long), so at each
    point at most two words can start there; the rest of the text decides between them.
    """
    if not text:
        return []
    by_prefix = _words_by_prefix()
    for size in (4, 3):
        word = by_prefix.get(text[:size])
        if word and text.startswith(word):
            rest = _split_words(text[len(word):])
            if rest is not None:
                return [word, *rest]
    return None


@cache
def _words_by_prefix() -> dict[str, str]:
    return {w[:4]: w for w in wordlist()}


def code_hash(code: str, key: str) -> str:
    """The keyed hash stored in place of the code (HMAC-SHA256 of the normalised words)."""
    return hmac.new(key.encode(), normalise(code).encode(), hashlib.sha256).hexdigest()


def looks_like_code(typed: str) -> bool:
    """Whether the text has the right number of words to be a code at all."""
    return len(normalise(typed).split()) == WORDS_PER_CODE
