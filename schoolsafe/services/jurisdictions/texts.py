"""The words of a jurisdiction pack in another language: which keys a person reads, and the
overlay file that gives them.

The base pack (``belgium.toml``) is English. Its text in another language lives beside it in
``<code>.<lang>.toml`` (``belgium.nl.toml``) with the base's table structure but only the keys
listed here; numbers, addresses, conditions and flags are read from the base alone. Every text
key of the base must be there (a pupil never meets half a page in English), nothing else may be
(a misspelt key is not silently ignored), a section's contacts are a list of the base's length
in the base's order, and checklist steps are matched by `id`.
"""

import copy
import json
import re

from schoolsafe.services.jurisdictions import fields as field

# Every key in a pack that a pupil or a member of staff reads, by the table it is in. The
# overlay skeleton, its check and the merge all follow these lists and nothing else.
PACK_TEXTS = ("name",)
CRISIS_LINE_TEXTS = ("name", "hours")
SECTION_TEXTS = ("title", "paragraphs")  # and "contacts": CONTACT_TEXTS for each contact
CONTACT_TEXTS = ("name", "note")
RECIPIENT_TEXTS = ("name", "hours", "asks", "notes")
RECIPIENT_RULE_TEXTS = {
    "needs_any_factor": ("warning",),
    "min_age": ("warning",),
    "after_platform": ("warn_no_report", "warn_unreported", "warn_too_soon", "step_title",
                       "step_sooner", "step_waited"),
}
CHECKLIST_TEXTS = ("text",)  # each step as `id` + these, matched by id
# A service's own name stays the same in every language unless it has a local one, so an
# overlay may leave these out (the English name is shown then).
OPTIONAL_NAMES = "name"
# Where speakers of this language have their own service (Tele-Onthaal answers in Dutch, the
# French-speaking pupil calls Télé-Accueil), a contact or the crisis line in the overlay may
# give that service's number and address too; otherwise the base's are shown.
LOCAL_SERVICE = ("phone", "url")


def skeleton(base: dict) -> dict:
    """The text keys of a base pack (raw TOML, already checked), each with its English text."""
    return {
        **_pick(base, PACK_TEXTS),
        "crisis_line": _pick(base["crisis_line"], CRISIS_LINE_TEXTS),
        "help": {topic: _help_table(table) for topic, table in base["help"].items()},
        "recipients": {kind: _recipient(table) for kind, table in base["recipients"].items()},
        "checklist": [{"id": rule["id"], **_pick(rule, CHECKLIST_TEXTS)}
                      for rule in base["checklist"]],
    }


def _pick(table: dict, keys: tuple[str, ...]) -> dict:
    # A blank or empty value in the base has nothing to translate, so the overlay leaves it out.
    return {key: table[key] for key in keys if table.get(key) not in (None, "", [])}


def _help_table(table: dict) -> dict:
    # A topic said the same to everyone is one section; the others have one per who.
    if "title" in table:
        return _section(table)
    return {who: _section(section) for who, section in table.items()}


def _section(table: dict) -> dict:
    return {**_pick(table, SECTION_TEXTS),
            "contacts": [_pick(contact, CONTACT_TEXTS) for contact in table.get("contacts", [])]}


def _recipient(table: dict) -> dict:
    found = _pick(table, RECIPIENT_TEXTS)
    for rule, keys in RECIPIENT_RULE_TEXTS.items():
        if rule in table:
            found[rule] = _pick(table[rule], keys)
    return found


def check(expected: dict, overlay: dict, where: str = "") -> None:
    """Refuse an overlay that lacks a text key of the base or has one the base does not."""
    for key in overlay:
        if key in LOCAL_SERVICE and _names_optional(where):
            if not isinstance(overlay[key], str) or not overlay[key].strip():
                raise field.Invalid(field.path_of(where, key), "must be a non-blank string")
        elif key not in expected:
            raise field.Invalid(field.path_of(where, key), "unknown key")
    for key, wanted in expected.items():
        path = field.path_of(where, key)
        if key not in overlay:
            if key == OPTIONAL_NAMES and _names_optional(where):
                continue
            raise field.Invalid(path, "missing")
        _check_value(wanted, overlay[key], path)


def _names_optional(where: str) -> bool:
    return where == "crisis_line" or where.endswith("]") and ".contacts[" in where


def _check_value(wanted: object, value: object, path: str) -> None:
    if isinstance(wanted, dict):
        if not isinstance(value, dict):
            raise field.Invalid(path, "must be a table")
        check(wanted, value, path)
    elif path == "checklist":
        _check_checklist(wanted, value)
    elif isinstance(wanted, list) and (not wanted or isinstance(wanted[0], dict)):
        if not isinstance(value, list) or len(value) != len(wanted):
            raise field.Invalid(path, f"must be a list of {len(wanted)} tables, in the base "
                                      "pack's order")
        for index, (one, given) in enumerate(zip(wanted, value, strict=True)):
            _check_value(one, given, f"{path}[{index}]")
    elif isinstance(wanted, list):
        if not isinstance(value, list) or not value or not all(
                isinstance(item, str) and item.strip() for item in value):
            raise field.Invalid(path, "must be a non-empty list of non-blank strings")
    elif not isinstance(value, str) or not value.strip():
        raise field.Invalid(path, "must be a non-blank string")


def _check_checklist(wanted: list[dict], value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(step, dict) for step in value):
        raise field.Invalid("checklist", "must be [[checklist]] tables of id and text")
    by_id = {step["id"]: step for step in wanted}
    given = {step.get("id"): step for step in value}
    for index, step in enumerate(value):
        if step.get("id") not in by_id:
            raise field.Invalid(f"checklist[{index}].id",
                                f"{step.get('id')!r} is not a step of the base pack")
    for rule_id, step in by_id.items():
        if rule_id not in given:
            raise field.Invalid(f"checklist.{rule_id}", "missing (a step of the base pack)")
        check(step, given[rule_id], f"checklist.{rule_id}")


def merged(base: dict, overlay: dict) -> dict:
    """The base pack with the overlay's texts in place of its English ones (both checked)."""
    whole = copy.deepcopy(base)
    _merge(whole, overlay)
    return whole


def _merge(into: dict, texts: dict) -> None:
    for key, value in texts.items():
        if key == "checklist":
            by_id = {step["id"]: step for step in value}
            for rule in into["checklist"]:
                rule.update(by_id[rule["id"]])
        elif isinstance(value, dict):
            _merge(into[key], value)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for target, given in zip(into[key], value, strict=True):
                _merge(target, given)
        else:
            into[key] = value


# ---- the skeleton a translator fills in ---------------------------------------------------

HEADER = """\
# {code}.{language}.toml: the texts of the {name} pack ({code}.toml) in "{language}".
# Every value below is the English text: replace each one with its translation, keeping the
# keys, the tables and the order of each list exactly as they are. Keep {{staff_back}} where it
# appears. A service's `name` may be deleted where it has no name in this language (the
# English one is shown). Numbers, addresses and rules stay in {code}.toml only. When every
# value is translated, add "{language}" to `languages` in {code}.toml; start-up then checks
# this file and names the file and key of anything missing or unknown.
"""
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def overlay_file(base: dict, language: str) -> str:
    """A complete overlay for `language` as TOML, every value the base's English text."""
    header = HEADER.format(code=base["code"], name=base["name"], language=language)
    return header + "\n" + to_toml(skeleton(base))


def to_toml(texts: dict) -> str:
    """Overlay texts as TOML, in the shape start-up reads: tables, [[lists]] of tables."""
    lines: list[str] = []
    _write_table(texts, [], lines)
    return "\n".join(lines) + "\n"


def _write_table(table: dict, path: list[str], lines: list[str]) -> None:
    nested = {key: value for key, value in table.items() if _is_tables(value)}
    for key, value in table.items():
        if key not in nested:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in nested.items():
        if isinstance(value, dict):
            if any(not _is_tables(item) for item in value.values()):
                lines.extend(["", f"[{_dotted([*path, key])}]"])
            _write_table(value, [*path, key], lines)
        else:
            for item in value:
                lines.extend(["", f"[[{_dotted([*path, key])}]]"])
                _write_table(item, [*path, key], lines)


def _is_tables(value: object) -> bool:
    return isinstance(value, dict) or (isinstance(value, list) and bool(value)
                                       and all(isinstance(item, dict) for item in value))


def _dotted(path: list[str]) -> str:
    return ".".join(_key(part) for part in path)


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def _value(value: object) -> str:
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + "".join(f"    {_value(item)},\n" for item in value) + "]"
    # A JSON string is a TOML basic string (same escapes); keep letters such as ŵ as they are.
    return json.dumps(value, ensure_ascii=False)
