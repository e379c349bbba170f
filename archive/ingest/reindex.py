"""Rebuilding the capture catalog from WARC files alone.

The WARC files are the source of truth: every capture row can be derived from
its records (see `archive.catalog.captures`), so a lost or damaged catalog is rebuilt
by reading the files back. Rows already present are left as they are.

`catalogue_unseen` is the same, limited to the files the catalog has not recorded as
wholly catalogued: what a crawl wrote while the database was away, or a killed crawl
left. Ingest calls it first, so such captures need nobody to run `arsip reindex`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg

from archive.catalog.captures import Capture, Placement, capture_row
from archive.catalog.db import Catalog
from archive.catalog.queries import uncatalogued_names
from archive.catalog.store import insert_captures, mark_catalogued
from archive.errors import ArsipError
from archive.warc.naming import OPEN_SUFFIX, SUFFIX
from archive.warc.reader import ArchivedRecord, iter_records, warc_files
from archive.warc.repair import repair_open_files, why_left_open, written_by_live_process
from archive.wording import plural

_BATCH = 500


@dataclass
class ReindexResult:
    files: int = 0
    captures: int = 0
    new_captures: int = 0


def capture_rows(path: Path, outlet_of: Callable[[str], str | None]) -> Iterator[Capture]:
    """The capture rows of one WARC file: each response or revisit with the request that follows it."""
    pending: ArchivedRecord | None = None
    for record in iter_records(path, with_payload=False):
        if record.rec_type in ("response", "revisit"):
            if pending is not None:
                yield _row(pending, None, outlet_of)
            pending = record
        elif record.rec_type == "request" and pending is not None:
            concurrent = record.rec_headers.get_header("WARC-Concurrent-To")
            if concurrent == pending.rec_headers.get_header("WARC-Record-ID"):
                yield _row(pending, record, outlet_of)
                pending = None
    if pending is not None:
        yield _row(pending, None, outlet_of)


def _row(response: ArchivedRecord, request: ArchivedRecord | None, outlet_of) -> Capture:
    url = response.rec_headers.get_header("WARC-Target-URI")
    return capture_row(
        response.rec_headers, response.http_headers,
        Placement(response.warc_file, response.offset, response.length), outlet_of(url),
        request.rec_headers if request else None, request.http_headers if request else None,
    )


def reindex(catalog: Catalog, paths: Iterable[Path], outlet_of: Callable[[str], str | None],
            progress: Callable[[str], None] = lambda line: None) -> ReindexResult:
    """Add the capture rows of every file in `paths` to the catalog; committed file by file."""
    result = ReindexResult()
    for path in paths:
        if not path.is_file():
            raise ArsipError(f"{path}: no such WARC file")
        file_captures = file_new = 0
        batch: list[Capture] = []
        try:
            with catalog.connection() as conn:
                for row in capture_rows(path, outlet_of):
                    batch.append(row)
                    if len(batch) >= _BATCH:
                        file_new += insert_captures(conn, batch)
                        file_captures += len(batch)
                        batch = []
                file_new += insert_captures(conn, batch)
                file_captures += len(batch)
                mark_catalogued(conn, [path.name])
        except (ArsipError, psycopg.Error):
            raise  # the catalog failing is not the file's fault: the CLI says which it was
        except Exception as error:  # warcio raises a variety of parse errors on damaged input
            raise ArsipError(f"{path}: not a readable WARC file ({type(error).__name__}: {error})".splitlines()[0],
                             hint="nothing from this file was added; files before it were") from error
        result.files += 1
        result.captures += file_captures
        result.new_captures += file_new
        progress(f"{path.name}: {plural(file_captures, 'capture')}, {file_new} new")
    return result


def catalogue_unseen(catalog: Catalog, warc_dir: Path, outlet_of: Callable[[str], str | None],
                     progress: Callable[[str], None] = lambda line: None) -> ReindexResult:
    """Reindex the files of `warc_dir` that the catalog does not hold wholly.

    Files killed crawls left open are closed first; files another live process on this
    host is still writing (or whose rows it is still inserting) are its own to record.
    A file that cannot be read is named through `progress` and left for next time.
    """
    if not warc_dir.is_dir():
        return ReindexResult()
    repair_open_files(warc_dir)
    closed = [path for path in warc_files(warc_dir) if not written_by_live_process(path)]
    with catalog.connection() as conn:
        unseen = set(uncatalogued_names(conn, [path.name for path in closed]))
    result = ReindexResult()
    for path in closed:
        if path.name not in unseen:
            continue
        try:
            found = reindex(catalog, [path], outlet_of, progress)
        except ArsipError as error:  # a damaged file must not stop every later ingest
            progress(f"note: skipped {error.message}")
            continue
        result.files += found.files
        result.captures += found.captures
        result.new_captures += found.new_captures
    return result


def files_in(directory: Path, note: Callable[[str], None]) -> list[Path]:
    """The closed WARC files of `directory`, once the ones killed crawls left open are closed.

    What is left out is said to `note`, one line per file, so that nothing is skipped unseen.
    """
    # Files a killed crawl left open hold whole records too.
    repair_open_files(directory)
    for path in sorted(directory.iterdir()):
        if path.name.endswith(SUFFIX + OPEN_SUFFIX):
            reason = why_left_open(path)
        elif path.name.endswith(SUFFIX) and path.is_file():
            continue
        else:
            reason = f"not a WARC file of arsip's (their names end in {SUFFIX})"
        if reason:
            note(f"skipped {path}: {reason}")
    return warc_files(directory)
