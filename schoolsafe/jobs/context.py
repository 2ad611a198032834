"""Give jobs an app context, whether run by `flask worker`, plain `rq worker`, or in-process."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import Flask, has_app_context

P = ParamSpec("P")
R = TypeVar("R")
_app: Flask | None = None


def _worker_app() -> Flask:
    global _app
    if _app is None:
        from schoolsafe import create_app

        _app = create_app()
    return _app


def job(function: Callable[P, R]) -> Callable[P, R]:
    """Run the job inside an app context, creating the app once per worker process."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if has_app_context():
            return function(*args, **kwargs)
        with _worker_app().app_context():
            return function(*args, **kwargs)

    return wrapper
