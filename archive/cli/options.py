"""What commands' arguments name, checked alike for every command: counts, outlets, stories."""

from __future__ import annotations

from collections.abc import Callable

from archive.errors import ArsipError, UsageError


def count(flag: str) -> Callable[[str], int]:
    """An argparse `type` for a count such as `--limit N`: a whole number of 1 or more.

    Anything else is a UsageError naming `flag`, raised while the arguments are parsed (argparse
    passes it on; `main` reports it like any other), so no command sees a count of 0 or less.
    """
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise UsageError(f"{flag} {text}: not a whole number") from None
        if value < 1:
            raise UsageError(f"{flag} {text}: must be 1 or more")
        return value
    return parse


def check_outlet(conn, config, key: str | None) -> None:
    """A UsageError unless `key` (when given) names an outlet configured or known to the catalog.

    The catalog's outlets count too: the demo's, or those of an outlet file no longer named,
    still own their stories.
    """
    from archive.catalog.store import saved_outlets
    from archive.outlet import load_outlets

    if key is None:
        return
    known = set(load_outlets(config.outlets_file)) | {outlet["key"] for outlet in saved_outlets(conn)}
    if key not in known:
        raise UsageError(f"unknown outlet {key!r}", hint="known outlets: " + ", ".join(sorted(known)))


def load_story(conn, ref: str) -> dict:
    """The story named by `ref` (id or URL), or a one-line error."""
    from archive.catalog.queries import find_story

    story = find_story(conn, ref)
    if story is None:
        raise ArsipError(f"no story {ref!r} in the catalog", hint="`arsip stories` lists the stories")
    return story
