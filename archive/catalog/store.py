"""Writing to the catalog: outlets, crawl runs, capture rows, the WARC files they wholly cover, fetch errors.

Capture rows are only handed here after their WARC records are on disk (the
caller flushes and fsyncs first), so a row never points at bytes that a crash
could lose. Inserts are idempotent on the record's place in its file, which is
what lets `arsip reindex` run over files the catalog already knows.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from psycopg import Connection
from psycopg.types.json import Jsonb

from archive.catalog.captures import CAPTURE_COLUMNS, Capture

_INSERT_CAPTURE = (
    f"INSERT INTO captures ({', '.join(CAPTURE_COLUMNS)}, crawl_run_id) "
    f"VALUES ({', '.join(['%s'] * (len(CAPTURE_COLUMNS) + 1))}) "
    "ON CONFLICT DO NOTHING"
)


def save_outlets(conn: Connection, outlets: Iterable[Mapping]) -> None:
    """Record the outlet definitions in use (as `arsip outlets --json` shows them)."""
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO outlets (key, name, definition) VALUES (%s, %s, %s) "
            "ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, definition = EXCLUDED.definition, "
            "updated_at = now() WHERE outlets.definition IS DISTINCT FROM EXCLUDED.definition",
            [(o["key"], o["name"], Jsonb(o)) for o in outlets],
        )


def saved_outlets(conn: Connection) -> list[dict]:
    """The outlet definitions recorded by earlier crawls."""
    return [row[0] for row in conn.execute("SELECT definition FROM outlets ORDER BY key")]


@dataclass(frozen=True)
class Forgotten:
    """What `forget_outlets` removed: stories and captures, and the WARC files that held nothing else."""

    stories: int
    captures: int
    warc_files: list[str]


def forget_outlets(conn: Connection, keys: Sequence[str]) -> Forgotten:
    """Remove every row of the outlets `keys` (their outlet definitions stay), in the caller's transaction.

    Returns the WARC files whose every capture was theirs, for the caller to delete: left on disk,
    `arsip reindex` would bring the captures back. A file shared with another outlet stays.
    """
    keys = list(keys)
    files = [row[0] for row in conn.execute(
        "SELECT warc_file FROM captures WHERE warc_file IN (SELECT warc_file FROM captures WHERE outlet = ANY(%(k)s)) "
        "GROUP BY warc_file HAVING bool_and(outlet IS NOT NULL AND outlet = ANY(%(k)s)) ORDER BY warc_file",
        {"k": keys})]
    stories = conn.execute("DELETE FROM stories WHERE outlet = ANY(%s)", (keys,)).rowcount
    captures = conn.execute("DELETE FROM captures WHERE outlet = ANY(%s)", (keys,)).rowcount
    for table in ("pages", "fetch_errors", "crawl_runs", "outlet_lines"):
        conn.execute(f"DELETE FROM {table} WHERE outlet = ANY(%s)", (keys,))
    return Forgotten(stories, captures, files)


def insert_captures(conn: Connection, rows: Iterable[Capture], crawl_run_id: int | None = None) -> int:
    """Insert capture rows in one statement batch, and fold them into `pages`; returns how many were new."""
    rows = list(rows)
    if not rows:
        return 0
    params = [tuple(getattr(row, c) for c in CAPTURE_COLUMNS) + (crawl_run_id,) for row in rows]
    with conn.cursor() as cur:
        cur.executemany(_INSERT_CAPTURE, params)
        new = max(cur.rowcount, 0)
    update_pages(conn, rows)
    return new


def mark_catalogued(conn: Connection, names: Iterable[str]) -> None:
    """Record WARC files (by name) whose every record now has its capture row."""
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO catalogued_warc_files (name) VALUES (%s) ON CONFLICT DO NOTHING",
                        [(name,) for name in names])


# Newer wins field by field, whatever order captures arrive in (a crawl in fetch order,
# `arsip reindex` file by file), and a row seen twice changes nothing.
_UPSERT_PAGES = """
    INSERT INTO pages (url, outlet, host, first_fetched, last_fetched, last_status,
                       payload_digest, payload_fetched_at, payload_record_id)
    SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::timestamptz[], %s::timestamptz[], %s::int[],
                         %s::text[], %s::timestamptz[], %s::text[])
    ON CONFLICT (url) DO UPDATE SET
        first_fetched = least(pages.first_fetched, EXCLUDED.first_fetched),
        last_fetched = greatest(pages.last_fetched, EXCLUDED.last_fetched),
        outlet = CASE WHEN EXCLUDED.last_fetched >= pages.last_fetched THEN EXCLUDED.outlet ELSE pages.outlet END,
        host = CASE WHEN EXCLUDED.last_fetched >= pages.last_fetched THEN EXCLUDED.host ELSE pages.host END,
        last_status = CASE WHEN EXCLUDED.last_fetched >= pages.last_fetched
                           THEN EXCLUDED.last_status ELSE pages.last_status END,
        payload_digest = CASE WHEN EXCLUDED.payload_fetched_at >= pages.payload_fetched_at
                                   OR pages.payload_fetched_at IS NULL
                              THEN coalesce(EXCLUDED.payload_digest, pages.payload_digest)
                              ELSE pages.payload_digest END,
        payload_record_id = CASE WHEN EXCLUDED.payload_fetched_at >= pages.payload_fetched_at
                                      OR pages.payload_fetched_at IS NULL
                                 THEN coalesce(EXCLUDED.payload_record_id, pages.payload_record_id)
                                 ELSE pages.payload_record_id END,
        payload_fetched_at = greatest(pages.payload_fetched_at, EXCLUDED.payload_fetched_at)
"""


def update_pages(conn: Connection, rows: list[Capture]) -> None:
    """Fold capture rows into `pages` (one row per URL: first and last fetch, last status, latest payload)."""
    pages: dict[str, list] = {}
    for row in rows:
        # [outlet, host, first, last, status, digest, payload at, record id]
        page = pages.get(row.url)
        if page is None:
            page = pages[row.url] = [row.outlet, row.host, row.fetched_at, row.fetched_at, row.status,
                                     None, None, None]
        else:
            page[2] = min(page[2], row.fetched_at)
            if row.fetched_at >= page[3]:
                page[0], page[1], page[3], page[4] = row.outlet, row.host, row.fetched_at, row.status
        if (row.record_type == "response" and 200 <= row.status < 300 and row.payload_digest
                and (page[6] is None or row.fetched_at >= page[6])):
            page[5], page[6], page[7] = row.payload_digest, row.fetched_at, row.record_id
    if not pages:
        return
    urls = sorted(pages)  # one lock order for every writer
    columns = list(zip(*(pages[url] for url in urls)))
    conn.execute(_UPSERT_PAGES, (urls, *map(list, columns)))


def start_crawl_run(conn: Connection, outlet: str, recheck: bool) -> int:
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO crawl_runs (outlet, host, pid, recheck) VALUES (%s, %s, %s, %s) RETURNING id",
            (outlet, socket.gethostname(), os.getpid(), recheck),
        )
        return cur.fetchone()[0]


def finish_crawl_run(conn: Connection, run_id: int, status: str, counts: Mapping[str, int],
                     errors_by_kind: Mapping[str, int]) -> None:
    with conn.cursor() as cur:
        cur.execute(
            "UPDATE crawl_runs SET finished_at = now(), status = %s, pages_fetched = %s, new_captures = %s, "
            "revisits = %s, errors = %s, errors_by_kind = %s WHERE id = %s",
            (status, counts.get("pages_fetched", 0), counts.get("new_captures", 0), counts.get("revisits", 0),
             sum(errors_by_kind.values()), Jsonb(dict(errors_by_kind)), run_id),
        )


def insert_fetch_errors(conn: Connection, run_id: int | None, errors: Iterable[Mapping]) -> None:
    """Each error: {"outlet", "url", "kind", "status", "message", "occurred_at"}."""
    rows = [(run_id, e.get("outlet"), e["url"], e["kind"], e.get("status"), e["message"], e["occurred_at"])
            for e in errors]
    if not rows:
        return
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO fetch_errors (crawl_run_id, outlet, url, kind, status, message, occurred_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            rows,
        )
