"""Which page of a list the address asks for: the one reader every list view uses."""

from __future__ import annotations

from flask import abort, request

from schoolsafe.services import paging


def page_number(name: str = "page", *, below_one_is_404: bool = False) -> int:
    """The ?page= (or ?name=) number: page 1 when it names no page, MAX_PAGE when the number
    is too long to be a page (so the list shows its last page; the database can't skip that
    many rows).

    The queue, case and concern lists have always answered a number below 1 (?page=0) with
    404 and ask for that with below_one_is_404; the other lists show page 1 for it.
    """
    text = request.args.get(name)
    if below_one_is_404 and paging.below_first_page(text):
        abort(404)
    return paging.page_number(text)
