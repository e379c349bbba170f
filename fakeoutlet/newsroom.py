"""The articles of one fake outlet, and the edits a newsroom makes to them.

An `Article` is what the outlet publishes (text and metadata, split over pages) and
how it is served: chunked, after a wait, padded to a size, or, switched on and off
by a test, as a soft 404, truncated, unavailable, behind a paywall or a consent wall.
A `Newsroom` holds an outlet's articles and makes its edits: a new headline or text,
a correction note, a new slug (the old one redirects), an article published later or
deleted (404 from then on, or 410, or a redirect to the front page, as the style
answers `deleted_as`). Its topic pages list the live articles newest first.

`Reading` is what a reader of an article sees, whatever the markup: two readings
that are equal are one version, and `reader_changes()` names how two differ in the
change kinds of arsip's JSON contract (the ground truth of the end-to-end tests).
"""

from __future__ import annotations

import enum
import re
import threading
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Hashable, Iterable


class Behaviour(enum.Enum):
    """A way an article is served other than as an ordinary page."""

    CHUNKED = "chunked"          # Transfer-Encoding: chunked, hand-framed
    SOFT_ERROR = "soft_error"    # 200 with a "page not found" page
    TRUNCATED = "truncated"      # only the first paragraph, as from a half-loaded template
    UNAVAILABLE = "unavailable"  # 503, Retry-After: 1
    PAYWALL = "paywall"          # 200 with a teaser and "subscribe to continue reading"
    CONSENT = "consent"          # 200 with a cookie consent wall instead of the article


@dataclass(frozen=True)
class Article:
    """One article as the outlet shows it now."""

    key: Hashable                    # the newsroom's handle: an id, or a name such as "inews-seed"
    slug: str
    title: str
    published: datetime
    pages: list[list[str]]           # body paragraphs, one list per page
    modified: datetime | None = None
    byline: str | None = None
    editor: str | None = None
    caption: str = ""
    section: str = ""
    notes: list[str] = field(default_factory=list)   # correction notes, after the body
    tags: tuple[str, ...] = ()
    number: str | None = None        # the outlet's own article number, where its URLs carry one
    path: str | None = None          # a fixed path, outside the outlet's article URL scheme
    related: tuple[Hashable, ...] = ()  # keys of the articles its page links to, where fixed
    listed: bool = True              # on the topic pages
    behaviours: frozenset[Behaviour] = frozenset()
    wait: float = 0.0                # seconds before the answer
    padding: int = 0                 # extra bytes of body (a huge page)
    summary: str | None = None       # a standfirst of its own (the page's description), where the style shows one

    @property
    def paragraphs(self) -> list[str]:
        """All body paragraphs, all pages, in reading order."""
        return [p for page in self.pages for p in page]

    @property
    def lede(self) -> str:
        return self.pages[0][0] if self.pages and self.pages[0] else ""

    def reading(self) -> "Reading":
        """What a reader of this article sees (however it is paged or marked up)."""
        return Reading(self.title, self.summary, self.byline, self.published, self.modified, self.caption,
                       tuple(self.paragraphs), tuple(self.notes))


@dataclass(frozen=True)
class Reading:
    """An article as its reader reads it: two equal readings are one version of it."""

    title: str
    summary: str | None
    byline: str | None
    published: datetime
    modified: datetime | None
    caption: str
    paragraphs: tuple[str, ...]
    notes: tuple[str, ...]


def reader_changes(before: Reading, after: Reading) -> set[str]:
    """How `after` differs from `before`, in the change kinds a reader would name (arsip's
    `headline`, `lede`, `byline`, `published`, `modified`, `body_*`, `caption`,
    `correction_notice`). A paragraph split in two or two merged, with the same words,
    is `body_edited`."""
    kinds = {kind for kind, name in (("headline", "title"), ("lede", "summary"), ("byline", "byline"),
                                     ("published", "published"), ("modified", "modified"), ("caption", "caption"))
             if getattr(before, name) != getattr(after, name)}
    if before.notes != after.notes:
        kinds.add("correction_notice")
    old, new = before.paragraphs, after.paragraphs
    if old == new:
        return kinds
    if sorted(old) == sorted(new):
        kinds.add("body_moved")
    elif " ".join(old).split() == " ".join(new).split() or len(old) == len(new):
        kinds.add("body_edited")   # a split, a merge, or words edited within paragraphs
    elif _within(old, new):
        kinds.add("body_added")
    elif _within(new, old):
        kinds.add("body_removed")
    else:
        raise ValueError("an edit the ground truth does not name: keep one kind of body edit per round")
    return kinds


def _within(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether `short` is `long` with some paragraphs left out (in order)."""
    rest = iter(long)
    return all(any(p == q for q in rest) for p in short)


class Newsroom:
    """An outlet's articles: live, renamed and deleted; topic pages of `per_page` articles,
    or spread over a fixed number of `topic_pages` (early pages fill first)."""

    def __init__(self, articles: Iterable[Article] = (), *, per_page: int | None = None,
                 topic_pages: int | None = None):
        if (per_page is None) == (topic_pages is None) or (per_page or topic_pages) < 1:
            raise ValueError("a newsroom lists either per_page articles per topic page or over topic_pages pages")
        self.per_page = per_page
        self.fixed_pages = topic_pages
        self._lock = threading.Lock()
        self._articles: dict[Hashable, Article] = {}
        self._old_slugs: dict[Hashable, set[str]] = {}
        self._deleted: set[Hashable] = set()
        self._deleted_as: dict[Hashable, int | str] = {}
        for article in articles:
            self.publish(article)

    # -- reading

    def __contains__(self, key: Hashable) -> bool:
        return key in self._articles

    def get(self, key: Hashable) -> Article:
        """The article `key` (deleted ones too); KeyError for one never published."""
        return self._articles[key]

    def is_live(self, key: Hashable) -> bool:
        return key in self._articles and key not in self._deleted

    def is_deleted(self, key: Hashable) -> bool:
        return key in self._deleted

    def articles(self) -> list[Article]:
        """Every article ever published, deleted ones too, in the order they were."""
        return list(self._articles.values())

    def live(self) -> list[Article]:
        """The live articles, newest first."""
        alive = [a for k, a in self._articles.items() if k not in self._deleted]
        return sorted(alive, key=lambda a: a.published, reverse=True)

    def find(self, *, slug: str | None = None, number: str | None = None) -> Article | None:
        """The live article with this slug (current or old) or this number."""
        for key, article in self._articles.items():
            if key in self._deleted:
                continue
            if number is not None and article.number == number:
                return article
            if slug is not None and (slug == article.slug or slug in self._old_slugs.get(article.key, ())):
                return article
        return None

    def old_slugs(self, key: Hashable) -> set[str]:
        return set(self._old_slugs.get(key, ()))

    def listed(self) -> list[Article]:
        return [a for a in self.live() if a.listed]

    @property
    def topic_pages(self) -> int:
        if self.fixed_pages:
            return self.fixed_pages
        return max(1, -(-len(self.listed()) // self.per_page))

    def topic_page(self, number: int) -> list[Article]:
        """The articles topic page `number` lists (none past the last page)."""
        if not 1 <= number <= self.topic_pages:
            return []
        listed = self.listed()
        if self.per_page:
            return listed[(number - 1) * self.per_page: number * self.per_page]
        n, p = len(listed), self.fixed_pages
        return listed[-(-(number - 1) * n // p): -(-number * n // p)]  # ceil: early pages fill first

    # -- editing

    def publish(self, article: Article) -> None:
        with self._lock:
            self._articles[article.key] = article
            self._deleted.discard(article.key)

    def edit(self, key: Hashable, **changes) -> Article:
        """Change an article (any `Article` field); a new `slug` makes the old one redirect to it."""
        with self._lock:
            article = self._articles[key]
            slug = changes.get("slug")
            if slug is not None and slug != article.slug:
                if not re.fullmatch(r"[a-z0-9-]+", slug):
                    raise ValueError(f"bad slug {slug!r}")
                self._old_slugs.setdefault(key, set()).add(article.slug)
            article = replace(article, **changes)
            self._articles[key] = article
            return article

    def delete(self, key: Hashable, answer: int | str = 404) -> None:
        """From now on the article answers 404 (or `answer`: 410, or "home", a redirect to the
        front page, where its style routes deleted articles by `deleted_as`) and leaves the topic pages."""
        with self._lock:
            self._deleted.add(key)
            self._deleted_as[key] = answer

    def deleted_as(self, key: Hashable) -> int | str | None:
        """How a deleted article answers (404, 410 or "home"); None while it is live."""
        return self._deleted_as.get(key) if key in self._deleted else None

    def switch(self, key: Hashable, behaviour: Behaviour, on: bool = True) -> None:
        """Serve the article with `behaviour` (or, `on=False`, no longer)."""
        behaviours = self.get(key).behaviours
        self.edit(key, behaviours=behaviours | {behaviour} if on else behaviours - {behaviour})
