"""Reading the capture catalog: what the crawler needs to know about earlier rounds."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from psycopg import Connection

from archive.identity import clean_url


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


# -- stories and versions, in the JSON shapes of BRIEF.md ------------------------

_STORY_SELECT = """
    SELECT s.id, s.outlet, s.url, s.title, s.first_seen, s.last_seen, s.status,
           (SELECT count(*) FROM versions v WHERE v.story_id = s.id) AS versions
    FROM stories s
"""


def _story(row) -> dict:
    sid, outlet, url, title, first_seen, last_seen, status, versions = row
    return {"id": sid, "outlet": outlet, "url": url, "title": title, "first_seen": first_seen.isoformat(),
            "last_seen": last_seen.isoformat(), "versions": versions, "status": status}


def list_stories(conn: Connection, outlet: str | None = None, changed: bool = False, since: datetime | None = None,
                 limit: int | None = None) -> list[dict]:
    """Stories newest first (by last seen); `changed`: only those with more than one version."""
    where, params = ["EXISTS (SELECT 1 FROM versions v WHERE v.story_id = s.id)"], []
    if outlet:
        where.append("s.outlet = %s")
        params.append(outlet)
    if changed:
        where.append("(SELECT count(*) FROM versions v WHERE v.story_id = s.id) > 1")
    if since:
        where.append("s.last_seen >= %s")
        params.append(since)
    sql = _STORY_SELECT + " WHERE " + " AND ".join(where) + " ORDER BY s.last_seen DESC, s.id DESC"
    if limit:
        sql += " LIMIT %s"
        params.append(limit)
    return [_story(row) for row in conn.execute(sql, params).fetchall()]


def find_story(conn: Connection, ref: str) -> dict | None:
    """A story by id, or by any URL it was seen at (exactly, or without tracking parameters)."""
    if ref.isdigit():
        row = conn.execute(_STORY_SELECT + " WHERE s.id = %s", (int(ref),)).fetchone()
    else:
        row = conn.execute(
            _STORY_SELECT + " WHERE s.id = (SELECT story_id FROM story_urls WHERE url = ANY(%s) LIMIT 1)",
            ([ref, clean_url(ref)],)).fetchone()
    return _story(row) if row else None


def versions_of(conn: Connection, story_id: int) -> list[dict]:
    """Every version of a story, oldest first, each with its captures."""
    rows = conn.execute(
        "SELECT id, number, story_id, first_seen, last_seen, title, lede, byline, published, modified, text, notes, "
        "content_hash, changes, silent_edit, paragraphs FROM versions WHERE story_id = %s ORDER BY number",
        (story_id,)).fetchall()
    captures: dict[int, list[dict]] = {}
    for vid, cid, url, fetched_at, status, warc_file, offset, length, digest in conn.execute(
            "SELECT version_id, id, url, fetched_at, status, warc_file, warc_offset, warc_length, payload_digest "
            "FROM captures WHERE story_id = %s AND version_id IS NOT NULL ORDER BY fetched_at, record_id",
            (story_id,)):
        captures.setdefault(vid, []).append({
            "id": cid, "url": url, "fetched_at": fetched_at.isoformat(), "status": status, "warc_file": warc_file,
            "warc_offset": offset, "warc_length": length, "payload_digest": digest})
    versions = []
    for (vid, number, sid, first_seen, last_seen, title, lede, byline, published, modified, text, notes, chash,
         changes, silent, paragraphs) in rows:
        version = {"number": number, "story_id": sid, "first_seen": first_seen.isoformat(),
                   "last_seen": last_seen.isoformat(), "captures": captures.get(vid, []), "title": title,
                   "lede": lede, "byline": byline, "published": published, "modified": modified, "text": text,
                   "notes": notes, "content_hash": chash, "paragraphs": paragraphs, "silent_edit": silent}
        if number > 1:
            version["changes"] = changes or []
        versions.append(version)
    return versions


def search_versions(conn: Connection, text: str, limit: int = 20) -> list[dict]:
    """Versions matching `text` (full-text in Indonesian, English and plain words; fuzzy on titles), best first."""
    rows = conn.execute(
        """
        WITH q AS (SELECT websearch_to_tsquery('indonesian', %(t)s) || websearch_to_tsquery('english', %(t)s)
                          || websearch_to_tsquery('simple', %(t)s) AS query)
        SELECT v.story_id, v.number, s.outlet, s.url, v.title, v.first_seen,
               ts_rank(v.search, q.query) AS rank,
               ts_headline('simple', v.text, q.query,
                           'MaxFragments=1, MaxWords=25, MinWords=10, StartSel=«, StopSel=»') AS snippet
        FROM versions v JOIN stories s ON s.id = v.story_id, q
        WHERE v.search @@ q.query
        UNION ALL
        SELECT v.story_id, v.number, s.outlet, s.url, v.title, v.first_seen, word_similarity(%(t)s, s.title) / 10, NULL
        FROM stories s JOIN versions v ON v.story_id = s.id AND v.number =
             (SELECT max(number) FROM versions WHERE story_id = s.id), q
        WHERE %(t)s <%% s.title AND NOT v.search @@ q.query
        ORDER BY rank DESC, first_seen DESC
        LIMIT %(limit)s
        """, {"t": text, "limit": limit * 10}).fetchall()
    # One hit per story (its best-ranked version), listing every version that matched.
    hits: dict[int, dict] = {}
    for sid, number, outlet, url, title, first_seen, rank, snippet in rows:
        if sid in hits:
            hits[sid]["versions"].append(number)
        elif len(hits) < limit:
            hits[sid] = {"story_id": sid, "version": number, "versions": [number], "outlet": outlet, "url": url,
                         "title": title, "first_seen": first_seen.isoformat(), "rank": round(float(rank), 6),
                         "snippet": " ".join(snippet.split()) if snippet else None}
    for hit in hits.values():
        hit["versions"].sort()
    return list(hits.values())
