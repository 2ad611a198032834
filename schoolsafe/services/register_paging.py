"""Pages of a register list: which page to show, and what its pager says."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paged:
    """One page of a list, newest first, with the list's exact size."""

    number: int
    total: int
    size: int
    items: list = field(default_factory=list)

    @property
    def pages(self) -> int:
        """How many pages the list fills (1 when it is empty)."""
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        """How many rows come before this page."""
        return (self.number - 1) * self.size

    @property
    def has_previous(self) -> bool:
        """Whether a newer page comes before this one."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """Whether an older page follows."""
        return self.number < self.pages


# Beyond any list's last page; a longer number typed into the address means "the end".
MAX_PAGE = 1_000_000


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


def nearest_page(requested: int, total: int, size: int) -> Paged:
    """The requested page, or the nearest one that exists (its rows are filled in later)."""
    last = max(1, -(-total // size))
    return Paged(min(max(requested, 1), last), total, size)
