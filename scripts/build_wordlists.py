"""Build and re-check the follow-up code word lists of the languages with no BIP-39 list
(Welsh, Dutch, Swedish): schoolsafe/services/reports/wordlists/<language>.txt.

    python scripts/build_wordlists.py                     # check every committed list
    python scripts/build_wordlists.py nl candidates.txt   # build nl.txt from candidate words

A list holds common, concrete words a child reads (things, animals, food, colours, places,
everyday verbs), one a line, written by hand as candidates and kept only when:
- 3 to 8 letters, letters only (accents allowed);
- known to the system spell-checking dictionary of the language (hunspell-nl, hunspell-sv,
  aspell-cy), when that dictionary is installed - the check says when it is not;
- not in the language's unsuitable list (codes.UNSUITABLE_BY_LANGUAGE);
- unique by its first four letters with accents folded (codes.PREFIX), so a word typed by its
  start, or run together with the next, is still found: of two candidates sharing a start the
  first one wins.
Exits 1 when a committed list breaks a rule or is too short for six-word codes of 64 bits.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from schoolsafe.services.reports import codes  # noqa: E402

FILE_LANGUAGES = ("cy", "nl", "sv")
DICTIONARIES = {"cy": "aspell-cy (aspell -d cy dump master | aspell -l cy expand)",
                "nl": "hunspell-nl (nl)", "sv": "hunspell-sv (sv_SE)"}
MIN_LENGTH, MAX_LENGTH = 3, 8
WORD = re.compile(r"[^\W\d_]+")
SIX_WORD_SIZE = math.ceil(2 ** (codes.MIN_ENTROPY_BITS / codes.WORDS_PER_CODE))  # 1626


def dictionary_words(language: str, words: list[str]) -> set[str] | None:
    """The words the system dictionary of the language knows, or None when it is missing."""
    if language == "cy":
        aspell = shutil.which("aspell")
        if not aspell:
            return None
        dump = subprocess.run([aspell, "-d", "cy", "dump", "master"],  # noqa: S603
                              capture_output=True, text=True)
        if dump.returncode != 0:
            return None
        expanded = subprocess.run([aspell, "-l", "cy", "expand"],  # noqa: S603
                                  input=dump.stdout, capture_output=True, text=True,
                                  check=True).stdout
        known = set(expanded.split())
        return {word for word in words if word in known}
    name = {"nl": "nl", "sv": "sv_SE"}[language]
    hunspell = shutil.which("hunspell")
    if not hunspell or not Path(f"/usr/share/hunspell/{name}.dic").exists():
        return None
    wrong = subprocess.run([hunspell, "-d", name, "-l"], input="\n".join(words),  # noqa: S603
                           capture_output=True, text=True, check=True).stdout.split()
    return set(words) - set(wrong)


def file_words(language: str) -> list[str]:
    """The words of a committed list, as written (comment lines left out)."""
    lines = (codes.WORDLISTS / f"{language}.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def problems(language: str, words: list[str]) -> list[str]:
    """What is wrong with a list: each broken rule, naming the words."""
    found = []
    bad_shape = [w for w in words if not WORD.fullmatch(w) or w != w.lower()
                 or not MIN_LENGTH <= len(w) <= MAX_LENGTH]
    if bad_shape:
        found.append(f"not 3-8 lower-case letters: {bad_shape}")
    unsuitable = sorted(set(words) & codes.UNSUITABLE_BY_LANGUAGE[language])
    if unsuitable:
        found.append(f"unsuitable: {unsuitable}")
    starts: dict[str, str] = {}
    for word in words:
        start = codes.fold(word)[:codes.PREFIX]
        if start in starts:
            found.append(f"{word!r} starts like {starts[start]!r}")
        starts.setdefault(start, word)
    known = dictionary_words(language, words)
    if known is None:
        print(f"{language}: no system dictionary installed, spelling not checked")
    elif unknown := [w for w in words if w not in known]:
        found.append(f"not in the dictionary: {unknown}")
    if len(words) < SIX_WORD_SIZE:
        print(f"{language}: {len(words)} words, under {SIX_WORD_SIZE}: codes take "
              f"{codes.words_per_code(language)} words")
    return found


def build(language: str, candidates: list[str]) -> list[str]:
    """The list made from candidate words: those keeping the rules, the first of each start."""
    shaped = [word for word in dict.fromkeys(w.strip().lower() for w in candidates)
              if WORD.fullmatch(word) and MIN_LENGTH <= len(word) <= MAX_LENGTH
              and word not in codes.UNSUITABLE_BY_LANGUAGE[language]]
    known = dictionary_words(language, shaped)
    if known is None:
        raise SystemExit(f"{language}: install the system dictionary to build the list")
    words: list[str] = []
    seen: set[str] = set()
    for word in shaped:
        start = codes.fold(word)[:codes.PREFIX]
        if word in known and start not in seen:
            words.append(word)
            seen.add(start)
    return words


def main(argv: list[str]) -> int:
    if len(argv) == 2:
        language, source = argv
        candidates = Path(source).read_text(encoding="utf-8").split()
        words = build(language, candidates)
        header = (f"# Follow-up code words ({language}): common, concrete words a child reads, "
                  "written by hand,\n# each known to the system dictionary "
                  f"{DICTIONARIES[language]}.\n# Checked by scripts/build_wordlists.py; "
                  "unique by their first four letters, accents folded.\n")
        (codes.WORDLISTS / f"{language}.txt").write_text(header + "\n".join(words) + "\n",
                                                         encoding="utf-8")
        print(f"{language}: {len(words)} words kept of {len(set(candidates))} candidates")
        return 0
    failed = False
    for language in FILE_LANGUAGES:
        words = file_words(language)
        found = problems(language, words)
        print(f"{language}: {len(words)} words, {codes.words_per_code(language)} a code, "
              f"{codes.entropy_bits(language):.1f} bits" + ("" if not found else " - PROBLEMS"))
        for problem in found:
            print(f"    {problem}")
        failed = failed or bool(found)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
