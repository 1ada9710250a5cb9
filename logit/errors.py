"""Exceptions raised by the core.

Every error carries a ``code`` and the ``details`` that fill its message template
(see :mod:`logit.messages`), so a user interface can show the same message in
another language without parsing English text.
"""

from __future__ import annotations

from typing import Any

from logit.messages import render


class LogitError(ValueError):
    """Base class: bad input to the core, explained in plain words.

    Parameters
    ----------
    code : str
        Key of the message template in :data:`logit.messages.MESSAGES`.
    **details
        Values that fill the template (what was expected, what was found, ...).
    """

    def __init__(self, code: str, **details: Any) -> None:
        self.code = code
        self.details = details
        super().__init__(render(code, details))


class DataError(LogitError):
    """The data cannot be used: the message says what was expected, what was found and how to fix it."""


class SettingsError(LogitError):
    """A training setting is out of range (learning rate, iterations, batch size, ...)."""
