"""Jurisdiction packs in other languages for tests: a copy of the shipped packs in a temporary
folder, with overlays whose every text is the English one marked with its language, such as
"[nl] If someone is in danger right now", so a page shows which language each text came from."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from schoolsafe.services.jurisdictions.packs import JURISDICTIONS_DIR
from schoolsafe.services.jurisdictions.texts import skeleton, to_toml


def mark(language: str) -> str:
    """What every text of a test overlay in `language` starts with."""
    return f"[{language}] "


def base_data(code: str) -> dict:
    """A shipped base pack as read from its file."""
    with (JURISDICTIONS_DIR / f"{code}.toml").open("rb") as handle:
        return tomllib.load(handle)


def marked_texts(code: str, language: str) -> dict:
    """Every text key of the pack, each its English text marked with the language."""
    return _marked(skeleton(base_data(code)), mark(language))


def _marked(value: object, prefix: str, key: str = "") -> object:
    if isinstance(value, dict):
        return {k: _marked(v, prefix, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_marked(item, prefix, key) for item in value]
    return value if key == "id" else prefix + value


def write_packs(directory: Path, offered: dict[str, list[str]],
                overlays: dict[tuple[str, str], dict] | None = None) -> Path:
    """Copy every shipped pack into directory; a pack in `offered` offers those languages, each
    with a marked overlay (or the texts given in `overlays` for that code and language)."""
    directory.mkdir(parents=True, exist_ok=True)
    for path in JURISDICTIONS_DIR.glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        languages = offered.get(path.stem)
        if languages:
            listed = ", ".join(f'"{code}"' for code in languages)
            text = re.sub(r"^languages = .*$", f"languages = [{listed}]", text, count=1,
                          flags=re.M)
        (directory / path.name).write_text(text, encoding="utf-8")
        for language in languages or ():
            if language != "en":
                texts = (overlays or {}).get((path.stem, language)) \
                    or marked_texts(path.stem, language)
                write_overlay(directory, path.stem, language, texts)
    return directory


def write_overlay(directory: Path, code: str, language: str, texts: dict) -> Path:
    """Write one overlay file, <code>.<language>.toml."""
    path = directory / f"{code}.{language}.toml"
    path.write_text(to_toml(texts), encoding="utf-8")
    return path


def use_packs(app, monkeypatch, folder: Path) -> None:
    """Let the app read its packs from folder for this test (and no kept page from before)."""
    from schoolsafe.report.views import BLANK_FORMS_KEY
    from schoolsafe.services.jurisdictions.packs import load_jurisdictions

    monkeypatch.setitem(app.extensions, "jurisdictions", load_jurisdictions(folder))
    monkeypatch.setitem(app.extensions, BLANK_FORMS_KEY, {})
