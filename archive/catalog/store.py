"""Writing to the catalog: outlets, crawl runs, capture rows and fetch errors.

Capture rows are only handed here after their WARC records are on disk (the
caller flushes and fsyncs first), so a row never points at bytes that a crash
could lose. Inserts are idempotent on the record's place in its file, which is
what lets `arsip reindex` run over files the catalog already knows.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Mapping

from psycopg import Connection
from psycopg.types.json import Jsonb

from archive.capture import CAPTURE_COLUMNS, CaptureRow

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


def insert_captures(conn: Connection, rows: Iterable[CaptureRow], crawl_run_id: int | None = None) -> int:
    """Insert capture rows in one statement batch; returns how many were new."""
    params = [tuple(getattr(row, c) for c in CAPTURE_COLUMNS) + (crawl_run_id,) for row in rows]
    if not params:
        return 0
    with conn.cursor() as cur:
        cur.executemany(_INSERT_CAPTURE, params)
        return max(cur.rowcount, 0)


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
