"""Scheduler leadership: one `arsip service` per catalog schedules rounds, the others wait.

The leader holds a session-level PostgreSQL advisory lock on a connection of its
own, kept open for as long as it leads. PostgreSQL releases the lock when that
session ends, however it ends (clean exit, crash, killed process, dropped network
once the server notices), so a standby can take over without any cleanup.
"""

from __future__ import annotations

import os
import socket

import psycopg

from archive.catalog.db import lock_session

# pg_try_advisory_lock key: a fixed bigint shared by every arsip service ("arsipsch" in ASCII)
LOCK_KEY = int.from_bytes(b"arsipsch", "big")


class Leadership:
    """A dedicated connection that can take, check and give up the scheduler lock.

    Every method but `connect` and `close` may raise psycopg.Error when the
    connection is gone; `alive` turns that into False.
    """

    def __init__(self, conn: psycopg.Connection):
        self._conn = conn
        self.held = False

    @classmethod
    def connect(cls, url: str) -> Leadership:
        """Open the connection (raises psycopg.Error if the server cannot be reached)."""
        conn = lock_session(url, f"arsip service {socket.gethostname()} pid {os.getpid()}")
        return cls(conn)

    def try_acquire(self) -> bool:
        """Take the lock if no other session holds it; True when this connection now holds it."""
        if not self.held:
            self.held = bool(self._conn.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()[0])
        return self.held

    def holder(self) -> str | None:
        """Who holds the lock, e.g. "arsip service host pid 123 (since 2025-01-01 10:00:00+00)", if visible."""
        try:
            row = self._conn.execute(
                "SELECT a.application_name, date_trunc('second', a.backend_start)"
                " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
                " AND l.classid = %s::bigint::oid AND l.objid = %s::bigint::oid",
                (LOCK_KEY >> 32, LOCK_KEY & 0xFFFFFFFF)).fetchone()
        except psycopg.Error:
            return None
        if row is None or not row[0]:  # other roles' sessions are hidden from non-superusers
            return None
        return f"{row[0]} (since {row[1]:%Y-%m-%d %H:%M:%S%z})" if row[1] else row[0]

    def alive(self) -> bool:
        """True while the connection, and with it the lock, is still there."""
        if self._conn.closed:
            return False
        try:
            self._conn.execute("SELECT 1")
        except psycopg.Error:
            return False
        return True

    def close(self) -> None:
        """End the session, which releases the lock if held. Never raises."""
        self.held = False
        try:
            self._conn.close()
        except Exception:  # noqa: BLE001 - closing a broken connection must not mask why we close it
            pass
