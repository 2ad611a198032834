"""A page of a list that can grow, and what its pager needs to say."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """One page of rows, its number, and the exact size of the whole list."""

    rows: list
    number: int
    total: int
    size: int

    @property
    def has_next(self) -> bool:
        """Whether a later page has rows."""
        return self.number * self.size < self.total

    @property
    def last(self) -> int:
        """The number of the last page (1 when empty)."""
        return max(1, -(-self.total // self.size))
