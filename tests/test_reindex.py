"""Reindex: capture rows from WARC files alone, into the catalog; the files a catalog has not seen whole.

The files are written by arsip's own WARC writer (and, as every WARC file a test leaves
whole, `warcio check`ed by conftest); the catalog is a real PostgreSQL.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from archive.catalog.captures import Placement, capture_row
from archive.catalog.queries import uncatalogued_names
from archive.catalog.store import mark_catalogued
from archive.errors import ArsipError
from archive.ingest.reindex import capture_rows, catalogue_unseen, files_in, reindex
from archive.warc.naming import OPEN_SUFFIX, warc_file_name
from archive.warc.writer import Exchange, Revisit, WarcFileWriter, WarcInfo

START = datetime(2026, 12, 4, 8, 0, tzinfo=timezone.utc)
PAGE = b"<html><body><h1>Banjir</h1><p>Air naik setinggi lutut di Medan.</p></body></html>"


def outlet_of(url: str) -> str | None:
    return "kabar" if url.startswith("https://kabar.example/") else None


def exchange(path: str, n: int, status: int = 200, body: bytes | None = None, headers=()) -> Exchange:
    return Exchange(url=f"https://kabar.example{path}" if path.startswith("/") else path, method="GET",
                    request_headers=[("Referer", "https://kabar.example/")], status=status,
                    response_headers=[("Content-Type", "text/html; charset=utf-8"), *headers],
                    body=PAGE + str(n).encode() if body is None else body, fetched_at=START + timedelta(seconds=n))


def write(directory: Path, exchanges: list[tuple[Exchange, Revisit | None]], max_size: int = 1_000_000):
    """Write `exchanges` as a crawl does; returns the closed files and the rows the crawl would have made."""
    writer = WarcFileWriter(directory, WarcInfo(software="arsip tests"), max_size)
    rows = []
    for item, revisit in exchanges:
        written = writer.write_exchange(item, revisit)
        rows.append(capture_row(
            written.response.rec_headers, written.response.http_headers,
            Placement(written.response.warc_file, written.response.offset, written.response.length),
            outlet_of(item.url), written.request.rec_headers, written.request.http_headers))
    writer.close()
    return [directory / name for name in writer.closed_files], rows


def a_day_of_crawling(directory: Path, max_size: int = 1_000_000):
    first = exchange("/berita/1", 1)
    return write(directory, [
        (first, None),
        (exchange("/lama", 2, 301, b"", [("Location", "/berita/1")]), None),
        (exchange("/berita/1", 3, body=first.body), Revisit(first.url, first.fetched_at)),
        (exchange("https://lain.example/x", 4), None),
        (exchange("/berita/2", 5, 404, b"tidak ada"), None),
    ], max_size)


def catalogued_rows(catalog) -> set[tuple]:
    with catalog.connection() as conn:
        return set(conn.execute("SELECT record_id, record_type, outlet, warc_file, warc_offset, warc_length "
                                "FROM captures").fetchall())


def key(rows) -> set[tuple]:
    return {(r.record_id, r.record_type, r.outlet, r.warc_file, r.warc_offset, r.warc_length) for r in rows}


def dead_pid() -> int:
    finished = subprocess.Popen(["true"])
    finished.wait()
    return finished.pid


def left_open_by(pid: int, source: Path, directory: Path, cut_at: int | None = None) -> Path:
    """`source`'s bytes (up to `cut_at`) as the `.open` file a crawl of process `pid` left in `directory`."""
    path = directory / (warc_file_name(90, pid=pid) + OPEN_SUFFIX)
    path.write_bytes(source.read_bytes()[:cut_at])
    return path


def test_the_rows_read_back_are_those_the_crawl_made_while_writing(tmp_path):
    files, written = a_day_of_crawling(tmp_path / "warcs", max_size=3_000)
    assert len(files) > 1, "rotation: the rows of each file are its own"
    read = [row for path in files for row in capture_rows(path, outlet_of)]
    assert read == written
    assert [(r.record_type, r.status, r.location, r.outlet) for r in read] == [
        ("response", 200, None, "kabar"), ("response", 301, "https://kabar.example/berita/1", "kabar"),
        ("revisit", 200, None, "kabar"), ("response", 200, None, None), ("response", 404, None, "kabar")]


def test_a_response_whose_request_a_killed_crawl_never_wrote_still_has_its_row(tmp_path):
    warcs = tmp_path / "warcs"
    [whole], rows = write(warcs, [(exchange("/berita/1", 1), None), (exchange("/berita/2", 2), None)])
    last = rows[-1]
    cut = left_open_by(dead_pid(), whole, warcs, cut_at=last.warc_offset + last.warc_length)
    whole.unlink()

    [repaired] = files_in(warcs, note=pytest.fail)
    assert repaired.name + OPEN_SUFFIX == cut.name
    read = list(capture_rows(repaired, outlet_of))
    assert [r.record_id for r in read] == [r.record_id for r in rows]
    assert read[0].request_record_id == rows[0].request_record_id and read[0].request_method == "GET"
    assert (read[1].request_record_id, read[1].request_method, read[1].referrer) == (None, None, None)


def test_reindex_adds_each_row_once_and_records_each_file_as_wholly_catalogued(tmp_path, catalog):
    files, written = a_day_of_crawling(tmp_path / "warcs", max_size=3_000)
    lines: list[str] = []
    result = reindex(catalog, files, outlet_of, lines.append)
    assert (result.files, result.captures, result.new_captures) == (len(files), 5, 5)
    assert catalogued_rows(catalog) == key(written)
    assert sum(int(line.split(": ")[1].split()[0]) for line in lines) == 5
    with catalog.connection() as conn:
        assert uncatalogued_names(conn, [path.name for path in files]) == []

    lines.clear()
    again = reindex(catalog, files, outlet_of, lines.append)
    assert (again.files, again.captures, again.new_captures) == (len(files), 5, 0)
    assert all(line.endswith(", 0 new") for line in lines) and len(lines) == len(files)
    assert catalogued_rows(catalog) == key(written)


@pytest.mark.broken_warcs
def test_a_damaged_file_adds_nothing_and_says_which_it_was(tmp_path, catalog):
    [good], good_rows = write(tmp_path / "warcs", [(exchange("/berita/1", 1), None)])
    [damaged], damaged_rows = write(tmp_path / "warcs", [(exchange("/berita/2", 2), None),
                                                         (exchange("/berita/3", 3), None)])
    last = damaged_rows[-1]
    with damaged.open("r+b") as fh:
        fh.truncate(last.warc_offset + last.warc_length // 2)

    with pytest.raises(ArsipError) as raised:
        reindex(catalog, [good, damaged], outlet_of)
    assert raised.value.message == f"{damaged}: no whole WARC record at offset {last.warc_offset}"
    assert catalogued_rows(catalog) == key(good_rows), "the damaged file's whole records were not added either"
    with catalog.connection() as conn:
        assert uncatalogued_names(conn, [good.name, damaged.name]) == [damaged.name]


def test_a_path_that_is_not_there_is_refused(tmp_path, catalog):
    with pytest.raises(ArsipError, match="no such WARC file"):
        reindex(catalog, [tmp_path / "arsip-none.warc.gz"], outlet_of)


@pytest.mark.broken_warcs
def test_catalogue_unseen_reads_back_only_what_the_catalog_has_not_seen_whole(tmp_path, catalog):
    warcs = tmp_path / "warcs"
    [seen], _ = write(warcs, [(exchange("/berita/1", 1), None)])
    [unseen], _ = write(warcs, [(exchange("/berita/2", 2), None)])
    [damaged], damaged_rows = write(warcs, [(exchange("/berita/3", 3), None)])
    with damaged.open("r+b") as fh:
        fh.truncate(damaged_rows[0].warc_offset + 10)
    [killed_source], _ = write(tmp_path / "elsewhere", [(exchange("/berita/4", 4), None)])
    killed = left_open_by(dead_pid(), killed_source, warcs)
    with catalog.connection() as conn:
        mark_catalogued(conn, [seen.name])
    with subprocess.Popen(["sleep", "60"]) as live:
        still_written = warcs / warc_file_name(91, pid=live.pid)
        shutil.copy(unseen, still_written)
        try:
            notes: list[str] = []
            result = catalogue_unseen(catalog, warcs, outlet_of, notes.append)
        finally:
            live.kill()

    assert (result.files, result.captures, result.new_captures) == (2, 2, 2)
    repaired_name = killed.name.removesuffix(OPEN_SUFFIX)
    assert {row[3] for row in catalogued_rows(catalog)} == {unseen.name, repaired_name}
    assert [note for note in notes if note.startswith("note: ")] == [
        f"note: skipped {damaged}: no whole WARC record at offset {damaged_rows[0].warc_offset}"]
    with catalog.connection() as conn:
        left = uncatalogued_names(conn, [p.name for p in (seen, unseen, damaged, still_written)] + [repaired_name])
    assert left == [damaged.name, still_written.name], "the damaged file is tried again next time"


def test_catalogue_unseen_of_a_directory_not_made_yet_finds_nothing(tmp_path, catalog):
    result = catalogue_unseen(catalog, tmp_path / "no-warcs-yet", outlet_of)
    assert (result.files, result.captures, result.new_captures) == (0, 0, 0)


def test_files_in_closes_abandoned_files_and_names_every_file_it_leaves_out(tmp_path):
    warcs = tmp_path / "warcs"
    [closed], _ = write(warcs, [(exchange("/berita/1", 1), None)])
    [source], _ = write(tmp_path / "elsewhere", [(exchange("/berita/2", 2), None)])
    abandoned = left_open_by(dead_pid(), source, warcs)
    (warcs / "catatan.txt").write_text("bukan WARC")
    with subprocess.Popen(["sleep", "60"]) as live:
        busy = left_open_by(live.pid, closed, warcs)
        try:
            notes: list[str] = []
            listed = files_in(warcs, notes.append)
        finally:
            live.kill()
        busy.unlink()  # a live writer's file: not whole yet, and not this test's to leave

    assert listed == sorted([closed, abandoned.with_name(abandoned.name.removesuffix(OPEN_SUFFIX))])
    assert sorted(notes) == sorted([
        f"skipped {warcs / 'catatan.txt'}: not a WARC file of arsip's (their names end in .warc.gz)",
        f"skipped {busy}: its writer, process {live.pid}, is still running"])
