"""The app served over HTTP on loopback for a browser, on its own SQLite database, CSRF on."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from schoolsafe.extensions import db
from tests.conftest import make_app, migrated
from tests.factories import Factory
from tests.support.processes import find_binary, free_port, require

CHROMIUM = find_binary("/usr/bin/chromium", "chromium", "chromium-browser")


@contextmanager
def served_app(tmp_path: Path, database_name: str) -> Iterator[tuple[str, Factory]]:
    """The base address and a factory, inside the app's context, until the block ends."""
    require("Chromium", CHROMIUM is not None, "run scripts/install-system-deps.sh")
    port = free_port()
    app = make_app(migrated(f"sqlite:///{tmp_path / database_name}"), tmp_path,
                   SERVER_NAME=f"localhost:{port}", BASE_URL=f"http://localhost:{port}")
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with app.app_context():
        yield f"http://localhost:{port}", Factory(app)
        db.session.remove()
        db.engine.dispose()
    server.shutdown()
    thread.join(5)
