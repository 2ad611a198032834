"""Canonical keys: every real-world spelling of one account lands on one register key."""

import random

import pytest

from schoolsafe.services.accounts.canonical import PLATFORMS, canonicalise

# (what was typed, platform picked on the form, expected platform, expected key)
SPELLINGS = [
    # Instagram: Sara's first account, as pupils actually type it
    ("@Slags_of_Birmingham_xx", "instagram", "instagram", "instagram:slags_of_birmingham_xx"),
    ("Slags_of_Birmingham_xx", "instagram", "instagram", "instagram:slags_of_birmingham_xx"),
    ("instagram.com/slags_of_birmingham_xx/?igsh=abc", None, "instagram",
     "instagram:slags_of_birmingham_xx"),
    ("https://www.instagram.com/Slags_Of_Birmingham_XX", None, "instagram",
     "instagram:slags_of_birmingham_xx"),
    ("HTTPS://WWW.INSTAGRAM.COM/SLAGS_OF_BIRMINGHAM_XX/", "other", "instagram",
     "instagram:slags_of_birmingham_xx"),
    ("http://m.instagram.com/slags_of_birmingham_xx?utm_source=ig_web_copy_link", None,
     "instagram", "instagram:slags_of_birmingham_xx"),
    ("instagram.com/slags_of_birmingham_xx#top", "snapchat", "instagram",
     "instagram:slags_of_birmingham_xx"),
    ("instagram.com/slags_of_birmingham_xx/p/CzX1y2AbCdE/", None, "instagram",
     "instagram:slags_of_birmingham_xx"),
    ("https://www.instagram.com/stories/slags_of_birmingham_xx/3212345678/", None, "instagram",
     "instagram:slags_of_birmingham_xx"),
    ("insta - slags_of_birmingham_xx", None, "instagram", "instagram:slags_of_birmingham_xx"),
    ("ig: @slags_of_birmingham_xx", None, "instagram", "instagram:slags_of_birmingham_xx"),
    ("Instagram @slags_of_birmingham_xx", "tiktok", "instagram",
     "instagram:slags_of_birmingham_xx"),
    ("slags_of_birmingham_xx (insta)", None, "instagram", "instagram:slags_of_birmingham_xx"),
    ("slags_of_birmingham_xx on instagram", None, "instagram",
     "instagram:slags_of_birmingham_xx"),
    ("\u201c@slags_of_birmingham_xx\u201d.", "instagram", "instagram",
     "instagram:slags_of_birmingham_xx"),
    ("@slags\u200b_of_birmingham_xx\u200d", "instagram", "instagram",
     "instagram:slags_of_birmingham_xx"),
    ("\uff20\uff53\uff4c\uff41\uff47\uff53_of_birmingham_xx", "instagram", "instagram",
     "instagram:slags_of_birmingham_xx"),
    ("  <https://instagram.com/slags_of_birmingham_xx>  ", None, "instagram",
     "instagram:slags_of_birmingham_xx"),
    ("Brum_beef_100", "Instagram", "instagram", "instagram:brum_beef_100"),
    ("brum_beef_100", "insta", "instagram", "instagram:brum_beef_100"),
    # Instagram posts and reels do not show the account: the post is the key
    ("https://www.instagram.com/p/CzX1y2AbCdE/?igsh=MWQ1ZGUxMzBkMA==", None, "instagram",
     "instagram:p/CzX1y2AbCdE"),
    ("instagram.com/reel/CzX1y2AbCdE", None, "instagram", "instagram:p/CzX1y2AbCdE"),
    ("instagram.com/reels/CzX1y2AbCdE/", None, "instagram", "instagram:p/CzX1y2AbCdE"),
    ("https://instagr.am/p/CzX1y2AbCdE", None, "instagram", "instagram:p/CzX1y2AbCdE"),
    # Facebook
    ("m.facebook.com/profile.php?id=123", None, "facebook", "facebook:id/123"),
    ("https://www.facebook.com/profile.php?id=123&mibextid=ZbWKwL", None, "facebook",
     "facebook:id/123"),
    ("facebook.com/people/Owen-Fake/123/", None, "facebook", "facebook:id/123"),
    ("https://www.facebook.com/John.Smith.77", None, "facebook", "facebook:johnsmith77"),
    ("fb.com/johnsmith77?fbclid=IwAR0abc", None, "facebook", "facebook:johnsmith77"),
    ("fb: john.smith.77", None, "facebook", "facebook:johnsmith77"),
    ("https://web.facebook.com/groups/BrumBaitOut/", None, "facebook",
     "facebook:groups/brumbaitout"),
    ("facebook.com/groups/123456789/posts/987/", None, "facebook", "facebook:groups/123456789"),
    # Snapchat: Sara's second account
    ("snap: brum_beef_100", None, "snapchat", "snapchat:brum_beef_100"),
    ("Snapchat brum_beef_100", None, "snapchat", "snapchat:brum_beef_100"),
    ("sc - Brum_Beef_100", None, "snapchat", "snapchat:brum_beef_100"),
    ("snapchat.com/add/brum_beef_100", None, "snapchat", "snapchat:brum_beef_100"),
    ("https://www.snapchat.com/add/Brum_Beef_100?share_id=abc&locale=en-GB", None,
     "snapchat", "snapchat:brum_beef_100"),
    ("snapchat.com/@brum_beef_100", None, "snapchat", "snapchat:brum_beef_100"),
    ("https://story.snapchat.com/@brum_beef_100", None, "snapchat", "snapchat:brum_beef_100"),
    ("@brum_beef_100", "snapchat", "snapchat", "snapchat:brum_beef_100"),
    # TikTok
    ("@Owen.Fan.Page", "tiktok", "tiktok", "tiktok:owen.fan.page"),
    ("tiktok @owen.fan.page", None, "tiktok", "tiktok:owen.fan.page"),
    ("tiktok.com/@owen.fan.page", None, "tiktok", "tiktok:owen.fan.page"),
    ("https://www.tiktok.com/@Owen.Fan.Page/video/7312345678901234567?is_from_webapp=1"
     "&sender_device=pc", None, "tiktok", "tiktok:owen.fan.page"),
    ("m.tiktok.com/v/7312345678901234567.html", None, "tiktok",
     "tiktok:video/7312345678901234567"),
    # YouTube
    ("@BrumRatings", "youtube", "youtube", "youtube:brumratings"),
    ("yt: @brumratings", None, "youtube", "youtube:brumratings"),
    ("youtube.com/@BrumRatings/videos", None, "youtube", "youtube:brumratings"),
    ("https://m.youtube.com/@brumratings?si=abc", None, "youtube", "youtube:brumratings"),
    ("https://www.youtube.com/channel/UCaBcDeFgHiJkLmNoPqRsTuV", None, "youtube",
     "youtube:channel/UCaBcDeFgHiJkLmNoPqRsTuV"),
    ("youtube.com/c/BrumRatings", None, "youtube", "youtube:c/brumratings"),
    ("youtube.com/user/BrumRatings", None, "youtube", "youtube:user/brumratings"),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s", None, "youtube",
     "youtube:video/dQw4w9WgXcQ"),
    ("youtube.com/shorts/dQw4w9WgXcQ", None, "youtube", "youtube:video/dQw4w9WgXcQ"),
    # X / Twitter
    ("twitter.com/BrumGossip", None, "x", "x:brumgossip"),
    ("https://x.com/brumgossip", None, "x", "x:brumgossip"),
    ("mobile.twitter.com/BrumGossip/", None, "x", "x:brumgossip"),
    ("https://twitter.com/BrumGossip/status/1712345678901234567?s=20&t=abc", None, "x",
     "x:brumgossip"),
    ("twitter: @BrumGossip", None, "x", "x:brumgossip"),
    ("x: brumgossip", None, "x", "x:brumgossip"),
    ("x.com/i/web/status/1712345678901234567", None, "x", "x:status/1712345678901234567"),
    # Reddit
    ("reddit.com/u/Brum_Gossip", None, "reddit", "reddit:brum_gossip"),
    ("https://www.reddit.com/user/brum_gossip/", None, "reddit", "reddit:brum_gossip"),
    ("u/brum_gossip", None, "reddit", "reddit:brum_gossip"),
    ("old.reddit.com/r/BrumSchools/comments/abc123/title/", None, "reddit",
     "reddit:r/brumschools"),
    ("r/BrumSchools", None, "reddit", "reddit:r/brumschools"),
    # Discord: invite codes keep their case
    ("discord.gg/AbCdEf", None, "discord", "discord:invite/AbCdEf"),
    ("https://discord.com/invite/AbCdEf", None, "discord", "discord:invite/AbCdEf"),
    ("https://discordapp.com/invite/AbCdEf/", None, "discord", "discord:invite/AbCdEf"),
    ("discord: Brum.Gossip", None, "discord", "discord:brum.gossip"),
    # WhatsApp
    ("https://chat.whatsapp.com/HbC1x2Y3z4A5b6C7d8E9f0", None, "whatsapp",
     "whatsapp:invite/HbC1x2Y3z4A5b6C7d8E9f0"),
    ("wa.me/447700900123", None, "phone", "phone:+447700900123"),
    ("https://api.whatsapp.com/send?phone=447700900123&text=hi", None, "phone",
     "phone:+447700900123"),
    ("Year 9 girls", "whatsapp", "whatsapp", "whatsapp:text/year 9 girls"),
    # Telegram
    ("t.me/BrumGossip", None, "telegram", "telegram:brumgossip"),
    ("https://telegram.me/brumgossip/123", None, "telegram", "telegram:brumgossip"),
    ("t.me/s/brumgossip", None, "telegram", "telegram:brumgossip"),
    ("https://t.me/+AbCdEfGh123", None, "telegram", "telegram:invite/AbCdEfGh123"),
    ("t.me/joinchat/AbCdEfGh123", None, "telegram", "telegram:invite/AbCdEfGh123"),
    ("tg: @BrumGossip", None, "telegram", "telegram:brumgossip"),
    # Platforms added for issue 21, one spelling each (tests/unit/test_places_as_written.py
    # has many more)
    ("threads.net/@Owen.Exposed", None, "threads", "threads:owen.exposed"),
    ("kik: OwenExposed", None, "kik", "kik:owenexposed"),
    ("bere.al/owenexposed", None, "bereal", "bereal:owenexposed"),
    ("roblox: OwenX_2012", None, "roblox", "roblox:owenx_2012"),
    ("https://www.twitch.tv/OwenExposed", None, "twitch", "twitch:owenexposed"),
    ("pinterest.com/owen_exposed/", None, "pinterest", "pinterest:owen_exposed"),
    ("owen-exposed.tumblr.com", None, "tumblr", "tumblr:owen-exposed"),
    ("owen.exposed", "yubo", "yubo", "yubo:owen.exposed"),
    ("wizz: owen.exposed", None, "wizz", "wizz:owen.exposed"),
    ("steamcommunity.com/id/OwenExposed/", None, "steam", "steam:owenexposed"),
    ("xbox: Owen Exposed", None, "xbox", "xbox:owen exposed"),
    ("psn: Owen_Exposed", None, "playstation", "playstation:owen_exposed"),
    ("signal: owen.01", None, "signal", "signal:owen.01"),
    ("Owen.Exposed@Gmail.com", None, "email", "email:owen.exposed@gmail.com"),
    # Phone numbers, national and international (Owen's number was posted on the page)
    ("07700 900123", None, "phone", "phone:+447700900123"),
    ("07700900123", "phone", "phone", "phone:+447700900123"),
    ("+44 7700 900123", None, "phone", "phone:+447700900123"),
    ("+44 (0)7700 900123", None, "phone", "phone:+447700900123"),
    ("0044 7700 900123", None, "phone", "phone:+447700900123"),
    ("07700-900-123", "whatsapp", "phone", "phone:+447700900123"),
    ("tel: 0121 496 0000", None, "phone", "phone:+441214960000"),
    ("+1 202 555 0143", None, "phone", "phone:+12025550143"),
    # Unknown sites: normalised, tracking removed, query sorted, www. and default port gone
    ("https://Example.ORG:443/Path/Page/?b=2&a=1&utm_source=x#frag", None, "web",
     "web:https://example.org/Path/Page?a=1&b=2"),
    ("www.example.org/path/page", None, "web", "web:https://example.org/path/page"),
    ("example.org/path?fbclid=abc", "web", "web", "web:https://example.org/path"),
    ("https://example.org/page?igsh=a&si=b&is_from_webapp=1&ref=c&utm_medium=d&id=5", None,
     "web", "web:https://example.org/page?id=5"),
    ("http://example.org:8080/page", None, "web", "web:http://example.org:8080/page"),
    ("brumgossip.co.uk", "web", "web", "web:https://brumgossip.co.uk"),
    # Short links cannot be followed, so they stay as typed
    ("bit.ly/3AbCdEf", None, "web", "web:short/bit.ly/3AbCdEf"),
    ("https://tinyurl.com/AbC123", None, "web", "web:short/tinyurl.com/AbC123"),
    ("https://t.co/AbCdE12345", None, "x", "x:short/t.co/AbCdE12345"),
    ("https://vm.tiktok.com/ZMabcDEF/", None, "tiktok", "tiktok:short/vm.tiktok.com/ZMabcDEF"),
    ("tiktok.com/t/ZTabcDEF/", None, "tiktok", "tiktok:short/tiktok.com/t/ZTabcDEF"),
    ("https://youtu.be/dQw4w9WgXcQ?si=abc", None, "youtube", "youtube:video/dQw4w9WgXcQ"),
    # Free text that is not a link
    ("the year 9 group chat", None, "other", "other:the year 9 group chat"),
    ("The Year 9   Group Chat", "other", "other", "other:the year 9 group chat"),
    ("Slags of Birmingham", "instagram", "instagram", "instagram:text/slags of birmingham"),
    ("snap is where they post it", None, "other", "other:snap is where they post it"),
    ("they put it on instagram.com/brum_beef_100 last night", None, "instagram",
     "instagram:brum_beef_100"),
]


@pytest.mark.parametrize(("text", "hint", "platform", "key"), SPELLINGS)
def test_each_spelling_gets_the_expected_platform_and_key(text, hint, platform, key):
    ref = canonicalise(text, hint)
    assert ref is not None
    assert (ref.platform, ref.canonical_key) == (platform, key)


def test_the_table_covers_every_platform():
    assert {platform for _, _, platform, _ in SPELLINGS} == set(PLATFORMS)


@pytest.mark.parametrize(("first", "second"), [
    # Different accounts must never share a key, however alike they look.
    (("slags_of_birmingham_xx", "instagram"), ("slags_of_birmingham_xx2", "instagram")),
    (("slags_of_birmingham_xx", "instagram"), ("sl\u0430gs_of_birmingham_xx", "instagram")),
    (("s1ags_of_birmingham_xx", "instagram"), ("slags_of_birmingham_xx", "instagram")),
    (("brum_beef_100", "instagram"), ("brum_beef_100", "snapchat")),
    (("discord.gg/AbCdEf", None), ("discord.gg/abcdef", None)),
    (("chat.whatsapp.com/AbC123", None), ("chat.whatsapp.com/ABC123", None)),
    (("youtube.com/channel/UCabc", None), ("youtube.com/channel/UCABC", None)),
    (("instagram.com/p/AbC", None), ("instagram.com/p/abc", None)),
    (("bit.ly/AbC", None), ("bit.ly/abc", None)),
    (("reddit.com/r/brum", None), ("reddit.com/u/brum", None)),
    (("https://example.org/Page", None), ("https://example.org/page", None)),
    (("07700 900123", None), ("07700 900124", None)),
])
def test_distinct_accounts_keep_distinct_keys(first, second):
    assert canonicalise(*first).canonical_key != canonicalise(*second).canonical_key


@pytest.mark.parametrize(("text", "hint", "kind_hint", "short"), [
    ("discord.gg/AbCdEf", None, "group_chat", False),
    ("chat.whatsapp.com/AbC123", None, "group_chat", False),
    ("t.me/+AbC123", None, "group_chat", False),
    ("facebook.com/groups/brumbaitout", None, None, False),  # a group is a page, not a chat
    ("instagram.com/slags_of_birmingham_xx", None, None, False),
    ("bit.ly/AbC", None, None, True),
    ("vm.tiktok.com/ZMabc", None, None, True),
    ("https://www.facebook.com/share/AbC123/", None, None, True),
    ("youtu.be/dQw4w9WgXcQ", None, None, False),  # names a video, nothing left to resolve
])
def test_chat_invites_and_short_links_are_marked(text, hint, kind_hint, short):
    ref = canonicalise(text, hint)
    assert (ref.kind_hint, ref.unresolved_short_link) == (kind_hint, short)


@pytest.mark.parametrize(("text", "hint", "display", "url"), [
    ("https://www.instagram.com/Slags_Of_Birmingham_XX/?igsh=abc", None,
     "@slags_of_birmingham_xx", "https://www.instagram.com/slags_of_birmingham_xx"),
    ("snap: Brum_Beef_100", None, "@brum_beef_100", "https://www.snapchat.com/add/brum_beef_100"),
    ("u/brum_gossip", None, "u/brum_gossip", "https://www.reddit.com/user/brum_gossip"),
    ("+44 7700 900123", None, "+44 7700 900123", None),
    ("the year 9 group chat", None, "the year 9 group chat", None),
])
def test_staff_see_a_readable_handle_and_a_tidy_link(text, hint, display, url):
    ref = canonicalise(text, hint)
    assert (ref.display, ref.url) == (display, url)


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200b", "\"\"", "\n\t"])
def test_nothing_typed_gives_nothing(text):
    assert canonicalise(text, "instagram") is None


def test_very_long_input_is_cut_safely_and_keys_fit_the_column():
    ref = canonicalise("https://example.org/" + "a" * 5000)
    assert ref is not None
    assert len(ref.canonical_key) <= 300
    assert len(ref.display) <= 300


def test_long_inputs_that_differ_late_still_get_different_keys():
    base = "https://example.org/" + "a" * 400
    assert canonicalise(base + "b").canonical_key != canonicalise(base + "c").canonical_key


def test_random_unicode_never_raises():
    rng = random.Random(6)
    alphabet = "@:/.?#&=+-_ ()[]<>%\"'" + "aZ09" + "\u0430\u03bf\u200b\ufeff\ud800\uff20"
    for _ in range(2000):
        length = rng.randint(0, 60)
        text = "".join(
            rng.choice(alphabet) if rng.random() < 0.6 else chr(rng.randint(0, 0x10FFFF))
            for _ in range(length)
        )
        hint = rng.choice([None, "other", *PLATFORMS, "Insta", "nonsense"])
        ref = canonicalise(text, hint)
        assert ref is None or (ref.platform in PLATFORMS and len(ref.canonical_key) <= 300)
