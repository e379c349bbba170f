"""Ingest: from captures to stories and versions.

Runs after a crawl round (and in `arsip reindex`), never inside Scrapy's
reactor: page extraction, the CPU-heavy part, runs in a pool of worker
processes, and the decisions are then applied one capture at a time in the
order the captures were fetched, so a live crawl and a rebuild from the WARC
files reach the same stories, versions and changes.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from archive.catalog.db import Catalog
from archive.catalog import stories as catalog
from archive.catalog.stories import PendingCapture
from archive.diff import change_kinds, silent_edit
from archive.extract import Article, extract
from archive.identity import clean_url, story_key
from archive.versions import Content, judge, learned_boilerplate
from archive.warc.reader import read_record_at

BATCH = 500


class OutletRules(Protocol):
    """What ingest needs to know of an outlet (the crawler's `Outlet` is one)."""

    key: str
    language: str
    topics: tuple[str, ...]
    selectors: Mapping[str, str]
    article_pages: int

    def is_article(self, url: str) -> bool: ...

    def article_id(self, url: str) -> str | None: ...


@dataclass(frozen=True)
class PageJob:
    """One captured page to extract, in a form a worker process can take."""

    path: str
    offset: int
    length: int
    url: str
    selectors: tuple[tuple[str, str], ...]


@dataclass
class IngestResult:
    captures: int = 0
    versions: int = 0
    stories: int = 0
    refused: dict[str, int] = field(default_factory=dict)


def extract_page(job: PageJob) -> Article:
    """Read one response record and extract its article (runs in a worker process)."""
    record = read_record_at(job.path, job.offset, job.length)
    headers = record.http_headers
    body = decode_body(record.payload or b"", headers.get_header("Content-Encoding") if headers else None)
    content_type = headers.get_header("Content-Type") if headers else None
    return extract(body, job.url, content_type, dict(job.selectors))


def decode_body(body: bytes, encoding: str | None) -> bytes:
    """The payload with its Content-Encoding undone (the WARC keeps it as it came off the wire)."""
    for coding in reversed([c.strip().lower() for c in (encoding or "").split(",") if c.strip()]):
        if coding in ("gzip", "x-gzip"):
            body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            try:
                body = zlib.decompress(body)
            except zlib.error:  # raw deflate, as some servers send it
                body = zlib.decompress(body, -zlib.MAX_WBITS)
        elif coding == "br":
            import brotli

            body = brotli.decompress(body)
    return body


class Ingester:
    """Turns pending captures into stories and versions; `run()` until none are left."""

    def __init__(self, catalog_: Catalog, warc_dir: Path, outlets: Mapping[str, OutletRules], workers: int = 2,
                 progress: Callable[[str], None] = lambda line: None):
        self.catalog = catalog_
        self.warc_dir = Path(warc_dir)
        self.outlets = outlets
        self.workers = workers
        self.progress = progress
        self.result = IngestResult()
        self.lines: dict[str, dict[str, int]] = {}
        self.story_counts: dict[str, int] = {}

    def run(self) -> IngestResult:
        with self.catalog.connection() as conn:
            self.lines, self.story_counts = catalog.outlet_lines(conn)
        pool: Executor | None = ProcessPoolExecutor(self.workers) if self.workers > 1 else None
        try:
            while True:
                with self.catalog.connection() as conn:
                    batch = catalog.pending_captures(conn, BATCH)
                    if not batch:
                        break
                    self._ingest(conn, batch, pool)
                if len(batch) == BATCH:  # more may follow: say how far we are
                    self.progress(f"ingested {self.result.captures} captures: {self.result.versions} new versions")
        finally:
            if pool is not None:
                pool.shutdown()
        return self.result

    # -- one batch -------------------------------------------------------

    def _ingest(self, conn, batch: list[PendingCapture], pool: Executor | None) -> None:
        pages = self._extract_articles(conn, batch, pool)
        for capture in batch:
            self._apply(conn, capture, pages.get(capture.id))
            self.result.captures += 1

    def _extract_articles(self, conn, batch, pool) -> dict[int, list[tuple[PendingCapture, Article]]]:
        """For each article capture, the extracted pages: its own, then a split article's further pages."""
        chains: dict[int, list[tuple[PendingCapture, Article]]] = {}
        wanted: dict[int, PendingCapture] = {}
        for capture in batch:
            outlet = self.outlets.get(capture.outlet)
            if outlet is None or not (200 <= capture.status < 300) or not outlet.is_article(capture.url):
                continue
            source = catalog.original_of(conn, capture) if capture.record_type == "revisit" else capture
            if source is not None:
                wanted[capture.id] = source
                chains[capture.id] = []
        while wanted:
            jobs = {cid: self._job(source) for cid, source in wanted.items()}
            articles = (pool.map(extract_page, jobs.values()) if pool else map(extract_page, jobs.values()))
            following: dict[int, PendingCapture] = {}
            for (cid, source), article in zip(wanted.items(), articles):
                chains[cid].append((source, article))
                next_url = article.next_page_url
                outlet = self.outlets[source.outlet]
                seen = {page.url for page, _ in chains[cid]}
                if (next_url and next_url not in seen and len(chains[cid]) < outlet.article_pages
                        and not _another_story(outlet, chains[cid][0][0].url, next_url)):
                    nxt = catalog.nearest_capture(conn, next_url, source.fetched_at)
                    if nxt is not None:
                        following[cid] = nxt
            wanted = following
        return chains

    def _job(self, capture: PendingCapture) -> PageJob:
        selectors = tuple(sorted(self.outlets[capture.outlet].selectors.items()))
        return PageJob(str(self._warc_path(capture.warc_file)), capture.warc_offset, capture.warc_length,
                       capture.url, selectors)

    def _warc_path(self, name: str) -> Path:
        path = self.warc_dir / name
        return path if path.exists() else self.warc_dir / (name + ".open")

    # -- one capture -----------------------------------------------------

    def _apply(self, conn, capture: PendingCapture, chain) -> None:
        outlet = self.outlets.get(capture.outlet)
        if outlet is None:
            return catalog.mark_capture(conn, capture.id, "no_outlet")
        if chain is not None:
            return self._apply_article(conn, capture, outlet, chain)
        story = catalog.story_at(conn, capture.url)
        if capture.status in (404, 410) and story is not None:
            # Only the story's current address going away deletes it; an old slug that
            # stopped redirecting says nothing about the story itself.
            if catalog.story_url(conn, story) == capture.url:
                catalog.set_story_status(conn, story, "deleted", capture.fetched_at)
            return catalog.mark_capture(conn, capture.id, "gone", None, story)
        if 300 <= capture.status < 400 and story is not None:
            return self._apply_redirect(conn, capture, outlet, story)
        if 500 <= capture.status:
            return catalog.mark_capture(conn, capture.id, "server_error", None, story)
        return catalog.mark_capture(conn, capture.id, "not_article" if story is None else "other", None, story)

    def _apply_redirect(self, conn, capture, outlet, story: int) -> None:
        target = capture.location or ""
        if _is_front_or_section(outlet, target):
            catalog.set_story_status(conn, story, "deleted", capture.fetched_at)
            return catalog.mark_capture(conn, capture.id, "gone", "redirect to a front or section page", story)
        if outlet.is_article(target):
            mine, theirs = outlet.article_id(capture.url), outlet.article_id(target)
            if mine is not None and theirs is not None and mine != theirs:
                catalog.set_story_status(conn, story, "redirected", capture.fetched_at)
            else:
                # A new slug for the same story: the story lives on at the target.
                catalog.add_story_urls(conn, story, {target})
        return catalog.mark_capture(conn, capture.id, "redirect", None, story)

    def _apply_article(self, conn, capture, outlet, chain) -> None:
        first = chain[0][1]
        content = Content(
            first.title, first.lede, first.byline, first.published, first.modified,
            tuple(p for _, page in chain for p in page.paragraphs),
            tuple(c for _, page in chain for c in page.captions),
            tuple(dict.fromkeys(n for _, page in chain for n in page.notes)),
        )
        problem = next((page.page_problem for _, page in chain if page.page_problem), None)
        known = catalog.story_at(conn, capture.url)  # e.g. the target of an old slug's redirect
        if problem and known is None:
            return catalog.mark_capture(conn, capture.id, "refused", problem)
        if known is not None:
            story = known
        else:
            key = story_key(outlet.article_id(capture.url), first.canonical_url, capture.url)
            self.result.stories += not self._story_exists(conn, outlet.key, key)
            story = catalog.story_id_for(conn, outlet.key, key, capture.url, outlet.language, capture.fetched_at)
        catalog.add_story_urls(conn, story, {capture.url, *(page.url for page, _ in chain[1:])}
                               | ({clean_url(first.canonical_url)} if first.canonical_url else set()))
        boilerplate = learned_boilerplate(self.lines.get(outlet.key, {}), self.story_counts.get(outlet.key, 0))
        content = content.without_lines(boilerplate)
        current = catalog.current_version(conn, story)
        verdict = judge(current.content if current else None, content, problem, boilerplate)
        if verdict.action == "refused":
            self.result.refused[verdict.reason] = self.result.refused.get(verdict.reason, 0) + 1
            catalog.mark_capture(conn, capture.id, "refused", verdict.reason, story)
        elif verdict.action == "same_version":
            catalog.extend_version(conn, current.id, capture.id, capture.fetched_at)
            catalog.touch_story(conn, story, capture.url, capture.fetched_at)
            catalog.mark_capture(conn, capture.id, "unchanged", None, story, current.id)
        else:
            self._new_version(conn, capture, outlet, story, current, content)
        for page, _ in chain[1:]:
            catalog.mark_capture(conn, page.id, "split_page", None, story)

    def _new_version(self, conn, capture, outlet, story, current, content: Content) -> None:
        changes = silent = None
        if current is not None:
            changes = change_kinds(current.content.as_dict(), content.as_dict())
            silent = silent_edit(current.content.as_dict(), content.as_dict(), changes)
        number = current.number + 1 if current else 1
        version = catalog.insert_version(conn, story, number, content, changes, bool(silent), capture.id,
                                         capture.fetched_at, outlet.language)
        catalog.touch_story(conn, story, capture.url, capture.fetched_at, content.title)
        catalog.mark_capture(conn, capture.id, "version", None, story, version)
        self.result.versions += 1
        if current is None:
            self._learn(conn, outlet.key, content)

    def _learn(self, conn, outlet: str, content: Content) -> None:
        lines = set(content.paragraphs)
        catalog.count_lines(conn, outlet, lines)
        counts = self.lines.setdefault(outlet, {})
        for line in lines:
            counts[line] = counts.get(line, 0) + 1
        self.story_counts[outlet] = self.story_counts.get(outlet, 0) + 1

    @staticmethod
    def _story_exists(conn, outlet: str, key: str) -> bool:
        return conn.execute("SELECT 1 FROM stories WHERE outlet = %s AND story_key = %s",
                            (outlet, key)).fetchone() is not None


def _another_story(outlet: OutletRules, url: str, other: str) -> bool:
    """Whether `other` is an article URL of a different story than `url` (by id where the outlet has ids)."""
    if not outlet.is_article(other):
        return False
    mine, theirs = outlet.article_id(url), outlet.article_id(other)
    if mine is not None and theirs is not None:
        return mine != theirs
    return clean_url(other) != clean_url(url)


def _is_front_or_section(outlet: OutletRules, url: str) -> bool:
    path = urlsplit(url).path.rstrip("/")
    return path == "" or any(clean_url(url).rstrip("/") == clean_url(topic).rstrip("/") for topic in outlet.topics)
