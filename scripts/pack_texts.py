"""Print a complete overlay skeleton: a jurisdiction pack's texts for one language to translate.

    python scripts/pack_texts.py belgium nl > config/jurisdictions/belgium.nl.toml

Every text key of config/jurisdictions/<code>.toml, in the shape start-up checks, each value
the English text. A translator replaces every value and keeps the structure; README
("Jurisdiction packs in other languages") says what comes next.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    """Print the skeleton for argv's pack code and language; 2 with a plain message if wrong."""
    # Run as a file, the project is not on the path yet; the imports wait until it is.
    sys.path.insert(0, str(ROOT))
    from schoolsafe.services.jurisdictions.packs import (
        JURISDICTIONS_DIR,
        JurisdictionError,
        read_base,
    )
    from schoolsafe.services.jurisdictions.texts import overlay_file
    from schoolsafe.vocab import Language

    if len(argv) != 2:
        print("usage: python scripts/pack_texts.py <pack code> <language>", file=sys.stderr)
        return 2
    code, language = argv
    path = JURISDICTIONS_DIR / f"{code}.toml"
    if "." in code or not path.exists():
        known = ", ".join(sorted(p.stem for p in JURISDICTIONS_DIR.glob("*.toml")
                                 if "." not in p.stem))
        print(f"No pack named {code!r}. Packs: {known}.", file=sys.stderr)
        return 2
    if language not in Language.values() or language == Language.EN:
        others = ", ".join(code for code in Language.values() if code != Language.EN)
        print(f"{language!r} is not a language to translate into. Choose one of: {others}.",
              file=sys.stderr)
        return 2
    try:
        base = read_base(path)
    except JurisdictionError as error:
        print(error, file=sys.stderr)
        return 2
    sys.stdout.write(overlay_file(base, language))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
