"""Configuration classes, chosen by SCHOOLSAFE_ENV and filled from the environment.

Every setting a deployment may change is read here and documented in the README. Production
fails fast: a missing secret or database stops start-up with a one-line explanation instead
of running with a guessable default.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The environment does not describe a deployment we can safely run."""


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(url: str) -> str:
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _suppress_below(value: str | None) -> int:
    # 1 would hide nothing, so it is refused rather than quietly showing single pupils.
    if not (value or "").strip():
        return 5
    if not value.strip().isdigit() or int(value) < 2:
        raise ConfigError(f"SUPPRESS_BELOW must be a whole number of at least 2, not {value!r}.")
    return int(value)


class Base:
    """Settings shared by every environment."""

    name = "base"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> dict[str, object]:
        """Return the Flask config mapping for this environment."""
        instance = Path(env.get("SCHOOLSAFE_INSTANCE_PATH") or ROOT / "instance")
        mail_server = env.get("MAIL_SERVER", "")
        return {
            "ENV_NAME": cls.name,
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": cls.secret_key(env, instance),
            # Encrypts each school's single sign-on client secret at rest; blank: derived from
            # SECRET_KEY. A key of its own lets SECRET_KEY change without re-typing secrets.
            "SSO_SECRET_KEY": env.get("SSO_SECRET_KEY", ""),
            "SQLALCHEMY_DATABASE_URI": _database_url(
                env.get("DATABASE_URL") or cls.default_database(instance)
            ),
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
            # `flask db upgrade` and `flask db-roles` connect as the tables' owner when this is
            # set, so the app itself can run as a role that may not change or drop the audit
            # trail (README, "Deploying"). Blank: migrations use DATABASE_URL, as before.
            "MIGRATIONS_DATABASE_URI": _database_url(env.get("MIGRATIONS_DATABASE_URL") or ""),
            "REDIS_URL": env.get("REDIS_URL", ""),
            "RQ_QUEUE": env.get("RQ_QUEUE", "schoolsafe"),
            "BASE_URL": env.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
            "OUTBOX_DIR": env.get("OUTBOX_DIR") or str(instance / "outbox"),
            "MAIL_SERVER": mail_server,
            "MAIL_PORT": int(env.get("MAIL_PORT") or 587),
            "MAIL_USE_TLS": _flag(env.get("MAIL_USE_TLS"), default=bool(mail_server)),
            "MAIL_USE_SSL": _flag(env.get("MAIL_USE_SSL")),
            "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
            "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
            "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "schoolsafe@localhost"),
            # Flask-Mail would otherwise suppress sending whenever TESTING is on; our tests
            # deliver to a real SMTP server, and the outbox folder is the embedded default.
            "MAIL_SUPPRESS_SEND": False,
            "LOG_LEVEL": env.get("LOG_LEVEL", "INFO"),
            # How many reverse proxies sit in front of the app. Their X-Forwarded-For is
            # trusted only this deep, and only to key rate limits (addresses are never kept).
            "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES") or 0),
            # Session cookies: not readable by scripts, not sent on cross-site requests.
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": cls.secure_cookies(env),
            # One app serves pupils and staff: a neutral name that says neither the site nor staff.
            "SESSION_COOKIE_NAME": "s",
            # Staff sessions end after this long idle, and after the absolute limit anyway.
            "IDLE_TIMEOUT": timedelta(minutes=int(env.get("IDLE_TIMEOUT_MINUTES") or 30)),
            "ABSOLUTE_TIMEOUT": timedelta(hours=int(env.get("ABSOLUTE_TIMEOUT_HOURS") or 10)),
            "PERMANENT_SESSION_LIFETIME": timedelta(hours=int(env.get("ABSOLUTE_TIMEOUT_HOURS")
                                                             or 10)),
            # The CSRF token lives as long as the session; an expired one gets a plain message.
            "WTF_CSRF_TIME_LIMIT": None,
            "WTF_CSRF_ENABLED": True,
            # Pupil forms are small text forms; nothing bigger is ever legitimate.
            "MAX_CONTENT_LENGTH": 256 * 1024,
            "JURISDICTIONS_DIR": str(ROOT / "config" / "jurisdictions"),
            "PLATFORMS_FILE": str(ROOT / "config" / "platforms.toml"),
            # Insight shows counts below this as "fewer than N" wherever a trust lead or a
            # governors' export can see them, so no single pupil can be picked out.
            "SUPPRESS_BELOW": _suppress_below(env.get("SUPPRESS_BELOW")),
            # Per-network-address pupil submissions allowed per window (a whole school may sit
            # behind one address: 300 pupils in ten minutes must get through).
            "SUBMIT_LIMIT": int(env.get("SUBMIT_LIMIT") or 600),
            "SUBMIT_WINDOW_SECONDS": int(env.get("SUBMIT_WINDOW_SECONDS") or 600),
            "FOLLOWUP_LIMIT": int(env.get("FOLLOWUP_LIMIT") or 10),
            "FOLLOWUP_WINDOW_SECONDS": int(env.get("FOLLOWUP_WINDOW_SECONDS") or 600),
            "PASSWORD_HASHER": "argon2id",
            # A password reset link works once, and only this long after it was sent.
            "PASSWORD_RESET_MAX_AGE": timedelta(
                minutes=int(env.get("PASSWORD_RESET_MINUTES") or 60)),
            # Retention (DESIGN 8a): an anonymous report never linked to a child is deleted
            # this long after it is closed; a record about a child is kept until the child's
            # date of birth plus RETENTION_CHILD_YEARS, or RETENTION_NO_DOB_YEARS after closure
            # when no date of birth is recorded (25 is never early: no child is under 0).
            "RETENTION_ANONYMOUS_DAYS": int(env.get("RETENTION_ANONYMOUS_DAYS") or 365),
            "RETENTION_CHILD_YEARS": int(env.get("RETENTION_CHILD_YEARS") or 25),
            "RETENTION_NO_DOB_YEARS": int(env.get("RETENTION_NO_DOB_YEARS") or 25),
        }

    @classmethod
    def default_database(cls, instance: Path) -> str:
        """SQLite file under the instance folder."""
        return f"sqlite:///{instance / 'schoolsafe.db'}"

    @classmethod
    def secret_key(cls, env: Mapping[str, str], instance: Path) -> str:
        """The key that signs sessions and keys the follow-up code hashes."""
        key = env.get("SECRET_KEY")
        if key:
            return key
        # Development only: generate once and keep it, so sign-ins and codes survive restarts.
        path = instance / "secret_key"
        if not path.exists():
            instance.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
        return path.read_text().strip()

    @classmethod
    def secure_cookies(cls, env: Mapping[str, str]) -> bool:
        """Send cookies over HTTPS only."""
        return _flag(env.get("SESSION_COOKIE_SECURE"), default=False)


class Development(Base):
    """`make run`: SQLite, jobs in-process, mail to the outbox folder."""

    name = "development"


class Testing(Base):
    """The test suite: a throwaway key, cheap password hashing."""

    name = "testing"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> dict[str, object]:
        config = super().from_env(env)
        # A cheap argon2 profile name (not a password) so the suite runs quickly.
        config.update(TESTING=True, PASSWORD_HASHER="fast-test")  # noqa: S106
        return config

    @classmethod
    def secret_key(cls, env: Mapping[str, str], instance: Path) -> str:
        return env.get("SECRET_KEY") or "testing-" + "x" * 40


class Production(Base):
    """Behind gunicorn with PostgreSQL, Redis and an SMTP relay."""

    name = "production"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> dict[str, object]:
        if not env.get("DATABASE_URL"):
            raise ConfigError("DATABASE_URL must be set in production (a PostgreSQL URL).")
        if not env.get("BASE_URL"):
            raise ConfigError("BASE_URL must be set in production (the public https address).")
        return super().from_env(env)

    @classmethod
    def secret_key(cls, env: Mapping[str, str], instance: Path) -> str:
        key = env.get("SECRET_KEY", "")
        if len(key) < 32:
            raise ConfigError(
                "SECRET_KEY must be set in production (at least 32 random characters)."
            )
        return key

    @classmethod
    def secure_cookies(cls, env: Mapping[str, str]) -> bool:
        return _flag(env.get("SESSION_COOKIE_SECURE"), default=True)


ENVIRONMENTS: dict[str, type[Base]] = {
    "development": Development,
    "testing": Testing,
    "production": Production,
}


def load(env: Mapping[str, str] | None = None) -> dict[str, object]:
    """Pick the environment named by SCHOOLSAFE_ENV and build its settings."""
    env = os.environ if env is None else env
    name = env.get("SCHOOLSAFE_ENV", "development")
    if name not in ENVIRONMENTS:
        raise ConfigError(f"SCHOOLSAFE_ENV must be one of {', '.join(ENVIRONMENTS)}, not {name!r}.")
    return ENVIRONMENTS[name].from_env(env)
