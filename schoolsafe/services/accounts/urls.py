"""Turn a typed link into a platform and key, without ever fetching it.

The link's host decides the platform. Each platform's paths are read by a small rule in
`account_url_rules`; anything a rule does not recognise keeps a normalised copy of the link
under that platform, and links on unknown sites become `web:` keys.
"""

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from schoolsafe.services.accounts.parts import Found
from schoolsafe.services.accounts.platforms import PROFILE_HOSTS
from schoolsafe.services.accounts.url_rules import RULES, Link

# Query parameters that say who shared a link or how, never which page it is.
TRACKING = frozenset(
    {"igsh", "igshid", "si", "fbclid", "gclid", "msclkid", "s", "t", "is_from_webapp",
     "sender_device", "ref", "ref_src", "ref_url", "mibextid", "feature", "share_id",
     "share_app_id", "_r", "_t", "mc_cid", "mc_eid", "rdid", "sfnsn", "hl", "app"}
)

PLATFORM_HOSTS = {
    "instagram.com": "instagram", "instagr.am": "instagram",
    "facebook.com": "facebook", "fb.com": "facebook", "m.me": "facebook",
    "snapchat.com": "snapchat", "story.snapchat.com": "snapchat",
    "tiktok.com": "tiktok", "youtube.com": "youtube", "youtu.be": "youtube",
    "twitter.com": "x", "x.com": "x", "reddit.com": "reddit",
    "discord.gg": "discord", "discord.com": "discord", "discordapp.com": "discord",
    "chat.whatsapp.com": "whatsapp", "wa.me": "whatsapp", "whatsapp.com": "whatsapp",
    "api.whatsapp.com": "whatsapp",
    "t.me": "telegram", "telegram.me": "telegram", "telegram.dog": "telegram",
    "roblox.com": "roblox", "steamcommunity.com": "steam", "tumblr.com": "tumblr",
    "xbox.com": "xbox", "account.xbox.com": "xbox", "my.playstation.com": "playstation",
    "signal.group": "signal", "signal.me": "signal", "yubo.live": "yubo", "wizz.chat": "wizz",
    **PROFILE_HOSTS,
}

# Hosts whose links only redirect somewhere else. We cannot know where without fetching,
# and the server never fetches a pupil's link, so these stay as typed.
SHORT_HOSTS = {
    "t.co": "x", "vm.tiktok.com": "tiktok", "vt.tiktok.com": "tiktok", "redd.it": "reddit",
    "fb.me": "facebook", "fb.watch": "facebook", "t.snapchat.com": "snapchat",
    "pin.it": "pinterest",
    "bit.ly": "web", "tinyurl.com": "web", "goo.gl": "web", "ow.ly": "web", "is.gd": "web",
    "v.gd": "web", "buff.ly": "web", "rebrand.ly": "web", "cutt.ly": "web",
    "shorturl.at": "web", "t.ly": "web", "rb.gy": "web", "tiny.cc": "web", "lnkd.in": "web",
    "s.id": "web",
}

# Sub-domains that show the same account as the bare domain on the big platforms.
_SAME_SITE_PREFIXES = ("www.", "m.", "mobile.", "web.", "mbasic.", "touch.", "old.", "new.",
                       "np.", "music.")
_COMMON_TLDS = frozenset(
    {"com", "org", "net", "uk", "co", "io", "me", "gg", "ly", "be", "app", "info", "site",
     "tv", "us", "se", "nl", "de", "fr", "ie", "eu", "xyz", "online", "link", "page", "blog"}
)
_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.\-]{0,15}://", re.IGNORECASE)
_HOST_RE = re.compile(r"^(?:[\w\-]+\.)+[^\W\d_]{2,24}\.?(?::\d{1,5})?$")
_SAFE_PATH = "@+:!$&'()*,;=-._~"
_DEFAULT_PORTS = {"http": 80, "https": 443}


def known_host(host: str) -> tuple[str, str] | None:
    """(platform, canonical host) for a big platform's host, with www./m./mobile. ignored."""
    for candidate in _host_variants(host):
        if candidate in PLATFORM_HOSTS:
            return PLATFORM_HOSTS[candidate], candidate
    # Tumblr gives every blog its own sub-domain: <name>.tumblr.com.
    name, dot, rest = host.partition(".")
    if rest == "tumblr.com" and name not in {"www", "m", "help", "api", "static"} and name:
        return "tumblr", host
    return None


def looks_like_url(text: str, strict: bool = False) -> bool:
    """True for text a person would read as a link; strict asks for clearer signs."""
    if _SCHEME_RE.match(text) or text.lower().startswith("www."):
        return True
    head, slash, _ = text.partition("/")
    host = head.lower()
    if not _HOST_RE.match(host):
        return False
    name = host.split(":")[0].rstrip(".")
    if known_host(name) or _short_platform(name):
        return True
    # "john.smith" could be a username; a slash or a familiar ending says it is a site.
    return bool(slash) or (not strict and name.rsplit(".", 1)[-1] in _COMMON_TLDS)


def parse_url(text: str) -> Found | Link | None:
    """Platform and key for a link; Link.NOTHING when it is cut short before naming anything;
    None when it cannot be read as a link at all."""
    if not _SCHEME_RE.match(text):
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if not host or not _HOST_RE.match(host):
        return None
    segs = [unquote(seg) for seg in parts.path.split("/") if seg]
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not _is_tracking(k))
    if parts.fragment and host.startswith("signal."):
        # Signal puts the whole group or contact code after the "#".
        query.append(("#", parts.fragment))
    return _classify(parts.scheme.lower(), host, port, segs, query)


def _classify(scheme: str, host: str, port: int | None, segs: list[str],
              query: list[tuple[str, str]]) -> Found | Link:
    """Route a split link to the short-link, platform or unknown-site rules."""
    short_platform = _short_platform(host)
    if short_platform:
        return _short(short_platform, _strip_www(host), segs, query)
    known = known_host(host)
    if known is None:
        return _web(scheme, host, port, segs, query)
    platform, canonical_host = known
    outcome = RULES[platform](canonical_host, segs, dict(query))
    if isinstance(outcome, Found) or outcome is Link.NOTHING:
        return outcome
    if outcome is Link.KEEP and not segs and not query:
        return Link.NOTHING  # the site's front page names no account
    if outcome is Link.SHORT:
        return _short(platform, canonical_host, segs, query)
    return _platform_link(platform, canonical_host, segs, query)


def _short(platform: str, host: str, segs: list[str], query: list[tuple[str, str]]) -> Found:
    """A redirecting link kept as typed (case kept: short codes are case-sensitive)."""
    rest = _path(segs) + (f"?{urlencode(query)}" if query else "")
    return Found(platform, f"short/{host}{rest}", host + _readable(segs), f"https://{host}{rest}",
                 short=True)


def _platform_link(platform: str, host: str, segs: list[str],
                   query: list[tuple[str, str]]) -> Found:
    """A page on a known platform that no rule names an account for: keep the link."""
    rest = _path(segs) + (f"?{urlencode(query)}" if query else "")
    return Found(platform, f"link/{host}{rest}", host + _readable(segs), f"https://{host}{rest}")


def _web(scheme: str, host: str, port: int | None, segs: list[str],
         query: list[tuple[str, str]]) -> Found:
    """A page on an unknown site as a normalised URL (no fragment, tracking or www.)."""
    netloc = _strip_www(host)
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    url = f"{scheme}://{netloc}{_path(segs)}" + (f"?{urlencode(query)}" if query else "")
    return Found("web", url, url, url)


def _path(segs: list[str]) -> str:
    """Path re-quoted the same way whatever escaping was typed, without a trailing slash."""
    return "".join("/" + quote(seg, safe=_SAFE_PATH) for seg in segs)


def _readable(segs: list[str]) -> str:
    """Path for people to read."""
    return "".join("/" + seg for seg in segs)


def _is_tracking(name: str) -> bool:
    """True for query parameters that only track sharing."""
    lowered = name.lower()
    return lowered in TRACKING or lowered.startswith("utm_")


def _short_platform(host: str) -> str | None:
    """The platform a link-shortener host belongs to ("web" for general ones), else None."""
    return next((SHORT_HOSTS[h] for h in _host_variants(host) if h in SHORT_HOSTS), None)


def _host_variants(host: str) -> list[str]:
    """The host, and the host without one same-site prefix when a domain remains."""
    variants = [host]
    for prefix in _SAME_SITE_PREFIXES:
        rest = host.removeprefix(prefix)
        if rest != host and "." in rest:
            variants.append(rest)
    return variants


def _strip_www(host: str) -> str:
    """Host without a leading www. (kept when nothing but a bare name would remain)."""
    rest = host.removeprefix("www.")
    return rest if "." in rest else host
