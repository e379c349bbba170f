"""Reading and writing stories, their versions and what ingest made of each capture."""

from __future__ import annotations

import functools
import hashlib
import math
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime

from psycopg import Connection, Cursor, postgres
from psycopg.adapt import Dumper, Loader
from psycopg.pq import Format
from psycopg.types.json import Jsonb

from archive.catalog.captures import STORED_CAPTURE_COLUMNS, StoredCapture
from archive.extract.content import Content
from archive.history.versions import content_hash

# Full-text configuration per outlet language; anything else is indexed word by word.
TEXT_SEARCH_CONFIGS = {"id": "indonesian", "en": "english"}
# The columns a version is written with, in the order its insert lists them; `search`, the
# one left, is computed from them (`search_vector_sql`).
VERSION_COLUMNS = ("id", "story_id", "number", "content_hash", "title", "lede", "byline", "published", "modified",
                   "paragraphs", "captions", "notes", "changes", "silent_edit", "first_capture_id", "last_capture_id",
                   "first_seen", "last_seen")
# New versions' search vectors are computed on connections of their own, this many per query.
SEARCH_CHUNK = 50
# Stemming is most of the database's work on a new version; two server processes share it.
SEARCH_CONNECTIONS = 2


_STORED_COLUMNS = ", ".join(STORED_CAPTURE_COLUMNS)


def search_vector_sql(config: str, title: str, lede: str, text: str) -> str:
    """The SQL expression of a version's search vector, from SQL expressions of its text search
    configuration, title, lede and text (body, then correction notes): the headline weighs most
    (A), then the lede (B), then the rest."""
    return (f"setweight(to_tsvector({config}, coalesce({title}, '')), 'A') || "
            f"setweight(to_tsvector({config}, coalesce({lede}, '')), 'B') || to_tsvector({config}, {text})")


def insert_versions(conn: Connection | Cursor, source: str, params=None) -> None:
    """Insert the versions of `source`, a FROM item (with `params`) whose columns are VERSION_COLUMNS
    and `config` (the text search configuration), `notes_text` (the notes, one a line) and `search`
    (the search vector computed ahead, or NULL: computed here by `search_vector_sql`)."""
    columns = ", ".join(VERSION_COLUMNS)
    search = search_vector_sql("config", "title", "lede", "version_text(paragraphs) || E'\\n' || notes_text")
    conn.execute(f"INSERT INTO versions ({columns}, search) SELECT {columns}, coalesce(search, {search}) "
                 f"FROM {source}", params)


def pending_captures(conn: Connection, limit: int, after: StoredCapture | None = None) -> list[StoredCapture]:
    """Captures not ingested yet, in the order they were fetched (the order versions must follow);
    with `after`, only those that come after that capture in this order."""
    if after is None:
        cur = conn.execute(
            f"SELECT {_STORED_COLUMNS} FROM captures WHERE ingest_status IS NULL "
            "ORDER BY fetched_at, record_id LIMIT %s", (limit,))
    else:
        cur = conn.execute(
            f"SELECT {_STORED_COLUMNS} FROM captures WHERE ingest_status IS NULL "
            "AND (fetched_at, record_id) > (%s, %s) ORDER BY fetched_at, record_id LIMIT %s",
            (after.fetched_at, after.record_id, limit))
    return [StoredCapture(*row) for row in cur.fetchall()]


def successful_captures_after(conn: Connection, after_id: int, limit: int) -> list[StoredCapture]:
    """Captures not ingested yet with a 2xx status, by id after `after_id` (the order rows were added)."""
    cur = conn.execute(
        f"SELECT {_STORED_COLUMNS} FROM captures "
        "WHERE id > %s AND ingest_status IS NULL AND status BETWEEN 200 AND 299 ORDER BY id LIMIT %s",
        (after_id, limit))
    return [StoredCapture(*row) for row in cur.fetchall()]


def originals_of(conn: Connection, revisits: list[StoredCapture]) -> dict[int, StoredCapture]:
    """The full responses these revisits repeat, in one query: revisit id -> original."""
    if not revisits:
        return {}
    cur = conn.execute(
        f"SELECT DISTINCT ON (c.url, c.fetched_at) {', '.join('c.' + n for n in STORED_CAPTURE_COLUMNS)} "
        "FROM captures c JOIN unnest(%s::text[], %s::timestamptz[]) AS r(url, fetched_at) "
        "ON c.url = r.url AND c.fetched_at = r.fetched_at WHERE c.record_type = 'response' "
        "ORDER BY c.url, c.fetched_at, c.id",
        ([r.refers_to_uri for r in revisits], [r.refers_to_date for r in revisits]))
    found = {(row.url, row.fetched_at): row for row in (StoredCapture(*r) for r in cur.fetchall())}
    return {r.id: found[(r.refers_to_uri, r.refers_to_date)] for r in revisits
            if (r.refers_to_uri, r.refers_to_date) in found}


def captures_by_id(conn: Connection, ids: list[int]) -> list[StoredCapture]:
    """The captures with these ids (in id order)."""
    return [StoredCapture(*row) for row in conn.execute(
        f"SELECT {_STORED_COLUMNS} FROM captures WHERE id = ANY(%s::bigint[]) ORDER BY id", (ids,))]


def nearest_capture(conn: Connection, url: str, around: datetime) -> StoredCapture | None:
    """The successful capture of `url` fetched closest to `around` (a split article's further page)."""
    cur = conn.execute(
        f"SELECT {_STORED_COLUMNS} FROM captures WHERE url = %s AND status BETWEEN 200 AND 299 "
        "AND fetched_at BETWEEN %s - interval '1 hour' AND %s + interval '1 hour' "
        "ORDER BY abs(extract(epoch FROM fetched_at - %s)), record_id LIMIT 1",
        (url, around, around, around))
    row = cur.fetchone()
    return StoredCapture(*row) if row else None


def search_input(content: Content, language: str | None) -> tuple[str, str | None, str | None, str]:
    """What a version's search vector is made of: (text search configuration, title, lede, body and notes)."""
    return (TEXT_SEARCH_CONFIGS.get(language or "", "simple"), content.title, content.lede,
            content.text + "\n" + "\n".join(content.notes))


class Vector(bytes):
    """A tsvector in PostgreSQL's binary format, passed back as it came (no text round trip)."""


class _VectorLoader(Loader):
    format = Format.BINARY

    def load(self, data) -> Vector:
        return Vector(data)


class _VectorDumper(Dumper):
    format = Format.BINARY
    oid = postgres.types["tsvector"].oid

    def dump(self, obj: Vector) -> bytes:
        return obj


def search_vectors(conn: Connection, inputs: list[tuple[str, str | None, str | None, str]]) -> list[Vector]:
    """The search vectors of `search_input`s, in order."""
    cur = conn.cursor(binary=True)
    cur.adapters.register_loader("tsvector", _VectorLoader)
    cur.execute(
        "SELECT " + search_vector_sql("config", "title", "lede", "text") + " "
        "FROM unnest(%b::regconfig[], %b::text[], %b::text[], %b::text[]) WITH ORDINALITY "
        "AS u(config, title, lede, text, n) ORDER BY n",
        tuple(list(column) for column in zip(*inputs)))
    return [row[0] for row in cur.fetchall()]


class SearchVectors:
    """New versions' search vectors, computed by PostgreSQL on connections of their own.

    Stemming a version's text for full-text search is most of what the database spends
    on a new version. Ingest hands each new version's `search_input` over as soon as it
    decides on it (`IngestBatch.insert_version`), and the vectors are computed,
    SEARCH_CHUNK at a time, by SEARCH_CONNECTIONS other server processes while ingest
    goes on deciding and writing; versions are then inserted with them, as computed by
    the expression the insert would otherwise evaluate itself.
    """

    def __init__(self, catalog_):
        self.catalog = catalog_
        self._executor = ThreadPoolExecutor(SEARCH_CONNECTIONS, thread_name_prefix="arsip-search")

    def submit(self, inputs: list[tuple]) -> Future:
        """A future of [(input, vector), ...] for `inputs`."""
        return self._executor.submit(self._compute, inputs)

    def close(self) -> None:
        self._executor.shutdown(cancel_futures=True)

    def _compute(self, inputs: list[tuple]) -> list[tuple[tuple, Vector]]:
        with self.catalog.connection() as conn:
            return list(zip(inputs, search_vectors(conn, inputs)))


@dataclass
class _Story:
    """A story as ingest reads and changes it; `new`: made in this batch, not in the catalog yet."""

    id: int
    url: str
    title: str | None
    last_seen: datetime
    status: str
    new: bool = False
    outlet: str = ""
    key: str = ""
    language: str | None = None
    first_seen: datetime | None = None


@dataclass
class _Version:
    """A story's latest version; `new`: made in this batch, with what its insert needs."""

    id: int
    story_id: int
    number: int
    content: Content
    last_capture_id: int
    last_seen: datetime
    new: bool = False
    changes: list | None = None
    silent_edit: bool = False
    first_capture_id: int = 0
    first_seen: datetime | None = None
    language: str | None = None
    readings: frozenset[str] = frozenset()  # other content hashes it is read as (version_readings)


@dataclass
class BatchChanges:
    """What a batch changed, with real ids: for the next batch, read while this one is still being written."""

    stories: dict[int, _Story]
    keys: dict[tuple[str, str], int]
    urls: dict[str, int]
    versions: dict[int, _Version]  # story id -> latest version


_STORY_COLUMNS = "id, url, title, last_seen, status"
_VERSION_COLUMNS = ("id, story_id, number, title, lede, byline, published, modified, paragraphs, captions, notes, "
                    "last_capture_id, last_seen")


def _version_of(row) -> _Version:
    vid, story_id, number, title, lede, byline, published, modified, paragraphs, captions, notes, last_id, seen = row
    content = Content(title, lede, byline, published, modified, tuple(paragraphs), tuple(captions), tuple(notes))
    return _Version(vid, story_id, number, content, last_id, seen)


class IngestBatch:
    """Ingest's reads and writes for one batch of captures: a few statements, not several per capture.

    Reading: the stories at the batch's URLs, by the batch's story keys, and their latest
    versions, in three queries up front (anything else is read when first asked for).
    Changing: each change is made to those rows in memory, in the order ingest applies the
    captures, with the meaning of the UPDATE or INSERT it stands for (`touch_story`:
    `last_seen = greatest(last_seen, seen)`, `title = coalesce(new title, title)`, ...).
    Writing: `allocate()` takes the new stories' and versions' ids from their sequences,
    in the order they were made (until then a new row's id is a negative stand-in, valid
    in this batch only); `write()` then writes the batch's end state with one statement
    per table, on any connection (another thread's, in a transaction of its own).

    `before`, the `changes()` of the previous batch, are taken over the catalog's rows:
    that batch may still be being written. So a batch may be read while the one before
    it is written, as long as the one before that has been committed. The batches assume
    they are the only writers of stories, versions and story URLs meanwhile, as ingest is.
    """

    def __init__(self, conn: Connection, urls: Iterable[str] = (), keys: Iterable[tuple[str, str]] = (),
                 search: SearchVectors | None = None, before: BatchChanges | None = None):
        self.conn = conn
        self.search = search
        self._url_story: dict[str, int | None] = {}  # story_urls in the catalog (None: no row)
        self._before_urls: dict[str, int] = dict(before.urls) if before else {}  # added by the batch before
        self._added_urls: dict[str, int] = {}  # story_urls rows to insert (ON CONFLICT DO NOTHING: first wins)
        self._key_story: dict[tuple[str, str], int | None] = dict(before.keys) if before else {}
        self._stories: dict[int, _Story] = dict(before.stories) if before else {}
        self._dirty_stories: set[int] = set()
        self._versions: dict[int, _Version | None] = dict(before.versions) if before else {}
        self._version_by_id: dict[int, _Version] = {v.id: v for v in self._versions.values() if v is not None}
        self._dirty_versions: set[int] = set()
        self._marks: dict[int, tuple] = {}  # capture id -> (status, reason, story, version); the last one wins
        self._readings: list[tuple[int, str]] = []  # version_readings rows to insert
        self._lines: Counter[tuple[str, str]] = Counter()  # (outlet, line) -> stories to add
        self._next_stand_in = -1
        self._new_stories: list[_Story] = []
        self._new_versions: list[_Version] = []
        self._search_inputs: list[tuple] = []
        self._search_futures: list[Future] = []
        self._prefetch(sorted(set(urls)), sorted(set(keys) - self._key_story.keys()))

    # -- reading ahead -------------------------------------------------------

    def _prefetch(self, urls: list[str], keys: list[tuple[str, str]]) -> None:
        if urls:
            self._url_story.update(dict.fromkeys(urls))
            self._url_story.update(self.conn.execute(
                "SELECT url, story_id FROM story_urls WHERE url = ANY(%s::text[])", (urls,)).fetchall())
        if keys:
            self._key_story.update(dict.fromkeys(keys))
        ids = sorted({sid for sid in self._url_story.values() if sid is not None} - self._stories.keys())
        rows = self.conn.execute(
            f"SELECT {_STORY_COLUMNS}, outlet, story_key FROM stories WHERE id = ANY(%s::bigint[]) UNION ALL "
            f"SELECT {', '.join('s.' + c for c in _STORY_COLUMNS.split(', '))}, s.outlet, s.story_key "
            "FROM stories s JOIN unnest(%s::text[], %s::text[]) AS k(outlet, story_key) USING (outlet, story_key)",
            (ids, [o for o, _ in keys], [k for _, k in keys])).fetchall() if ids or keys else []
        for sid, url, title, last_seen, status, outlet, key in rows:
            self._stories.setdefault(sid, _Story(sid, url, title, last_seen, status))
            self._key_story[(outlet, key)] = sid
        self._fetch_versions(sorted(self._stories.keys() - self._versions.keys()))

    def _fetch_versions(self, story_ids: list[int]) -> None:
        if not story_ids:
            return
        self._versions.update(dict.fromkeys(story_ids))
        for row in self.conn.execute(
                f"SELECT DISTINCT ON (story_id) {_VERSION_COLUMNS}, "
                "ARRAY(SELECT r.content_hash FROM version_readings r WHERE r.version_id = versions.id) "
                "FROM versions WHERE story_id = ANY(%s::bigint[]) ORDER BY story_id, number DESC", (story_ids,)):
            version = replace(_version_of(row[:-1]), readings=frozenset(row[-1]))
            self._versions[version.story_id] = version
            self._version_by_id[version.id] = version

    def _story(self, story_id: int) -> _Story:
        if story_id not in self._stories:
            sid, url, title, last_seen, status = self.conn.execute(
                f"SELECT {_STORY_COLUMNS} FROM stories WHERE id = %s", (story_id,)).fetchone()
            self._stories[sid] = _Story(sid, url, title, last_seen, status)
        return self._stories[story_id]

    # -- what ingest asks and does ----------------------------------------------

    def story_at(self, url: str) -> int | None:
        if url not in self._url_story:
            row = self.conn.execute("SELECT story_id FROM story_urls WHERE url = %s", (url,)).fetchone()
            self._url_story[url] = row[0] if row else None
        for found in (self._url_story[url], self._before_urls.get(url), self._added_urls.get(url)):
            if found is not None:
                return found
        return None

    def story_url(self, story_id: int) -> str:
        """Where the story was last seen."""
        return self._story(story_id).url

    def story_by_key(self, outlet: str, key: str) -> int | None:
        """The story of `outlet` with story key `key`, if there is one."""
        if (outlet, key) not in self._key_story:
            row = self.conn.execute(f"SELECT {_STORY_COLUMNS} FROM stories WHERE outlet = %s AND story_key = %s",
                                    (outlet, key)).fetchone()
            self._key_story[(outlet, key)] = row[0] if row else None
            if row and row[0] not in self._stories:
                self._stories[row[0]] = _Story(*row)
        return self._key_story[(outlet, key)]

    def story_id_for(self, outlet: str, key: str, url: str, language: str | None, seen: datetime) -> int:
        """The story's id, creating the story on first sight (an existing story's last_seen moves up to `seen`)."""
        sid = self.story_by_key(outlet, key)
        if sid is not None:
            story = self._story(sid)
            if seen > story.last_seen:
                story.last_seen = seen
                self._dirty_stories.add(sid)
            return sid
        story = _Story(self._stand_in(), url, None, seen, "live", new=True, outlet=outlet, key=key,
                       language=language, first_seen=seen)
        self._stories[story.id] = story
        self._key_story[(outlet, key)] = story.id
        self._versions[story.id] = None
        self._new_stories.append(story)
        return story.id

    def add_story_urls(self, story_id: int, urls: set[str]) -> None:
        """Rows in story_urls for `urls` that have none (a URL's first story keeps it)."""
        for url in sorted(urls):
            if self._url_story.get(url) is None and url not in self._before_urls:
                self._added_urls.setdefault(url, story_id)

    def touch_story(self, story_id: int, url: str, seen: datetime, title: str | None = None,
                    status: str = "live") -> None:
        story = self._story(story_id)
        story.url, story.last_seen, story.status = url, max(story.last_seen, seen), status
        if title is not None:
            story.title = title
        self._dirty_stories.add(story_id)

    def set_story_status(self, story_id: int, status: str, seen: datetime) -> None:
        story = self._story(story_id)
        story.status, story.last_seen = status, max(story.last_seen, seen)
        self._dirty_stories.add(story_id)

    def current_version(self, story_id: int) -> _Version | None:
        """The story's latest version (`id`, `number`, `content`)."""
        if story_id not in self._versions:
            self._fetch_versions([story_id])
        return self._versions[story_id]

    def insert_version(self, story_id: int, number: int, content: Content, changes: list | None,
                       silent_edit: bool, capture_id: int, seen: datetime, language: str | None) -> int:
        version = _Version(self._stand_in(), story_id, number, content, capture_id, seen, new=True, changes=changes,
                           silent_edit=silent_edit, first_capture_id=capture_id, first_seen=seen,
                           language=language)
        self._versions[story_id] = version
        self._version_by_id[version.id] = version
        self._new_versions.append(version)
        if self.search is not None:
            self._search_inputs.append(search_input(content, language))
            if len(self._search_inputs) >= SEARCH_CHUNK:
                self._send_search()
        return version.id

    def extend_version(self, version_id: int, capture_id: int, seen: datetime) -> None:
        version = self._version_by_id[version_id]
        if version.last_seen <= seen:
            version.last_capture_id, version.last_seen = capture_id, seen
            self._dirty_versions.add(version_id)

    def add_reading(self, version_id: int, reading: str) -> None:
        """One more content hash the version `version_id` is read as (`version_readings`)."""
        version = self._version_by_id[version_id]
        version.readings = version.readings | {reading}
        self._readings.append((version_id, reading))

    def mark_capture(self, capture_id: int, status: str, reason: str | None = None,
                     story_id: int | None = None, version_id: int | None = None) -> None:
        self._marks[capture_id] = (status, reason, story_id, version_id)

    def marked_as(self, capture_id: int) -> str | None:
        """The status `capture_id` was marked with in this batch, if it was."""
        mark = self._marks.get(capture_id)
        return mark[0] if mark else None

    def marked(self) -> set[int]:
        return set(self._marks)

    def count_lines(self, outlet: str, lines: set[str]) -> None:
        """One more story of `outlet` whose first version has `lines` (outlet_lines.stories + 1 each)."""
        self._lines.update((outlet, line) for line in lines)

    def _stand_in(self) -> int:
        self._next_stand_in -= 1
        return self._next_stand_in + 1

    def _send_search(self) -> None:
        if self._search_inputs:
            self._search_futures.append(self.search.submit(self._search_inputs))
            self._search_inputs = []

    # -- writing -------------------------------------------------------------

    def allocate(self) -> dict[int, int]:
        """Ids for the new stories and versions, from their sequences in the order they were made: stand-in -> id."""
        if self.search is not None:
            self._send_search()
        ids = {}
        for table, made in (("stories", self._new_stories), ("versions", self._new_versions)):
            if made:
                rows = self.conn.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                                         "FROM generate_series(1, %s)", (len(made),)).fetchall()
                ids.update({row.id: value for row, value in zip(made, sorted(r[0] for r in rows))})
        return ids

    def changes(self, ids: dict[int, int]) -> BatchChanges:
        """What this batch changed, with the ids of `allocate()`: for the next batch's `before`."""
        def real(value):
            return ids.get(value, value)

        stories = {}
        for sid in self._dirty_stories | {s.id for s in self._new_stories}:
            story = self._stories[sid]
            stories[real(sid)] = replace(story, id=real(sid), new=False)
        versions = {}
        for vid in self._dirty_versions | {v.id for v in self._new_versions}:
            version = self._version_by_id[vid]
            if self._versions.get(version.story_id) is version:
                versions[real(version.story_id)] = replace(version, id=real(vid), story_id=real(version.story_id),
                                                           new=False)
        keys = {(s.outlet, s.key): real(s.id) for s in self._new_stories}
        urls = {url: real(sid) for url, sid in self._added_urls.items()}
        return BatchChanges(stories, keys, urls, versions)

    def write(self, conn: Connection, ids: dict[int, int]) -> None:
        """Write the batch on `conn`: stories, story URLs, learned lines, versions (by then their search
        vectors are ready), what each capture became."""

        def real(value: int | None) -> int | None:
            return ids.get(value, value) if value is not None else None

        if self._new_stories:
            new = self._new_stories
            conn.execute(
                "INSERT INTO stories (id, outlet, story_key, url, title, language, first_seen, last_seen, status) "
                "SELECT * FROM unnest(%b::bigint[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[], "
                "%b::timestamptz[], %b::timestamptz[], %b::text[])",
                ([ids[s.id] for s in new], [s.outlet for s in new], [s.key for s in new], [s.url for s in new],
                 [s.title for s in new], [s.language for s in new], [s.first_seen for s in new],
                 [s.last_seen for s in new], [s.status for s in new]))
        changed = [self._stories[sid] for sid in sorted(self._dirty_stories) if not self._stories[sid].new]
        if changed:
            conn.execute(
                "UPDATE stories s SET url = u.url, title = u.title, last_seen = u.last_seen, status = u.status "
                "FROM unnest(%b::bigint[], %b::text[], %b::text[], %b::timestamptz[], %b::text[]) "
                "AS u(id, url, title, last_seen, status) WHERE s.id = u.id",
                ([s.id for s in changed], [s.url for s in changed], [s.title for s in changed],
                 [s.last_seen for s in changed], [s.status for s in changed]))
        if self._added_urls:
            urls = sorted(self._added_urls)
            conn.execute(
                "INSERT INTO story_urls (url, story_id) SELECT * FROM unnest(%b::text[], %b::bigint[]) "
                "ON CONFLICT (url) DO NOTHING", (urls, [real(self._added_urls[u]) for u in urls]))
        if self._lines:
            self._write_lines(conn)
        if self._new_versions:
            self._insert_versions(conn, ids)
        extended = [self._version_by_id[vid] for vid in sorted(self._dirty_versions)
                    if not self._version_by_id[vid].new]
        if extended:
            conn.execute(
                "UPDATE versions v SET last_capture_id = u.capture, last_seen = u.seen "
                "FROM unnest(%b::bigint[], %b::bigint[], %b::timestamptz[]) AS u(id, capture, seen) WHERE v.id = u.id",
                ([v.id for v in extended], [v.last_capture_id for v in extended], [v.last_seen for v in extended]))
        if self._readings:
            conn.execute(
                "INSERT INTO version_readings (version_id, content_hash) SELECT * FROM unnest(%b::bigint[], %b::text[]) "
                "ON CONFLICT DO NOTHING", ([real(v) for v, _ in self._readings], [h for _, h in self._readings]))
        if self._marks:
            marks = sorted(self._marks.items())
            conn.execute(
                "UPDATE captures c SET ingest_status = u.status, ingest_reason = u.reason, story_id = u.story, "
                "version_id = u.version FROM unnest(%b::bigint[], %b::text[], %b::text[], %b::bigint[], %b::bigint[]) "
                "AS u(id, status, reason, story, version) WHERE c.id = u.id",
                ([cid for cid, _ in marks], [m[0] for _, m in marks], [m[1] for _, m in marks],
                 [real(m[2]) for _, m in marks], [real(m[3]) for _, m in marks]))

    def _write_lines(self, conn: Connection) -> None:
        """Add this batch's counts to outlet_lines, then the text of the lines now in two stories or more
        that had none (a line in one story is kept as its hash: migration 0010)."""
        rows = sorted((outlet, _line_hash(line), n, line) for (outlet, line), n in self._lines.items())
        repeated = conn.execute(
            "WITH counted AS (INSERT INTO outlet_lines (outlet, line_hash, stories) "
            "SELECT * FROM unnest(%b::text[], %b::text[], %b::int[]) "
            "ON CONFLICT (outlet, line_hash) DO UPDATE SET stories = outlet_lines.stories + EXCLUDED.stories "
            "RETURNING outlet, line_hash, stories, line IS NULL AS textless) "
            "SELECT outlet, line_hash FROM counted WHERE textless AND stories >= 2",
            ([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])).fetchall()
        if repeated:
            text = {(outlet, line_hash): line for outlet, line_hash, _, line in rows}
            conn.execute(
                "UPDATE outlet_lines o SET line = u.line FROM unnest(%b::text[], %b::text[], %b::text[]) "
                "AS u(outlet, line_hash, line) WHERE o.outlet = u.outlet AND o.line_hash = u.line_hash",
                ([o for o, _ in repeated], [h for _, h in repeated], [text[key] for key in repeated]))

    def _insert_versions(self, conn: Connection, ids: dict[int, int]) -> None:
        new = self._new_versions
        contents = [v.content for v in new]
        configs = [TEXT_SEARCH_CONFIGS.get(v.language or "", "simple") for v in new]
        vectors = {key: vector for future in self._search_futures for key, vector in future.result()}
        computed = [vectors.get(search_input(c, v.language)) for c, v in zip(contents, new)]
        cur = conn.cursor()
        cur.adapters.register_dumper(Vector, _VectorDumper)
        insert_versions(
            cur,
            "unnest(%b::bigint[], %b::bigint[], %b::int[], %b::text[], %b::text[], %b::text[], %b::text[], "
            "%b::text[], %b::text[], %b::jsonb[], %b::jsonb[], %b::jsonb[], %b::jsonb[], %b::bool[], "
            "%b::bigint[], %b::bigint[], %b::timestamptz[], %b::timestamptz[], %b::regconfig[], %b::text[], "
            f"%b::tsvector[]) AS u({', '.join(VERSION_COLUMNS)}, config, notes_text, search)",
            ([ids[v.id] for v in new], [ids.get(v.story_id, v.story_id) for v in new], [v.number for v in new],
             [content_hash(c) for c in contents], [c.title for c in contents], [c.lede for c in contents],
             [c.byline for c in contents], [c.published for c in contents], [c.modified for c in contents],
             [Jsonb(list(c.paragraphs)) for c in contents], [Jsonb(list(c.captions)) for c in contents],
             [Jsonb(list(c.notes)) for c in contents],
             [Jsonb(v.changes) if v.changes is not None else None for v in new], [v.silent_edit for v in new],
             [v.first_capture_id for v in new], [v.last_capture_id for v in new], [v.first_seen for v in new],
             [v.last_seen for v in new], configs, ["\n".join(c.notes) for c in contents], computed))


def outlet_story_counts(conn: Connection) -> dict[str, int]:
    """Per outlet: how many of its stories have a version (what learned boilerplate is a share of)."""
    return dict(conn.execute(
        "SELECT s.outlet, count(*) FROM stories s WHERE EXISTS (SELECT 1 FROM versions v WHERE v.story_id = s.id) "
        "GROUP BY s.outlet").fetchall())


def outlet_lines_at_least(conn: Connection, outlet: str, stories: float) -> dict[str, int]:
    """`outlet`'s lines found in the first versions of at least `stories` stories (and two), with their counts.

    Only these, never the whole table: it holds every paragraph of every first version
    and grows with the archive, while the lines this common stay few.
    """
    # A line in one story is never boilerplate (and never in the index this query uses).
    return dict(conn.execute("SELECT line, stories FROM outlet_lines WHERE outlet = %s AND stories >= %s "
                             "AND stories >= 2", (outlet, math.ceil(stories))).fetchall())


def outlet_line_counts(conn: Connection, outlet: str, lines: Iterable[str]) -> dict[str, int]:
    """How many of `outlet`'s stories had each of `lines` in their first version (0 for a line never seen)."""
    by_hash = {_line_hash(line): line for line in sorted(set(lines))}
    found = dict.fromkeys(by_hash.values(), 0)
    for line_hash, stories in conn.execute(  # by hash: a line in one story has no text there
            "SELECT line_hash, stories FROM outlet_lines WHERE outlet = %s AND line_hash = ANY(%b::text[])",
            (outlet, list(by_hash))):
        found[by_hash[line_hash]] = stories
    return found


# A batch hashes each of its lines twice, to read its count and to write it back.
@functools.lru_cache(maxsize=1 << 15)
def _line_hash(line: str) -> str:
    return hashlib.md5(line.encode("utf-8")).hexdigest()


def forget_ingest(conn: Connection) -> None:
    """Drop everything derived from captures, so ingest can rebuild it from the start."""
    conn.execute("UPDATE captures SET ingest_status = NULL, ingest_reason = NULL, story_id = NULL, version_id = NULL")
    conn.execute("DELETE FROM versions")
    conn.execute("DELETE FROM story_urls")
    conn.execute("DELETE FROM stories")
    conn.execute("DELETE FROM outlet_lines")
