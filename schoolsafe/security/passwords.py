"""Password hashing with argon2id."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# Library defaults (RFC 9106 low-memory profile) in real use; a cheap profile for the test suite.
_HASHERS = {
    "argon2id": PasswordHasher(),
    "fast-test": PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
}
MIN_LENGTH = 12


class WeakPasswordError(ValueError):
    """The password is too short to protect safeguarding records."""


def hash_password(password: str, profile: str = "argon2id") -> str:
    """Hash a new password after checking its length."""
    if len(password) < MIN_LENGTH:
        raise WeakPasswordError(f"Passwords must be at least {MIN_LENGTH} characters long.")
    return _HASHERS[profile].hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether the password matches; any malformed hash simply fails."""
    try:
        return _HASHERS["argon2id"].verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Checked against when the email is unknown, so a wrong email takes as long as a wrong password.
DUMMY_HASH = _HASHERS["argon2id"].hash("not-a-real-password-for-timing")
