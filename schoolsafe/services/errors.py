"""The errors services raise with a message for a person to read."""

from __future__ import annotations


class WordedError(ValueError):
    """An error whose message is for the person who hit it, in plain words.

    The message is English, marked where it is raised with vocab.N_ and any values in it named
    (`N_("%(name)s has left")`, name=...); `message` reads it filled in, in English (the CLI, logs),
    and the web shows it in the page's language with web.words.error_text.
    """

    def __init__(self, message: str, **params: object) -> None:
        self.template = message
        self.params = params
        self.message = message % params if params else message
        super().__init__(self.message)


class FieldError(WordedError):
    """Input we can't accept: `field` names the form field to mark, and the message says why
    in plain words to the person who typed it."""

    def __init__(self, field_name: str, message: str, **params: object) -> None:
        self.field = field_name
        super().__init__(message, **params)
