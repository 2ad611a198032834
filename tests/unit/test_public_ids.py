"""Public ids: unguessable, and safe to paste into a spreadsheet."""

from __future__ import annotations

from schoolsafe.models.base import new_public_id


def test_a_public_id_never_starts_like_a_spreadsheet_formula():
    # Exported ids are opened in spreadsheets; one starting with "-" would read as a formula
    # (and the export would have to mark it, changing the id the DSL copies).
    assert not any(new_public_id().startswith("-") for _ in range(5000))
