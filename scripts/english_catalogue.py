"""Fill the English catalogue from itself: each English string is its own translation.

Run by `make translations` after the catalogues are updated, so English is always complete and
the translation check can hold it to the same rules as every other language.

    python scripts/english_catalogue.py schoolsafe/translations/en/LC_MESSAGES/messages.po
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def fill(path: Path) -> int:
    """Give every untranslated message its English text; return how many were filled."""
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale="en")
    filled = 0
    for message in catalogue:
        if not message.id or message.string and all(message.string if message.pluralizable
                                                    else [message.string]):
            continue
        message.string = tuple(message.id) if message.pluralizable else message.id
        filled += 1
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=100, omit_header=False)
    return filled


if __name__ == "__main__":
    print(f"English: {fill(Path(sys.argv[1]))} strings filled from themselves")
