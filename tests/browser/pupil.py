"""Steps a pupil takes in the browser, shared by the journey and accessibility tests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import Report


@dataclass(frozen=True)
class SchoolWithDsl:
    """A school made for one test, and its DSL's sign-in details."""

    slug: str
    name: str
    code: str
    dsl_email: str
    dsl_totp: str


def school_with_dsl(make, name: str = "Oak Academy") -> SchoolWithDsl:
    """A school with a DSL who has two-factor sign-in set up."""
    school = make.school(name=name)
    dsl = make.user(school, "dsl")
    return SchoolWithDsl(school.slug, school.name, school.code, dsl.email, dsl.totp_secret)


def tell(page, slug: str, about: str = "Me", choices: tuple[str, ...] = (),
         questions: tuple[str, ...] = (), words: str = "") -> None:
    """Fill the short form (who, what, the urgency questions, own words) and press Send."""
    page.goto(f"/tell/{slug}")
    page.get_by_label(about, exact=True).check()
    for label in choices + questions:
        exact = page.get_by_label(label, exact=True)  # "Something else" is also part of others
        (exact if exact.count() else page.get_by_label(label)).check()
    if words:
        write_own_words(page, words)
    page.get_by_role("button", name="Send to").click()


def write_own_words(page, words: str) -> None:
    """Open "Your own words" (folded away on the form as first shown) and type into it; by the
    form's own markup, so it works whatever language the page is in."""
    box = page.locator("#narrative")
    if not box.is_visible():
        page.locator("details:has(#narrative) > summary").click()
    box.fill(words)


def shown_code(page) -> str:
    """The follow-up code on the confirmation page."""
    return page.locator("#code").inner_text().strip()


def latest_report_id(make) -> str:
    """The public id of the newest report, for the staff side of a journey."""
    db.session.remove()
    return db.session.scalar(select(Report.public_id).order_by(Report.id.desc()).limit(1))


def no_sideways_scroll(page) -> bool:
    """Whether the page fits its viewport's width (nothing to scroll sideways)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
