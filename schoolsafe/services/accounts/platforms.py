"""The platforms the register knows, as data: names, link hosts and the rules for handles.

One row per platform code, in the order the report form offers them. A row says what the
platform's usernames may contain (`allowed`, a character class, and `allowed_words`, the same
in plain English for staff), whether letter case matters, how a profile link is written and
which hosts its links use. Link *paths* are read by `url_rules`; hosts here that have no rule
there are read by the one shared rule for "host/<name>" profile links.

A handle that breaks its platform's rules (a Cyrillic letter or `#1234` in an Instagram
name) is still kept - refusing it would lose what the pupil typed - but comes with a note
saying it is a typo or a name made to look like another.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Platform:
    """One platform: its name, its handles' rules, and how its links are written."""

    code: str
    label: str
    allowed: str = ""            # regex character class content for a handle; "" = any
    allowed_words: str = ""      # the same rule in words, for the note staff see
    case_insensitive: bool = True
    at_style: bool = True        # handles are shown as "@name"
    profile_url: str | None = None
    hosts: tuple[str, ...] = ()  # hosts read by the shared "host/<name>" rule
    suffix: str = ""             # regex for an allowed ending such as a "#1234" tag
    has_handles: bool = True     # a bare "@name" can mean an account here

    def breaks_rules(self, name: str) -> bool:
        """True when the name has characters this platform never allows in a handle."""
        if not self.allowed:
            return False
        return re.fullmatch(f"[{self.allowed}]+(?:{self.suffix or '(?!)'})?", name) is None


_LATIN_DOT_UNDERSCORE = ("A-Za-z0-9._", "Latin letters, digits, dots and underscores")
_LATIN_UNDERSCORE = ("A-Za-z0-9_", "Latin letters, digits and underscores")

_ROWS = (
    Platform("instagram", "Instagram", *_LATIN_DOT_UNDERSCORE,
             profile_url="https://www.instagram.com/{}"),
    Platform("snapchat", "Snapchat", "A-Za-z0-9._\\-",
             "Latin letters, digits, dots, dashes and underscores",
             profile_url="https://www.snapchat.com/add/{}"),
    Platform("tiktok", "TikTok", *_LATIN_DOT_UNDERSCORE, profile_url="https://www.tiktok.com/@{}"),
    Platform("facebook", "Facebook", "A-Za-z0-9.", "Latin letters, digits and dots",
             at_style=False, profile_url="https://www.facebook.com/{}"),
    # YouTube handles may be written in many alphabets, so there is no character rule.
    Platform("youtube", "YouTube", profile_url="https://www.youtube.com/@{}"),
    Platform("x", "X (Twitter)", *_LATIN_UNDERSCORE, profile_url="https://x.com/{}"),
    Platform("reddit", "Reddit", "A-Za-z0-9_\\-", "Latin letters, digits, dashes and underscores",
             at_style=False, profile_url="https://www.reddit.com/user/{}"),
    # Old Discord names ended in "#1234"; new ones are lower-case with dots and underscores.
    Platform("discord", "Discord", *_LATIN_DOT_UNDERSCORE, suffix="#\\d{4}"),
    Platform("whatsapp", "WhatsApp", has_handles=False),
    Platform("telegram", "Telegram", *_LATIN_UNDERSCORE, profile_url="https://t.me/{}"),
    # Threads names are Instagram names; both of its domains show the same profile.
    Platform("threads", "Threads", *_LATIN_DOT_UNDERSCORE,
             profile_url="https://www.threads.net/@{}", hosts=("threads.net", "threads.com")),
    Platform("kik", "Kik", *_LATIN_DOT_UNDERSCORE, at_style=False,
             profile_url="https://kik.me/{}", hosts=("kik.me", "kik.com")),
    Platform("bereal", "BeReal", *_LATIN_DOT_UNDERSCORE, profile_url="https://bere.al/{}",
             hosts=("bere.al", "bereal.com")),
    Platform("roblox", "Roblox", *_LATIN_UNDERSCORE, at_style=False),
    Platform("twitch", "Twitch", *_LATIN_UNDERSCORE, at_style=False,
             profile_url="https://www.twitch.tv/{}", hosts=("twitch.tv",)),
    Platform("pinterest", "Pinterest", *_LATIN_UNDERSCORE, at_style=False,
             profile_url="https://www.pinterest.com/{}",
             hosts=("pinterest.com", "pinterest.co.uk")),
    Platform("tumblr", "Tumblr", "A-Za-z0-9\\-", "Latin letters, digits and dashes",
             at_style=False, profile_url="https://www.tumblr.com/{}"),
    Platform("yubo", "Yubo", *_LATIN_DOT_UNDERSCORE),
    Platform("wizz", "Wizz", *_LATIN_DOT_UNDERSCORE),
    Platform("steam", "Steam", "A-Za-z0-9_\\-", "Latin letters, digits, dashes and underscores",
             at_style=False),
    # Gamertags may have spaces, and a "#1234" ending when the name was already taken.
    Platform("xbox", "Xbox gamertag", "A-Za-z0-9 ", "Latin letters, digits and spaces",
             at_style=False, suffix="#\\d{1,4}"),
    Platform("playstation", "PlayStation ID", "A-Za-z0-9_\\-",
             "Latin letters, digits, dashes and underscores", at_style=False),
    # Signal usernames are a nickname, a dot and at least two digits: "owen.01".
    Platform("signal", "Signal", *_LATIN_DOT_UNDERSCORE, at_style=False),
    Platform("email", "Email address", at_style=False, has_handles=False),
    Platform("phone", "Phone number", has_handles=False),
    Platform("web", "Another website", has_handles=False),
    Platform("other", "Somewhere else", has_handles=False),
)

TABLE: dict[str, Platform] = {row.code: row for row in _ROWS}
PLATFORMS: dict[str, str] = {row.code: row.label for row in _ROWS}
# Platforms where people have usernames a bare "@name" can mean.
HANDLE_PLATFORMS = frozenset(row.code for row in _ROWS if row.has_handles)
# Hosts read by the shared "host/<name>" rule, to their platform.
PROFILE_HOSTS: dict[str, str] = {host: row.code for row in _ROWS for host in row.hosts}


def rule_note(platform: str, name: str) -> str | None:
    """Plain words for staff when a handle breaks its platform's rules, else None."""
    row = TABLE.get(platform)
    if row is None or not row.breaks_rules(name):
        return None
    return (f"{row.label} names only use {row.allowed_words}, so \"{name}\" is a typo or a "
            f"name made to look like another account's.")
