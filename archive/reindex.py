"""Rebuilding the capture catalog from WARC files alone.

The WARC files are the source of truth: every capture row can be derived from
its records (see `archive.capture`), so a lost or damaged catalog is rebuilt
by reading the files back. Rows already present are left as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from archive.capture import CaptureRow, Placement, capture_row
from archive.catalog.db import Catalog
from archive.catalog.store import insert_captures
from archive.errors import ArsipError
from archive.warc.reader import ArchivedRecord, iter_records
from archive.wording import plural

_BATCH = 500


@dataclass
class ReindexResult:
    files: int = 0
    captures: int = 0
    new_captures: int = 0


def capture_rows(path: Path, outlet_of: Callable[[str], str | None]) -> Iterator[CaptureRow]:
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


def _row(response: ArchivedRecord, request: ArchivedRecord | None, outlet_of) -> CaptureRow:
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
        batch: list[CaptureRow] = []
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
        except ArsipError:
            raise
        except Exception as error:  # warcio raises a variety of parse errors on damaged input
            raise ArsipError(f"{path}: not a readable WARC file ({type(error).__name__}: {error})".splitlines()[0],
                             hint="nothing from this file was added; files before it were") from error
        result.files += 1
        result.captures += file_captures
        result.new_captures += file_new
        progress(f"{path.name}: {plural(file_captures, 'capture')}, {file_new} new")
    return result
