"""`-s NAME=VALUE` for `arsip crawl` and `arsip service`, checked before any round starts.

Scrapy reads a setting's value only when the component that uses it starts, inside the
running crawl, where a value it cannot read ends the round at once with nothing fetched
and nothing said. So each value is checked here against the kind of value the setting
holds: the type of Scrapy's default, or arsip's own table for its `ARSIP_*` settings.
"""

from __future__ import annotations

import json
import math

from scrapy.settings import default_settings

from archive.errors import UsageError
import crawler.settings as project_settings

# Scrapy's defaults for these are whole numbers, but they are read as seconds (getfloat).
_SECONDS = {"DOWNLOAD_TIMEOUT", "DOWNLOAD_DELAY", "DOWNLOAD_DELAY_JITTER", "DNS_TIMEOUT",
            "CLOSESPIDER_TIMEOUT", "LOGSTATS_INTERVAL", "AUTOTHROTTLE_START_DELAY",
            "AUTOTHROTTLE_MAX_DELAY"}

# arsip's settings whose default (None) says nothing of their kind.
_ARSIP_KINDS = {"ARSIP_WARC_MAX_SIZE": "bytes", "ARSIP_MAX_DECODED_SIZE": "bytes", "ARSIP_OPERATOR": "text"}

# These come from the command line's own flags, which the rest of the command (ingest
# after the round, the scheduler's child rounds) also follows; a -s would split them.
_FLAGS = {"ARSIP_DATA_DIR": "--data-dir", "ARSIP_DATABASE_URL": "--database-url", "ARSIP_OUTLETS": "--outlets"}


def parse_override(item: str) -> tuple[str, str]:
    """One `NAME=VALUE` string -> (NAME, VALUE), the value readable as its setting's kind, else a UsageError."""
    name, sep, value = item.partition("=")
    name = name.strip()
    if not sep or not name:
        raise UsageError(f"-s {item}: expected NAME=VALUE")
    if name in _FLAGS:
        raise UsageError(f"-s {name}: use {_FLAGS[name]} instead")
    problem = _problem(name, value)
    if problem:
        raise UsageError(f"-s {name}={value}: {problem}")
    return name, value


def parse_overrides(items: list[str]) -> dict[str, str]:
    """`NAME=VALUE` strings -> {NAME: VALUE}, each checked by `parse_override`; later items win, as in Scrapy."""
    return dict(parse_override(item) for item in items)


def as_arguments(overrides: dict[str, str]) -> list[str]:
    """`overrides` as the `-s NAME=VALUE` arguments of a command line."""
    return [argument for name, value in overrides.items() for argument in ("-s", f"{name}={value}")]


def unknown_names(overrides: dict[str, str]) -> list[str]:
    """Names neither Scrapy nor arsip defines: most likely typos, which would do nothing."""
    return [name for name in overrides if _default(name) is _MISSING and name not in _ARSIP_KINDS]


_MISSING = object()


def _default(name: str):
    value = getattr(project_settings, name, _MISSING)
    if value is _MISSING or value is None:
        value = getattr(default_settings, name, value)
    return value


def _kind(name: str) -> str:
    if name in _ARSIP_KINDS:
        return _ARSIP_KINDS[name]
    if name in _SECONDS:
        return "seconds"
    default = _default(name)
    if isinstance(default, bool):  # before int: a bool is an int
        return "bool"
    if isinstance(default, int):
        return "int"
    if isinstance(default, float):
        return "number"
    if isinstance(default, dict):
        return "dict"
    return "text"


def _problem(name: str, value: str) -> str | None:
    """What is wrong with `value` for the setting `name`, or None."""
    kind = _kind(name)
    text = value.strip()
    if kind == "bool":
        # What Settings.getbool accepts.
        if text not in ("0", "1", "True", "False", "true", "false"):
            return "expected True or False"
    elif kind in ("int", "bytes"):
        try:
            number = int(text)
        except ValueError:
            return "expected a whole number" + (" of bytes" if kind == "bytes" else "")
        if kind == "bytes" and number < 1:
            return "expected a positive number of bytes"
    elif kind in ("number", "seconds"):
        try:
            number = float(text)
        except ValueError:
            return "expected a number" + (" of seconds" if kind == "seconds" else "")
        if not math.isfinite(number) or number < 0:
            return "expected a number of 0 or more"
    elif kind == "dict":
        # Settings.getdict reads a string as JSON.
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            return 'expected a JSON object, e.g. {"name": 100}'
    return None
