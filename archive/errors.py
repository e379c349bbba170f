"""The one error type that reaches the user as `arsip: error: ...` (plus an optional hint)."""


class ArsipError(Exception):
    """A failure the user can act on: one line of message, optionally one line of hint."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(ArsipError):
    """The command line itself is wrong (exit status 2)."""
