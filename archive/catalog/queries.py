"""Reading the capture catalog: what the crawler needs to know about earlier rounds."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from psycopg import Connection

from archive.history.identity import clean_url


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
        cur.execute("SELECT url, first_fetched, last_fetched, last_status FROM pages WHERE outlet = %s", (outlet,))
        return [KnownPage(*row) for row in cur.fetchall()]


def due_pages(conn: Connection, outlet: str, now: datetime, schedule: Sequence[tuple[timedelta, timedelta]],
              otherwise: timedelta, settled: Iterable[int]) -> list[KnownPage]:
    """`outlet`'s pages due to be fetched again at `now` (in no particular order).

    Due: last fetched at least the interval for the page's age ago, by `schedule`, pairs
    (younger than, interval) in order of age with `otherwise` past the last; and its last
    status not one of `settled`. Decided by the server: an outlet's archive holds every
    URL it ever had, and only the few due this round need to come back.
    """
    whens = " ".join("WHEN first_fetched > %s THEN %s::interval" for _ in schedule)
    back_off = f"CASE {whens} ELSE %s::interval END" if schedule else "%s::interval"  # CASE needs a WHEN
    params: list = [value for younger_than, interval in schedule for value in (now - younger_than, interval)]
    with conn.cursor() as cur:
        cur.execute(
            "SELECT url, first_fetched, last_fetched, last_status FROM pages "
            f"WHERE outlet = %s AND last_status <> ALL(%s) AND last_fetched <= %s - {back_off}",
            (outlet, sorted(settled), now, *params, otherwise))
        return [KnownPage(*row) for row in cur.fetchall()]


def latest_payloads(conn: Connection, outlet: str) -> dict[str, EarlierPayload]:
    """payload digest -> a full response carrying it, for revisits of the outlet's captures.

    Each URL's latest full 2xx response is a candidate (the newest one when URLs share a
    payload): a page fetched again unchanged, or a file served at two addresses, becomes
    a revisit record. A payload a URL had before its latest one is not looked for; such
    a fetch is stored whole, which is never wrong, only larger. Bounded by the outlet's
    URLs, not by how many times they were fetched.
    """
    with conn.cursor() as cur:
        cur.execute(
            """
            SELECT DISTINCT ON (payload_digest) payload_digest, url, payload_fetched_at, payload_record_id
            FROM pages
            WHERE outlet = %s AND payload_digest IS NOT NULL
            ORDER BY payload_digest, payload_fetched_at DESC
            """,
            (outlet,),
        )
        return {digest: EarlierPayload(url, when, rid) for digest, url, when, rid in cur.fetchall()}


def uncatalogued_names(conn: Connection, names: Iterable[str]) -> list[str]:
    """Those of `names` that are not recorded as wholly catalogued, in the given order."""
    names = list(names)
    known = {row[0] for row in conn.execute(
        "SELECT name FROM catalogued_warc_files WHERE name = ANY(%s)", (names,))}
    return [name for name in names if name not in known]


def count_captures(conn: Connection) -> int:
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM captures")
        return cur.fetchone()[0]


# -- stories and versions, in the JSON shapes of docs/json.md --------------------

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
        "SELECT id, number, story_id, first_seen, last_seen, title, lede, byline, published, modified, notes, "
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
    for (vid, number, sid, first_seen, last_seen, title, lede, byline, published, modified, notes, chash,
         changes, silent, paragraphs) in rows:
        version = {"number": number, "story_id": sid, "first_seen": first_seen.isoformat(),
                   "last_seen": last_seen.isoformat(), "captures": captures.get(vid, []), "title": title,
                   "lede": lede, "byline": byline, "published": published, "modified": modified,
                   "text": "\n\n".join(paragraphs),  # Content.text: the paragraphs as a reader reads them
                   "notes": notes, "content_hash": chash, "paragraphs": paragraphs, "silent_edit": silent}
        if number > 1:
            version["changes"] = changes or []
        versions.append(version)
    return versions


# Search ranks at most this many matching versions, the newest, when more match: ranking reads each
# candidate's search vector (a heap page apiece), so a word found in most versions would cost seconds.
SEARCH_CANDIDATES = 1000
# At most this many titles are compared by similarity (fuzzy matches for misspelt words).
FUZZY_CANDIDATES = 500
_FIRST_WINDOW = 4096  # newest versions looked at first; widened eight-fold until enough match

def search_tsquery_sql(param: str) -> str:
    """The SQL expression of the tsquery search matches versions with, for the text in the named
    parameter `param`: the query read in Indonesian, in English and as plain words."""
    return (f"websearch_to_tsquery('indonesian', %({param})s) || websearch_to_tsquery('english', %({param})s) "
            f"|| websearch_to_tsquery('simple', %({param})s)")


def snippet_sql(paragraphs: str, query: str) -> str:
    """The SQL expression of a search hit's snippet: the best fragment of the version whose paragraphs
    (a jsonb array) are `paragraphs`, its words matching the tsquery `query` marked «like this»."""
    return (f"ts_headline('simple', version_text({paragraphs}), {query}, "
            "'MaxFragments=1, MaxWords=25, MinWords=10, StartSel=«, StopSel=»')")


_TSQUERY = search_tsquery_sql("t")
# `-word` and `-"a phrase"` where websearch_to_tsquery reads them as excluded: after a space or at the
# start (the `-` inside `covid-19` joins words).
_EXCLUDED = re.compile(r'(?:^|(?<=\s))-\s*("[^"]*"?|[^\s"]+)')


def fuzzy_terms(text: str) -> tuple[str | None, str | None]:
    """(the words a fuzzy title match compares, a websearch query of what `text` excludes), each None when empty.

    Full-text search applies the exclusions itself; a title that is merely alike must not bring
    back a story the query excluded.
    """
    excluded = [" ".join(term.strip('"').split()) for term in _EXCLUDED.findall(text)]
    wanted = " ".join(_EXCLUDED.sub(" ", text).replace('"', " ").split())
    return (wanted if any(ch.isalnum() for ch in wanted) else None,
            " or ".join(f'"{term}"' for term in excluded if term) or None)


def count_matches(conn: Connection, text: str) -> int:
    """How many versions match `text` full-text, as `search_versions` matches them (all, not only the
    SEARCH_CANDIDATES it ranks)."""
    return conn.execute(f"SELECT count(*) FROM versions WHERE search @@ ({_TSQUERY})", {"t": text}).fetchone()[0]


def _matching_versions(conn: Connection, text: str, cap: int) -> list[int]:
    """Ids of the newest `cap` versions matching `text` full-text (all of them when fewer match), newest first.

    Looks at the newest versions first, then at older and older slices (eight times wider, or as
    wide as the matches found so far say it takes), until `cap` match or every version was looked
    at: a common word costs no more than a rare one. Bitmap scans only (the settings end with the
    savepoint): the planner would otherwise test versions one by one along the primary key or the
    table, reading each search vector (a heap page apiece), a cost it does not see, and it misjudges how
    many versions an OR of three tsqueries matches.
    """
    top = conn.execute("SELECT max(id) FROM versions").fetchone()[0]
    if top is None:
        return []
    ids: list[int] = []
    with conn.transaction(force_rollback=True):
        conn.execute("SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true), "
                     "set_config('jit', 'off', true)")
        seen, window = 0, _FIRST_WINDOW
        while True:
            ids += [row[0] for row in conn.execute(
                f"SELECT id FROM versions WHERE search @@ ({_TSQUERY}) AND id > %(low)s AND id <= %(high)s "
                "ORDER BY id DESC LIMIT %(cap)s", {"t": text, "low": top - window, "high": top - seen,
                                                    "cap": cap - len(ids)})]
            if len(ids) >= cap or window >= top:
                return ids
            seen, window = window, window * 8 if ids else top
            if ids:  # matches so far / versions looked at = the density to expect further back
                window = max(window, seen * cap * 2 // len(ids))


def search_versions(conn: Connection, text: str, limit: int = 20) -> list[dict]:
    """Versions matching `text` (full-text in Indonesian, English and plain words; fuzzy on titles), best first.

    Full-text matches are ranked with ts_rank, fuzzy title matches (the latest version of a story
    whose title is like `text` but which does not match it full-text) by word similarity / 10.
    When SEARCH_CANDIDATES versions or more match full-text, only the newest SEARCH_CANDIDATES are
    ranked and fuzzy matches are not looked for (a word that common is no misspelling); otherwise
    at most FUZZY_CANDIDATES alike titles are compared, and none once `limit` * 10 full-text
    matches rank above any fuzzy one. Snippets are made for the hits returned only.
    """
    wanted = limit * 10  # ranked rows read, for `limit` stories and the versions of each that matched
    ids = _matching_versions(conn, text, SEARCH_CANDIDATES)
    alike, excluded = fuzzy_terms(text)
    rows = conn.execute(
        f"""
        WITH q AS (SELECT {_TSQUERY} AS query),
        fts AS MATERIALIZED (
            SELECT v.id, v.story_id, v.first_seen, ts_rank(v.search, q.query) AS rank, true AS full_text
            FROM versions v, q WHERE v.id = ANY(%(ids)s)),
        fuzzy AS (
            SELECT v.id, v.story_id, v.first_seen, f.similarity / 10 AS rank, false AS full_text
            FROM (SELECT s.id, word_similarity(%(alike)s, s.title) AS similarity FROM stories s
                  WHERE %(alike)s::text IS NOT NULL AND %(alike)s <%% s.title LIMIT %(fuzzy)s) f
            JOIN versions v ON v.story_id = f.id
                 AND v.number = (SELECT max(number) FROM versions WHERE story_id = f.id), q
            WHERE v.id <> ALL(%(ids)s)  -- every full-text match is in ids when fuzzy matches are looked for
                  AND %(complete)s
                  AND (%(excluded)s::text IS NULL OR NOT v.search @@ ({search_tsquery_sql("excluded")}))
                  -- a fuzzy rank is at most 0.1: with enough full-text matches above it, none can place
                  AND (SELECT count(*) FROM fts WHERE fts.rank > 0.1::real) < %(rows)s),
        top AS (SELECT * FROM fts UNION ALL SELECT * FROM fuzzy ORDER BY rank DESC, first_seen DESC LIMIT %(rows)s),
        best AS (SELECT id FROM (SELECT id, rank, first_seen,
                                        row_number() OVER (PARTITION BY story_id ORDER BY rank DESC, first_seen DESC)
                                 FROM top) b
                 WHERE row_number = 1 ORDER BY rank DESC, first_seen DESC LIMIT %(limit)s)
        SELECT v.story_id, v.number, s.outlet, s.url, v.title, v.first_seen, top.rank,
               CASE WHEN top.full_text AND top.id IN (SELECT id FROM best)
                    THEN {snippet_sql("v.paragraphs", "q.query")} END
        FROM top JOIN versions v ON v.id = top.id JOIN stories s ON s.id = v.story_id, q
        ORDER BY top.rank DESC, top.first_seen DESC
        """, {"t": text, "ids": ids, "complete": len(ids) < SEARCH_CANDIDATES, "fuzzy": FUZZY_CANDIDATES,
              "alike": alike, "excluded": excluded, "rows": wanted, "limit": limit}).fetchall()
    return hits_by_story(rows, limit)


def hits_by_story(rows, limit: int) -> list[dict]:
    """Search rows (story id, version number, outlet, url, title, first seen, rank, snippet), best
    first, as at most `limit` hits: one per story (its best-ranked version), listing every version
    that matched."""
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
