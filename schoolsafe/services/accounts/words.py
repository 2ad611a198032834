"""The words pupils use for platforms, and the filler words around a handle, per language.

`WORDS` has one entry per language the pupil pages may offer: the names and nicknames of
platforms in that language ("insta", "snap", "nummer") and the small words that surround a
handle in a sentence ("its on", "op", "på"). Adding a language is adding an entry here.
The pupil pages are English-only today; the other entries hold the phrases already seen
("op insta", "på snap", "en insta", "ar snap") and are read by every language's pages, since
a pupil may write in any of them.

Short or common words (marked in `NEEDS_SEPARATOR`) only count as a platform at the start of
the text with a clear separator ("x: name"), never inside a sentence.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Language:
    """One language's platform words and filler words."""

    platforms: dict[str, str] = field(default_factory=dict)
    fillers: frozenset[str] = frozenset()


WORDS: dict[str, Language] = {
    "en": Language(
        platforms={
            "insta": "instagram", "ig": "instagram", "gram": "instagram", "insta's": "instagram",
            "snap": "snapchat", "sc": "snapchat", "snapchats": "snapchat",
            "tt": "tiktok", "tik": "tiktok", "fb": "facebook", "yt": "youtube",
            "twitter": "x", "wa": "whatsapp", "whatsap": "whatsapp", "watsapp": "whatsapp",
            "tg": "telegram", "tele": "telegram", "dc": "discord", "disc": "discord",
            "kik": "kik", "thread": "threads", "bereal": "bereal", "be-real": "bereal",
            "roblox": "roblox", "rblx": "roblox", "twitch": "twitch", "ttv": "twitch",
            "pinterest": "pinterest", "pin": "pinterest", "tumblr": "tumblr",
            "yubo": "yubo", "wizz": "wizz", "steam": "steam",
            "xbox": "xbox", "gamertag": "xbox", "xbl": "xbox",
            "playstation": "playstation", "psn": "playstation", "ps4": "playstation",
            "ps5": "playstation", "signal": "signal",
            "email": "email", "e-mail": "email", "gmail": "email", "mail": "email",
            "tel": "phone", "mobile": "phone", "number": "phone", "num": "phone",
            "phone": "phone", "digits": "phone", "text": "phone",
        },
        fillers=frozenset(
            "a an the its it's it is was are were on in at from by of for to and or also "
            "this that these there his her hers their theyre they're he she they him them "
            "me my i im i'm u you your ur account acc page profile called name named username "
            "user handle id main one new old real fake same "
            "posted posts posting post sent sends send messaged messaging messages message dm "
            "dms add added follow following find search under as with address where what "
            "when who how why here because said says about put puts got get have has had "
            "do does did be been is isnt not no yes like just all every everyone people "
            "group chat chats up last night today yesterday week".split()),
    ),
    "nl": Language(platforms={"nummer": "phone", "telefoon": "phone", "mail": "email"},
                   fillers=frozenset("op de het een van zijn haar account naam".split())),
    "sv": Language(platforms={"nummer": "phone", "telefon": "phone", "mejl": "email"},
                   fillers=frozenset("på en ett hans hennes konto heter namn".split())),
    "es": Language(platforms={"número": "phone", "numero": "phone", "correo": "email"},
                   fillers=frozenset("en el la un una su es cuenta nombre de".split())),
    "fr": Language(platforms={"numéro": "phone", "numero": "phone", "courriel": "email"},
                   fillers=frozenset("sur en le la un une son sa compte nom de".split())),
    "cy": Language(platforms={"rhif": "phone", "ffôn": "phone", "e-bost": "email"},
                   fillers=frozenset("ar yr y ei cyfrif enw".split())),
}

# Words that could be a platform or an ordinary word: only before a separator ("x: name").
NEEDS_SEPARATOR = frozenset({"x", "sc", "tt", "wa", "tg", "gram", "number", "mobile", "other",
                             "web", "phone", "num", "text", "digits", "pin", "disc", "mail",
                             "tel", "tik", "tele", "dc", "thread"})
# Words too common to name a platform anywhere but at the start before a separator.
NOT_IN_SENTENCES = frozenset({"x", "other", "web", "text", "pin", "disc", "mail", "num",
                              "digits", "thread", "number", "mobile", "phone", "tel"})

# Every language's platform words together, and every filler.
PLATFORM_WORDS: dict[str, str] = {word: code for language in WORDS.values()
                                  for word, code in language.platforms.items()}
FILLERS: frozenset[str] = frozenset().union(*(language.fillers for language in WORDS.values()))
