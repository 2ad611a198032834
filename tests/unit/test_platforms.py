"""Platform reporting help: the shipped file is complete, and a broken one fails clearly."""

import tomllib

import pytest

from schoolsafe.services.accounts.canonical import PLATFORMS
from schoolsafe.services.accounts.platform_help import (
    DEFAULT_PATH,
    PlatformConfigError,
    load_platforms,
)


def test_the_shipped_file_has_help_for_every_platform_in_form_order():
    loaded = load_platforms()
    assert list(loaded) == list(PLATFORMS)
    assert all(help_.code == code for code, help_ in loaded.items())


@pytest.mark.parametrize("code", list(PLATFORMS))
def test_every_platform_says_to_send_the_link_never_the_picture(code):
    help_ = load_platforms()[code]
    assert "never the picture" in help_.what_to_include
    assert help_.help_url.startswith("https://")


def _shipped() -> dict:
    return tomllib.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


def _dump(data: dict) -> str:
    """A minimal TOML writer for the flat tables this file uses."""
    lines = []
    for code, table in data.items():
        lines.append(f"[{code}]")
        for name, value in table.items():
            if isinstance(value, bool):
                shown = str(value).lower()
            else:
                shown = str(value) if isinstance(value, int) else f'"{value}"'
            lines.append(f"{name} = {shown}")
    return "\n".join(lines) + "\n"


def _without(code: str):
    return lambda data: data.pop(code)


def _set(code: str, name: str, value):
    return lambda data: data[code].__setitem__(name, value)


def _drop(code: str, name: str):
    return lambda data: data[code].pop(name)


@pytest.mark.parametrize(("break_it", "named"), [
    (_without("snapchat"), "[snapchat] is missing"),
    (_set("tiktok", "report_route", "   "), "[tiktok] report_route"),
    (_drop("x", "what_to_include"), "[x] what_to_include"),
    (_set("reddit", "name", 3), "[reddit] name"),
    (_set("youtube", "impersonation_route", "yes"), "[youtube] impersonation_route"),
    (_set("discord", "help_url", "http://support.discord.com/"), "[discord] help_url"),
    (_set("phone", "colour", "red"), "[phone] colour"),
    (lambda data: data.__setitem__("myspace", dict(data["web"])), "[myspace]"),
])
def test_a_broken_file_fails_with_one_line_naming_file_and_key(tmp_path, break_it, named):
    data = _shipped()
    break_it(data)
    path = tmp_path / "platforms.toml"
    path.write_text(_dump(data), encoding="utf-8")
    with pytest.raises(PlatformConfigError) as caught:
        load_platforms(path)
    message = str(caught.value)
    assert named in message and str(path) in message and "\n" not in message


def test_a_round_trip_of_the_shipped_file_loads(tmp_path):
    path = tmp_path / "platforms.toml"
    path.write_text(_dump(_shipped()), encoding="utf-8")
    assert load_platforms(path) == load_platforms()


@pytest.mark.parametrize(("content", "named"), [
    ("[instagram\nname = ", "not valid TOML"),
    (None, "cannot be read"),
])
def test_unreadable_files_fail_clearly(tmp_path, content, named):
    path = tmp_path / "platforms.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(PlatformConfigError, match=named):
        load_platforms(path)
