"""Field readers for jurisdiction packs: each checks one value and names its key when wrong.

Keys are written as dotted paths (``recipients.posh.email``, ``checklist[3].when``) so that the
start-up error tells whoever edits the pack exactly where to look.
"""

import re
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email


class Invalid(Exception):
    """One value in a pack is wrong; the message starts with its dotted key."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")


def path_of(where: str, key: str) -> str:
    """Join a parent path and a key into a dotted path."""
    return f"{where}.{key}" if where else key


def only(data: dict, allowed: set[str], where: str) -> None:
    """Refuse keys outside allowed, so a misspelt key is not silently ignored."""
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise Invalid(path_of(where, unknown[0]), "unknown key")


def required(data: dict, needed: tuple[str, ...], where: str) -> None:
    """Refuse a table without the keys it must have, naming the table and what it lacks."""
    missing = [key for key in needed if key not in data]
    if missing:
        raise Invalid(where, f"missing {', '.join(missing)}")


def table(data: dict, key: str, where: str) -> dict:
    """Return a required sub-table."""
    value = data.get(key)
    if not isinstance(value, dict):
        raise Invalid(path_of(where, key), "missing" if value is None else "must be a table")
    return value


def array(data: dict, key: str, where: str, allow_empty: bool = False) -> list:
    """Return a list; a missing key counts as empty only when empty is allowed."""
    value = data.get(key, [] if allow_empty else None)
    if not isinstance(value, list) or (not value and not allow_empty):
        raise Invalid(path_of(where, key), "must be a non-empty list")
    return value


def text(data: dict, key: str, where: str, blank_ok: bool = False) -> str:
    """Return a string, stripped; a missing key is blank only when blank is allowed."""
    value = data.get(key, "" if blank_ok else None)
    if not isinstance(value, str):
        raise Invalid(path_of(where, key), "missing" if value is None else "must be a string")
    if not blank_ok and not value.strip():
        raise Invalid(path_of(where, key), "must not be blank")
    return value.strip()


def texts(data: dict, key: str, where: str, allow_empty: bool = False) -> tuple[str, ...]:
    """Return a list of non-blank strings."""
    found = []
    for index, item in enumerate(array(data, key, where, allow_empty)):
        if not isinstance(item, str) or not item.strip():
            raise Invalid(f"{path_of(where, key)}[{index}]", "must be a non-blank string")
        found.append(item.strip())
    return tuple(found)


def flag(data: dict, key: str, where: str, default: bool | None = None) -> bool:
    """Return a true/false value, required unless a default is given."""
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise Invalid(path_of(where, key), "must be true or false")
    return value


def choice(data: dict, key: str, where: str, allowed: tuple[str, ...]) -> str:
    """Return one of the allowed codes."""
    value = data.get(key)
    if value not in allowed:
        raise Invalid(path_of(where, key), f"must be one of {', '.join(allowed)}")
    return value


def wait(data: dict, key: str, where: str) -> timedelta:
    """Return a wait written as a whole number of hours or days, such as "48 hours"."""
    value = text(data, key, where)
    found = re.fullmatch(r"([1-9][0-9]{0,3}) (hours|days)", value)
    if not found:
        raise Invalid(path_of(where, key), 'write it as a number of hours or days, e.g. "48 hours"')
    return timedelta(**{found[2]: int(found[1])})


def phone(data: dict, key: str, where: str, blank_ok: bool = False) -> str:
    """Return a phone number written with digits, spaces, a leading +, dashes or brackets."""
    value = text(data, key, where, blank_ok)
    if value and not re.fullmatch(r"\+?[0-9][0-9 ()-]*", value):
        raise Invalid(path_of(where, key), "use digits, spaces, +, - and brackets only")
    return value


def url(data: dict, key: str, where: str, blank_ok: bool = False) -> str:
    """Return an https:// address."""
    value = text(data, key, where, blank_ok)
    # Shown as links on pupil pages: only https, so a pack can never carry a script link.
    if value and not re.fullmatch(r"https://[^\s\"'<>]+", value):
        raise Invalid(path_of(where, key), "must be an https:// address")
    return value


def email(data: dict, key: str, where: str) -> str:
    """Return a checked email address, or "" where each school sets its own."""
    value = text(data, key, where, blank_ok=True)
    try:
        return validate_email(value, check_deliverability=False).normalized if value else ""
    except EmailNotValidError as error:
        raise Invalid(path_of(where, key), f"not a valid address ({error})") from error


def digits(number: str) -> str:
    """Return only the digits of a phone number, for comparing spellings."""
    return re.sub(r"\D", "", number)
