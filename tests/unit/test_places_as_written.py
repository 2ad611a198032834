"""Places as pupils write them (issue 21): each spelling lands on the entry a DSL expects.

Written the way 13-year-olds fill in a free-text box: platform nicknames, filler words in
any order, brackets, phone numbers in groups, the odd non-English word. `None` means the
text names no place: it stays on the report as typed and makes no register entry.
"""

import pytest

from schoolsafe.services.accounts.canonical import PLATFORMS, canonicalise

OWEN_TT = "tiktok:owen.exposed"
SARA_IG = "instagram:slags_of_birmingham_xx"
BEEF_SC = "snapchat:brum_beef_100"
PHONE = "phone:+447700900123"
EMAIL = "email:owen.exposed@gmail.com"
KIK = "kik:owenexposed"
THREADS = "threads:owen.exposed"

# (what was typed, platform picked on the form or None, the entry key or None)
TABLE = [
    # TikTok, in sentences
    ("its on tiktok @owen.exposed", None, OWEN_TT),
    ("@owen.exposed tiktok", None, OWEN_TT),
    ("@owen.exposed on tiktok", None, OWEN_TT),
    ("tiktok @Owen.Exposed", None, OWEN_TT),
    ("its @owen.exposed on tt", None, OWEN_TT),
    ("tt: owen.exposed", None, OWEN_TT),
    ("the tiktok is @owen.exposed", None, OWEN_TT),
    ("TikTok account called @owen.exposed", None, OWEN_TT),
    ("owen.exposed (tiktok)", None, OWEN_TT),
    ("owen.exposed on tiktok", None, OWEN_TT),
    ("@owen.exposed", "tiktok", OWEN_TT),
    ("its @owen.exposed", "tiktok", OWEN_TT),
    ("the account is owen.exposed", "tiktok", OWEN_TT),
    ("they made a page @owen.exposed", "tiktok", OWEN_TT),
    ("on tiktok its owen.exposed", None, OWEN_TT),
    ("tiktok.com/@owen.exposed", "instagram", OWEN_TT),    # the link's own site wins
    ("https://www.tiktok.com/@Owen.Exposed?lang=en", None, OWEN_TT),
    ("its on tiktok @owen.exposed", "instagram", OWEN_TT),  # the text beats the choice
    ("\u201c@owen.exposed\u201d on tiktok!!", None, OWEN_TT),
    ("TIKTOK - @OWEN.EXPOSED", None, OWEN_TT),
    # Instagram: Sara's first account
    ("IG slags_of_birmingham_xx (the main one)", None, SARA_IG),
    ("the page is @slags_of_birmingham_xx", "instagram", SARA_IG),
    ("insta slags_of_birmingham_xx", None, SARA_IG),
    ("its on insta @slags_of_birmingham_xx", None, SARA_IG),
    ("@slags_of_birmingham_xx on insta", None, SARA_IG),
    ("@slags_of_birmingham_xx (insta)", None, SARA_IG),
    ("slags_of_birmingham_xx on ig", None, SARA_IG),
    ("ig page slags_of_birmingham_xx", None, SARA_IG),
    ("there is an insta page called slags_of_birmingham_xx", None, SARA_IG),
    ("its called slags_of_birmingham_xx", "instagram", SARA_IG),
    ("slags_of_birmingham_xx - its the main page", "instagram", SARA_IG),
    ("@slags_of_birmingham_xx its a bait out page", "instagram", SARA_IG),
    ("Instagram: @Slags_Of_Birmingham_XX", None, SARA_IG),
    ("instagram account @slags_of_birmingham_xx", None, SARA_IG),
    ("gram: slags_of_birmingham_xx", None, SARA_IG),
    ("slags_of_birmingham_xx", "instagram", SARA_IG),
    ("op insta @slags_of_birmingham_xx", None, SARA_IG),       # Dutch "on"
    ("en insta slags_of_birmingham_xx", None, SARA_IG),        # Spanish/French "on"
    ("its on instagram.com/slags_of_birmingham_xx", "snapchat", SARA_IG),
    ("https://instagram.com/slags_of_birmingham_xx look at it", None, SARA_IG),
    ("the page @slags_of_birmingham_xx on insta", "tiktok", SARA_IG),
    ("ig @slags_of_birmingham_xx", "instagram", SARA_IG),
    ("its slags_of_birmingham_xx on insta", None, SARA_IG),
    ("insta - slags_of_birmingham_xx", "instagram", SARA_IG),
    # Snapchat: Sara's second account
    ("its @brum_beef_100 on snap", None, BEEF_SC),
    ("snap: brum_beef_100", None, BEEF_SC),
    ("his snap is brum_beef_100", None, BEEF_SC),
    ("brum_beef_100 on snap", None, BEEF_SC),
    ("brum_beef_100 (snap)", None, BEEF_SC),
    ("sc brum_beef_100", None, BEEF_SC),
    ("sc: brum_beef_100", None, BEEF_SC),
    ("snapchat username is brum_beef_100", None, BEEF_SC),
    ("add brum_beef_100 on snapchat", None, BEEF_SC),
    ("på snap: brum_beef_100", None, BEEF_SC),                 # Swedish "on"
    ("ar snap brum_beef_100", None, BEEF_SC),                  # Welsh "on"
    ("på snap brum_beef_100", None, BEEF_SC),
    ("@brum_beef_100", "snapchat", BEEF_SC),
    ("its brum_beef_100", "snapchat", BEEF_SC),
    ("snapchat.com/add/brum_beef_100", None, BEEF_SC),
    ("the snap @Brum_Beef_100 keeps posting", None, BEEF_SC),
    ("@brum_beef_100 snap", None, BEEF_SC),
    ("snap @brum_beef_100", "instagram", BEEF_SC),
    ("on snap its brum_beef_100", None, BEEF_SC),
    ("SNAP brum_beef_100", None, BEEF_SC),
    # A handle with no app named stays apart (linking joins it to a known entry)
    ("@Slags_of_Birmingham_xx", None, "other:@slags_of_birmingham_xx"),
    ("@slags_of_birmingham_xx", "", "other:@slags_of_birmingham_xx"),
    ("its @slags_of_birmingham_xx", None, "other:@slags_of_birmingham_xx"),
    ("the page is @Slags_Of_Birmingham_XX", None, "other:@slags_of_birmingham_xx"),
    ("@owen.exposed", "whatsapp", "other:@owen.exposed"),
    # Phone numbers in sentences
    ("07700 900 123 (whatsapp)", None, PHONE),
    ("his number is 07700 900123", None, PHONE),
    ("07700900123 on whatsapp", None, PHONE),
    ("whatsapp 07700 900123", None, PHONE),
    ("wa: 07700 900 123", None, PHONE),
    ("number: 07700-900-123", None, PHONE),
    ("his num is 07700 900123", None, PHONE),
    ("+44 7700 900123 (his mobile)", None, PHONE),
    ("texts from 07700 900123", None, PHONE),
    ("it was 07700 900123", "whatsapp", PHONE),
    ("07700 900 123", "phone", PHONE),
    ("0 7700 900 123", None, PHONE),
    ("wa.me/447700900123 is the link", None, PHONE),
    ("his number is +44 (0)7700 900123", None, PHONE),
    ("tel 07700900123", None, PHONE),
    ("nummer 07700 900123", None, PHONE),                      # Dutch/Swedish "number"
    ("rhif 07700 900123", None, PHONE),                        # Welsh "number"
    ("his number 07700 900123 (it's on the page)", None, PHONE),
    ("07700 900123 and he sends stuff", None, PHONE),
    ("called me from 07700 900 123", None, PHONE),
    # Email addresses: one entry whatever the surrounding words or letter case
    ("email owen.exposed@gmail.com", None, EMAIL),
    ("owen.exposed@gmail.com", None, EMAIL),
    ("Owen.Exposed@Gmail.com", None, EMAIL),
    ("email: owen.exposed@gmail.com", None, EMAIL),
    ("his email is owen.exposed@gmail.com", None, EMAIL),
    ("mailto:owen.exposed@gmail.com", None, EMAIL),
    ("sent from owen.exposed@gmail.com", "other", EMAIL),
    ("owen.exposed@gmail.com (email)", None, EMAIL),
    ("<owen.exposed@gmail.com>", None, EMAIL),
    ("e-mail OWEN.EXPOSED@GMAIL.COM", None, EMAIL),
    ("owen.exposed@gmail.com", "instagram", EMAIL),
    # Kik: three spellings, one entry
    ("kik: owenexposed", None, KIK),
    ("owenexposed on kik", None, KIK),
    ("kik - OwenExposed", None, KIK),
    ("kik owenexposed", None, KIK),
    ("its owenexposed on kik", None, KIK),
    ("owenexposed (kik)", None, KIK),
    ("on kik its owenexposed", None, KIK),
    ("owenexposed", "kik", KIK),
    ("kik.me/OwenExposed", None, KIK),
    ("his kik is OwenExposed", None, KIK),
    # Threads: both domains, letter case folded
    ("threads.net/@Owen.Exposed", None, THREADS),
    ("threads.net/@owen.exposed", None, THREADS),
    ("https://www.threads.com/@owen.exposed", None, THREADS),
    ("threads.com/@Owen.Exposed/post/C1a2B3", None, THREADS),
    ("threads: @owen.exposed", None, THREADS),
    ("@owen.exposed on threads", None, THREADS),
    ("@owen.exposed", "threads", THREADS),
    # Platforms pupils use now
    ("bere.al/owenexposed", None, "bereal:owenexposed"),
    ("bereal: owenexposed", None, "bereal:owenexposed"),
    ("owenexposed on bereal", None, "bereal:owenexposed"),
    ("roblox: OwenX_2012", None, "roblox:owenx_2012"),
    ("his roblox is OwenX_2012", None, "roblox:owenx_2012"),
    ("roblox.com/users/123456789/profile", None, "roblox:id/123456789"),
    ("twitch.tv/OwenExposed", None, "twitch:owenexposed"),
    ("twitch: owenexposed", None, "twitch:owenexposed"),
    ("pinterest.co.uk/owen_exposed/", None, "pinterest:owen_exposed"),
    ("pinterest owen_exposed", None, "pinterest:owen_exposed"),
    ("owen-exposed.tumblr.com", None, "tumblr:owen-exposed"),
    ("tumblr.com/owen-exposed", None, "tumblr:owen-exposed"),
    ("yubo: owen.exposed", None, "yubo:owen.exposed"),
    ("@owen.exposed on yubo", None, "yubo:owen.exposed"),
    ("wizz: owen.exposed", None, "wizz:owen.exposed"),
    ("steamcommunity.com/id/OwenExposed", None, "steam:owenexposed"),
    ("steamcommunity.com/profiles/76561198000000000", None, "steam:id/76561198000000000"),
    ("steam owenexposed", None, "steam:owenexposed"),
    ("xbox: Owen Exposed", None, "xbox:owen exposed"),
    ("gamertag: OwenExposed#1234", None, "xbox:owenexposed#1234"),
    ("Owen  Exposed", "xbox", "xbox:owen exposed"),
    ("psn: Owen_Exposed", None, "playstation:owen_exposed"),
    ("his psn is owen_exposed", None, "playstation:owen_exposed"),
    ("signal: owen.01", None, "signal:owen.01"),
    ("owen.01 on signal", None, "signal:owen.01"),
    ("signal.group/#CjQKIAbCdEf", None, "signal:invite/CjQKIAbCdEf"),
    ("tele @owen_exposed", None, "telegram:owen_exposed"),
    ("telegram group t.me/+AbCdEf123", None, "telegram:invite/AbCdEf123"),
    ("dc: owen.exposed", None, "discord:owen.exposed"),
    ("fb john.smith.77", None, "facebook:johnsmith77"),
    ("yt @owenexposed", None, "youtube:owenexposed"),
    ("x: @owenexposed", None, "x:owenexposed"),
    ("twitter @owenexposed", None, "x:owenexposed"),
    ("its on reddit u/brum_gossip", None, "reddit:brum_gossip"),
    ("r/BrumSchools on reddit", None, "reddit:r/brumschools"),
    # Free text that names no single account stays as words
    ("snap is where they post it", None, "other:snap is where they post it"),
    ("the year 9 group chat", None, "other:the year 9 group chat"),
    ("Year 9 girls", "whatsapp", "whatsapp:text/year 9 girls"),
    ("Slags of Birmingham", "instagram", "instagram:text/slags of birmingham"),
    ("the slags page", "instagram", "instagram:text/the slags page"),
    ("a group chat for year 10", "snapchat", "snapchat:text/a group chat for year 10"),
    # Odd inputs: nothing to name, so no entry (kept on the report as typed)
    ("@", None, None),
    ("@", "instagram", None),
    ("http://", None, None),
    ("https://", "tiktok", None),
    ("t.me/+", None, None),
    ("t.me/joinchat/", None, None),
    ("facebook.com/profile.php?id=", None, None),
    ("facebook.com/profile.php?id=abc", None, None),
    ("youtube.com/watch?v=", None, None),
    ("instagram.com/p/", None, None),
    ("instagram.com", None, None),
    ("tiktok.com/", "tiktok", None),
    ("roblox.com/users//profile", None, None),
    ("signal.group/#", None, None),
    ("insta", None, None),
    ("on snap", None, None),
    ("its on tiktok", None, None),
    ("???", None, None),
    ("-", "snapchat", None),
    ("@ @", None, None),
]


@pytest.mark.parametrize(("text", "hint", "key"), TABLE)
def test_each_spelling_lands_on_the_entry_a_dsl_expects(text, hint, key):
    ref = canonicalise(text, hint)
    assert (ref.canonical_key if ref else None) == key


def test_the_table_is_long_and_covers_every_platform_with_accounts():
    assert len(TABLE) >= 150
    landed = {key.partition(":")[0] for _text, _hint, key in TABLE if key}
    assert landed == set(PLATFORMS) - {"web"}  # every app with accounts, and only those


@pytest.mark.parametrize(("text", "hint", "words"), [
    ("owen#1234", "instagram", "Latin letters, digits, dots and underscores"),
    ("sl\u0430gs_of_birmingham_xx", "instagram", "a typo or a name made to look like"),
    ("@brum.beef!", "x", "X (Twitter) names only use Latin letters, digits and underscores"),
    ("kik: \u043ewenexposed", None, "Kik names only use"),
])
def test_a_handle_that_breaks_its_apps_rules_says_so(text, hint, words):
    ref = canonicalise(text, hint)
    assert ref is not None and words in ref.note


@pytest.mark.parametrize(("text", "hint"), [
    ("@slags_of_birmingham_xx", "instagram"), ("owen.exposed", "tiktok"),
    ("discord: Brum.Gossip#1234", None), ("xbox: Owen Exposed#12", None),
    ("owen.exposed@gmail.com", None), ("07700 900123", None),
])
def test_handles_within_the_rules_carry_no_note(text, hint):
    assert canonicalise(text, hint).note is None
