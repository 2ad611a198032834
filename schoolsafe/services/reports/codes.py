"""Follow-up codes: random words a pupil writes down to come back to their report.

Only a keyed hash of a code is stored. The words are those of the pupil's page language:
the BIP-39 lists for English, French and Spanish (2048 common words each, whose first four
letters are unique), and lists of common, concrete words a child reads for Welsh, Dutch and
Swedish (wordlists/<language>.txt, checked by scripts/build_wordlists.py), each minus words
that would be upsetting to be handed in this context. Every language's code carries at least
64 bits: six words, or more where a list is shorter (words_per_code).

Typing is forgiving: case, accents (ŵ/w, å/a, é/e, ñ/n), separators or none, and words typed
by their first four letters. The follow-up page does not know the language a code was made
in, so it tries every list (candidates()); the stored hash is of the code's canonical form,
its lower-case words without accents joined by single spaces (for English, exactly the words
as shown, so codes made before there were other languages still match).

A pupil's code is derived from a random secret carried by their form page and the server's
key, so a resend of the same form (its first answer lost) can be given the same code again
without the code, or anything it is made from, ever being stored.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
import unicodedata
from functools import cache
from pathlib import Path

from mnemonic import Mnemonic

from schoolsafe.vocab import Language

WORDS_PER_CODE = 6  # in English, and every language whose list is long enough
MIN_ENTROPY_BITS = 64
PREFIX = 4  # every list's words are unique by their first PREFIX letters, accents folded
# How many readings of one typed code are tried, when words run together split more ways.
MAX_READINGS = 8
WORDLISTS = Path(__file__).resolve().parent / "wordlists"
# Where each language's words come from: a BIP-39 list in the mnemonic package, else a file.
BIP39 = {Language.EN: "english", Language.FR: "french", Language.ES: "spanish"}
_FORM_SECRET = re.compile(r"[A-Za-z0-9_-]{43}")
_FORM_STEP = re.compile(r"[A-Za-z0-9_-]{22}")
# Words nobody should be handed after telling us about harassment.
UNSUITABLE = frozenset(
    "abuse accident alcohol attack blood bomb bullet crash crime cruel dirt disease divorce "
    "drink enemy evil fat fatal fever fire gun hurt knife panic police prison punch rib sad "
    "scare shoot sick sorry tragic trap ugly weapon alarm arrest danger drama fault guilt "
    "harsh hole horror hungry injury insane kiss lazy liar lonely maid mistake nasty pistol "
    "riot rude shock skull sniff spy stomach sword toilet trouble upset worry wreck virus "
    "abandon absurd addict adult angry anxiety betray bitter blame cage chase claw crush "
    "escape exile fragile gossip grief hazard ignore illness infant innocent jealous junk "
    "naked sex nude body shame".split()
)
# The same in the other languages (words as in their list; the English list above is kept
# exactly as it was, so English codes already handed out keep their words).
UNSUITABLE_BY_LANGUAGE: dict[str, frozenset[str]] = {
    Language.EN: UNSUITABLE,
    Language.FR: frozenset(
        "abandon absurde abusif adulte affreux alarmer aliéner amertume amour angoisse "
        "anxieux anéantir arsenic assaut asservir atroce attaque aveugle bataille biopsie "
        "bistouri blessant brutal calomnie calvaire carabine carnage caresser chagrin cigare "
        "cogner colère combat crainte cruel cyanure danger démolir dénuder désastre "
        "désobéir détester détresse diable déchirer écraser effrayer ennemi épidémie "
        "épitaphe fatal fléau frayeur fureur furieux gendarme glaive gronder guerrier "
        "harpon hématome honteux horrible hurler infliger injecter injure inoculer insulter "
        "intime ivresse jouissif lacérer larme ligoter lugubre maigre malheur maléfice "
        "matraque maudire menacer mensonge méchant missile monstre morsure mortier munition "
        "naufrage néfaste nocif noirceur nuptial ogive opprimer outrager paniquer pleurer "
        "phobie policier prison psychose punitif querelle redouter revanche révolte ruiner "
        "saboter sarcasme scalpel scandale scélérat sédatif séduire sévir sextuple sinistre "
        "soldat stupeur tabac terrible torpille toxine tragique trahir tribunal tyran "
        "vaccin vampire venimeux vexant vexer vilain virus griffure".split()),
    Language.ES: frozenset(
        "aborto abuso acoso acné adicto adulto agonía ahogo alarma amante amor anemia arpón "
        "asalto ataque atroz azote baba batalla besar beso bestia bobo bomba bruja bruto "
        "burla cadáver caída calvo cáncer cañón caspa cárcel celda celoso ciego cigarro "
        "clínica cochino cojo combate cráneo crimen cripta crisis culpa delgado derrota "
        "desnudo diablo dolor dosis droga duelo ebrio enano enemigo enfado enfermo engaño "
        "esposa espada feo fiebre fiera flaco fobia fracaso fraude fumar fusil gemir golpe "
        "gordo gripe grito guapo guerra hacha hembra herir hostil huelga huida hurto ilegal "
        "infiel íntimo ira jaula jeringa ladrón lanza lágrima lástima lesión letal licor "
        "llaga llanto llorar loco locura luto macho mafia maldad malo manco marido matar "
        "miedo miope miseria misil momia morir mortal muerte mugre muslo náusea necio "
        "novio obeso odiar odio ofensa ogro orgía pánico parir pecado pecho peligro pelea "
        "pellejo pena pésimo piojo pleito policía preso prisión pudor puñal queja rabia "
        "rapaz rapto rehén rencor riesgo ron ruina ruptura sable sangre satán secta sexo "
        "sexto sidra soldado soledad sordo sostén sufrir susto tabaco tabú tanque terapia "
        "terror timo tirón tonto torpedo tóxico trauma triste tuerto tumba tumor úlcera "
        "vacuna vampiro veneno vengar víctima vicio vil vino viudo vulgar".split()),
    Language.CY: frozenset(
        "rhyw noeth marw lladd gwaed gwn cyllell bom trais ofn ofnus trist salwch sâl "
        "carchar heddlu meddw cwrw gwin smygu twp hyll tew cas drwg poen angau bedd "
        "ysbryd diafol gelyn rhyfel cleddyf dial cusan corff cywilydd bai lladd lleidr "
        "galar mynwent claf cwrw seidr byddin damwain rhegi gwirion diog tew boddi tagu "
        "hiraeth pryder ochenaid bwgan cawr esgob mynach lleian offeren emyn eglwys capel "
        "allor adnod sant enaid angel wyneb gwefus sws sipsi cewyn llyncu deintydd meddyg "
        "milfeddyg baw bloneg bol tafarn cell cawell syrthio torri llosgi bwyell llafn cryman "
        "crafanc cosi chwyddo coflaid tenau dwyn cerydd methu ofer tosturi bron oedfa cymanfa "
        "bendith moliant abad croen crwyn malu sugno pesgi annwyd".split()),
    Language.NL: frozenset(
        "seks naakt bloed dood moord mes geweer bom oorlog vijand ziek ziekte pijn angst "
        "bang eng dronken bier wijn sigaret drugs gevangenis politie cel lelijk dik dom "
        "gek stom vies wc graf spook duivel heks zwaard dolk wraak kus lijk schaamte "
        "schuld huilen verdriet ramp brand oorlog heroïne pistool sigaar spook gruwel "
        "medicijn lepra koorts minnaar intiem okselhaar kakkerlak wapen kogel kanon zweep "
        "ruzie boete boef vechten jenever likeur pils sherry cider rouwen wenen traan zweet "
        "wrat pukkel slijm luier dikkerd kaalkop jaloers jobstijding miskleun nalatig naief "
        "narrig lummel lobbes feeks mummie vampier soldaat granaat zoen liefde mollig bikini "
        "korset jarretel lendenen jeuk dosis wrak gift lijk griep prooi duister hostie gebed "
        "bidden bijbel dominee bisschop godin heilig ambulance sirene alarm vuist knal zenuw "
        "last hekel klacht spleet zwoel lippen navel huid buik dijbeen kinkel meid hennep "
        "dwerg eskimo chinees pikant pikkel kaki pijp poes mutsje doos zaad eikel nicht stout "
        "moskee monnik kerk kapel engel dolk bloot monster bende barst bult bruut roof roker "
        "asbak grog lommerd nimf kaal zeug zwijn malse melig masseur slappe ijdel casino "
        "thriller dopen pater koster klooster altaar wierook mijter trol kazerne majoor "
        "kolonel peloton stomp klap sabel salvo lemmet bijl degen ader keel maag longen uier "
        "lipje lispelen rillen lodder toilet bonk gat blaas puin orkaan adder".split()),
    Language.SV: frozenset(
        "sex naken blod död mord kniv gevär bomb krig fiende sjuk sjukdom smärta rädd "
        "rädsla full öl vin cigarett droger fängelse polis cell ful tjock dum galen "
        "dålig toalett grav spöke djävul häxa svärd dolk hämnd kyss lik skam skuld "
        "gråta sorg olycka brand polis gevär dynamit batong pansar tarm stjärt rumpa fegis "
        "brud sprit punsch glögg cider drink cigarr zigenare indian dvärg hosta yrsel apotek "
        "plåster ambulans skalle larm dynga sugga fantom fälla kista illa ensam blind blek "
        "stake pippi pilbåge mus kyrka katedral kapell kantor pilgrim dop ängel ferrari "
        "svampbob nisse lucia bikt bidé potta navel bysta hemlig neger kiss hasch inbrott "
        "kirurg zombie vrak soldat kanon militär spjut machete pest gulsot svindel koma "
        "blöja bröstsim smeka pussa jungfru baksmälla hatbrev hämndgirig gubbe gumma narr "
        "biskop nunna psalm bedja tinnitus eskimå sambo dejt granat katapult bajonett "
        "galge hake sekt bouppteckning åkomma ängslig rymling snusa nubb lättöl kräfta "
        "rumba malaj bett duell boxning fajt bryta brinna elakt ruskig gudinna domkyrka "
        "advent kaxig höfta binge kelgris lipsill bekymmer avsked minkpäls bräcklig sexton "
        "maka knubbig gamling lavin orkan akut agent patrull armada fänrik jagare kofot jabb "
        "vräka rysk engelsk alban emigrant lotteri naiv nerv".split()),
}
_LETTERS = re.compile(r"[a-z]+")


def fold(text: str) -> str:
    """Lower-case, compatibility forms (full-width letters) made plain and accents taken
    off: "Ŵy", "ÅSNA" and "ñandú" become "wy", "asna" and "nandu"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@cache
def wordlist(language: str = Language.EN) -> tuple[str, ...]:
    """The words codes in this language are made from, as shown (with their accents)."""
    if language in BIP39:
        words = Mnemonic(BIP39[language]).wordlist
    else:
        path = WORDLISTS / f"{language}.txt"
        words = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#")]
    unsuitable = UNSUITABLE_BY_LANGUAGE.get(language, frozenset())
    # The BIP-39 files hold their accents as separate marks (NFKD): shown and compared composed.
    composed = (unicodedata.normalize("NFC", word) for word in words)
    return tuple(word for word in composed if word not in unsuitable)


def languages() -> tuple[str, ...]:
    """Every language a code can be made in (English first)."""
    return tuple(Language.values())


@cache
def words_per_code(language: str = Language.EN) -> int:
    """How many words a code in this language has: six, or more for a short list, so every
    code carries at least MIN_ENTROPY_BITS."""
    size = len(wordlist(language))
    return max(WORDS_PER_CODE, math.ceil(MIN_ENTROPY_BITS / math.log2(size)))


def entropy_bits(language: str = Language.EN) -> float:
    """How many bits of randomness one code in this language carries."""
    return words_per_code(language) * math.log2(len(wordlist(language)))


def new_code(language: str = Language.EN) -> str:
    """A fresh code: random words of the language's list separated by spaces."""
    words = wordlist(language)
    return " ".join(secrets.choice(words) for _ in range(words_per_code(language)))


def new_form_secret() -> str:
    """A random secret for one report form page (256 bits, URL-safe text)."""
    return secrets.token_urlsafe(32)


def form_secret(posted: str | None) -> str | None:
    """The posted form secret if it has the shape new_form_secret() gives, else None."""
    return posted if posted and _FORM_SECRET.fullmatch(posted) else None


def new_form_step() -> str:
    """A random name for one showing of a report form page (128 bits, URL-safe text)."""
    return secrets.token_urlsafe(16)


def form_step(posted: str | None) -> str | None:
    """The posted step name if it has the shape new_form_step() gives, else None."""
    return posted if posted and _FORM_STEP.fullmatch(posted) else None


def derived_code(secret: str, key: str, step: str | None = None,
                 language: str = Language.EN) -> str:
    """The code of the form carrying this secret: the same secret and key give the same words.

    With `step` (the name of the showing of the form that was sent) only a copy of that very
    showing gives the words again: an earlier showing of the same form (the "add another
    place" step, a form that came back with a problem) gives other words.
    """
    message = b"followup-code|" + secret.encode()
    if step:
        message += b"|" + step.encode()
    seed = hmac.new(key.encode(), message, hashlib.sha256).digest()
    return code_from_seed(seed, language)


def code_from_seed(seed: bytes, language: str = Language.EN) -> str:
    """The words picked by a 256-bit seed (the bias of taking remainders is below 2**-180)."""
    words = wordlist(language)
    number = int.from_bytes(seed, "big")
    picked = []
    for _ in range(words_per_code(language)):
        number, index = divmod(number, len(words))
        picked.append(words[index])
    return " ".join(picked)


def normalise(typed: str, language: str = Language.EN) -> str:
    """The typed text as the canonical words of this language's list: forgives case, accents,
    extra spaces, hyphens, dots and commas, words typed by their first four letters, and whole
    words run together without spaces. A part that is no word of the list is kept as typed.
    Where words run together can be split two ways ("caerhedyn": "cae rhedyn" or "caer
    hedyn"), this is the first; `normalisations` gives every one."""
    return normalisations(typed, language)[0]


def normalisations(typed: str, language: str = Language.EN) -> list[str]:
    """Every reading of the typed text as words of this language's list (see normalise), at
    most MAX_READINGS of them."""
    by_prefix = _words_by_prefix(language)
    known = set(by_prefix.values())
    readings: list[list[str]] = [[]]
    for part in _LETTERS.findall(fold(typed)):
        word = by_prefix.get(part[:PREFIX], part)
        run_together = len(part) > len(word) or word not in known
        options = (run_together and _split_words(part, language)) or [[word]]
        readings = [[*reading, *option] for reading in readings
                    for option in options][:MAX_READINGS]
    return [" ".join(reading) for reading in readings]


def candidates(typed: str) -> list[tuple[str, str]]:
    """Every (language, canonical form) the typed text can be a code of: the languages in
    whose list every typed word is found, in the right number."""
    found = []
    for language in languages():
        known = set(_words_by_prefix(language).values())
        for canonical in normalisations(typed, language):
            words = canonical.split()
            if len(words) == words_per_code(language) and set(words) <= known \
                    and (language, canonical) not in found:
                found.append((language, canonical))
    return found


def _split_words(text: str, language: str) -> list[list[str]]:
    """Whole list words run together ("garlicplay") split apart: every way they can be (at most
    MAX_READINGS), or none if they can't.

    Every word is known by its first four letters (or is shorter), so at each point at most
    one word per length up to four can start there; the rest of the text decides between them.
    Each point is worked out once (typed text can be long), and nothing is kept afterwards.
    """
    by_prefix = _words_by_prefix(language)
    # rest[i]: the ways of spelling text[i:] in words, filled from the end.
    rest: list[list[list[str]]] = [[] for _ in text] + [[[]]]
    for start in range(len(text) - 1, -1, -1):
        ways = []
        for size in range(PREFIX, 0, -1):
            word = by_prefix.get(text[start:start + size])
            if word and text.startswith(word, start):
                ways += [[word, *tail] for tail in rest[start + len(word)]]
        rest[start] = ways[:MAX_READINGS]
    return rest[0]


@cache
def _words_by_prefix(language: str = Language.EN) -> dict[str, str]:
    """Each word's first four letters (without accents) -> the word without accents."""
    return {fold(w)[:PREFIX]: fold(w) for w in wordlist(language)}


def code_hash(code: str, key: str, language: str = Language.EN) -> str:
    """The keyed hash stored in place of the code (HMAC-SHA256 of its canonical form)."""
    return _keyed(normalise(code, language), key)


def code_hashes(typed: str, key: str) -> list[str]:
    """The hash of every code in any language the typed text can be (see candidates())."""
    return [_keyed(canonical, key) for _, canonical in candidates(typed)]


def _keyed(canonical: str, key: str) -> str:
    return hmac.new(key.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def looks_like_code(typed: str) -> bool:
    """Whether the text has the right number of words to be a code in some language."""
    counts = {words_per_code(language) for language in languages()}
    return any(len(normalise(typed, language).split()) in counts for language in languages())
