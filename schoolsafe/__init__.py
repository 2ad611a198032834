"""schoolsafe: anonymous reporting of online sexual harassment, and the DSL's workspace."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from pathlib import Path

from flask import Flask
from sqlalchemy import event

from config import settings

# Each a package under schoolsafe/ with `bp` and its gate in __init__.py and an AREAS list.
BLUEPRINTS = ("report", "auth", "triage", "register", "concerns", "insight", "admin", "health",
              "receipt")


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    """Build the app: a table of contents of setup steps, each a named function."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    register_config(app, config)
    register_logging(app)
    register_extensions(app)
    register_security(app)
    register_domain_data(app)
    register_languages(app)
    register_templating(app)
    register_blueprints(app)
    register_errors(app)
    register_cli(app)
    return app


def register_config(app: Flask, overrides: Mapping[str, object] | None) -> None:
    """Settings from the environment (config/settings.py), then explicit overrides."""
    app.config.update(settings.load())
    app.config.update(overrides or {})
    app.instance_path = str(app.config["INSTANCE_PATH"])
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)


def register_logging(app: Flask) -> None:
    """Logs that never carry a client address or user agent."""
    from schoolsafe.security.privacy import configure_logging

    configure_logging(app)


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions to this app."""
    from schoolsafe import models  # noqa: F401 - every table must be known to the metadata
    from schoolsafe.extensions import csrf, db, login_manager, mail, migrate
    from schoolsafe.jobs.queue import register_job_dispatch

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_write_ahead_log)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"),
                     render_as_batch=True)
    csrf.init_app(app)
    mail.init_app(app)
    login_manager.init_app(app)
    register_job_dispatch(app)


def _sqlite_write_ahead_log(connection, _record) -> None:
    # Readers no longer wait for a writer, and a commit syncs one file instead of two.
    connection.execute("PRAGMA journal_mode=WAL")


def register_security(app: Flask) -> None:
    """Headers on every response, staff sessions and their timeouts, append-only audit rows."""
    from schoolsafe.security import headers, records, restricted, sessions
    from schoolsafe.security.ratelimit import RateLimiter

    headers.init_app(app)
    sessions.init_app(app)
    restricted.init_app(app)
    records.init_app(app)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    app.extensions["ratelimiter"] = RateLimiter(app.config["REDIS_URL"])


def register_domain_data(app: Flask) -> None:
    """Jurisdiction packs, read and validated now so a bad file stops start-up."""
    from schoolsafe.services.jurisdictions.packs import load_jurisdictions

    app.extensions["jurisdictions"] = load_jurisdictions(Path(app.config["JURISDICTIONS_DIR"]))


def register_languages(app: Flask) -> None:
    """Pages in the reader's language: catalogues in schoolsafe/translations, built by
    `make translations-compile` (a missing catalogue shows the English)."""
    from schoolsafe.web.language import init_app

    init_app(app)


def register_templating(app: Flask) -> None:
    """Template filters: `local` shows a stored UTC time in the school's own time."""
    from schoolsafe.templating import init_app

    init_app(app)


def register_blueprints(app: Flask) -> None:
    """One blueprint per audience, each with the area modules that add its pages."""
    for name in BLUEPRINTS:
        package = import_module(f"schoolsafe.{name}")
        for area in package.AREAS:
            import_module(f"{package.__name__}.{area}")
        app.register_blueprint(package.bp)


def register_errors(app: Flask) -> None:
    """Plain-language error pages; the 500 handler rolls back."""
    from schoolsafe.errors import init_app

    init_app(app)


def register_cli(app: Flask) -> None:
    """flask create-school, create-user, seed-demo, worker, send-pending."""
    from schoolsafe.cli import init_app

    init_app(app)
