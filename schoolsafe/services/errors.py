"""The one error services raise when what someone typed can't be accepted as it stands."""

from __future__ import annotations


class FieldError(ValueError):
    """Input we can't accept: `field` names the form field to mark, and the message says why
    in plain words to the person who typed it."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message
