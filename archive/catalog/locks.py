"""Advisory locks that keep arsip processes sharing one catalog out of each other's way.

- A crawl run holds a lock named by its id from the moment its `crawl_runs` row can be
  seen until the run is closed. PostgreSQL drops a session's locks however the session
  ends, so a run whose lock is free is over, even if a killed crawl never closed it.
- One ingest at a time: two would read the same pending captures and each make the
  same stories and versions.
- Ingest stops at the start of the earliest crawl run still live: that run's captures
  are still arriving, a split article's later pages among them, and deciding on part
  of a round would make a history that `arsip reindex` (which sees the whole round)
  does not reproduce. The live run's own `arsip crawl` ingests them when it ends.

Session-level locks live on a connection of their own (`Catalog.session()`, with TCP
keepalives), never a pooled one, so that they last exactly as long as their holder.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

import psycopg

from archive.catalog.store import start_crawl_run

# pg_advisory_lock keys, fixed bigints shared by every arsip process (ASCII names, as in
# migrate.py's "arsipmig" and leadership.py's "arsipsch").
INGEST_KEY = int.from_bytes(b"arsiping", "big")
# A crawl run's key: "arsr" in the high 32 bits, the run id in the low 32.
_RUN_KEYS = int.from_bytes(b"arsr", "big") << 32


def run_key(run_id: int) -> int:
    return _RUN_KEYS | (run_id & 0xFFFFFFFF)


class RunLock:
    """A crawl run's row and the lock that says it is live, on a connection of their own."""

    def __init__(self, conn: psycopg.Connection, run_id: int):
        self.conn = conn
        self.run_id = run_id

    @classmethod
    def start(cls, catalog, outlet: str, recheck: bool) -> "RunLock":
        """Open a crawl run: its row and its lock are committed together, so no one sees a live run unlocked."""
        conn = catalog.session(f"arsip crawl {outlet} {socket.gethostname()} pid {os.getpid()}")
        try:
            with conn.transaction():
                run_id = start_crawl_run(conn, outlet, recheck)
                conn.execute("SELECT pg_advisory_lock(%s)", (run_key(run_id),))
        except BaseException:
            conn.close()
            raise
        return cls(conn, run_id)

    def close(self) -> None:
        """Release the lock (by ending the session). Never raises."""
        try:
            self.conn.close()
        except Exception:  # noqa: BLE001 - a broken connection has released the lock anyway
            pass


def live_runs_since(conn: psycopg.Connection) -> datetime | None:
    """When the earliest live crawl run started (None: no run is live).

    Runs still marked running whose lock is free were cut off (a killed crawl, an older
    arsip that took no lock): they are marked failed here, and do not hold ingest back.
    """
    rows = conn.execute("SELECT id, started_at FROM crawl_runs WHERE status = 'running' ORDER BY started_at").fetchall()
    dead = []
    for run_id, started_at in rows:
        # A transaction-level try: it conflicts with the run's session lock, and is
        # released when this transaction ends.
        if conn.execute("SELECT pg_try_advisory_xact_lock(%s)", (run_key(run_id),)).fetchone()[0]:
            dead.append(run_id)
        else:
            break  # the earliest live run: later ones cannot move the answer
    if dead:
        conn.execute("UPDATE crawl_runs SET status = 'failed', finished_at = coalesce(finished_at, now()) "
                     "WHERE id = ANY(%s) AND status = 'running'", (dead,))
    live = rows[len(dead):]
    return live[0][1] if live else None


@contextmanager
def ingest_lock(catalog, waiting: Callable[[], None] = lambda: None, poll: float = 0.5) -> Iterator[None]:
    """Hold the one-ingest lock for the `with` block; `waiting()` is called once if another ingest has it."""
    conn = catalog.session(f"arsip ingest {socket.gethostname()} pid {os.getpid()}")
    try:
        if not conn.execute("SELECT pg_try_advisory_lock(%s)", (INGEST_KEY,)).fetchone()[0]:
            waiting()
            # Polled rather than a blocking pg_advisory_lock, so Ctrl-C still ends the wait.
            while not conn.execute("SELECT pg_try_advisory_lock(%s)", (INGEST_KEY,)).fetchone()[0]:
                time.sleep(poll)
        yield
    finally:
        try:
            conn.close()  # releases the lock
        except Exception:  # noqa: BLE001
            pass
