"""A pupil form's code is derived from the page's secret and the server key, never stored."""

from __future__ import annotations

import math
from collections import Counter

from schoolsafe.services.reports.codes import (
    WORDS_PER_CODE,
    code_from_seed,
    derived_code,
    form_secret,
    looks_like_code,
    new_form_secret,
    normalise,
    wordlist,
)

KEY = "k" * 40


def test_the_same_secret_and_key_give_the_same_code_and_any_change_gives_another():
    secret = new_form_secret()
    code = derived_code(secret, KEY)
    assert derived_code(secret, KEY) == code
    assert derived_code(secret, "j" * 40) != code  # the secret alone does not give the code
    assert derived_code(new_form_secret(), KEY) != code
    assert looks_like_code(code) and normalise(code) == code


def test_derived_codes_are_six_words_spread_over_the_whole_list():
    codes = [derived_code(new_form_secret(), KEY) for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    words = wordlist()
    used = Counter(w for c in codes for w in c.split())
    assert all(len(c.split()) == WORDS_PER_CODE for c in codes) and set(used) <= set(words)
    assert len(used) > len(words) * 0.9
    # Each of the six places takes words from the whole list, not a corner of it.
    for place in range(WORDS_PER_CODE):
        firsts = {c.split()[place][0] for c in codes}
        assert len(firsts) >= 20


def test_every_seed_bit_pattern_maps_onto_the_list_in_order():
    # 0 is the first word six times; the seed is read as one number in base len(list).
    assert code_from_seed(bytes(32)) == " ".join([wordlist()[0]] * WORDS_PER_CODE)
    n = len(wordlist())
    number = 1 + 2 * n + 3 * n ** 5
    expected = [wordlist()[i] for i in (1, 2, 0, 0, 0, 3)]
    assert code_from_seed(number.to_bytes(32, "big")) == " ".join(expected)
    assert WORDS_PER_CODE * math.log2(n) >= 64


def test_form_secrets_are_random_and_only_their_own_shape_is_accepted():
    secrets = {new_form_secret() for _ in range(1000)}
    assert len(secrets) == 1000
    secret = secrets.pop()
    assert form_secret(secret) == secret
    for bad in ("", None, secret[:-1], secret + "A", secret[:-1] + "!", "x" * 43 + "\n"):
        assert form_secret(bad) is None
