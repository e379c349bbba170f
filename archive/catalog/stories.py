"""Reading and writing stories, their versions and what ingest made of each capture."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from psycopg import Connection
from psycopg.types.json import Jsonb

from archive.versions import Content, content_hash

# Full-text configuration per outlet language; anything else is indexed word by word.
TEXT_SEARCH_CONFIGS = {"id": "indonesian", "en": "english"}


@dataclass(frozen=True)
class PendingCapture:
    id: int
    record_id: str
    record_type: str
    url: str
    outlet: str
    fetched_at: datetime
    status: int
    content_type: str | None
    location: str | None
    warc_file: str
    warc_offset: int
    warc_length: int
    refers_to_uri: str | None
    refers_to_date: datetime | None


_PENDING_COLUMNS = ", ".join(PendingCapture.__dataclass_fields__)


@dataclass(frozen=True)
class CurrentVersion:
    id: int
    number: int
    content: Content


def pending_captures(conn: Connection, limit: int) -> list[PendingCapture]:
    """Captures not ingested yet, in the order they were fetched (the order versions must follow)."""
    cur = conn.execute(
        f"SELECT {_PENDING_COLUMNS} FROM captures WHERE ingest_status IS NULL "
        "ORDER BY fetched_at, record_id LIMIT %s", (limit,))
    return [PendingCapture(*row) for row in cur.fetchall()]


def original_of(conn: Connection, capture: PendingCapture) -> PendingCapture | None:
    """The full response a revisit repeats."""
    cur = conn.execute(
        f"SELECT {_PENDING_COLUMNS} FROM captures WHERE url = %s AND fetched_at = %s AND record_type = 'response'",
        (capture.refers_to_uri, capture.refers_to_date))
    row = cur.fetchone()
    return PendingCapture(*row) if row else None


def nearest_capture(conn: Connection, url: str, around: datetime) -> PendingCapture | None:
    """The successful capture of `url` fetched closest to `around` (a split article's further page)."""
    cur = conn.execute(
        f"SELECT {_PENDING_COLUMNS} FROM captures WHERE url = %s AND status BETWEEN 200 AND 299 "
        "AND fetched_at BETWEEN %s - interval '1 hour' AND %s + interval '1 hour' "
        "ORDER BY abs(extract(epoch FROM fetched_at - %s)), record_id LIMIT 1",
        (url, around, around, around))
    row = cur.fetchone()
    return PendingCapture(*row) if row else None


def story_at(conn: Connection, url: str) -> int | None:
    row = conn.execute("SELECT story_id FROM story_urls WHERE url = %s", (url,)).fetchone()
    return row[0] if row else None


def story_url(conn: Connection, story_id: int) -> str:
    """Where the story was last seen."""
    return conn.execute("SELECT url FROM stories WHERE id = %s", (story_id,)).fetchone()[0]


def story_id_for(conn: Connection, outlet: str, key: str, url: str, language: str | None, seen: datetime) -> int:
    """The story's id, creating the story on first sight."""
    row = conn.execute(
        "INSERT INTO stories (outlet, story_key, url, language, first_seen, last_seen) VALUES (%s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (outlet, story_key) DO UPDATE SET last_seen = greatest(stories.last_seen, EXCLUDED.last_seen) "
        "RETURNING id",
        (outlet, key, url, language, seen, seen)).fetchone()
    return row[0]


def add_story_urls(conn: Connection, story_id: int, urls: set[str]) -> None:
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO story_urls (url, story_id) VALUES (%s, %s) ON CONFLICT (url) DO NOTHING",
                        [(url, story_id) for url in sorted(urls)])


def touch_story(conn: Connection, story_id: int, url: str, seen: datetime, title: str | None = None,
                status: str = "live") -> None:
    conn.execute(
        "UPDATE stories SET url = %s, last_seen = greatest(last_seen, %s), status = %s, "
        "title = coalesce(%s, title) WHERE id = %s", (url, seen, status, title, story_id))


def set_story_status(conn: Connection, story_id: int, status: str, seen: datetime) -> None:
    conn.execute("UPDATE stories SET status = %s, last_seen = greatest(last_seen, %s) WHERE id = %s",
                 (status, seen, story_id))


def current_version(conn: Connection, story_id: int) -> CurrentVersion | None:
    row = conn.execute(
        "SELECT id, number, title, lede, byline, published, modified, paragraphs, captions, notes "
        "FROM versions WHERE story_id = %s ORDER BY number DESC LIMIT 1", (story_id,)).fetchone()
    if row is None:
        return None
    vid, number, title, lede, byline, published, modified, paragraphs, captions, notes = row
    return CurrentVersion(vid, number, Content(title, lede, byline, published, modified, tuple(paragraphs),
                                               tuple(captions), tuple(notes)))


def insert_version(conn: Connection, story_id: int, number: int, content: Content, changes: list | None,
                   silent_edit: bool, capture_id: int, seen: datetime, language: str | None) -> int:
    config = TEXT_SEARCH_CONFIGS.get(language or "", "simple")
    row = conn.execute(
        "INSERT INTO versions (story_id, number, content_hash, title, lede, byline, published, modified, "
        "paragraphs, captions, notes, text, changes, silent_edit, first_capture_id, last_capture_id, "
        "first_seen, last_seen, search) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
        "%s, %s, setweight(to_tsvector(%s::regconfig, coalesce(%s, '')), 'A') || "
        "setweight(to_tsvector(%s::regconfig, coalesce(%s, '')), 'B') || to_tsvector(%s::regconfig, %s)) "
        "RETURNING id",
        (story_id, number, content_hash(content), content.title, content.lede, content.byline, content.published,
         content.modified, Jsonb(list(content.paragraphs)), Jsonb(list(content.captions)),
         Jsonb(list(content.notes)), content.text, Jsonb(changes) if changes is not None else None, silent_edit,
         capture_id, capture_id, seen, seen, config, content.title, config, content.lede, config,
         content.text + "\n" + "\n".join(content.notes))).fetchone()
    return row[0]


def extend_version(conn: Connection, version_id: int, capture_id: int, seen: datetime) -> None:
    conn.execute("UPDATE versions SET last_capture_id = %s, last_seen = %s WHERE id = %s AND last_seen <= %s",
                 (capture_id, seen, version_id, seen))


def mark_capture(conn: Connection, capture_id: int, status: str, reason: str | None = None,
                 story_id: int | None = None, version_id: int | None = None) -> None:
    conn.execute("UPDATE captures SET ingest_status = %s, ingest_reason = %s, story_id = %s, version_id = %s "
                 "WHERE id = %s", (status, reason, story_id, version_id, capture_id))


def outlet_lines(conn: Connection) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Per outlet: line -> number of stories whose first version had it; and stories with a version."""
    lines: dict[str, dict[str, int]] = {}
    for outlet, line, stories in conn.execute("SELECT outlet, line, stories FROM outlet_lines"):
        lines.setdefault(outlet, {})[line] = stories
    counts = dict(conn.execute(
        "SELECT s.outlet, count(*) FROM stories s WHERE EXISTS (SELECT 1 FROM versions v WHERE v.story_id = s.id) "
        "GROUP BY s.outlet").fetchall())
    return lines, counts


def count_lines(conn: Connection, outlet: str, lines: set[str]) -> None:
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO outlet_lines (outlet, line_hash, line, stories) VALUES (%s, %s, %s, 1) "
            "ON CONFLICT (outlet, line_hash) DO UPDATE SET stories = outlet_lines.stories + 1",
            [(outlet, hashlib.md5(line.encode("utf-8")).hexdigest(), line) for line in sorted(lines)])


def forget_ingest(conn: Connection) -> None:
    """Drop everything derived from captures, so ingest can rebuild it from the start."""
    conn.execute("UPDATE captures SET ingest_status = NULL, ingest_reason = NULL, story_id = NULL, version_id = NULL")
    conn.execute("DELETE FROM versions")
    conn.execute("DELETE FROM story_urls")
    conn.execute("DELETE FROM stories")
    conn.execute("DELETE FROM outlet_lines")
