"""archive/catalog/queries.py: the catalog's reads, on a real migrated catalog.

Stories and versions are written here as ingest writes them (`insert_versions`, so
with the search vectors ingest computes), without extracting anything.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest
from psycopg.types.json import Jsonb

sys.path.insert(0, str(Path(__file__).parent))
from catalog_rows import at, capture  # noqa: E402

from archive.catalog.queries import (  # noqa: E402
    EarlierPayload, KnownPage, count_matches, due_pages, find_story, known_pages, latest_payloads, list_stories,
    search_versions, versions_of)
from archive.catalog.store import insert_captures  # noqa: E402
from archive.catalog.stories import TEXT_SEARCH_CONFIGS, insert_versions  # noqa: E402

# (younger than, fetched again after): hourly on the first day, daily in the first week, weekly after.
SCHEDULE = [(timedelta(days=1), timedelta(hours=1)), (timedelta(days=7), timedelta(days=1))]
WEEKLY = timedelta(days=7)
SETTLED = {404, 410}


def fetched(conn, url: str, *hours: float, status: int = 200, outlet: str = "demo") -> None:
    """Captures of `url` at each of `hours` (after T0), the last with `status`."""
    insert_captures(conn, [capture(url, at(h), status=status if h == hours[-1] else 200, outlet=outlet)
                           for h in hours])


def test_due_pages_are_those_past_the_interval_for_their_age(catalog):
    now = at(0)
    with catalog.connection() as conn:
        fetched(conn, "http://a.test/young-due", -2, -1)  # exactly an hour ago: due
        fetched(conn, "http://a.test/young-fresh", -2, -0.5)
        fetched(conn, "http://a.test/week-due", -72, -25)
        fetched(conn, "http://a.test/week-fresh", -72, -2)
        fetched(conn, "http://a.test/old-due", -30 * 24, -8 * 24)
        fetched(conn, "http://a.test/old-fresh", -30 * 24, -3 * 24)
        fetched(conn, "http://a.test/old-gone", -30 * 24, -8 * 24, status=404)
        fetched(conn, "http://a.test/old-broken", -30 * 24, -8 * 24, status=500)  # not settled: tried again
        fetched(conn, "http://b.test/old-due", -30 * 24, -8 * 24, outlet="other")
        due = due_pages(conn, "demo", now, SCHEDULE, WEEKLY, SETTLED)
        assert sorted(page.url for page in due) == [
            "http://a.test/old-broken", "http://a.test/old-due", "http://a.test/week-due", "http://a.test/young-due"]
        assert KnownPage("http://a.test/old-broken", at(-30 * 24), at(-8 * 24), 500) in due
        # a shorter schedule makes more pages due; nothing settled brings back the 404
        assert len(due_pages(conn, "demo", now, [], timedelta(minutes=10), set())) == 8
        assert due_pages(conn, "nobody", now, SCHEDULE, WEEKLY, SETTLED) == []
        assert len(known_pages(conn, "demo")) == 8


def test_earlier_payloads_are_each_urls_latest_full_response(catalog):
    with catalog.connection() as conn:
        one = [capture("http://a.test/1", at(-3), digest="sha1:D1"), capture("http://a.test/1", at(-2), digest="sha1:D2"),
               capture("http://a.test/1", at(-1), record_type="revisit", digest="sha1:D2")]
        shared = [capture("http://a.test/2", at(-5), digest="sha1:D3"), capture("http://a.test/3", at(-4), digest="sha1:D3")]
        insert_captures(conn, one + shared)
        insert_captures(conn, [capture("http://a.test/4", at(-1), status=404, digest="sha1:D4"),
                               capture("http://b.test/1", at(-1), outlet="other", digest="sha1:D5")])
        # D1 is a payload the URL had before its latest: not looked for (bounded by URLs, not captures)
        assert latest_payloads(conn, "demo") == {
            "sha1:D2": EarlierPayload("http://a.test/1", at(-2), one[1].record_id),
            "sha1:D3": EarlierPayload("http://a.test/3", at(-4), shared[1].record_id)}
        assert latest_payloads(conn, "nobody") == {}


def add_story(conn, url: str, *versions: tuple[str, list[str]], outlet: str = "demo", language: str = "id",
              start: float = 0, other_urls: tuple[str, ...] = (), changes: list | None = None) -> int:
    """A story at `url` with `versions` ((title, paragraphs), a day apart from `start` hours), each
    first seen by a capture of its own; the first version seen again an hour later by a revisit."""
    days = [start + 24 * n for n in range(len(versions))]
    rows = [capture(url, at(h), outlet=outlet) for h in days]
    revisit = capture(url, at(days[0] + 1), record_type="revisit", outlet=outlet)
    insert_captures(conn, rows + [revisit])
    ids = dict(conn.execute("SELECT record_id, id FROM captures WHERE url = %s", (url,)).fetchall())
    story = conn.execute(
        "INSERT INTO stories (outlet, story_key, url, title, language, first_seen, last_seen) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (outlet, f"url:{url}", url, versions[-1][0], language, at(days[0]), at(days[-1]))).fetchone()[0]
    for other in (url, *other_urls):
        conn.execute("INSERT INTO story_urls (url, story_id) VALUES (%s, %s)", (other, story))
    for number, ((title, paragraphs), row) in enumerate(zip(versions, rows), start=1):
        insert_versions(conn, _VERSION, {
            "story": story, "number": number, "title": title, "paragraphs": Jsonb(paragraphs),
            "changes": Jsonb(changes) if number > 1 and changes is not None else None,
            "capture": ids[row.record_id], "seen": row.fetched_at, "config": TEXT_SEARCH_CONFIGS[language]})
        version = conn.execute("SELECT id FROM versions WHERE story_id = %s AND number = %s",
                               (story, number)).fetchone()[0]
        seen_by = [row.record_id] + ([revisit.record_id] if number == 1 else [])
        conn.execute("UPDATE captures SET story_id = %s, version_id = %s WHERE record_id = ANY(%s)",
                     (story, version, seen_by))
    return story


_VERSION = """(SELECT nextval(pg_get_serial_sequence('versions', 'id')) AS id, %(story)s::bigint AS story_id,
    %(number)s::int AS number, 'sha256:' || %(number)s AS content_hash, %(title)s::text AS title,
    'Lede.'::text AS lede, NULL::text AS byline, NULL::text AS published, NULL::text AS modified,
    %(paragraphs)s::jsonb AS paragraphs, '[]'::jsonb AS captions, '[]'::jsonb AS notes,
    %(changes)s::jsonb AS changes, false AS silent_edit, %(capture)s::bigint AS first_capture_id,
    %(capture)s::bigint AS last_capture_id, %(seen)s::timestamptz AS first_seen, %(seen)s::timestamptz AS last_seen,
    %(config)s::regconfig AS config, '' AS notes_text, NULL::tsvector AS search) AS u"""

FLOOD = ("Banjir Rendam Ratusan Rumah di Kupang", ["Hujan deras sejak pagi membuat banjir.", "Ratusan rumah terendam."])
FLOOD_2 = ("Banjir Rendam Ribuan Rumah di Kupang", ["Hujan deras sejak pagi membuat banjir.", "Ribuan rumah terendam."])
QUAKE = ("Gempa Guncang Mamuju", ["Gempa mengguncang Mamuju pada malam hari.", "Warga keluar rumah."])
ENGLISH = ("Floods Hit Jakarta Suburbs", ["Heavy rain flooded homes in the suburbs.", "Residents were evacuated."])


def test_a_story_is_found_by_id_or_by_any_url_it_was_seen_at(catalog):
    url = "http://demo.test/berita/1-banjir"
    with catalog.connection() as conn:
        story = add_story(conn, url, FLOOD, FLOOD_2, other_urls=("http://demo.test/berita/1-banjir-lama",))
        expected = {"id": story, "outlet": "demo", "url": url, "title": FLOOD_2[0], "first_seen": at(0).isoformat(),
                    "last_seen": at(24).isoformat(), "versions": 2, "status": "live"}
        for ref in (str(story), url, "http://demo.test/berita/1-banjir-lama",
                    url + "?utm_source=facebook&utm_medium=social", "HTTP://Demo.Test/berita/1-banjir#top"):
            assert find_story(conn, ref) == expected, ref
        assert find_story(conn, str(story + 1)) is None
        assert find_story(conn, "http://demo.test/berita/2") is None


def test_stories_are_listed_newest_first_with_their_filters(catalog):
    with catalog.connection() as conn:
        changed = add_story(conn, "http://demo.test/1", FLOOD, FLOOD_2, start=24)  # last seen at 48 h
        single = add_story(conn, "http://demo.test/2", QUAKE, start=72)
        other = add_story(conn, "http://other.test/1", ENGLISH, ENGLISH, ENGLISH, outlet="other", language="en",
                          start=-24)  # last seen at 24 h
        conn.execute("INSERT INTO stories (outlet, story_key, url, first_seen, last_seen) "
                     "VALUES ('demo', 'k', 'http://demo.test/3', %s, %s)", (at(99), at(99)))  # no version yet

        def ids(**filters) -> list[int]:
            return [story["id"] for story in list_stories(conn, **filters)]

        assert ids() == [single, changed, other]
        assert ids(outlet="demo") == [single, changed]
        assert ids(changed=True) == [changed, other]
        assert ids(since=at(48)) == [single, changed]
        assert ids(limit=2) == [single, changed]
        assert ids(outlet="other", changed=True, since=at(0), limit=5) == [other]
        assert ids(outlet="nobody") == []
        assert [story["versions"] for story in list_stories(conn)] == [1, 2, 3]


def test_versions_come_oldest_first_each_with_the_captures_that_saw_it(catalog):
    url = "http://demo.test/berita/1-banjir"
    with catalog.connection() as conn:
        story = add_story(conn, url, FLOOD, FLOOD_2, changes=["body"])
        insert_captures(conn, [capture(url, at(50), status=404)])  # the story's, but no version's
        conn.execute("UPDATE captures SET story_id = %s WHERE status = 404", (story,))
        plain = add_story(conn, "http://demo.test/2", QUAKE, QUAKE)  # a second version without changes
        first, second = versions_of(conn, story)

        assert set(first) == {"number", "story_id", "first_seen", "last_seen", "captures", "title", "lede", "byline",
                              "published", "modified", "text", "notes", "content_hash", "paragraphs", "silent_edit"}
        assert set(second) == set(first) | {"changes"}
        assert (first["number"], second["number"], first["story_id"]) == (1, 2, story)
        assert first["title"] == FLOOD[0] and first["paragraphs"] == FLOOD[1]
        assert first["text"] == "\n\n".join(FLOOD[1])
        assert second["changes"] == ["body"]
        assert [(c["fetched_at"], c["status"]) for c in first["captures"]] == [(at(0).isoformat(), 200),
                                                                              (at(1).isoformat(), 200)]
        assert [c["fetched_at"] for c in second["captures"]] == [at(24).isoformat()]
        assert set(first["captures"][0]) == {"id", "url", "fetched_at", "status", "warc_file", "warc_offset",
                                             "warc_length", "payload_digest"}
        assert versions_of(conn, plain)[1]["changes"] == []
        assert versions_of(conn, story + 100) == []


@pytest.fixture
def searchable(catalog):
    with catalog.connection() as conn:
        stories = {"flood": add_story(conn, "http://demo.test/1", FLOOD, FLOOD_2),
                   "quake": add_story(conn, "http://demo.test/2", QUAKE, start=48),
                   "english": add_story(conn, "http://other.test/1", ENGLISH, outlet="other", language="en")}
        conn.commit()
    with catalog.connection() as conn:
        yield conn, stories


def test_search_finds_one_hit_per_story_listing_every_version_that_matched(searchable):
    conn, stories = searchable
    hits = search_versions(conn, "banjir")
    assert [(hit["story_id"], hit["versions"]) for hit in hits] == [(stories["flood"], [1, 2])]
    hit = hits[0]
    assert set(hit) == {"story_id", "version", "versions", "outlet", "url", "title", "first_seen", "rank", "snippet"}
    assert hit["rank"] > 0 and "«banjir»" in hit["snippet"].lower()
    assert count_matches(conn, "banjir") == 2


def test_search_reads_each_language_and_keeps_out_what_is_excluded(searchable):
    conn, stories = searchable
    assert [hit["story_id"] for hit in search_versions(conn, "flood")] == [stories["english"]]  # floods, flooded
    assert {hit["story_id"] for hit in search_versions(conn, "rumah")} == {stories["flood"], stories["quake"]}
    assert [hit["story_id"] for hit in search_versions(conn, "rumah -banjir")] == [stories["quake"]]
    assert [hit["story_id"] for hit in search_versions(conn, '"ribuan rumah"')] == [stories["flood"]]
    assert [hit["versions"] for hit in search_versions(conn, '"ribuan rumah"')] == [[2]]
    assert len(search_versions(conn, "rumah", limit=1)) == 1
    assert search_versions(conn, "zzqxv") == [] and count_matches(conn, "zzqxv") == 0


def test_a_misspelt_title_word_is_found_by_its_likeness(searchable):
    conn, stories = searchable
    assert count_matches(conn, "Mamujuu") == 0
    hits = search_versions(conn, "Mamujuu")
    assert [(hit["story_id"], hit["snippet"]) for hit in hits] == [(stories["quake"], None)]
    assert 0 < hits[0]["rank"] <= 0.1
