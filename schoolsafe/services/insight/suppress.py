"""Small-number suppression: no count below the threshold can be read or worked out.

Hiding each small count ("fewer than 5") is not enough when totals are shown too: if a year
group's twelve reports are split 5, 5 and "fewer than 5" over three months, the hidden month
is 2. So every figure on a page is added to one `Protector` together with the sums it is
part of ("these months add up to that total"), and for each sum that would give a small
count away, the smallest other count in it is hidden too ("not shown") until none can be
pinned down. Zeros are shown: "no reports" identifies nobody.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from schoolsafe.vocab import N_

Key = Hashable
SMALL, DERIVABLE = "small", "derivable"


@dataclass(frozen=True)
class Cell:
    """One count as a page or export may show it; a hidden count keeps no number."""

    value: int | None
    hidden: str = ""
    below: int = 0

    @property
    def text(self) -> str:
        """The count in words for tables and exports, in English (`said_in` for others)."""
        return self.said_in(lambda english, **values: english % values)

    def said_in(self, gettext) -> str:
        """The count in words through `gettext` (a page's or a language's)."""
        if self.hidden == SMALL:
            return gettext(N_("fewer than %(num)d"), num=self.below)
        if self.hidden == DERIVABLE:
            return gettext(N_("not shown"))
        return f"{self.value:,}"


class Protector:
    """Collects counts and the sums between them, then says how each may be shown."""

    def __init__(self, below: int | None) -> None:
        self.below = below
        self.values: dict[Key, int] = {}
        self.unshown: set[Key] = set()
        self._index: dict[Key, int] = {}
        self._lines: list[tuple[list[int], int]] = []
        self._lines_of: dict[int, list[int]] = defaultdict(list)
        self._hidden: set[int] | None = None

    def add(self, key: Key, value: int, *, shown: bool = True) -> None:
        """A count; `shown=False` for one the page never shows but a reader could work out."""
        self._index.setdefault(key, len(self._index))
        self.values[key] = value
        if not shown:
            self.unshown.add(key)

    def adds_up(self, parts: Sequence[Key], total: Key) -> None:
        """Say that the parts add up to the total, so a reader can add and subtract."""
        number = len(self._lines)
        self._lines.append(([self._index[p] for p in parts], self._index[total]))
        for key in (*parts, total):
            self._lines_of[self._index[key]].append(number)

    def cell(self, key: Key) -> Cell:
        """The count for `key` as it may be shown."""
        if self._hidden is None:
            self._hidden = _Solver(self).solve() if self.below is not None else set()
        if self._index[key] not in self._hidden:
            return Cell(self.values[key])
        return Cell(None, SMALL if self._small(key) else DERIVABLE, self.below or 0)

    def _small(self, key: Key) -> bool:
        return self.below is not None and 0 < self.values[key] < self.below


class _Solver:
    """Hides counts until no small count can be worked out; counts are numbered for speed."""

    TRIALS = 4  # candidates tried before settling for the nearest

    def __init__(self, protector: Protector) -> None:
        self.below = protector.below or 0
        self.values = [0] * len(protector._index)
        for key, i in protector._index.items():
            self.values[i] = protector.values[key]
        self.unshown = {protector._index[k] for k in protector.unshown}
        # A small count the page never shows must not be worked out either.
        self.small = {i for i, v in enumerate(self.values) if 0 < v < self.below}
        self.lines = protector._lines
        self.lines_of = protector._lines_of

    def solve(self) -> set[int]:
        hidden = self.small | self.unshown
        while exposed := self.exposed(hidden):
            pick = next((p for p in (self.pick(k, hidden) for k in exposed) if p is not None),
                        None)
            if pick is None:
                break  # everything linked to the exposed counts is hidden already
            hidden.add(pick)
        return hidden

    def exposed(self, hidden: set[int]) -> list[int]:
        """Small counts a reader could work out exactly from what is shown."""
        low, high = self.propagate(hidden)
        return sorted(i for i in self.small if low[i] >= high[i])

    def pick(self, key: int, hidden: set[int]) -> int | None:
        """The count to hide next: the nearest one whose hiding stops `key` being worked out."""
        candidates = self.candidates(key, hidden)
        for candidate in candidates[:self.TRIALS]:
            if key not in self.exposed(hidden | {candidate}):
                return candidate
        return candidates[0] if candidates else None

    def candidates(self, key: int, hidden: set[int]) -> list[int]:
        """Shown non-zero counts linked to `key` through hidden ones, nearest first.

        At the same distance, parts come before totals (a total is usually the number people
        want) and smaller counts before larger ones.
        """
        level, seen, frontier, found = 0, {key}, [key], {}
        while frontier:
            level, next_frontier = level + 1, []
            for number in {n for k in frontier for n in self.lines_of[k]}:
                parts, total = self.lines[number]
                for member in (*parts, total):
                    if member in seen:
                        continue
                    seen.add(member)
                    if member in hidden:
                        next_frontier.append(member)
                    elif self.values[member] > 0:
                        found[member] = (level, member == total, self.values[member], member)
            frontier = next_frontier
        return sorted(found, key=found.__getitem__)

    def propagate(self, hidden: set[int]) -> tuple[list[float], list[float]]:
        """What a reader can tell about each count from every sum, as low and high bounds."""
        low, high = list(self.values), list(self.values)
        for i in hidden:
            low[i], high[i] = self.start(i)
        active = [self.lines[n] for n in {n for i in hidden for n in self.lines_of[i]}]
        for _ in range(50):
            changed = False
            for parts, total in active:
                changed |= _tighten(parts, total, low, high)
            if not changed:
                break
        return low, high

    def start(self, i: int) -> tuple[float, float]:
        if i in self.unshown:
            return 0, math.inf
        if i in self.small:
            return 1, self.below - 1
        return self.below, math.inf  # hidden to protect another, and never a zero


def _tighten(parts: list[int], total: int, low: list[float], high: list[float]) -> bool:
    """Narrow the bounds of a sum's members from the others; True if any bound moved."""
    low_sum = sum(low[p] for p in parts)
    finite = [high[p] for p in parts if high[p] != math.inf]
    unbounded, finite_sum = len(parts) - len(finite), sum(finite)
    high_sum = math.inf if unbounded else finite_sum
    changed = False
    if low_sum > low[total] or high_sum < high[total]:
        low[total], high[total] = max(low[total], low_sum), min(high[total], high_sum)
        changed = True
    for p in parts:
        if low[p] == high[p]:
            continue
        own_unbounded = high[p] == math.inf
        others_high = (math.inf if unbounded - own_unbounded
                       else finite_sum - (0 if own_unbounded else high[p]))
        new_low = max(low[p], low[total] - others_high)
        new_high = min(high[p], high[total] - (low_sum - low[p]))
        if new_low != low[p] or new_high != high[p]:
            low[p], high[p], changed = new_low, new_high, True
    return changed
