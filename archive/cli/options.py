"""What commands' arguments name, checked alike for every command: counts, settings, outlets, stories."""

from __future__ import annotations

import argparse
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


def add_setting_overrides(parser: argparse.ArgumentParser, help: str) -> None:
    """`-s NAME=VALUE`, repeatable, into `args.settings`: {NAME: VALUE}, later ones winning, as in Scrapy.

    Each value is checked against its setting's kind while the arguments are parsed (a
    UsageError, as for a count), so a bad one stops `crawl` and `service` alike before anything runs.
    """
    parser.add_argument("-s", dest="settings", action=_SettingOverride, type=_setting_override, default={},
                        metavar="NAME=VALUE", help=help)


def _setting_override(text: str) -> tuple[str, str]:
    from crawler.overrides import parse_override  # Scrapy's settings: only when a -s is given

    return parse_override(text)


class _SettingOverride(argparse.Action):
    def __call__(self, parser, namespace, value, option_string=None):
        name, setting = value
        # A new dict each time: the default one is shared by every parse.
        setattr(namespace, self.dest, {**getattr(namespace, self.dest), name: setting})


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
