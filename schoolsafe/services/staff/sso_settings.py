"""A school's single sign-on settings, as its administrator sets them.

The provider's discovery document and keys are read when the settings are saved (never on
start-up) and kept with them. The client secret is written from the form, stored encrypted
(sso_secret.py) and never shown again: leaving its box empty keeps the one stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from schoolsafe.models import SchoolSso
from schoolsafe.models.base import utcnow
from schoolsafe.services.errors import FieldError
from schoolsafe.services.staff import sso_secret
from schoolsafe.services.staff.sso import PRESETS, SsoSetupError, settings_for
from schoolsafe.vocab import N_, SsoMode, SsoPreset

# The default for how long a session made through the provider lasts before it is confirmed
# with the provider again: a working day.
RECONFIRM_HOURS = 8


@dataclass(frozen=True)
class SsoChoice:
    """What the administrator typed."""

    mode: str
    preset: str
    issuer: str
    client_id: str
    client_secret: str
    mfa_values: tuple[str, ...]
    reconfirm_hours: int = RECONFIRM_HOURS


def mfa_values_from(text: str) -> tuple[str, ...]:
    """The amr/acr values typed in a box, separated by commas or spaces."""
    return tuple(dict.fromkeys(v for v in text.replace(",", " ").split() if v))


def save(session: Session, school_id: int, user_id: int | None, choice: SsoChoice,
         discover: Callable[[str], dict[str, Any]], key: str) -> tuple[SchoolSso, bool]:
    """Store the settings (reading the provider afresh); the row and whether anything changed.

    `key` encrypts the client secret (see sso_secret)."""
    if choice.mode not in SsoMode.values():
        raise FieldError("mode", N_("Choose how staff sign in."))
    if choice.preset not in SsoPreset.values():
        raise FieldError("preset", N_("Choose the kind of provider."))
    row = settings_for(session, school_id)
    issuer = choice.issuer.strip().rstrip("/")
    typed = choice.client_secret.strip()
    kept = row.client_secret if row and row.client_secret else ""
    if not typed and kept and not sso_secret.readable(kept, key):
        raise FieldError("client_secret", sso_secret.UNREADABLE)
    if choice.mode != SsoMode.OFF or issuer:
        _check_filled(issuer, choice.client_id.strip(), typed or kept)
    provider = _read(discover, issuer) if issuer else {}
    # Sealing gives new text each time: seal again only when a different secret was typed.
    same = bool(kept) and (not typed or (sso_secret.readable(kept, key)
                                         and sso_secret.reveal(kept, key) == typed))
    values = {"mode": choice.mode, "preset": choice.preset, "issuer": issuer,
              "client_id": choice.client_id.strip(),
              "client_secret": kept if same else (sso_secret.seal(typed, key) if typed else ""),
              "provider": provider, "mfa_values": list(choice.mfa_values),
              "reconfirm_hours": choice.reconfirm_hours}
    if row is None:
        row = SchoolSso(school_id=school_id, **values)
        session.add(row)
        changed = True
    else:
        changed = any(getattr(row, key) != value for key, value in values.items())
        for key, value in values.items():
            setattr(row, key, value)
    row.changed_by_id, row.changed_at = user_id, utcnow()
    return row, changed


def _check_filled(issuer: str, client_id: str, secret: str) -> None:
    if not issuer.startswith(("https://", "http://")):
        raise FieldError("issuer", N_("Type the provider's issuer address, starting https://."))
    if "TENANT-ID" in issuer:
        raise FieldError("issuer", N_("Put your tenant's ID (from the Entra admin centre) in "
                                   "place of TENANT-ID."))
    if not client_id:
        raise FieldError("client_id", N_("Type the client ID the provider gave schoolsafe."))
    if not secret:
        raise FieldError("client_secret",
                         N_("Type the client secret the provider gave schoolsafe."))


def _read(discover: Callable[[str], dict[str, Any]], issuer: str) -> dict[str, Any]:
    try:
        return discover(issuer)
    except SsoSetupError as error:
        raise FieldError("issuer", str(error)) from error


def preset_values(preset: str) -> dict[str, Any]:
    """What a preset fills in: an issuer address to complete, and the MFA values it sends."""
    return PRESETS.get(preset, PRESETS[SsoPreset.OTHER])
