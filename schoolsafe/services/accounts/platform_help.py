"""Per-platform reporting help, kept as data in `config/platforms.toml`.

Loaded once at start-up and checked strictly, so a missing platform or a blank field stops
the app with a one-line message naming the file and the key instead of showing staff an
empty box on a register entry.
"""

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from schoolsafe.services.accounts.canonical import PLATFORMS

DEFAULT_PATH = Path(__file__).resolve().parents[3] / "config" / "platforms.toml"


class PlatformConfigError(ValueError):
    """The platform help file is missing, unreadable or incomplete."""


@dataclass(frozen=True)
class PlatformHelp:
    """How to report an account or post on one platform, for staff."""

    code: str
    name: str
    report_route: str
    what_to_include: str
    impersonation_route: bool
    intimate_image_route: bool
    special_routes: str
    help_url: str


_TEXT_FIELDS = ("name", "report_route", "what_to_include", "special_routes", "help_url")
_FLAG_FIELDS = ("impersonation_route", "intimate_image_route")
_KNOWN_FIELDS = frozenset(f.name for f in fields(PlatformHelp)) - {"code"}


def load_platforms(path: str | Path = DEFAULT_PATH) -> dict[str, PlatformHelp]:
    """Read and check the platform help file; entries come back in PLATFORMS order."""
    data = _read(Path(path))
    unknown = sorted(set(data) - set(PLATFORMS))
    if unknown:
        raise PlatformConfigError(f"{path}: [{unknown[0]}] is not a platform code")
    return {code: _entry(path, code, data.get(code)) for code in PLATFORMS}


def _read(path: Path) -> dict:
    """The parsed TOML, with read and syntax problems turned into one-line errors."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PlatformConfigError(f"{path}: cannot be read ({error.strerror})") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PlatformConfigError(f"{path}: not valid TOML ({error})") from error


def _entry(path: str | Path, code: str, table: object) -> PlatformHelp:
    """One platform's table checked field by field."""
    if not isinstance(table, dict):
        raise PlatformConfigError(f"{path}: [{code}] is missing")
    extra = sorted(set(table) - _KNOWN_FIELDS)
    if extra:
        raise PlatformConfigError(f"{path}: [{code}] {extra[0]} is not a known field")
    for name in _TEXT_FIELDS:
        value = table.get(name)
        if not isinstance(value, str) or not value.strip():
            raise PlatformConfigError(f"{path}: [{code}] {name} must be non-empty text")
    for name in _FLAG_FIELDS:
        if not isinstance(table.get(name), bool):
            raise PlatformConfigError(f"{path}: [{code}] {name} must be true or false")
    if not table["help_url"].startswith("https://"):
        raise PlatformConfigError(f"{path}: [{code}] help_url must start with https://")
    return PlatformHelp(code=code, **{name: table[name] for name in _KNOWN_FIELDS})
