"""Outlet definitions: load TOML files, validate them, answer questions about URLs.

An outlet file is a table of `[outlets.<key>]` entries (see README). The built-in
outlets ship in `archive/outlets/*.toml`; a user file adds outlets or replaces
built-in ones of the same key, whole.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from archive.errors import ArsipError

BUILTIN_DIR = Path(__file__).parent / "outlets"

DEFAULT_SCHEDULE = "*/30 * * * *"
# The fields an outlet's `selectors` may name: what `archive.extract.article.extract` reads.
SELECTOR_KEYS = frozenset(
    {"title", "lede", "byline", "published", "modified", "body", "captions", "notes", "next_page"}
)
_REQUIRED = ("name", "domains", "topics", "article_url")
_OPTIONAL = ("language", "schedule", "selectors", "topic_depth", "article_pages")
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?::\d{1,5})?$")
_KEY = re.compile(r"^[a-z][a-z0-9_-]*$")
_IP_ADDRESS = re.compile(r"\d+\.\d+\.\d+\.\d+")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class OutletError(ArsipError):
    """An outlet file that cannot be used; the message names file, outlet and key."""


@dataclass(frozen=True)
class Outlet:
    """One news outlet as arsip crawls it."""

    key: str
    name: str
    domains: tuple[str, ...]
    topics: tuple[str, ...]
    article_url: re.Pattern
    language: str = "id"
    schedule: str = DEFAULT_SCHEDULE
    selectors: dict[str, str] = field(default_factory=dict)
    topic_depth: int = 3
    article_pages: int = 10
    source: str = ""

    def owns(self, url: str) -> bool:
        """True when the URL is on one of the outlet's domains (see `domain_match`)."""
        return self.claim(url) is not None

    def claim(self, url: str) -> tuple[int, int] | None:
        """How specifically the outlet's domains name the URL's host (larger: more), None if they do not."""
        host, port = host_and_port(url)
        return max((rank for domain in self.domains if (rank := domain_match(domain, host, port)) is not None),
                   default=None)

    def is_article(self, url: str) -> bool:
        return self.article_url.search(url) is not None

    def article_id(self, url: str) -> str | None:
        """The outlet's own article id from the URL, when `article_url` has a group `id`."""
        match = self.article_url.search(url)
        if match is None or "id" not in match.re.groupindex:
            return None
        return match.group("id")

    def as_dict(self) -> dict:
        """The JSON shape of `arsip outlets --json`."""
        return {
            "key": self.key,
            "name": self.name,
            "domains": list(self.domains),
            "topics": list(self.topics),
            "article_url": self.article_url.pattern,
            "language": self.language,
            "schedule": self.schedule,
            "selectors": dict(self.selectors),
            "topic_depth": self.topic_depth,
            "article_pages": self.article_pages,
            "source": self.source,
        }


def host_and_port(url: str) -> tuple[str, int | None]:
    """The URL's host name (lowercase) and port (the scheme's default when not given; None if unknown)."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: no domain covers such a URL
        return "", None
    return parts.hostname or "", port or _DEFAULT_PORTS.get(parts.scheme)


def domain_match(domain: str, host: str, port: int | None) -> tuple[int, int] | None:
    """Whether an outlet's `domain` entry covers `host` on `port`, and how specifically.

    As Scrapy's `allowed_domains`: a bare domain covers that host and its subdomains on
    any port (`inews.id` covers `www.inews.id` and `sumut.inews.id`); an IP address
    is no parent of another; `host:port` covers exactly that host on that port. The rank
    orders the ways one URL can be covered: `host:port` above a bare name, and a longer
    name (more labels) above a shorter one.
    """
    name, _, wanted = domain.partition(":")
    if wanted:
        return (1, name.count(".") + 1) if host == name and port == int(wanted) else None
    if host == name or (host.endswith("." + name) and not _IP_ADDRESS.fullmatch(host)):
        return (0, name.count(".") + 1)
    return None


def load_outlets(user_file: Path | None = None) -> dict[str, Outlet]:
    """All outlets: the built-in files, then `user_file` on top (same key replaces).

    Raises OutletError when two outlets tie for the same URLs (see `check_ties`).
    """
    outlets: dict[str, Outlet] = {}
    for path in sorted(BUILTIN_DIR.glob("*.toml")):
        outlets.update(load_outlet_file(path))
    if user_file is not None:
        outlets.update(load_outlet_file(Path(user_file)))
    check_ties(outlets)
    return outlets


def check_ties(outlets: dict[str, Outlet]) -> None:
    """Refuse two outlets that would claim the same URLs equally: one domain entry and one article pattern.

    Outlets may share a host (sections of one site, the demo's two outlets); a URL then
    goes to the most specific domain entry, then to the outlet whose article pattern
    matches it (`owner_of`). Only the same entry with the same pattern leaves nothing to
    tell them apart.
    """
    claimed: dict[tuple[str, str], Outlet] = {}
    for key in sorted(outlets):
        outlet = outlets[key]
        for domain in outlet.domains:
            other = claimed.setdefault((domain, outlet.article_url.pattern), outlet)
            if other is not outlet:
                raise OutletError(
                    f"{outlet.source}: outlets {other.key!r} ({other.source}) and {outlet.key!r} both claim the "
                    f"articles of {domain} with the same article_url; nothing tells them apart: give one of them "
                    "other domains or another article_url, or override an outlet by using its key")


def outlet_from_dict(data: dict, origin: str) -> Outlet:
    """An outlet from its `as_dict()` form (as the catalog keeps it), validated like a file entry."""
    entry = {name: value for name, value in data.items() if name in _REQUIRED or name in _OPTIONAL}
    return _parse_outlet(Path(origin), data["key"], entry)


def load_outlet_file(path: Path) -> dict[str, Outlet]:
    """Parse and validate one outlet file; any problem is one OutletError."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OutletError(f"{path}: outlet file not found") from None
    except OSError as exc:
        raise OutletError(f"{path}: cannot read outlet file: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise OutletError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(data) - {"outlets"}
    if unknown:
        raise OutletError(f"{path}: unknown top-level key {sorted(unknown)[0]!r} (expected [outlets.<key>] tables)")
    table = data.get("outlets", {})
    if not isinstance(table, dict):
        raise OutletError(f"{path}: 'outlets' must be a table of [outlets.<key>] entries")
    return {key: _parse_outlet(path, key, entry) for key, entry in table.items()}


def _parse_outlet(path: Path, key: str, entry: object) -> Outlet:
    def fail(field_name: str, problem: str) -> OutletError:
        return OutletError(f"{path}: outlet {key!r}: key {field_name!r}: {problem}")

    if not _KEY.fullmatch(key):
        raise OutletError(f"{path}: outlet {key!r}: the key must be lowercase letters, digits, '-' or '_'")
    if not isinstance(entry, dict):
        raise OutletError(f"{path}: outlet {key!r}: must be a table")
    for name in entry:
        if name not in _REQUIRED and name not in _OPTIONAL:
            raise fail(name, "unknown key")
    for name in _REQUIRED:
        if name not in entry:
            raise fail(name, "missing")

    name = entry["name"]
    if not isinstance(name, str) or not name.strip():
        raise fail("name", "must be a non-empty string")
    domains = _string_list(entry["domains"], lambda p: fail("domains", p))
    for domain in domains:
        if not _DOMAIN.fullmatch(domain.lower()) or not 0 < int(domain.partition(":")[2] or 1) < 65536:
            raise fail("domains", f"{domain!r} is not a host name or host:port")
    domains = tuple(dict.fromkeys(d.lower() for d in domains))
    topics = _string_list(entry["topics"], lambda p: fail("topics", p))
    for topic in topics:
        parts = urlsplit(topic)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise fail("topics", f"{topic!r} is not an http(s) URL")
        host, port = host_and_port(topic)
        if not any(domain_match(domain, host, port) for domain in domains):
            raise fail("topics", f"{topic!r} is not on one of the outlet's domains")
    article_url = _regex(entry["article_url"], lambda p: fail("article_url", p))
    language = entry.get("language", "id")
    if not isinstance(language, str) or not re.fullmatch(r"[a-z]{2,3}", language):
        raise fail("language", "must be a language code such as 'id' or 'en'")
    schedule = entry.get("schedule", DEFAULT_SCHEDULE)
    _check_cron(schedule, lambda p: fail("schedule", p))
    selectors = _selectors(entry.get("selectors", {}), path, key)
    topic_depth = _positive_int(entry.get("topic_depth", 3), lambda p: fail("topic_depth", p))
    article_pages = _positive_int(entry.get("article_pages", 10), lambda p: fail("article_pages", p))
    return Outlet(
        key=key,
        name=name.strip(),
        domains=domains,
        topics=tuple(topics),
        article_url=article_url,
        language=language,
        schedule=schedule,
        selectors=selectors,
        topic_depth=topic_depth,
        article_pages=article_pages,
        source=str(path),
    )


def _string_list(value: object, fail) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise fail("must be a non-empty list of strings")
    return value


def _regex(value: object, fail) -> re.Pattern:
    if not isinstance(value, str) or not value:
        raise fail("must be a regular expression string")
    try:
        return re.compile(value)
    except re.error as exc:
        raise fail(f"bad regex: {exc}") from None


def _check_cron(value: object, fail) -> None:
    from apscheduler.triggers.cron import CronTrigger

    if not isinstance(value, str):
        raise fail("must be a cron string such as '*/15 * * * *'")
    try:
        CronTrigger.from_crontab(value, timezone="UTC")
    except ValueError as exc:
        raise fail(f"bad cron string {value!r}: {exc}") from None


def _positive_int(value: object, fail) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise fail("must be a positive integer")
    return value


def _selectors(value: object, path: Path, key: str) -> dict[str, str]:
    from cssselect import GenericTranslator, SelectorError

    if not isinstance(value, dict):
        raise OutletError(f"{path}: outlet {key!r}: key 'selectors': must be a table")
    translator = GenericTranslator()
    for name, selector in value.items():
        where = f"{path}: outlet {key!r}: key 'selectors.{name}'"
        if name not in SELECTOR_KEYS:
            raise OutletError(f"{where}: unknown key (expected one of {', '.join(sorted(SELECTOR_KEYS))})")
        if not isinstance(selector, str) or not selector.strip():
            raise OutletError(f"{where}: must be a CSS selector string")
        try:
            translator.css_to_xpath(selector)
        except SelectorError as exc:
            raise OutletError(f"{where}: bad CSS selector {selector!r}: {exc}") from None
    return dict(value)


def owner_of(outlets: dict[str, Outlet], url: str) -> str | None:
    """The key of the outlet a URL belongs to, from the URL alone.

    The outlet whose domains name the URL's host most specifically (`domain_match`);
    among outlets that name it alike (sections of one site, or the demo site), the
    one whose article pattern matches wins, else the one with a topic page sharing
    the longest prefix with the URL, else the first by key.
    """
    claims = {key: outlets[key].claim(url) for key in sorted(outlets)}
    best = max((rank for rank in claims.values() if rank is not None), default=None)
    if best is None:
        return None
    candidates = [outlets[key] for key, rank in claims.items() if rank == best]

    def fit(outlet: Outlet) -> tuple[bool, int]:
        return outlet.is_article(url), max(len(os.path.commonprefix([topic, url])) for topic in outlet.topics)

    return max(candidates, key=fit).key
