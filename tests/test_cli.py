"""The flask commands an operator uses, run as real subprocesses."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLASK = [sys.executable, "-m", "flask"]


@pytest.fixture
def run(tmp_path):
    env = {**os.environ, "FLASK_APP": "wsgi.py", "SCHOOLSAFE_ENV": "development",
           "SCHOOLSAFE_INSTANCE_PATH": str(tmp_path / "instance")}
    env.pop("DATABASE_URL", None)

    def _run(*args: str, stdin: str = "", check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([*FLASK, *args], cwd=ROOT, env=env, input=stdin,
                                capture_output=True, text=True, timeout=120)
        if check:
            assert result.returncode == 0, result.stderr
        return result

    _run("db", "upgrade")
    return _run


def test_create_school_and_user_with_password_from_stdin(run):
    out = run("create-school", "--slug", "oak", "--name", "Oak Primary", "--code", "oak1").stdout
    assert "/tell/oak" in out and "OAK1" in out
    out = run("create-user", "--school", "oak", "--email", "Lead@Oak.example", "--role", "dsl",
              stdin="a sufficiently long password\n").stdout
    assert "lead@oak.example is now dsl at Oak Primary" in out


def test_create_user_refuses_a_short_password_and_an_unknown_school(run):
    run("create-school", "--slug", "oak", "--name", "Oak", "--code", "OAK")
    short = run("create-user", "--school", "oak", "--email", "a@b.example", "--role", "staff",
                stdin="short\n", check=False)
    assert short.returncode != 0 and "at least 12 characters" in short.stderr
    unknown = run("create-user", "--school", "elm", "--email", "a@b.example", "--role", "staff",
                  stdin="long enough password\n", check=False)
    assert unknown.returncode != 0 and "no school with slug 'elm'" in unknown.stderr


def test_seed_demo_prints_how_to_sign_in_and_reuses_what_exists(run):
    first = run("seed-demo").stdout
    second = run("seed-demo").stdout
    assert "/tell/demo" in first and "dsl@demo.school.invalid" in first
    assert "head@demo.school.invalid" in first and "chair@demo.school.invalid" in first
    password = [line.split()[-1] for line in first.splitlines() if "password" in line][0]
    assert len(password) >= 12
    assert first == second  # same school, same user, same generated password


def test_seed_demo_gives_the_head_and_the_chair_only_their_contact_roles(run, tmp_path):
    run("seed-demo")
    with sqlite3.connect(tmp_path / "instance" / "schoolsafe.db") as database:
        held = database.execute(
            "SELECT staff_user.email, membership.role FROM membership"
            " JOIN staff_user ON staff_user.id = membership.user_id").fetchall()
    # Not safeguarding leads: that would show them every pupil's reports.
    assert sorted(role for email, role in held if email.startswith(("head@", "chair@"))) == [
        "case_manager", "chair"]


def test_seed_demo_is_refused_in_production(run, tmp_path):
    env = {**os.environ, "FLASK_APP": "wsgi.py", "SCHOOLSAFE_ENV": "production",
           "SECRET_KEY": "s" * 40, "DATABASE_URL": f"sqlite:///{tmp_path}/p.db",
           "BASE_URL": "https://example.org", "SCHOOLSAFE_INSTANCE_PATH": str(tmp_path)}
    result = subprocess.run([*FLASK, "seed-demo"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "never created in production" in result.stderr


def test_import_pupils_imports_good_rows_lists_bad_ones_and_refuses_an_unreadable_file(
        run, tmp_path):
    run("create-school", "--slug", "oak", "--name", "Oak Primary", "--code", "oak1")
    export = tmp_path / "pupils.csv"
    export.write_text("Adno,Legal Forename,Legal Surname,DOB\n"
                      "A1,Maisie,Adebayo-Clarke,04/03/2013\nA2,Tobias,Ward,2013-02-30\n",
                      encoding="utf-8")
    out = run("import-pupils", "oak", str(export), "--map", "upn=Adno").stdout
    assert "1 added, 0 updated, 0 unchanged, 0 marked as left" in out
    assert 'row 3: The date of birth "2013-02-30" is not a date we can read' in out
    again = run("import-pupils", "oak", str(export)).stdout  # the mapping was remembered
    assert "0 added, 0 updated, 1 unchanged" in again
    export.write_bytes("Adno,Legal Forename,Legal Surname\nA1,Zoë,Nowak\n".encode("cp1252"))
    refused = run("import-pupils", "oak", str(export), check=False)
    assert refused.returncode != 0 and "not saved as UTF-8" in refused.stderr


def test_create_school_offers_its_packs_languages_and_refuses_others_plainly(run, tmp_path):
    run("create-school", "--slug", "derw", "--name", "Ysgol Derw", "--code", "derw",
        "--jurisdiction", "wales")
    refused = run("create-school", "--slug", "elm", "--name", "Elm", "--code", "elm",
                  "--jurisdiction", "wales", "--language", "sv", "--language", "en", check=False)
    assert refused.returncode != 0
    assert "Help for pupils at this school is not written in Svenska yet. Choose from: " \
           "Cymraeg, English." in refused.stderr
    unknown = run("create-school", "--slug", "ash", "--name", "Ash", "--code", "ash",
                  "--language", "xx", check=False)
    assert unknown.returncode != 0 and "'xx' is not one of" in unknown.stderr
    with closing(sqlite3.connect(tmp_path / "instance" / "schoolsafe.db")) as database:
        rows = database.execute("SELECT slug, jurisdiction, language, languages FROM school"
                                ).fetchall()
    assert [(slug, pack, language, json.loads(offered))
            for slug, pack, language, offered in rows] == [("derw", "wales", "cy", ["en", "cy"])]
