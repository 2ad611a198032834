"""Small-number suppression: small counts hidden, and never recoverable from the totals."""

from __future__ import annotations

import random

import pytest

from schoolsafe.services.insight.suppress import Cell, Protector


def protect(values: dict[str, int], sums: list[tuple[list[str], str]], below: int | None = 5,
            unshown: tuple[str, ...] = ()) -> dict[str, Cell]:
    guard = Protector(below)
    for key, value in values.items():
        guard.add(key, value, shown=key not in unshown)
    for parts, total in sums:
        guard.adds_up(parts, total)
    return {key: guard.cell(key) for key in values if key not in unshown}


def recoverable(values: dict[str, int], sums: list[tuple[list[str], str]],
                cells: dict[str, Cell], below: int = 5) -> set[str]:
    """Search: hidden small counts that only one assignment consistent with the page fits.

    A reader knows each shown number, that "fewer than 5" is 1-4, that "not shown" is at least
    5, and that a count the page never shows is any number at all; they try every assignment.
    """
    most = sum(values.values())
    hidden = [k for k, c in cells.items() if c.hidden] + [k for k in values if k not in cells]
    ranges = {k: (range(1, below) if cells.get(k, Cell(0)).hidden == "small"
                  else range(below, most + 1) if k in cells else range(0, most + 1))
              for k in hidden}
    small = {k for k in hidden if 0 < values[k] < below}
    seen: dict[str, set[int]] = {k: set() for k in small}
    known = {k: c.value for k, c in cells.items() if not c.hidden}

    def fits() -> bool:
        return all(sum(known[p] for p in parts) == known[total] for parts, total in sums
                   if all(m in known for m in (*parts, total)))

    def search(i: int) -> bool:  # True once every small count has two possible values
        if i == len(hidden):
            for key in small:
                seen[key].add(known[key])
            return all(len(v) > 1 for v in seen.values())
        for value in ranges[hidden[i]]:
            known[hidden[i]] = value
            if fits() and search(i + 1):
                return True
        del known[hidden[i]]
        return False

    search(0)
    return {k for k, v in seen.items() if len(v) == 1}


def test_without_a_threshold_every_count_is_exact():
    cells = protect({"a": 1, "b": 3, "t": 4}, [(["a", "b"], "t")], below=None)
    assert [c.text for c in cells.values()] == ["1", "3", "4"]


@pytest.mark.parametrize(("value", "text"), [(0, "0"), (1, "fewer than 5"), (4, "fewer than 5"),
                                             (5, "5"), (1234, "1,234")])
def test_counts_below_five_read_fewer_than_five_and_zero_is_shown(value, text):
    cell = protect({"a": value}, [])["a"]
    assert cell.text == text
    assert (cell.value is None) == (text == "fewer than 5")  # the hidden number isn't kept


def test_a_threshold_of_ten_hides_up_to_nine():
    cells = protect({"a": 9, "b": 10}, [], below=10)
    assert (cells["a"].text, cells["b"].text) == ("fewer than 10", "10")


def test_a_month_that_could_be_worked_out_from_the_total_hides_another_month():
    values = {"jan": 5, "feb": 6, "mar": 2, "all": 13}
    sums = [(["jan", "feb", "mar"], "all")]
    cells = protect(values, sums)
    assert cells["mar"].text == "fewer than 5"
    assert cells["jan"].text == "not shown"  # the smallest other month
    assert (cells["feb"].text, cells["all"].text) == ("6", "13")
    assert recoverable(values, sums, cells) == set()


def test_two_small_counts_whose_sum_is_known_are_protected():
    # 1 + 1 = 12 - 10: each "fewer than 5" would have to be 1.
    values = {"a": 1, "b": 1, "c": 10, "all": 12}
    sums = [(["a", "b", "c"], "all")]
    cells = protect(values, sums)
    assert cells["c"].hidden
    assert recoverable(values, sums, cells) == set()


def test_not_shown_means_at_least_five_so_a_sum_of_six_is_hidden_too():
    # Hiding the 5 alone: "fewer than 5" + "5 or more" = 6 leaves only 1 + 5.
    values = {"a": 1, "b": 5, "all": 6}
    sums = [(["a", "b"], "all")]
    cells = protect(values, sums)
    assert cells["all"].text == "not shown"
    assert recoverable(values, sums, cells) == set()


def test_a_hidden_total_that_its_own_parts_give_away_is_not_enough():
    # Acknowledged (6, all Medium) + waiting (1) = 7 reports, and the months give the 7 too.
    # Hiding "acknowledged" alone fails because the urgency rows still add up to it.
    values = {"imm": 0, "high": 0, "med": 6, "std": 0, "acked": 6, "waiting": 1, "all": 7,
              "jan": 0, "feb": 7}
    sums = [(["imm", "high", "med", "std"], "acked"), (["acked", "waiting"], "all"),
            (["jan", "feb"], "all")]
    cells = protect(values, sums)
    assert cells["waiting"].text == "fewer than 5"
    assert cells["med"].hidden and cells["acked"].hidden
    assert cells["all"].text == "7"
    assert recoverable(values, sums, cells) == set()


def test_a_small_count_never_shown_is_protected_as_well():
    # 6 of 7 pupils came back: showing 6 would tell a reader 1 didn't.
    values = {"back": 6, "not_back": 1, "pupils": 7}
    cells = protect(values, [(["back", "not_back"], "pupils")], unshown=("not_back",))
    assert cells["back"].text == "not shown" and cells["pupils"].text == "7"


def test_large_counts_are_left_alone():
    values = {"jan": 12, "feb": 30, "all": 42}
    cells = protect(values, [(["jan", "feb"], "all")])
    assert [c.text for c in cells.values()] == ["12", "30", "42"]


@pytest.mark.parametrize("seed", range(25))
def test_random_small_tables_never_give_a_small_count_away(seed):
    rng = random.Random(seed)
    groups, months = ["g1", "g2", "g3"], ["m1", "m2"]
    values = {f"{g}{m}": rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8]) for g in groups for m in months}
    sums = []
    for g in groups:
        values[g] = sum(values[f"{g}{m}"] for m in months)
        sums.append(([f"{g}{m}" for m in months], g))
    values["all"] = sum(values[g] for g in groups)
    sums.append((groups, "all"))
    cells = protect(values, sums)
    assert recoverable(values, sums, cells) == set()
