"""A school's client secret, encrypted at rest.

The secret is needed in clear only for the moment codes are exchanged with the provider, so
the database holds it encrypted (Fernet: AES with an HMAC) under a key derived from
SSO_SECRET_KEY, or from SECRET_KEY when that is not set. A copy of the database alone doesn't
give anyone the school's client secret. Changing the key makes the stored secrets unreadable:
the settings page says so, and the admin types the secret again.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from schoolsafe.vocab import N_

UNREADABLE = N_("The stored client secret can't be read with this server's key (SSO_SECRET_KEY, "
                 "or SECRET_KEY when that is not set, has changed). Type the client secret again.")


class SecretUnreadable(Exception):
    """The stored secret was encrypted under another key (or is not ours)."""

    def __init__(self) -> None:
        super().__init__(UNREADABLE)


def _fernet(key: str) -> Fernet:
    # HKDF turns whatever the operator set into a 32-byte key for this one purpose, so the
    # session-signing key is never used directly to encrypt.
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=b"schoolsafe sso client secret").derive(key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(secret: str, key: str) -> str:
    """The secret as stored."""
    return _fernet(key).encrypt(secret.encode()).decode()


def reveal(stored: str, key: str) -> str:
    """The secret from what is stored, or SecretUnreadable."""
    try:
        return _fernet(key).decrypt(stored.encode()).decode()
    except (InvalidToken, ValueError) as error:
        raise SecretUnreadable from error


def readable(stored: str, key: str) -> bool:
    """Whether the stored secret can be read with this key."""
    try:
        reveal(stored, key)
    except SecretUnreadable:
        return False
    return True


def key_from(config: Mapping[str, Any]) -> str:
    """The key to use from the app's settings: SSO_SECRET_KEY, else SECRET_KEY."""
    return str(config.get("SSO_SECRET_KEY") or config["SECRET_KEY"])
