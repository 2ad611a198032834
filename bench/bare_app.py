"""The yardstick for submit throughput: a bare Flask + SQLAlchemy app doing the least a form
post can do - the same GET + POST pair as the pupil form, with a signed-cookie token checked
on the POST, and one row inserted and committed into the same database.

    gunicorn -c config/gunicorn.conf.py bare_app:app    (DATABASE_URL set; see submit.py)
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime

from flask import Flask, abort, request, session
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class BareRow(db.Model):
    """One posted form."""

    __tablename__ = "bench_bare_row"
    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)


def create_app() -> Flask:
    """The bare app on DATABASE_URL, with the same engine options as schoolsafe."""
    app = Flask(__name__)
    url = os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    app.config.update(SECRET_KEY=os.environ["SECRET_KEY"], SQLALCHEMY_DATABASE_URI=url,
                      SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True})
    db.init_app(app)
    with app.app_context():
        BareRow.__table__.create(db.engine, checkfirst=True)

    @app.get("/form")
    def form():
        session["token"] = secrets.token_urlsafe(24)
        return (f'<form method="post"><input type="hidden" name="csrf_token" '
                f'value="{session["token"]}"><textarea name="body"></textarea></form>')

    @app.post("/form")
    def submit():
        if request.form.get("csrf_token") != session.pop("token", None):
            abort(400)
        db.session.add(BareRow(body=request.form.get("body", ""), token=secrets.token_hex(32),
                               created_at=datetime.now(UTC).replace(tzinfo=None)))
        db.session.commit()
        return "<p>Thank you.</p>"

    return app


app = create_app()
