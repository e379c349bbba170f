"""How counts and times read in lines meant for people (JSON output keeps its own shapes)."""

from __future__ import annotations

import sys
from datetime import datetime


def plural(n: int, noun: str, plural_form: str | None = None) -> str:
    """`n` and its noun: "1 capture", "2 captures", "0 captures"; `plural_form` when adding "s" is wrong."""
    return f"{n} {noun if n == 1 else plural_form or noun + 's'}"


def readable_time(when: datetime | str, timespec: str = "minutes") -> str:
    """A time as a reader takes it in, with its UTC offset: "2026-12-04 11:47+00:00" (`timespec` as
    `datetime.isoformat`'s).

    Without the offset a time is ambiguous (the catalog, the crawler and the reader may each
    be in another zone). `when` is a datetime with a zone, or its ISO 8601 text.
    """
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    return when.isoformat(sep=" ", timespec=timespec)


def say(line: str) -> None:
    """Tell the person at the terminal: `arsip: <line>` on stderr, at once (stdout is for results)."""
    print(f"arsip: {line}", file=sys.stderr, flush=True)


def first_line(error: BaseException) -> str:
    """The first non-empty line of an error's text (its type's name if it has none), for one-line messages."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__
