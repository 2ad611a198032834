"""The one error services raise when what someone typed can't be accepted as it stands."""

from __future__ import annotations


class FieldError(ValueError):
    """Input we can't accept: `field` names the form field to mark, and the message says why
    in plain words to the person who typed it.

    `message` is English, marked where it is raised with vocab.N_ and any values in it named
    (`N_("%(name)s has left")`, name=...); `message` reads it filled in, in English (the CLI, logs),
    and the web shows it in the page's language with web.words.error_text.
    """

    def __init__(self, field_name: str, message: str, **params: object) -> None:
        self.field = field_name
        self.template = message
        self.params = params
        self.message = message % params if params else message
        super().__init__(self.message)
