"""Building blocks shared by the account-name and account-link parsers.

`Found` is what a parser recognised, before `accounts.canonicalise` turns it into an
`AccountRef`. Handles and phone numbers are built here so a bare `@name`, a prefix like
`snap: name` and a profile link all end in the same key for the same account.
"""

import re
from typing import NamedTuple

import phonenumbers

from schoolsafe.services.accounts.platforms import TABLE

# Letters of any script are allowed on purpose: a handle typed with a Cyrillic "а" must stay
# a handle (and a different one) so the lookalike check can see it.
HANDLE_RE = re.compile(r"^[\w.\-]{1,64}(#\d{4})?$")

_EMAIL_RE = re.compile(r"^[^\s@<>()/:,;\"']{1,64}@(?:[\w\-]+\.)+[^\W\d_]{2,24}$")

_PHONE_CHARS_RE = re.compile(r"^\+?[\d\s().\-/]{6,30}$")


class Found(NamedTuple):
    """What a parser recognised: the parts of an AccountRef before the key is finished."""

    platform: str
    body: str
    display: str
    url: str | None = None
    kind_hint: str | None = None
    short: bool = False


def is_handle(name: str) -> bool:
    """True when the text could be a username: no spaces, not only dots and dashes."""
    return bool(HANDLE_RE.match(name)) and any(ch.isalnum() for ch in name)


def handle_found(platform: str, name: str) -> Found:
    """The key, display and profile URL for a username on a platform."""
    name = name.lstrip("@")
    row = TABLE[platform]
    if row.case_insensitive:
        name = " ".join(name.lower().split())
    # Facebook ignores dots in usernames: john.smith and johnsmith are one account.
    body = name.replace(".", "") if platform == "facebook" else name
    if platform == "reddit":
        display = f"u/{name}"
    elif platform == "facebook":
        display = f"facebook.com/{name}"
    elif row.at_style:
        display = f"@{name}"
    else:
        display = name
    template = row.profile_url
    url = template.format(name) if template and "#" not in name and " " not in name else None
    return Found(platform, body, display, url)


def is_email(text: str) -> bool:
    """True for text shaped like one email address."""
    return bool(_EMAIL_RE.match(text))


def email_found(address: str) -> Found:
    """An email address: one entry whatever its letter case."""
    address = address.removeprefix("mailto:").casefold()
    return Found("email", address, address)


def looks_like_phone(text: str) -> bool:
    """True for text made only of phone characters with a plausible number of digits."""
    if not _PHONE_CHARS_RE.match(text):
        return False
    digits = sum(ch.isdigit() for ch in text)
    # A leading + or 0 marks a dialled number; otherwise ask for a full-length number so
    # that short numeric usernames are not mistaken for phones.
    dialled = text.startswith(("+", "0", "("))
    return 7 <= digits <= 15 and (dialled or digits >= 10)


def phone_found(text: str, international: bool = False) -> Found | None:
    """E.164 key for a phone number in UK national or international form, else None."""
    # "(0)" after a country code is a UK habit the parser does not expect.
    text = text.replace("(0)", "")
    if international and not text.startswith("+"):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return None
    # Possible, not valid: UK drama numbers such as 07700 900123 are not "valid" but
    # pupils' reports quote real-looking numbers we must still match.
    if not phonenumbers.is_possible_number(number):
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    pretty = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return Found("phone", e164, pretty)
