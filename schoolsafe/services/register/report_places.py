"""A report's online places as the DSL reads them on the report page.

Each place is shown as the pupil typed it, with the platform the register put it on and how
it was read: on the register, on the register with a name to check (it breaks its app's
rules, or the app chosen on the form is not the one the text or link names), waiting to be
added, or not recognised at all (kept on the report, never made into an entry).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolsafe.models import OnlineAccount, Report, Sighting
from schoolsafe.services.accounts.canonical import HANDLE_PLATFORMS, PLATFORMS, canonicalise
from schoolsafe.vocab import PlaceReading

NOT_CHOSEN = "Not chosen"


@dataclass(frozen=True)
class ShownPlace:
    """One place on a report page."""

    platform: str
    text: str
    reading: PlaceReading
    notes: tuple[str, ...] = ()


def report_places(session: Session, report: Report) -> list[ShownPlace]:
    """The report's places in the order typed: linked ones, then any not recognised or
    still waiting to be linked."""
    rows = session.execute(
        select(Sighting.raw_text, Sighting.platform_chosen, OnlineAccount.platform)
        .join(OnlineAccount, OnlineAccount.id == Sighting.account_id)
        .where(Sighting.report_id == report.id).order_by(Sighting.id)).all()
    shown = [_linked(row.raw_text, row.platform_chosen, row.platform) for row in rows]
    shown += [ShownPlace(_label(p.get("platform", "")), p.get("text", ""),
                         PlaceReading.UNRECOGNISED) for p in report.places_unrecognised or ()]
    waiting = PlaceReading.KEPT_APART if report.restricted_to else PlaceReading.WAITING
    shown += [ShownPlace(_label(p.get("platform", "")), p.get("text", ""), waiting)
              for p in report.places_waiting or ()]
    return shown


def _linked(text: str, chosen: str, platform: str) -> ShownPlace:
    """A linked place, with notes worked out again from the text (parsing is cheap)."""
    notes = []
    ref = canonicalise(text, chosen or None)
    if ref is not None and ref.note:
        notes.append(ref.note)
    if chosen in HANDLE_PLATFORMS and platform in HANDLE_PLATFORMS and chosen != platform:
        notes.append(f"{PLATFORMS[chosen]} was chosen on the form, but what was typed "
                     f"names {PLATFORMS[platform]}.")
    reading = PlaceReading.CHECK_NAME if notes else PlaceReading.LINKED
    return ShownPlace(PLATFORMS.get(platform, platform), text, reading, tuple(notes))


def _label(code: str) -> str:
    """The platform's name for a code chosen on the form."""
    return PLATFORMS.get(code, code) if code else NOT_CHOSEN
