"""archive/catalog/store.py: the catalog's writes, on a real migrated catalog."""

from __future__ import annotations

import itertools
import os
import socket
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from catalog_rows import at, capture  # noqa: E402

from archive.catalog.captures import CAPTURE_COLUMNS  # noqa: E402
from archive.catalog.queries import uncatalogued_names  # noqa: E402
from archive.catalog.store import (  # noqa: E402
    finish_crawl_run, forget_outlets, insert_captures, insert_fetch_errors, mark_catalogued, save_outlets,
    saved_outlets, start_crawl_run)

PAGE_COLUMNS = ("url, outlet, host, first_fetched, last_fetched, last_status, payload_digest, payload_fetched_at, "
                "payload_record_id")


def captures_in(conn) -> list[tuple]:
    return conn.execute(f"SELECT {', '.join(CAPTURE_COLUMNS)}, crawl_run_id FROM captures ORDER BY record_id").fetchall()


def pages_in(conn) -> list[tuple]:
    return conn.execute(f"SELECT {PAGE_COLUMNS} FROM pages ORDER BY url").fetchall()


def test_capture_rows_are_written_once_whatever_comes_again(catalog):
    rows = [capture("http://a.test/1", at(0)), capture("http://a.test/2", at(1), status=404, digest=None)]
    with catalog.connection() as conn:
        run = start_crawl_run(conn, "demo", recheck=False)
        assert insert_captures(conn, rows, run) == 2
        written = captures_in(conn)
        pages = pages_in(conn)
        assert [row[:len(CAPTURE_COLUMNS)] for row in written] == [
            tuple(getattr(r, c) for c in CAPTURE_COLUMNS) for r in rows]
        assert {row[-1] for row in written} == {run}
        # the same records again, as `arsip reindex` reads them back (no run): nothing changes
        assert insert_captures(conn, rows) == 0
        assert insert_captures(conn, []) == 0
        assert captures_in(conn) == written
        assert pages_in(conn) == pages
        # a record id known already, or a place in a file: the row first written stays
        assert insert_captures(conn, [replace(rows[0], warc_offset=1), replace(rows[1], record_id="<other>")]) == 0
        assert captures_in(conn) == written


def test_a_page_folds_its_captures_newest_wins_in_any_order_and_batching(catalog):
    url = "http://a.test/berita/1"
    history = [
        capture(url, at(0), digest="sha1:ONE"),
        capture(url, at(1), record_type="revisit", digest="sha1:ONE"),  # repeats, is no payload of its own
        capture(url, at(2), digest="sha1:TWO"),  # the latest payload
        capture(url, at(3), status=500, digest="sha1:ERR"),  # an error page is no payload either
        capture(url, at(4), status=301, outlet="other", digest=None),  # the latest word: outlet and status
    ]
    expected = (url, "other", "a.test", at(0), at(4), 301, "sha1:TWO", at(2), history[2].record_id)
    orders = [history, history[::-1], [history[2], history[4], history[0], history[3], history[1]]]
    for order, batch in itertools.product(orders, (1, 2, 5)):
        with catalog.connection() as conn, conn.transaction(force_rollback=True):
            for start in range(0, len(order), batch):
                insert_captures(conn, order[start:start + batch])
            assert pages_in(conn) == [expected], (order, batch)


def test_a_page_keeps_its_payload_when_later_fetches_bring_none(catalog):
    url = "http://a.test/berita/2"
    with catalog.connection() as conn:
        insert_captures(conn, [capture(url, at(0), digest="sha1:ONE")])
        insert_captures(conn, [capture(url, at(1), status=404, digest=None)])
        insert_captures(conn, [capture(url, at(2), digest=None)])  # a 200 without a digest
        assert pages_in(conn)[0][5:8] == (200, "sha1:ONE", at(0))


def test_each_url_has_a_page_of_its_own(catalog):
    with catalog.connection() as conn:
        insert_captures(conn, [capture("http://a.test/1", at(0)), capture("http://b.test:8080/1", at(1), outlet=None)])
        assert [(p[0], p[1], p[2]) for p in pages_in(conn)] == [
            ("http://a.test/1", "demo", "a.test"), ("http://b.test:8080/1", None, "b.test:8080")]


def test_catalogued_files_are_those_marked_in_the_order_asked(catalog):
    with catalog.connection() as conn:
        assert uncatalogued_names(conn, ["b", "a", "c"]) == ["b", "a", "c"]
        mark_catalogued(conn, ["a", "c"])
        mark_catalogued(conn, ["c"])  # again: no error, no second row
        mark_catalogued(conn, [])
        assert uncatalogued_names(conn, ["c", "b", "a", "d"]) == ["b", "d"]
        assert uncatalogued_names(conn, []) == []
        assert conn.execute("SELECT count(*) FROM catalogued_warc_files").fetchone()[0] == 2


def test_forgetting_outlets_removes_their_rows_and_names_the_files_wholly_theirs(catalog):
    with catalog.connection() as conn:
        save_outlets(conn, [{"key": k, "name": k.title()} for k in ("demo", "kept", "gone")])
        runs = {key: start_crawl_run(conn, key, recheck=False) for key in ("demo", "kept")}
        insert_captures(conn, [capture("http://d.test/1", at(0), warc_file="demo-only.warc.gz"),
                               capture("http://d.test/2", at(0), warc_file="demo-only.warc.gz")], runs["demo"])
        insert_captures(conn, [capture("http://gone.test/1", at(0), outlet="gone", warc_file="gone.warc.gz")])
        insert_captures(conn, [capture("http://d.test/3", at(0), warc_file="shared.warc.gz"),
                               capture("http://k.test/1", at(0), outlet="kept", warc_file="shared.warc.gz")],
                        runs["kept"])
        insert_captures(conn, [capture("http://d.test/4", at(0), warc_file="unowned.warc.gz"),
                               capture("http://x.test/1", at(0), outlet=None, warc_file="unowned.warc.gz")])
        insert_captures(conn, [capture("http://k.test/2", at(0), outlet="kept", warc_file="kept.warc.gz")])
        insert_fetch_errors(conn, runs["demo"], [error("http://d.test/9", outlet="demo")])
        insert_fetch_errors(conn, runs["kept"], [error("http://k.test/9", outlet="kept")])
        for key in ("demo", "kept"):
            story = conn.execute("INSERT INTO stories (outlet, story_key, url, first_seen, last_seen) "
                                 "VALUES (%s, 'k', 'u', now(), now()) RETURNING id", (key,)).fetchone()[0]
            conn.execute("INSERT INTO story_urls (url, story_id) VALUES (%s, %s)", (f"http://{key}/s", story))
            conn.execute("INSERT INTO outlet_lines (outlet, line_hash, stories) VALUES (%s, 'h', 2)", (key,))

        forgotten = forget_outlets(conn, ["demo", "gone"])

        assert (forgotten.stories, forgotten.captures) == (1, 5)
        assert forgotten.warc_files == ["demo-only.warc.gz", "gone.warc.gz"]
        for table in ("captures", "pages", "fetch_errors", "crawl_runs", "stories", "outlet_lines"):
            outlets = {row[0] for row in conn.execute(f"SELECT outlet FROM {table}")}
            assert outlets <= {"kept", None} and "kept" in outlets, table
        assert [row[0] for row in conn.execute("SELECT url FROM story_urls")] == ["http://kept/s"]
        assert [o["key"] for o in saved_outlets(conn)] == ["demo", "gone", "kept"]  # definitions stay
        assert forget_outlets(conn, ["demo"]).warc_files == []


def error(url: str, outlet: str | None = None, status: int | None = None, kind: str = "http_5xx") -> dict:
    return {"outlet": outlet, "url": url, "kind": kind, "status": status, "message": "boom", "occurred_at": at(0)}


def test_a_crawl_run_is_started_running_and_finished_with_its_counts(catalog):
    with catalog.connection() as conn:
        run = start_crawl_run(conn, "demo", recheck=True)
        assert conn.execute("SELECT outlet, host, pid, recheck, status, finished_at FROM crawl_runs WHERE id = %s",
                            (run,)).fetchone() == ("demo", socket.gethostname(), os.getpid(), True, "running", None)
        assert start_crawl_run(conn, "demo", recheck=False) > run
        finish_crawl_run(conn, run, "finished", {"pages_fetched": 7, "new_captures": 5},
                         {"timeout": 2, "http_4xx": 1})
        status, finished, fetched, new, revisits, errors, by_kind, started = conn.execute(
            "SELECT status, finished_at, pages_fetched, new_captures, revisits, errors, errors_by_kind, started_at "
            "FROM crawl_runs WHERE id = %s", (run,)).fetchone()
        assert (status, fetched, new, revisits, errors, by_kind) == ("finished", 7, 5, 0, 3,
                                                                     {"timeout": 2, "http_4xx": 1})
        assert finished >= started


def test_fetch_errors_are_recorded_each_with_its_run_or_none(catalog):
    with catalog.connection() as conn:
        run = start_crawl_run(conn, "demo", recheck=False)
        insert_fetch_errors(conn, run, [error("http://a.test/1", "demo", 503),
                                        {"url": "http://a.test/2", "kind": "dns", "message": "no such host",
                                         "occurred_at": at(1)}])
        insert_fetch_errors(conn, None, [error("http://a.test/3", kind="offsite")])
        insert_fetch_errors(conn, run, [])
        assert conn.execute("SELECT crawl_run_id, outlet, url, kind, status, message, occurred_at "
                            "FROM fetch_errors ORDER BY url").fetchall() == [
            (run, "demo", "http://a.test/1", "http_5xx", 503, "boom", at(0)),
            (run, None, "http://a.test/2", "dns", None, "no such host", at(1)),
            (None, None, "http://a.test/3", "offsite", None, "boom", at(0))]


def test_an_outlet_definition_is_updated_only_when_it_changed(catalog):
    with catalog.connection() as conn:
        save_outlets(conn, [{"key": "demo", "name": "Demo", "language": "id"}])
        first = conn.execute("SELECT updated_at FROM outlets").fetchone()[0]
        conn.commit()  # now() is the transaction's start: a later one must not move it
        save_outlets(conn, [{"key": "demo", "name": "Demo", "language": "id"}])
        assert conn.execute("SELECT updated_at FROM outlets").fetchone()[0] == first
        save_outlets(conn, [{"key": "demo", "name": "Demo Baru", "language": "id"}])
        assert conn.execute("SELECT name, updated_at > %s FROM outlets", (first,)).fetchone() == ("Demo Baru", True)
        assert saved_outlets(conn) == [{"key": "demo", "name": "Demo Baru", "language": "id"}]
