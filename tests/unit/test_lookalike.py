"""Lookalike accounts: a removed page re-made under a near-identical name is flagged."""

import random
import string

import pytest

from schoolsafe.services.accounts.canonical import canonicalise
from schoolsafe.services.accounts.lookalike import blocking_keys, compare, skeleton

OWEN = "instagram:owen_bums_mr_crane"
SARA = "instagram:slags_of_birmingham_xx"


@pytest.mark.parametrize(("typed", "plain"), [
    ("Slags_Of_Birmingham_XX", "slags_of_birmingham_xx"),            # letter case
    ("sl\u0430gs_of_birmingham_xx", "slags_of_birmingham_xx"),       # Cyrillic a
    ("\u0455lag\u0455_\u043ef_birmingham_\u0445\u0445", "slags_of_birmingham_xx"),  # more Cyrillic
    ("sl\u03b1gs_\u03bff_birmingham_xx", "slags_of_birmingham_xx"),  # Greek alpha, omicron
    ("sl\u00e1gs_of_b\u00efrmingham_xx", "slags_of_birmingham_xx"),  # accents
    ("\uff53\uff4c\uff41\uff47\uff53_of_birmingham_xx", "slags_of_birmingham_xx"),  # full width
    ("s1ags_of_birmingham_xx", "slags_of_birmingham_xx"),            # 1 for l
    ("slags_of_b1rm1ngham_xx", "slags_of_birmingham_xx"),            # 1 for i
    ("slags_0f_birmingham_xx", "slags_of_birmingham_xx"),            # 0 for o
    ("slag5_of_birmingham_xx", "slags_of_birmingham_xx"),            # 5 for s
    ("ow3n_bums_mr_crane", "owen_bums_mr_crane"),                    # 3 for e
    ("owen_burns_mr_crane", "owen_bums_mr_crane"),                   # rn for m
    ("ovven_bums_mr_crane", "owen_bums_mr_crane"),                   # vv for w
    ("slags.of.birmingham.xx", "slags_of_birmingham_xx"),            # separators changed
    ("slagsofbirminghamxx", "slags_of_birmingham_xx"),               # separators dropped
    ("slags_of_birmingham_xx2", "slags_of_birmingham_xx"),           # number appended
    ("slags_of_birmingham_xx_2024", "slags_of_birmingham_xx"),       # year appended
    ("brum_beef_101", "brum_beef_100"),                              # number changed
])
def test_spellings_that_fold_to_the_same_skeleton(typed, plain):
    assert skeleton(typed) == skeleton(plain)


@pytest.mark.parametrize(("one", "other"), [
    ("slags_of_birmingham_xx", "slags_of_bristol_xx"),
    ("owen_bums_mr_crane", "owen_bums_mr_crank"),
    ("brum_beef_100", "brum_girls_100"),
])
def test_different_words_keep_different_skeletons(one, other):
    assert skeleton(one) != skeleton(other)


# (new key, existing key, existing was removed, words expected among the reasons)
FLAGGED = [
    ("instagram:slags_of_birmingham_xx2", SARA, True, "number added"),
    ("instagram:s1ags_of_birmingham_xx", SARA, True, "in place of letters"),
    ("instagram:slagsofbirmingham", SARA, True, "underscores"),
    ("instagram:sl\u0430gs_of_birmingham_xx", SARA, True, "another alphabet"),
    ("instagram:slags.of.birmingham.xx", SARA, False, "underscores"),
    ("instagram:slags_of_birmingham_x", SARA, False, "one letter"),
    ("instagram:slags_of_birmingham", SARA, False, "2 letters"),
    ("instagram:owen_bums_mr_crane2", OWEN, True, "number added"),
    ("instagram:0wen_bums_mr_crane", OWEN, True, "in place of letters"),
    ("instagram:owen_burns_mr_crane", OWEN, True, "rn for m"),
    ("instagram:owen_bums_mrcrane", OWEN, True, "underscores"),
    ("instagram:owen_bums_mr_crane", "instagram:owen_bums_mr_crane_1", True, "taken off"),
    ("snapchat:brum_beef_101", "snapchat:brum_beef_100", False, "different number"),
    ("snapchat:year9_exposed", "snapchat:year10_exposed", False, "numbers in the name"),
    ("instagram:text/slags of birmingham xx", SARA, False, "spaces"),
    ("facebook:groups/brumbaitout2", "facebook:groups/brumbaitout", True, "number added"),
    ("reddit:r/brum_baitout", "reddit:r/brumbaitout", False, "underscores"),
    # Pages on unknown sites are compared by site and path (issue 21).
    ("web:https://example.org/slags_of_birmingham_xx", "web:https://example.org/slags_of_birmingham",
     False, "2 letters"),
]


@pytest.mark.parametrize(("new", "existing", "removed", "reason"), FLAGGED)
def test_resurfaced_lookalikes_are_flagged_with_a_reason(new, existing, removed, reason):
    found = compare(new, existing, existing_removed=removed)
    assert found is not None
    assert 0 < found.score <= 1
    assert any(reason in words for words in found.reasons), found.reasons


@pytest.mark.parametrize(("new", "existing"), [
    # different words that share a start or an end
    ("instagram:slags_of_bristol_xx", SARA),
    ("instagram:slags_of_birkenhead_xx", SARA),
    ("instagram:owen_loves_mr_crane", OWEN),
    ("instagram:owen_bums_mr_smith", OWEN),
    ("snapchat:brum_girls_100", "snapchat:brum_beef_100"),
    ("instagram:year11_confessions", "instagram:year11_exposed"),
    # very short names: too many innocent matches
    ("instagram:amy2", "instagram:amy"),
    ("instagram:jess_1", "instagram:jess_2"),
    ("instagram:bella", "instagram:bello"),
    ("instagram:chloe99", "instagram:khloe99"),
    # the same name on another platform is a different place
    ("tiktok:slags_of_birmingham_xx", SARA),
    # not names at all
    ("phone:+447700900124", "phone:+447700900123"),
    ("discord:invite/AbCdEfG", "discord:invite/AbCdEfH"),
    ("facebook:id/1000123456", "facebook:id/1000123457"),
    ("instagram:p/CzX1y2AbCdE", "instagram:p/CzX1y2AbCdF"),
    # the very same key is a match, not a lookalike
    (SARA, SARA),
])
def test_near_misses_are_not_flagged(new, existing):
    assert compare(new, existing, existing_removed=True) is None


def test_a_removed_original_makes_the_flag_stronger_and_says_why():
    quiet = compare("instagram:slags_of_birmingham_xx2", SARA)
    loud = compare("instagram:slags_of_birmingham_xx2", SARA, existing_removed=True)
    assert loud.score > quiet.score
    assert len(loud.reasons) == len(quiet.reasons) + 1
    assert any("taken down" in words for words in loud.reasons)


def test_a_copy_scores_higher_than_a_one_letter_change():
    exact = compare("instagram:s1ags_of_birmingham_xx", SARA)
    one_off = compare("instagram:slags_of_birmingham_x", SARA)
    assert exact.score > one_off.score


def test_typed_spellings_flow_through_canonical_keys_to_a_flag():
    original = canonicalise("https://www.instagram.com/Owen_Bums_Mr_Crane/", None)
    copy = canonicalise("insta: @0wen_bums_mr_crane2", None)
    assert compare(copy.canonical_key, original.canonical_key, True) is not None


@pytest.mark.parametrize(("platform", "key"), [
    ("phone", "phone:+447700900123"),
    ("web", "web:short/bit.ly/AbCdEf"),
    ("web", "web:https://example.org/thread/1234567"),
    ("discord", "discord:invite/AbCdEf"),
    ("whatsapp", "whatsapp:invite/AbCdEf"),
    ("instagram", "instagram:p/CzX1y2AbCdE"),
    ("tiktok", "tiktok:short/vm.tiktok.com/ZMabc"),
    ("facebook", "facebook:groups/123456789"),
    ("instagram", "instagram:amy"),        # too short to compare safely
    ("instagram", "tiktok:slags_of_birmingham_xx"),  # key from another platform
])
def test_things_that_are_not_names_get_no_blocking_keys(platform, key):
    assert blocking_keys(platform, key) == []


def test_blocking_keys_are_few_short_and_carry_the_platform():
    rng = random.Random(4)
    for _ in range(500):
        name = "".join(rng.choice(string.ascii_lowercase + "_.0123456789")
                       for _ in range(rng.randint(1, 40)))
        keys = blocking_keys("instagram", f"instagram:{name}")
        assert len(keys) <= 4
        assert all(key.startswith("instagram") and len(key) <= 45 for key in keys)
    assert not set(blocking_keys("instagram", SARA)) & set(
        blocking_keys("tiktok", "tiktok:slags_of_birmingham_xx"))


# Letters that fold only to themselves, so one edit here is one edit between skeletons
# (r and v are left out: "rn" and "vv" fold to one letter).
PLAIN = "abcdefghjkmnpqstuwxyz"


def _one_edit(rng: random.Random, name: str) -> str:
    """The name with one letter inserted, removed or changed somewhere."""
    spot = rng.randrange(len(name) + 1)
    letter = rng.choice(PLAIN)
    edit = rng.choice(["insert", "delete", "change"])
    if edit == "insert" or spot == len(name):
        return name[:spot] + letter + name[spot:]
    if edit == "delete":
        return name[:spot] + name[spot + 1:]
    return name[:spot] + letter + name[spot + 1:]


def test_names_one_edit_apart_always_share_a_blocking_key():
    rng = random.Random(8)
    for _ in range(1500):
        name = "".join(rng.choice(PLAIN) for _ in range(rng.randint(8, 30)))
        edited = _one_edit(rng, name)
        if edited == name or len(skeleton(edited)) < 8:
            continue
        old = set(blocking_keys("instagram", f"instagram:{name}"))
        assert old & set(blocking_keys("instagram", f"instagram:{edited}")), (name, edited)
        assert compare(f"instagram:{edited}", f"instagram:{name}") is not None, (name, edited)


def test_every_flagged_pair_shares_a_blocking_key():
    rng = random.Random(15)
    tricks = [lambda s: s + str(rng.randint(0, 99)), lambda s: s.replace("o", "0"),
              lambda s: s.replace("a", "\u0430"), lambda s: s.replace("_", "."),
              lambda s: _one_edit(rng, _one_edit(rng, s)), lambda s: _one_edit(rng, s)]
    flagged = 0
    for _ in range(3000):
        words = rng.sample(["slags", "of", "brum", "beef", "year", "nine", "owen", "crane",
                            "exposed", "rate", "girls", "boys", "xx"], rng.randint(1, 4))
        name = "_".join(words)
        other = rng.choice(tricks)(name) if rng.random() < 0.7 else "_".join(words[::-1])
        found = compare(f"instagram:{other}", f"instagram:{name}")
        if found is not None:
            flagged += 1
            assert set(blocking_keys("instagram", f"instagram:{other}")) & set(
                blocking_keys("instagram", f"instagram:{name}")), (name, other)
    assert flagged > 500  # the property was exercised, not vacuously true
