"""Ingest: from captures to stories and versions.

Runs after a crawl round (and in `arsip reindex`), never inside Scrapy's
reactor: page extraction, the CPU-heavy part, runs in a pool of worker
processes, and the decisions are then applied one capture at a time in the
order the captures were fetched, so a live crawl and a rebuild from the WARC
files reach the same stories, versions and changes.

What each capture does to its story is decided by the rules of
`archive.history.lifecycle`: this module reads what they need from the batch (a
`StoryView`) and carries out the `Decision` they return, deciding nothing itself.

Captures go in batches of `BATCH`, in fetch order. The workers extract the next
batch while this process applies the decisions of the current one; a batch's
reads of the catalog are a few queries up front and its writes a few statements at
the end (`archive.catalog.stories.IngestBatch`), not several round trips per
capture. `arsip crawl` may also start extracting a round's article pages while the
round is still fetching (`archive.ingest.speculation`): extraction depends on the page alone, so
that only saves time; every decision still waits for the round to end.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from archive.catalog import stories as catalog
from archive.catalog.captures import StoredCapture
from archive.catalog.db import Catalog
from archive.catalog.locks import live_runs_since
from archive.catalog.stories import BatchChanges, IngestBatch, SearchVectors
from archive.extract.content import Content
from archive.history import lifecycle
from archive.history.lifecycle import CurrentVersion, Decision, Pages, StoryView
from archive.history.versions import LearnedLines, learn_threshold
from archive.ingest.workers import Extractions, PageJob, page_job, worker_start
from archive.outlet import Outlet
from archive.warc.payload import DEFAULT_MAX_DECODED
from archive.wording import plural

BATCH = 500


@dataclass
class IngestResult:
    captures: int = 0
    versions: int = 0
    stories: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    extracted_early: int = 0  # pages extracted while the crawl round was still running
    held_back_from: str | None = None  # captures from then on were left for a crawl run still live


class Ingester:
    """Turns pending captures into stories and versions; `run()` until none are left.

    `workers` extraction processes (0: extract in this process); or `extractions`, a
    pool already at work (a crawl round's `Speculation`), whose results are used.
    """

    def __init__(self, catalog_: Catalog, warc_dir: Path, outlets: Mapping[str, Outlet], workers: int = 2,
                 progress: Callable[[str], None] = lambda line: None, extractions: Extractions | None = None,
                 max_decoded: int = DEFAULT_MAX_DECODED):
        self.catalog = catalog_
        self.warc_dir = Path(warc_dir)
        self._warc_dir = str(self.warc_dir)
        self.max_decoded = max_decoded
        self.outlets = outlets
        self.workers = workers
        self.search: SearchVectors | None = None
        self.progress = progress
        self.extractions = extractions
        self.result = IngestResult()
        # Per outlet met in this run: its learned boilerplate, and the counts of the lines
        # that may join it (loaded as batches need them: see LearnedLines).
        self.learned: dict[str, LearnedLines] = {}
        self._story_counts: dict[str, int] = {}

    def run(self) -> IngestResult:
        started = time.monotonic()
        with self.catalog.connection() as conn:
            self._story_counts = catalog.outlet_story_counts(conn)
        pool: Executor | None = None
        extractions = self.extractions
        if extractions is None:
            pool = ProcessPoolExecutor(self.workers, initializer=worker_start) if self.workers > 0 else None
            extractions = Extractions(pool)
        early = extractions.ready()
        self.search = SearchVectors(self.catalog)
        writer = ThreadPoolExecutor(1, thread_name_prefix="arsip-ingest-write")
        writing: Future | None = None
        before: BatchChanges | None = None
        ahead: set[int] = set()  # captures a batch marked before their turn came (split pages): not pending
        try:
            with self.catalog.connection() as conn:
                batch, last = self._pending(conn, None, ahead)
                sources = self._start(conn, batch, extractions)
            while batch:
                with self.catalog.connection() as conn:
                    # The next batch goes to the workers before this one is decided on, so
                    # they extract while this process and the database do the rest.
                    after, after_last = self._pending(conn, last, ahead)
                    after_sources = self._start(conn, after, extractions)
                    state = self._decide(conn, batch, sources, extractions, before)
                    ids = state.allocate()
                ahead |= state.marked() - {capture.id for capture in batch}
                if writing is not None:
                    writing.result()  # the batch before has been committed (or its error is raised here)
                # Written behind: the next batch is decided on meanwhile, over what this one changed.
                writing = writer.submit(self._write, state, ids)
                before = state.changes(ids)
                if len(batch) == BATCH:  # more may follow: say how far we are
                    self.progress(f"ingested {plural(self.result.captures, 'capture')}: "
                                  f"{plural(self.result.versions, 'new version')}")
                batch, sources, last = after, after_sources, after_last
                if ahead & {capture.id for capture in batch}:
                    # Split pages of this batch were read ahead as pending: drop them and fill
                    # up, so the next batch is what it would be if read after this one.
                    batch = [capture for capture in batch if capture.id not in ahead]
                    sources = {cid: source for cid, source in sources.items() if cid not in ahead}
                    with self.catalog.connection() as conn:
                        more, last = self._pending(conn, last, ahead, BATCH - len(batch))
                        sources.update(self._start(conn, more, extractions))
                    batch += more
            if writing is not None:
                writing.result()
        finally:
            writer.shutdown()
            self.search.close()
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        self.result.extracted_early = early
        self.result.seconds = round(time.monotonic() - started, 3)
        return self.result

    # -- one batch -------------------------------------------------------

    def _pending(self, conn, last: StoredCapture | None, ahead: set[int],
                 limit: int | None = None) -> tuple[list[StoredCapture], StoredCapture | None]:
        """Up to `limit` (BATCH) pending captures after `last` in fetch order, not in `ahead`; and the last one read.

        None from the start of a crawl run that is still live (archive.catalog.locks): its
        round is not whole yet. Once that line is met, nothing more is read in this run.
        """
        limit = BATCH if limit is None else limit
        found: list[StoredCapture] = []
        while len(found) < limit and self.result.held_back_from is None:
            rows = catalog.pending_captures(conn, limit - len(found), after=last)
            if not rows:
                break
            # Asked after the rows were read: a capture row is written after its run's row,
            # so a live run whose captures were just read is seen here.
            since = live_runs_since(conn)
            if since is not None and rows[-1].fetched_at >= since:
                rows = [capture for capture in rows if capture.fetched_at < since]
                self.result.held_back_from = since.isoformat()
            found += [capture for capture in rows if capture.id not in ahead]
            if rows:
                last = rows[-1]
        return found, last

    def _start(self, conn, batch: list[StoredCapture], extractions: Extractions) -> dict[int, StoredCapture]:
        """The page to extract for each article capture of `batch` (a revisit's: its original), sent to the workers."""
        articles = [c for c in batch if lifecycle.is_article_capture(c, self.outlets.get(c.outlet))]
        originals = catalog.originals_of(conn, [c for c in articles if c.record_type == "revisit"])
        sources = {c.id: originals.get(c.id) if c.record_type == "revisit" else c for c in articles}
        sources = {cid: source for cid, source in sources.items() if source is not None}
        extractions.submit(self._job(source) for source in sources.values())
        return sources

    def _decide(self, conn, batch: list[StoredCapture], sources: dict[int, StoredCapture],
                extractions: Extractions, before: BatchChanges | None) -> IngestBatch:
        """Apply the batch's captures in fetch order, in memory; the batch, to write."""
        chains = self._extract_articles(conn, sources, extractions)
        by_id = {capture.id: capture for capture in batch}
        keys = []
        for cid, chain in chains.items():
            capture, outlet = by_id[cid], self.outlets[by_id[cid].outlet]
            keys.append((outlet.key, lifecycle.article_key(outlet, capture, chain[0][1])))
        self._know_lines(conn, by_id, chains)
        state = IngestBatch(conn, [capture.url for capture in batch], keys, self.search, before)
        for capture in batch:
            self._apply(state, capture, chains.get(capture.id), lambda version: self._reread(conn, version, extractions))
            self.result.captures += 1
        extractions.forget(self._job(page, self.outlets[chain[0][0].outlet])
                           for chain in chains.values() for page, _ in chain)
        return state

    def _write(self, state: IngestBatch, ids: dict[int, int]) -> None:
        with self.catalog.connection() as conn:
            state.write(conn, ids)

    def _extract_articles(self, conn, sources: dict[int, StoredCapture],
                          extractions: Extractions) -> dict[int, Pages]:
        """For each article capture, the extracted pages: its own, then a split article's further pages."""
        chains: dict[int, list] = {cid: [] for cid in sources}
        wanted = dict(sources)
        while wanted:
            # Every page is read as its article's outlet reads it (its selectors), whoever
            # the page's own capture was counted to.
            jobs = {cid: self._job(source, self.outlets[sources[cid].outlet]) for cid, source in wanted.items()}
            extractions.submit(jobs.values())
            following: dict[int, StoredCapture] = {}
            for cid, source in wanted.items():
                chains[cid].append((source, extractions.get(jobs[cid])))
                next_url = lifecycle.next_page(self.outlets[sources[cid].outlet], chains[cid])
                if next_url is not None:
                    nxt = catalog.nearest_capture(conn, next_url, source.fetched_at)
                    if nxt is not None:
                        following[cid] = nxt
            wanted = following
        return chains

    def _job(self, capture: StoredCapture, outlet: Outlet | None = None) -> PageJob:
        return page_job(self._warc_dir, capture, outlet or self.outlets[capture.outlet], self.max_decoded)

    # -- one capture -----------------------------------------------------

    def _apply(self, state: IngestBatch, capture: StoredCapture, chain: Pages | None,
               reread: Callable[[StoredCapture], Content | None]) -> None:
        """What the lifecycle rules decide of `capture`, carried out on the batch.

        A decision that wants the current version read again (`Decision.wants_reread`) is
        asked once more with it: `reread` reads the version's last capture, unless this batch
        made the version (then it was read as this arsip reads it)."""
        outlet = self.outlets.get(capture.outlet)
        story = self._story_view(state, capture, outlet, chain)
        boilerplate = self._learned(outlet.key).boilerplate if chain is not None else frozenset()
        decision = lifecycle.decide(capture, outlet, chain, story, boilerplate)
        if decision.wants_reread:
            current = state.current_version(story.id)
            if not current.new:
                again = reread(current)
                if again is not None:
                    story = replace(story, version=replace(story.version, reread=again))
                    decision = lifecycle.decide(capture, outlet, chain, story, boilerplate)
        self._carry_out(state, capture, outlet, decision)

    def _reread(self, conn, version, extractions: Extractions) -> Content | None:
        """The content of `version`'s last capture (with its split pages) as this arsip reads it
        now; None when that capture cannot be read as an article any more."""
        (last,) = catalog.captures_by_id(conn, [version.last_capture_id]) or (None,)
        if last is None or last.outlet not in self.outlets:
            return None
        source = catalog.originals_of(conn, [last]).get(last.id) if last.record_type == "revisit" else last
        if source is None:
            return None
        chain = self._extract_articles(conn, {last.id: source}, extractions)[last.id]
        extractions.forget(self._job(page, self.outlets[last.outlet]) for page, _ in chain)
        if any(page.page_problem for _, page in chain):
            return None
        return lifecycle.joined_content(chain)

    def _story_view(self, state: IngestBatch, capture: StoredCapture, outlet: Outlet | None,
                    chain: Pages | None) -> StoryView | None:
        """What the batch knows of the story `capture` may belong to: the story at its URL, else
        (an article page) the one with its story key."""
        if outlet is None:
            return None
        story, at_url = state.story_at(capture.url), True
        if story is None and chain is not None:
            story, at_url = state.story_by_key(outlet.key, lifecycle.article_key(outlet, capture, chain[0][1])), False
        if story is None:
            return None
        current = state.current_version(story)
        version = (CurrentVersion(current.id, current.number, current.content, current.readings)
                   if current is not None else None)
        return StoryView(story, state.story_url(story), at_url, version)

    def _carry_out(self, state: IngestBatch, capture: StoredCapture, outlet: Outlet | None,
                   decision: Decision) -> None:
        """`decision`'s effects on the batch, in the order `Decision` gives them."""
        seen = capture.fetched_at
        story = decision.story
        if decision.story_key is not None:
            story = state.story_id_for(outlet.key, decision.story_key, capture.url, outlet.language, seen)
        if decision.story_status is not None:
            state.set_story_status(story, decision.story_status, seen)
        if decision.story_urls:
            state.add_story_urls(story, set(decision.story_urls))
        version, new = decision.extends, decision.new_version
        if version is not None:
            state.extend_version(version, capture.id, seen)
        if new is not None:
            version = state.insert_version(story, new.number, new.content, new.changes, new.silent_edit,
                                           capture.id, seen, outlet.language)
        if decision.seen_live:
            address = state.story_url(story) if decision.keep_address else capture.url
            state.touch_story(story, address, seen, new.content.title if new is not None else None)
        # A split article's further page, met again after its first page named it: what its
        # own capture says ("other", "split_page") adds nothing to that.
        if not (decision.status in ("other", "split_page") and state.marked_as(capture.id) == "split_page"):
            state.mark_capture(capture.id, decision.status, decision.reason, story, version)
        for page in decision.split_pages:
            state.mark_capture(page, "split_page", None, story)
        if decision.reading is not None:
            state.add_reading(version, decision.reading)
        if decision.learn is not None:
            state.count_lines(outlet.key, set(decision.learn))
            self._learned(outlet.key).learn(set(decision.learn))
        self.result.stories += decision.new_story
        self.result.versions += new is not None
        if decision.refused_version:
            self.result.refused[decision.reason] = self.result.refused.get(decision.reason, 0) + 1

    def _learned(self, outlet: str) -> LearnedLines:
        return self.learned[outlet]  # loaded by _know_lines before the batch is decided

    def _know_lines(self, conn, by_id: dict[int, StoredCapture], chains) -> None:
        """Load the counts of every line this batch's articles could learn (their paragraphs, all pages).

        Counts held in memory are already right (this run's earlier batches may still be
        being written); the catalog's are right for every other line, since only this
        run's lines change and no other ingest runs at the same time.
        """
        found: dict[str, set[str]] = {}
        for cid, chain in chains.items():
            found.setdefault(by_id[cid].outlet, set()).update(p for _, page in chain for p in page.paragraphs)
        for outlet, lines in found.items():
            if outlet not in self.learned:
                stories = self._story_counts.get(outlet, 0)
                self.learned[outlet] = LearnedLines(
                    catalog.outlet_lines_at_least(conn, outlet, learn_threshold(stories)), stories, complete=False)
            unknown = self.learned[outlet].unknown(lines)
            if unknown:
                self.learned[outlet].know(catalog.outlet_line_counts(conn, outlet, unknown))

