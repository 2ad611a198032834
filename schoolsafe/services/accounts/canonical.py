"""Canonical keys for the online accounts pupils and staff name in reports.

`canonicalise(text, platform_hint)` turns whatever was typed - a handle, a link, a phone
number, a group name - into an `AccountRef` whose `canonical_key` is shared by every
spelling of the same account, so five reports of one page become one register entry.
Nothing here fetches a link: the server never follows a pupil-supplied address.

Key format is `<platform>:<body>`, at most 300 characters:
- `instagram:slags_of_birmingham_xx` - a username, lower-cased on every platform here
  (Facebook usernames also lose their dots, which Facebook ignores).
- `<platform>:<kind>/<value>` for things that are not usernames: `instagram:p/<code>`,
  `facebook:id/<digits>`, `facebook:groups/<name>`, `youtube:channel/<UC id>`,
  `youtube:c/<name>`, `youtube:user/<name>`, `youtube:video/<id>`, `tiktok:video/<id>`,
  `x:status/<id>`, `reddit:r/<name>`, `discord:invite/<code>`, `discord:server/<id>`,
  `whatsapp:invite/<code>`, `whatsapp:channel/<code>`, `telegram:invite/<code>`.
  Codes and channel ids keep their letter case because the platforms treat it as meaningful.
- `<platform>:short/<host>/<path>` - a short link kept as typed (`unresolved_short_link`).
- `<platform>:link/<host>/<path>` - a page on a known platform that names no account.
- `<platform>:text/<words>` - words (a display name, a group's name) said to be on a platform.
- `phone:+447700900123` (E.164), `web:https://example.org/path` (an unknown site's
  normalised URL), `other:<words>` (free text, lower-cased).
Lookalike letters (Cyrillic, Greek, 0 for o) are deliberately NOT folded: distinct accounts
keep distinct keys, and `lookalike` flags the near-copies for a person to judge.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from schoolsafe.services.accounts import sentence
from schoolsafe.services.accounts.parts import (
    Found,
    email_found,
    handle_found,
    is_email,
    is_handle,
    looks_like_phone,
    phone_found,
)
from schoolsafe.services.accounts.platforms import (
    HANDLE_PLATFORMS,
    PLATFORMS,
    rule_note,
)
from schoolsafe.services.accounts.urls import looks_like_url, parse_url
from schoolsafe.services.accounts.words import FILLERS, NEEDS_SEPARATOR, PLATFORM_WORDS
from schoolsafe.vocab import AccountKind

__all__ = ["HANDLE_PLATFORMS", "PLATFORMS", "AccountRef", "canonicalise", "handle_keys",
           "platform_code"]

MAX_INPUT = 500
MAX_KEY = 300

ALIASES: dict[str, str] = {
    **PLATFORM_WORDS, **{code: code for code in PLATFORMS},
    **{label.lower(): code for code, label in PLATFORMS.items()},
}

_PREFIX_RE = re.compile(r"^([^\W\d_]{1,12})(\s*[:\-\u2013\u2014=|>]\s*|\s+)(\S.*)$")
_SUFFIX_RE = re.compile(r"^(\S+)\s*(?:\(([^()]{1,12})\)|\s+on\s+([^\W\d_]{1,12}))$", re.I)
_GAMERTAG_RE = re.compile(r"^[^\W_]+(?: [^\W_]+)*(#\d{1,4})?$")
_REDDIT_RE = re.compile(r"^/?([ru])/([\w\-]{2,40})/?$", re.I)
_QUOTES = "\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a*"
_TRAILING = ".,;:!?\u2026"
_PAIRS = {"(": ")", "[": "]", "{": "}", "<": ">"}


@dataclass(frozen=True)
class AccountRef:
    """One online place as the register knows it, derived from typed text."""

    platform: str
    canonical_key: str
    display: str
    url: str | None
    kind_hint: str | None
    unresolved_short_link: bool
    # Words for staff when the name breaks its platform's rules (a typo or a trick).
    note: str | None = None


def canonicalise(text: str, platform_hint: str | None = None) -> AccountRef | None:
    """None for empty input and for text that names no place (`@`, `http://`, `t.me/+`)."""
    cleaned = clean_text(text)
    if not cleaned:
        return None
    hint, cleaned = _explicit_platform(cleaned, platform_code(platform_hint))
    if not cleaned:
        return None
    found = _recognise(cleaned, hint)
    return None if found is sentence.NOTHING else _to_ref(found)


def handle_keys(ref: AccountRef) -> list[str]:
    """For a handle typed with no app (`other:@name`), its key on every app with usernames."""
    name = ref.canonical_key.removeprefix("other:@")
    if ref.platform != "other" or name == ref.canonical_key or not is_handle(name):
        return []
    found = [handle_found(platform, name) for platform in sorted(HANDLE_PLATFORMS)]
    return [f"{f.platform}:{f.body}" for f in found]


def platform_code(name: str | None) -> str | None:
    """The PLATFORMS code for a picked or typed platform name ("Insta", "Twitter"), else None."""
    if not name:
        return None
    return ALIASES.get(" ".join(name.split()).lower())


def clean_text(text: str) -> str:
    """Typed text made comparable: NFKC, no invisible characters, no wrapping quotes."""
    text = unicodedata.normalize("NFKC", _drop_invisible(text[:MAX_INPUT]))[:MAX_INPUT]
    text = " ".join(_drop_invisible(text).split())
    previous = None
    while text != previous:
        previous = text
        text = text.strip(_QUOTES).rstrip(_TRAILING).strip()
        if len(text) > 1 and _PAIRS.get(text[0]) == text[-1]:
            text = text[1:-1].strip()
    return text


def _drop_invisible(text: str) -> str:
    """Zero-width and format characters removed; control characters become spaces."""
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in {"Cf", "Cs"}:
            continue
        kept.append(" " if category == "Cc" else ch)
    return "".join(kept)


def _explicit_platform(text: str, hint: str | None) -> tuple[str | None, str]:
    """A platform named in the text ("snap: name", "name (insta)") beats the picked one."""
    match = _PREFIX_RE.match(text)
    if match:
        code = ALIASES.get(match[1].lower())
        separated = match[2].strip() != "" or match[3].startswith("@")
        single = " " not in match[3] or match[2].strip() != ""
        rest = clean_text(match[3])
        if code and single and (separated or match[1].lower() not in NEEDS_SEPARATOR) \
                and _could_name(rest):
            return code, rest
    match = _SUFFIX_RE.match(text)
    if match:
        code = platform_code(match[2] or match[3])
        rest = clean_text(match[1])
        if code and _could_name(rest):
            return code, rest
    return hint, text


def _could_name(text: str) -> bool:
    """False for a filler or platform word ("its on tiktok"): not a name on that platform."""
    low = text.lower()
    return low not in FILLERS and low not in ALIASES


def _recognise(text: str, hint: str | None) -> Found:
    """Phone, email, link, a place inside a sentence, or a name or words - in that order."""
    if looks_like_phone(text):
        phone = phone_found(text)
        if phone:
            return phone
    if is_email(text.lower().removeprefix("mailto:")):
        return email_found(text.lower())
    tokens = text.split()
    strict = hint in HANDLE_PLATFORMS or len(tokens) > 1
    broken = []
    for token in tokens:
        if looks_like_url(token, strict=strict):
            found = parse_url(token)
            if isinstance(found, Found):
                return found
            broken.append(token)
    kept = [token for token in tokens if token not in broken]
    if not kept or not any(ch.isalnum() for ch in " ".join(kept)):
        return sentence.NOTHING  # a link cut short, or only punctuation: nothing to name
    text = " ".join(kept)
    if len(kept) > 1 or _names_only_a_platform(text):
        found = sentence.find(text, hint)
        if found is not None:
            return found
    return _named(text, hint)


def _names_only_a_platform(text: str) -> bool:
    """True for a single word that is a platform's name ("insta", "snapchat")."""
    return sentence.platform_word(text) is not None or text.lower() in PLATFORM_WORDS


def _named(text: str, hint: str | None) -> Found:
    """A username, a Reddit u/ or r/ name, or words on a platform or nowhere in particular."""
    reddit = _REDDIT_RE.match(text)
    if reddit and hint in {None, "reddit", "other"}:
        if reddit[1].lower() == "u":
            return handle_found("reddit", reddit[2])
        name = reddit[2].lower()
        return Found("reddit", f"r/{name}", f"r/{name}", f"https://www.reddit.com/r/{name}")
    if hint in HANDLE_PLATFORMS and _is_handle_on(hint, text.removeprefix("@")):
        return handle_found(hint, text)
    if text.startswith("@") and is_handle(text[1:]) and hint not in HANDLE_PLATFORMS:
        # A handle with no app that has usernames: matched to a known entry when linked.
        return Found("other", text.casefold(), text)
    if hint in PLATFORMS and hint not in {"phone", "web", "other", "email"}:
        # WhatsApp has no usernames, so a name given for it is a chat's name.
        kind = AccountKind.GROUP_CHAT if hint == "whatsapp" else None
        return Found(hint, f"text/{text.casefold()}", text, None, kind)
    # A handle with no app named ("@name") is matched to a known entry when linked.
    return Found("other", text.casefold(), text)


def _is_handle_on(platform: str, name: str) -> bool:
    """A username on this platform (Xbox gamertags may have spaces in them)."""
    if platform == "xbox":
        return bool(_GAMERTAG_RE.match(name))
    return is_handle(name)


def _to_ref(found: Found) -> AccountRef:
    """The finished reference, with the key and display kept to the stored length."""
    note = None
    if found.platform in HANDLE_PLATFORMS and "/" not in found.body:
        note = rule_note(found.platform, found.body)
    return AccountRef(
        platform=found.platform,
        canonical_key=_fit(f"{found.platform}:{found.body}"),
        display=found.display[:MAX_KEY],
        url=found.url,
        kind_hint=found.kind_hint,
        unresolved_short_link=found.short,
        note=note,
    )


def _fit(key: str) -> str:
    """Keys over the limit end in a digest, so long distinct inputs stay distinct."""
    if len(key) <= MAX_KEY:
        return key
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{key[:MAX_KEY - 17]}~{digest}"
