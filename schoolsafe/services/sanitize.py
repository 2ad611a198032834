"""Text hygiene for everything people type. The only module that imports bleach.

We store what people type as text and let the templates escape it; this module removes the
characters that could disguise text (control characters, bidirectional overrides, zero-width
joiners used to hide words), and spots images smuggled in as text.
"""

from __future__ import annotations

import re
import unicodedata

import bleach

# Bidi overrides/isolates can make text display differently from what it says.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DATA_URI = re.compile(r"data:\s*image/", re.IGNORECASE)
# A long unbroken run of base64 is an encoded file, not something a person wrote.
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{200,}={0,2}")


def clean_text(value: str | None, keep_newlines: bool = True) -> str:
    """Normalise Unicode, drop control and invisible characters, trim the ends."""
    text = unicodedata.normalize("NFC", value or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", _CONTROL.sub("", text))
    if not keep_newlines:
        text = " ".join(text.split())
    return text.strip()


def contains_image_data(value: str | None) -> bool:
    """Whether text carries an image or an encoded file (a data: URI or a long base64 blob)."""
    text = value or ""
    return bool(_DATA_URI.search(text) or _BASE64_RUN.search(text.replace("\n", "")))


def without_markup(value: str) -> str:
    """Text with any HTML tags removed, for places that must read as plain words (emails)."""
    return bleach.clean(value, tags=set(), attributes={}, strip=True)
