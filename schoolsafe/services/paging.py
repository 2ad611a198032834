"""A page of a list that can grow, which page an address asks for, and what a pager says."""

from __future__ import annotations

from dataclasses import dataclass

# Beyond any list's last page; a longer number typed into the address means "the end".
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class Page:
    """One page of rows, its number, and the exact size of the whole list."""

    rows: list
    number: int
    total: int
    size: int

    @property
    def last(self) -> int:
        """The number of the last page (1 when empty)."""
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        """How many rows come before this page."""
        return (self.number - 1) * self.size

    @property
    def has_previous(self) -> bool:
        """Whether an earlier page exists."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """Whether a later page has rows."""
        return self.number * self.size < self.total


def page_number(text: str | None) -> int:
    """A page number from a query string: anything that isn't a whole number is page 1, and
    a number too long to be a page is MAX_PAGE (so a list shows its last page)."""
    text = (text or "").strip()
    # isdigit() alone lets through digits such as "²" that int() refuses.
    if not (text.isascii() and text.isdigit()):
        return 1
    digits = text.lstrip("0")
    if len(digits) > len(str(MAX_PAGE)):
        return MAX_PAGE
    return min(max(int(digits or "0"), 1), MAX_PAGE)


def below_first_page(text: str | None) -> bool:
    """Whether a query string's page is a whole number below 1 (such as 0 or -2)."""
    text = (text or "").strip()
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()):
        return False
    return digits != text or not digits.strip("0")


def nearest(requested: int, total: int, size: int) -> Page:
    """The requested page, or the nearest one that exists (its rows are filled in later)."""
    last = max(1, -(-total // size))
    return Page([], min(max(requested, 1), last), total, size)
