"""The story lifecycle: what one capture does to the story it belongs to, as pure rules.

Ingest (`archive.ingest.ingester`) reads what the catalog knows of a capture's story
into a `StoryView` (the story at the capture's URL; for an article page, else the one
with its key), asks `decide()` for a `Decision`, and applies the decision's effects to
the catalog in the order the `Decision` lists them. It decides nothing itself: a rule
is changed here, and tested with plain values (tests/test_lifecycle.py), with no
database, batch or thread in sight.

The rules, in `decide()`'s order:

- a capture of an outlet not configured: `no_outlet`;
- an article page, with its split pages (`next_page`): see `decide_article`; page 2
  or later of a split article (`is_later_page`) is never a whole article, and a copy
  of a page the story speaks from (an AMP copy, `?page=all`: `canonical_elsewhere`)
  never makes a version;
- 404/410 at a known story's URL: `gone`; the story is deleted only if that URL is
  its current address (an old slug going away says nothing of the story);
- a redirect of a known story: to a front or section page, the story is deleted
  (`gone`); to another article (another id), `redirected`; to a new slug of the same
  story, the target joins the story's URLs;
- 5xx: `server_error`; anything else: `not_article` (no story) or `other`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

from archive.extract.article import Article
from archive.extract.content import Content
from archive.history.diff import change_kinds, silent_edit
from archive.history.identity import clean_url, story_key
from archive.history.versions import content_hash, judge
from archive.outlet import Outlet


class Capture(Protocol):
    """What the rules read of a capture (the catalog's pending captures have it)."""

    id: int
    url: str
    fetched_at: datetime
    status: int
    location: str | None  # a redirect's target


# An article page and the further pages of a split article, in order: (capture, extracted page).
Pages = Sequence[tuple[Capture, Article]]


@dataclass(frozen=True)
class CurrentVersion:
    """A story's latest version, as the rules compare a new capture with it.

    `readings`: other content hashes the version's own pages are read as (by a later
    arsip, or other selectors); `reread`: its last capture as this arsip reads it, when
    ingest was asked for it (`wants_reread`).
    """

    id: int
    number: int
    content: Content
    readings: frozenset[str] = frozenset()
    reread: Content | None = None


@dataclass(frozen=True)
class StoryView:
    """What the catalog knows of the story a capture may belong to."""

    id: int
    address: str                     # where the story was last seen: its current URL
    at_url: bool                     # found at the capture's URL; False: by the article's story key
    version: CurrentVersion | None   # None: the story has no version yet


@dataclass(frozen=True)
class NewVersion:
    """A version to add to the story."""

    number: int
    content: Content
    changes: list | None  # the change kinds against the version before; None for a story's first
    silent_edit: bool


@dataclass(frozen=True)
class Decision:
    """What one capture became, and what it does to its story: the effects, in the order they apply.

    The story is `story`, a known one; or, with `story_key`, the story found by that key
    or made (`new_story`), first seen at the capture's URL. Then its status changes to
    `story_status`; `story_urls` join it (a URL's first story keeps it); the capture
    makes `new_version` or `extends` the current one; with `seen_live` the story is
    live at the capture's URL (and takes the new version's title), or, with
    `keep_address`, live where it was (a copy's URL is not the story's); the capture is
    marked `status` (`reason`) with the story and the version; `split_pages` (capture
    ids) are marked `split_page`; `learn`, the lines of a story's first version,
    count toward the outlet's learned boilerplate; and `reading`, a content hash the
    extended version's pages are read as now, joins its readings.
    """

    status: str
    reason: str | None = None
    story: int | None = None
    story_key: str | None = None
    new_story: bool = False
    story_status: str | None = None
    story_urls: frozenset[str] = frozenset()
    new_version: NewVersion | None = None
    extends: int | None = None
    seen_live: bool = False
    keep_address: bool = False
    split_pages: tuple[int, ...] = ()
    learn: frozenset[str] | None = None
    reading: str | None = None

    @property
    def wants_reread(self) -> bool:
        """Whether this decision, a new version after an earlier one or a page refused as shrunken,
        would be taken back if the story's current version, read again as this arsip reads it,
        were what the capture holds: ingest then asks again with `CurrentVersion.reread`."""
        return (self.new_version is not None and self.new_version.number > 1) or self.reason == "shrunken"

    @property
    def refused_version(self) -> bool:
        """Whether a story's capture was refused as a version (ingest counts these by reason)."""
        return self.status == "refused" and (self.story is not None or self.story_key is not None)


def is_article_capture(capture: Capture, outlet: Outlet | None) -> bool:
    """Whether `capture` is read as an article page: a 2xx at one of its outlet's article URLs."""
    return outlet is not None and 200 <= capture.status < 300 and outlet.is_article(capture.url)


def article_key(outlet: Outlet, capture: Capture, first: Article) -> str:
    """The story key of the article page `capture` (`first`, its extracted page)."""
    return story_key(outlet.article_id(capture.url), first.canonical_url, capture.url)


def next_page(outlet: Outlet, pages: Pages) -> str | None:
    """The URL of the page that joins a split article next (its last page's `rel=next`), or None.

    The chain ends at the outlet's `article_pages`, at a URL off the outlet or already in
    it, and at an article URL of another story.
    """
    url = pages[-1][1].next_page_url
    if (url and url not in {page.url for page, _ in pages} and len(pages) < outlet.article_pages
            and outlet.owns(url) and not _another_story(outlet, pages[0][0].url, url)):
        return url
    return None


def joined_content(pages: Pages) -> Content:
    """The content of an article and its further pages: the first page's fields, every page's
    paragraphs and captions in order, and their notes (each once)."""
    first = pages[0][1]
    return Content(
        first.title, first.lede, first.byline, first.published, first.modified,
        tuple(p for _, page in pages for p in page.paragraphs),
        tuple(c for _, page in pages for c in page.captions),
        tuple(dict.fromkeys(n for _, page in pages for n in page.notes)),
    )


def decide(capture: Capture, outlet: Outlet | None, pages: Pages | None, story: StoryView | None,
           boilerplate: frozenset[str] = frozenset()) -> Decision:
    """What `capture` does to its story.

    `pages`: the capture's article page and its split pages, if it is an article page
    (None otherwise); `story`: what the catalog knows (None: no story found);
    `boilerplate`: the outlet's learned lines.
    """
    if outlet is None:
        return Decision("no_outlet")
    if pages is not None:
        return decide_article(capture, outlet, pages, story, boilerplate)
    return decide_response(capture, outlet, story)


def decide_response(capture: Capture, outlet: Outlet, story: StoryView | None) -> Decision:
    """What a capture that is not an article page does to the story at its URL (`story`)."""
    known = story.id if story is not None else None
    if story is not None and capture.status in (404, 410):
        # Only the story's current address going away deletes it; an old slug that
        # stopped redirecting says nothing about the story itself.
        return Decision("gone", story=known, story_status="deleted" if story.address == capture.url else None)
    if story is not None and 300 <= capture.status < 400:
        return _redirect(capture, outlet, story.id)
    if capture.status >= 500:
        return Decision("server_error", story=known)
    return Decision("not_article" if story is None else "other", story=known)


def _redirect(capture: Capture, outlet: Outlet, story: int) -> Decision:
    target = capture.location or ""
    if is_front_or_section(outlet, target):
        return Decision("gone", "redirect to a front or section page", story=story, story_status="deleted")
    if outlet.is_article(target):
        mine, theirs = outlet.article_id(capture.url), outlet.article_id(target)
        if mine is not None and theirs is not None and mine != theirs:
            return Decision("redirect", story=story, story_status="redirected")
        # A new slug for the same story: the story lives on at the target.
        return Decision("redirect", story=story, story_urls=frozenset({target}))
    return Decision("redirect", story=story)


def decide_article(capture: Capture, outlet: Outlet, pages: Pages, story: StoryView | None,
                   boilerplate: frozenset[str] = frozenset()) -> Decision:
    """What an article page (with its split pages) does to its story.

    Page 2 or later of a split article is a `split_page` of its story (if one is known),
    whatever its own extraction holds: it is part of an article, never the article. A
    page problem (an error page, a consent wall...) never makes a version, and at a URL
    no story was seen at makes no story either. Otherwise the story is the one at the
    URL, else the one with the article's key, else a new one; the content, without the
    learned `boilerplate`, is judged against the story's current version. A copy (its
    canonical is another URL) whose story speaks from that canonical URL joins the
    current version when it reads the same and is refused (`copy`) when it does not, so
    two copies of a story never make versions that alternate.
    """
    first = pages[0][1]
    if is_later_page(outlet, capture.url, first):
        return Decision("split_page", story=story.id if story is not None else None)
    problem = next((page.page_problem for _, page in pages if page.page_problem), None)
    at_url = story is not None and story.at_url
    if problem and not at_url:
        return Decision("refused", problem)
    urls = {capture.url, *(page.url for page, _ in pages[1:])}
    if first.canonical_url:
        urls.add(clean_url(first.canonical_url))
    effects = dict(
        story=story.id if at_url else None, story_key=None if at_url else article_key(outlet, capture, first),
        new_story=story is None, story_urls=frozenset(urls), split_pages=tuple(page.id for page, _ in pages[1:]))
    content = joined_content(pages).without_lines(boilerplate)
    current = story.version if story is not None else None
    verdict = judge(current.content if current else None, content, problem, boilerplate)
    canonical = canonical_elsewhere(outlet, capture.url, first)
    copy = canonical is not None and story is not None and clean_url(story.address) == canonical
    if verdict.action == "same_version":
        return Decision("unchanged", extends=current.id, seen_live=True, keep_address=copy, **effects)
    reading = content_hash(content) if current is not None and verdict.reason in (None, "shrunken") else None
    if reading is not None and (reading in current.readings or (
            current.reread is not None and content_hash(current.reread.without_lines(boilerplate)) == reading)):
        # The page reads as the current version's own page reads now: what changed is how
        # arsip reads pages (an upgrade, the outlet's selectors), not what the newsroom wrote,
        # even where the new reading is much shorter.
        return Decision("unchanged", extends=current.id, seen_live=True, keep_address=copy,
                        reading=reading if reading not in current.readings else None, **effects)
    if verdict.action == "refused":
        return Decision("refused", verdict.reason, **effects)
    if copy and current is not None:
        return Decision("refused", "copy", **effects)
    return Decision("version", new_version=_new_version(current, content, boilerplate), seen_live=True,
                    learn=frozenset(content.paragraphs) if current is None else None, **effects)


def _new_version(current: CurrentVersion | None, content: Content, boilerplate: frozenset[str]) -> NewVersion:
    if current is None:
        return NewVersion(1, content, None, False)
    # The changes are the newsroom's: against the current version's page as this arsip reads
    # it, where it was read again, so that a new reading of an unchanged field is no change.
    earlier = current.reread.without_lines(boilerplate) if current.reread is not None else current.content
    before, after = earlier.as_dict(), content.as_dict()
    changes = change_kinds(before, after)
    return NewVersion(current.number + 1, content, changes, bool(silent_edit(before, after, changes)))


# Query parameters that number the pages of a split article (`?page=2`, `?hal=3`); not
# `p`, which is WordPress's post id.
_PAGE_PARAMS = frozenset({"page", "paged", "pg", "hal", "halaman"})


def is_later_page(outlet: Outlet, url: str, page: Article) -> bool:
    """Whether the article page at `url` is page 2 or later of a split article: its URL
    numbers it so (`?page=2`), or its `rel=prev` leads to another page of the same article."""
    query = parse_qs(urlsplit(url).query)
    if any(value.isdigit() and int(value) >= 2 for name in _PAGE_PARAMS for value in query.get(name, ())):
        return True
    before = page.previous_page_url
    return bool(before) and clean_url(before) != clean_url(url) and outlet.owns(before) \
        and _same_article(outlet, url, before)


def canonical_elsewhere(outlet: Outlet, url: str, page: Article) -> str | None:
    """The page's canonical URL (cleaned) when it names another page of the outlet than `url`:
    the page at `url` is then a copy (an AMP page, a print view, `?page=all`)."""
    if not page.canonical_url or not outlet.owns(page.canonical_url):
        return None
    canonical = clean_url(page.canonical_url)
    return canonical if canonical != clean_url(url) else None


def _same_article(outlet: Outlet, url: str, other: str) -> bool:
    """Whether two URLs are pages of one article: the same article id where the outlet has
    ids, else the same address once page numbers (`?page=N`, a trailing `/N`) are taken off."""
    mine, theirs = outlet.article_id(url), outlet.article_id(other)
    if mine is not None and theirs is not None:
        return mine == theirs
    return _unnumbered(url) == _unnumbered(other)


def _unnumbered(url: str) -> str:
    parts = urlsplit(clean_url(url))
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in _PAGE_PARAMS]
    path = re.sub(r"/\d{1,3}/?$", "", parts.path) or "/"
    return urlunsplit((parts.scheme, parts.netloc, path.rstrip("/") or "/", urlencode(query), ""))


def _another_story(outlet: Outlet, url: str, other: str) -> bool:
    """Whether `other` is an article URL of a different story than `url` (by id where the outlet has ids)."""
    if not outlet.is_article(other):
        return False
    mine, theirs = outlet.article_id(url), outlet.article_id(other)
    if mine is not None and theirs is not None:
        return mine != theirs
    return clean_url(other) != clean_url(url)


def is_front_or_section(outlet: Outlet, url: str) -> bool:
    """Whether `url` is the outlet's front page (a root) or one of its topic pages."""
    path = urlsplit(url).path.rstrip("/")
    return path == "" or any(clean_url(url).rstrip("/") == clean_url(topic).rstrip("/") for topic in outlet.topics)
