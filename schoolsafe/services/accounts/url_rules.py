"""Per-platform rules that read an account (or post, group, invite) out of a link's path.

Each rule gets the canonical host, the unescaped path segments and the query (tracking
parameters already gone) and returns a `Found`, or a `Link` saying what to do instead.

Choices worth knowing:
- A post's link names its account where the path shows it (TikTok videos, X posts,
  Instagram `/<name>/p/...`); otherwise the post itself is the key (`instagram:p/<code>`).
- Only chat invites (Discord, WhatsApp, Telegram) get kind_hint "group_chat". A Facebook
  group is a page-like place that people post to, so it gets no hint.
- Invite codes, post codes and YouTube channel ids are case-sensitive and kept as typed.
- youtu.be/<id> already names its video, so it becomes `youtube:video/<id>` like a watch
  link rather than an unresolved short link; neither shows the channel.
"""

import enum
from collections.abc import Callable

from schoolsafe.services.accounts.parts import Found, handle_found, is_handle, phone_found
from schoolsafe.vocab import AccountKind


class Link(enum.Enum):
    """What to do with a link a rule could not name an account for."""

    KEEP = "keep"        # keep the normalised link under the platform
    SHORT = "short"      # a redirecting link: keep it as typed
    NOTHING = "nothing"  # the link is cut short and names nothing ("t.me/+", "?id=")


Rule = Callable[[str, list[str], dict[str, str]], "Found | Link"]

# First path parts that are site pages, not usernames.
_INSTAGRAM_PAGES = frozenset({"explore", "accounts", "direct", "about", "legal", "developer",
                              "web", "challenge", "oauth", "emails", "session", "api"})
_FACEBOOK_PAGES = frozenset({"watch", "photo", "photo.php", "events", "marketplace", "messages",
                             "login", "login.php", "help", "hashtag", "reel", "stories",
                             "gaming", "settings", "home.php", "search", "video.php"})
_YOUTUBE_PAGES = frozenset({"playlist", "results", "feed", "hashtag", "about", "account",
                            "premium", "redirect", "attribution_link", "t", "kids"})
_X_PAGES = frozenset({"home", "search", "explore", "hashtag", "settings", "messages",
                      "notifications", "intent", "share", "compose", "login", "signup", "tos",
                      "privacy"})
_TELEGRAM_PAGES = frozenset({"addstickers", "share", "proxy", "iv", "socks", "login", "addlist",
                             "addemoji", "setlanguage"})


def _post(platform: str, body: str, label: str, url: str) -> Found:
    """A single post or video whose account the link does not show."""
    return Found(platform, body, label, url)


def _invite(platform: str, code: str, url: str) -> Found:
    """A chat invite: case-sensitive, and a group chat."""
    name = {"discord": "Discord", "whatsapp": "WhatsApp", "telegram": "Telegram"}[platform]
    return Found(platform, f"invite/{code}", f"{name} invite {code}", url, AccountKind.GROUP_CHAT)


def instagram(host: str, segs: list[str], query: dict[str, str]) -> Found | Link:
    """Profiles, /<name>/p/<code>, stories, and posts or reels without a name."""
    if not segs:
        return Link.KEEP
    head = segs[0].lower()
    if head in {"p", "reel", "reels", "tv", "stories"} and len(segs) == 1:
        return Link.NOTHING
    if head in {"p", "reel", "reels", "tv"} and len(segs) > 1:
        code = segs[1]
        return _post("instagram", f"p/{code}", f"Instagram post {code}",
                     f"https://www.instagram.com/p/{code}")
    if head == "stories" and len(segs) > 1 and segs[1].lower() != "highlights":
        return handle_found("instagram", segs[1])
    if head in _INSTAGRAM_PAGES or not is_handle(segs[0]):
        return Link.KEEP
    return handle_found("instagram", segs[0])


def facebook(host: str, segs: list[str], query: dict[str, str]) -> Found | Link:
    """Vanity names, numeric profile ids, groups; share links are short links."""
    if not segs:
        return Link.KEEP
    head = segs[0].lower()
    numeric = _facebook_id(head, segs, query)
    if numeric:
        return Found("facebook", f"id/{numeric}", f"Facebook profile {numeric}",
                     f"https://www.facebook.com/profile.php?id={numeric}")
    if head in {"profile.php", "people", "groups"} and not numeric:
        if head != "groups" or len(segs) < 2:
            return Link.NOTHING
    if head == "groups" and len(segs) > 1:
        name = segs[1].lower()
        return Found("facebook", f"groups/{name}", f"Facebook group {name}",
                     f"https://www.facebook.com/groups/{name}")
    if head == "share":
        return Link.SHORT
    if head in _FACEBOOK_PAGES or not is_handle(segs[0]):
        return Link.KEEP
    return handle_found("facebook", segs[0])


def _facebook_id(head: str, segs: list[str], query: dict[str, str]) -> str | None:
    """The numeric profile id a Facebook link shows, if any."""
    if head in {"profile.php", "story.php", "permalink.php"}:
        found = query.get("id", "")
    elif head == "people" and len(segs) > 2:
        found = segs[2]
    elif head == "pages":
        found = segs[-1]
    else:
        return None
    return found if found.isdigit() and found.isascii() else None


def snapchat(host: str, segs: list[str], query: dict[str, str]) -> Found | Link:
    """snapchat.com/add/<name> and snapchat.com/@<name>; /t/ links are short links."""
    if len(segs) > 1 and segs[0].lower() == "add" and is_handle(segs[1]):
        return handle_found("snapchat", segs[1])
    if segs and segs[0].startswith("@") and is_handle(segs[0][1:]):
        return handle_found("snapchat", segs[0])
    return Link.SHORT if segs and segs[0] == "t" else Link.KEEP


def tiktok(host: str, segs: list[str], query: dict[str, str]) -> Found | Link:
    """tiktok.com/@<name>[/video/<id>]; /t/ links are short; /v/<id> is a video."""
    if segs and segs[0].startswith("@") and is_handle(segs[0][1:]):
        return handle_found("tiktok", segs[0])
    if segs and segs[0] == "t":
        return Link.SHORT
    if len(segs) > 1 and segs[0] == "v":
        video = segs[1].removesuffix(".html")
        return _post("tiktok", f"video/{video}", f"TikTok video {video}",
                     f"https://www.tiktok.com/video/{video}")
    return Link.KEEP


def youtube(host: str, segs: list[str], query: dict[str, str]) -> Found | Link:
    """@handles, channel ids (case kept), /c/ and /user/ names, and single videos."""
    video = _youtube_video(host, segs, query)
    if video == "":
        return Link.NOTHING
    if video:
        return _post("youtube", f"video/{video}", f"YouTube video {video}",
                     f"https://www.youtube.com/watch?v={video}")
    if not segs:
        return Link.KEEP
    head, low = segs[0], segs[0].lower()
    if head.startswith("@") and is_handle(head[1:]):
        return handle_found("youtube", head)
    if low == "channel" and len(segs) > 1:
        return Found("youtube", f"channel/{segs[1]}", f"YouTube channel {segs[1]}",
                     f"https://www.youtube.com/channel/{segs[1]}")
    if low in {"c", "user"} and len(segs) > 1:
        return _youtube_named(low, segs[1])
    if low in _YOUTUBE_PAGES or not is_handle(head) or len(segs) > 2:
        return Link.KEEP
    return _youtube_named("c", head)  # old-style youtube.com/<name> custom address


def _youtube_named(kind: str, name: str) -> Found:
    """A /c/ or /user/ channel name (not case-sensitive)."""
    name = name.lower()
    return Found("youtube", f"{kind}/{name}", f"youtube.com/{kind}/{name}",
                 f"https://www.youtube.com/{kind}/{name}")


def _youtube_video(host: str, segs: list[str], query: dict[str, str]) -> str | None:
    """The video id a YouTube link points at, if it is a single-video link."""
    if host == "youtu.be":
        return segs[0] if segs else None
    if segs and segs[0].lower() == "watch":
        return query.get("v") or ""
    if len(segs) > 1 and segs[0].lower() in {"shorts", "live", "embed", "v"}:
        return segs[1]
    return None


def x(host: str, segs: list[str], query: dict[str, str]) -> Found | Link:
    """x.com or twitter.com/<name>[/status/<id>]; /i/status/<id> has no name."""
    if not segs:
        return Link.KEEP
    head = segs[0].lower()
    if head == "i" and "status" in segs[1:-1]:
        status = segs[segs.index("status") + 1]
        return _post("x", f"status/{status}", f"X post {status}", f"https://x.com/i/status/{status}")
    if head in _X_PAGES or head == "i" or not is_handle(segs[0]):
        return Link.KEEP
    return handle_found("x", segs[0])


def reddit(host: str, segs: list[str], query: dict[str, str]) -> Found | Link:
    """u/<name> and user/<name> are people; r/<name> is a community."""
    if len(segs) < 2:
        return Link.KEEP
    head, name = segs[0].lower(), segs[1]
    if head in {"u", "user"} and is_handle(name):
        return handle_found("reddit", name)
    if head == "r" and is_handle(name):
        name = name.lower()
        return Found("reddit", f"r/{name}", f"r/{name}", f"https://www.reddit.com/r/{name}")
    return Link.KEEP


def discord(host: str, segs: list[str], query: dict[str, str]) -> Found | Link:
    """Invites (discord.gg/<code>, /invite/<code>), server channels and user ids."""
    if host == "discord.gg" and segs:
        return _invite("discord", segs[0], f"https://discord.gg/{segs[0]}")
    head = segs[0].lower() if segs else ""
    if head == "invite" and len(segs) > 1:
        return _invite("discord", segs[1], f"https://discord.gg/{segs[1]}")
    if head == "channels" and len(segs) > 1 and segs[1].isdigit():
        server = segs[1]
        return Found("discord", f"server/{server}", f"Discord server {server}",
                     f"https://discord.com/channels/{server}", AccountKind.GROUP_CHAT)
    if head == "users" and len(segs) > 1 and segs[1].isdigit():
        return Found("discord", f"id/{segs[1]}", f"Discord user {segs[1]}",
                     f"https://discord.com/users/{segs[1]}")
    return Link.KEEP


def whatsapp(host: str, segs: list[str], query: dict[str, str]) -> Found | Link:
    """Group invites; wa.me/<number> and send?phone= are phone numbers; channels."""
    if host == "chat.whatsapp.com" and segs:
        return _invite("whatsapp", segs[0], f"https://chat.whatsapp.com/{segs[0]}")
    number = segs[0] if host == "wa.me" and segs else query.get("phone", "")
    if number:
        return phone_found(number, international=True) or Link.KEEP
    if len(segs) > 1 and segs[0].lower() == "channel":
        return Found("whatsapp", f"channel/{segs[1]}", f"WhatsApp channel {segs[1]}",
                     f"https://whatsapp.com/channel/{segs[1]}")
    return Link.KEEP


def telegram(host: str, segs: list[str], query: dict[str, str]) -> Found | Link:
    """t.me/<name>, invites (t.me/+<code>, /joinchat/<code>), t.me/+<phone>."""
    if not segs:
        return Link.KEEP
    head, low = segs[0], segs[0].lower()
    if head.startswith("+") and head[1:].isdigit():
        return phone_found(head) or Link.KEEP
    if head.startswith("+") or low == "joinchat":
        code = head[1:] if head.startswith("+") else "".join(segs[1:2])
        if not code:
            return Link.NOTHING
        return _invite("telegram", code, f"https://t.me/+{code}")
    if low == "s" and len(segs) > 1 and is_handle(segs[1]):
        return handle_found("telegram", segs[1])
    if low == "c" and len(segs) > 1 and segs[1].isdigit():
        return Found("telegram", f"c/{segs[1]}", f"Telegram private channel {segs[1]}",
                     f"https://t.me/c/{segs[1]}")
    if low in _TELEGRAM_PAGES or not is_handle(head):
        return Link.KEEP
    return handle_found("telegram", head)


def profile(platform: str) -> Rule:
    """The shared rule for "host/<name>" and "host/@<name>" profile links (Threads, Kik...)."""
    def rule(host: str, segs: list[str], query: dict[str, str]) -> Found | Link:
        if not segs or segs[0] in {"@", ""}:
            return Link.NOTHING if segs else Link.KEEP
        name = segs[0].removeprefix("@")
        if name.lower() in _PROFILE_PAGES or not is_handle(name):
            return Link.KEEP
        return handle_found(platform, name)
    return rule


_PROFILE_PAGES = frozenset({"about", "login", "signup", "search", "explore", "settings", "help",
                            "legal", "privacy", "terms", "download", "directory", "pin",
                            "ideas", "videos", "user", "u", "profile", "add", "en", "en-gb"})


def roblox(host: str, segs: list[str], query: dict[str, str]) -> Found | Link:
    """roblox.com/users/<id>/profile: a numeric user id."""
    if len(segs) > 1 and segs[0].lower() == "users" and segs[1].isdigit():
        return Found("roblox", f"id/{segs[1]}", f"Roblox user {segs[1]}",
                     f"https://www.roblox.com/users/{segs[1]}/profile")
    return Link.NOTHING if segs and segs[0].lower() == "users" else Link.KEEP


def steam(host: str, segs: list[str], query: dict[str, str]) -> Found | Link:
    """steamcommunity.com/id/<name> (chosen name) and /profiles/<64-bit id>."""
    head = segs[0].lower() if segs else ""
    if head == "id" and len(segs) > 1 and is_handle(segs[1]):
        return handle_found("steam", segs[1])
    if head == "profiles" and len(segs) > 1 and segs[1].isdigit():
        return Found("steam", f"id/{segs[1]}", f"Steam profile {segs[1]}",
                     f"https://steamcommunity.com/profiles/{segs[1]}")
    return Link.NOTHING if head in {"id", "profiles"} else Link.KEEP


def tumblr(host: str, segs: list[str], query: dict[str, str]) -> Found | Link:
    """<name>.tumblr.com, tumblr.com/<name> and tumblr.com/blog/view/<name>."""
    if host != "tumblr.com":
        return handle_found("tumblr", host.removesuffix(".tumblr.com"))
    if len(segs) > 2 and segs[:2] == ["blog", "view"]:
        segs = segs[2:]
    return profile("tumblr")(host, segs, query)


def xbox(host: str, segs: list[str], query: dict[str, str]) -> Found | Link:
    """account.xbox.com/profile?gamertag=<tag> and xbox.com/play/user/<tag>."""
    tag = query.get("gamertag") or (segs[-1] if len(segs) > 1 and segs[-2] == "user" else "")
    return handle_found("xbox", tag) if tag.strip() else Link.KEEP


def playstation(host: str, segs: list[str], query: dict[str, str]) -> Found | Link:
    """my.playstation.com/profile/<online id>."""
    if len(segs) > 1 and segs[0].lower() == "profile" and is_handle(segs[1]):
        return handle_found("playstation", segs[1])
    return Link.KEEP


def signal(host: str, segs: list[str], query: dict[str, str]) -> Found | Link:
    """signal.group/#<code> is a group invite; signal.me links hide who they are."""
    code = query.get("#", "")
    if host == "signal.group":
        if not code:
            return Link.NOTHING
        return Found("signal", f"invite/{code}", f"Signal group invite {code[:24]}",
                     f"https://signal.group/#{code}", AccountKind.GROUP_CHAT)
    if not code:
        return Link.NOTHING
    # signal.me links hide the person's number or name; kept as typed, like a short link.
    return Found("signal", f"short/signal.me#{code}", "signal.me link",
                 f"https://signal.me/#{code}", short=True)


RULES: dict[str, Rule] = {
    "instagram": instagram, "facebook": facebook, "snapchat": snapchat, "tiktok": tiktok,
    "youtube": youtube, "x": x, "reddit": reddit, "discord": discord, "whatsapp": whatsapp,
    "telegram": telegram, "roblox": roblox, "steam": steam, "tumblr": tumblr, "xbox": xbox,
    "playstation": playstation, "signal": signal,
    **{platform: profile(platform) for platform in ("threads", "kik", "bereal", "twitch",
                                                    "pinterest", "yubo", "wizz")},
}
