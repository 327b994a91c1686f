from __future__ import annotations


class DomainError(Exception):
    """A rule of the hospital's work refused an operation; nothing was changed.

    ``field`` names the input at fault (empty for the whole request) and
    ``message`` says why, in words a user can act on."""

    code = "refused"

    def __init__(
        self, message: str, *, field: str = "", code: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code
