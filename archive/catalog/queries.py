"""Reading the capture catalog: what the crawler needs to know about earlier rounds."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from psycopg import Connection


@dataclass(frozen=True)
class KnownPage:
    """The latest word on one URL an outlet was captured at."""

    url: str
    first_seen: datetime
    last_fetched: datetime
    last_status: int


@dataclass(frozen=True)
class EarlierPayload:
    """A response record whose payload a new fetch may repeat (the target of a revisit)."""

    url: str
    fetched_at: datetime
    record_id: str


def known_pages(conn: Connection, outlet: str) -> list[KnownPage]:
    """Every URL captured for `outlet`, with when it was first and last fetched and its last status."""
    with conn.cursor() as cur:
        cur.execute(
            """
            SELECT url, min(fetched_at), max(fetched_at),
                   (array_agg(status ORDER BY fetched_at DESC))[1]
            FROM captures WHERE outlet = %s GROUP BY url
            """,
            (outlet,),
        )
        return [KnownPage(*row) for row in cur.fetchall()]


def latest_payloads(conn: Connection, hosts: Iterable[str]) -> dict[str, EarlierPayload]:
    """payload digest -> the latest full response carrying it, for captures on `hosts`."""
    with conn.cursor() as cur:
        cur.execute(
            """
            SELECT DISTINCT ON (payload_digest) payload_digest, url, fetched_at, record_id
            FROM captures
            WHERE host = ANY(%s) AND record_type = 'response' AND payload_digest IS NOT NULL
                  AND status BETWEEN 200 AND 299
            ORDER BY payload_digest, fetched_at DESC
            """,
            (list(hosts),),
        )
        return {digest: EarlierPayload(url, when, rid) for digest, url, when, rid in cur.fetchall()}


def count_captures(conn: Connection) -> int:
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM captures")
        return cur.fetchone()[0]
