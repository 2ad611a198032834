"""Configuration comes from the environment, and production refuses unsafe settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import ConfigError, load

ROOT = Path(__file__).resolve().parent.parent


def test_production_without_secret_key_stops_with_one_plain_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY",)}
    env.update(SCHOOLSAFE_ENV="production", DATABASE_URL=f"sqlite:///{tmp_path}/x.db",
               BASE_URL="https://example.org", SCHOOLSAFE_INSTANCE_PATH=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == ["schoolsafe cannot start: SECRET_KEY must be set in production "
                     "(at least 32 random characters)."]


@pytest.mark.parametrize("missing, message", [
    ("SECRET_KEY", "SECRET_KEY must be set"),
    ("DATABASE_URL", "DATABASE_URL must be set"),
    ("BASE_URL", "BASE_URL must be set"),
])
def test_production_names_the_missing_setting(missing, message, tmp_path):
    env = {"SCHOOLSAFE_ENV": "production", "SECRET_KEY": "k" * 40,
           "DATABASE_URL": "postgresql://db/schoolsafe", "BASE_URL": "https://example.org",
           "SCHOOLSAFE_INSTANCE_PATH": str(tmp_path)}
    del env[missing]
    with pytest.raises(ConfigError, match=message):
        load(env)


def test_production_cookies_are_secure_and_postgres_urls_get_the_driver(tmp_path):
    config = load({"SCHOOLSAFE_ENV": "production", "SECRET_KEY": "k" * 40,
                   "DATABASE_URL": "postgres://u@db/schoolsafe", "BASE_URL": "https://x.org",
                   "SCHOOLSAFE_INSTANCE_PATH": str(tmp_path)})
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/schoolsafe"


def test_development_defaults_are_embedded_and_the_secret_is_kept(tmp_path):
    env = {"SCHOOLSAFE_INSTANCE_PATH": str(tmp_path)}
    first, second = load(env), load(env)
    assert first["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'schoolsafe.db'}"
    assert first["REDIS_URL"] == "" and first["MAIL_SERVER"] == ""
    assert first["OUTBOX_DIR"] == str(tmp_path / "outbox")
    assert len(first["SECRET_KEY"]) >= 32 and first["SECRET_KEY"] == second["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_unknown_environment_name_is_refused():
    with pytest.raises(ConfigError, match="SCHOOLSAFE_ENV must be one of"):
        load({"SCHOOLSAFE_ENV": "staging"})
