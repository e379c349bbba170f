"""IngestBatch (archive.catalog.stories) against a real catalog: what its docstring promises."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from archive.catalog.stories import IngestBatch
from archive.extract.content import Content

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
URL = "https://berita.example/baca/101/gempa"
CONTENT = Content("Gempa", None, None, None, None, ("Gempa mengguncang kota pagi ini.",))


def captures(conn, *urls: str) -> list[int]:
    """Capture rows of `urls`, a minute apart: their ids."""
    return [conn.execute(
        "INSERT INTO captures (record_id, record_type, url, host, outlet, fetched_at, status, warc_file, "
        "warc_offset, warc_length) VALUES (%s, 'response', %s, 'berita.example', 'berita', %s, 200, 'f.warc.gz', "
        "%s, 1) RETURNING id", (f"<urn:uuid:{n}>", url, T0 + timedelta(minutes=n), n)).fetchone()[0]
        for n, url in enumerate(urls)]


def story_rows(conn) -> list[tuple]:
    return conn.execute("SELECT id, story_key, url, title, last_seen, status FROM stories ORDER BY id").fetchall()


def test_new_rows_have_stand_in_ids_until_allocated_from_their_sequences(catalog):
    with catalog.connection() as conn:
        first, second = captures(conn, URL, URL + "-lain")
        batch = IngestBatch(conn, [URL], [("berita", "id:101")])
        story = batch.story_id_for("berita", "id:101", URL, "id", T0)
        other = batch.story_id_for("berita", "id:102", URL + "-lain", "id", T0)
        version = batch.insert_version(story, 1, CONTENT, None, False, first, T0, "id")
        batch.add_story_urls(story, {URL})
        batch.mark_capture(first, "version", None, story, version)
        assert story < 0 and other < 0 and version < 0 and story != other
        ids = batch.allocate()
        assert all(real > 0 for real in ids.values()) and ids[story] < ids[other]  # in the order they were made
        batch.write(conn, ids)
        assert [row[:2] for row in story_rows(conn)] == [(ids[story], "id:101"), (ids[other], "id:102")]
        assert conn.execute("SELECT story_id FROM story_urls WHERE url = %s", (URL,)).fetchone() == (ids[story],)
        assert conn.execute("SELECT id, story_id FROM versions").fetchall() == [(ids[version], ids[story])]
        assert conn.execute("SELECT ingest_status, story_id, version_id FROM captures WHERE id = %s",
                            (first,)).fetchone() == ("version", ids[story], ids[version])
        assert conn.execute("SELECT ingest_status FROM captures WHERE id = %s", (second,)).fetchone() == (None,)


def test_a_batch_reads_over_the_changes_of_the_batch_before_while_that_one_is_unwritten(catalog):
    with catalog.connection() as conn:
        first, second = captures(conn, URL, URL)
        before = IngestBatch(conn, [URL], [("berita", "id:101")])
        story = before.story_id_for("berita", "id:101", URL, "id", T0)
        before.add_story_urls(story, {URL})
        version = before.insert_version(story, 1, CONTENT, None, False, first, T0, "id")
        before.touch_story(story, URL, T0, CONTENT.title)
        ids = before.allocate()
        # Not written yet: the next batch sees the story only through `before`.
        after = IngestBatch(conn, [URL], [("berita", "id:101")], before=before.changes(ids))
        assert after.story_at(URL) == ids[story] and after.story_by_key("berita", "id:101") == ids[story]
        current = after.current_version(ids[story])
        assert (current.id, current.number, current.content) == (ids[version], 1, CONTENT)
        assert after.story_url(ids[story]) == URL
        later = T0 + timedelta(minutes=1)
        after.extend_version(ids[version], second, later)
        after.touch_story(ids[story], URL, later)
        before.write(conn, ids)
        after.write(conn, after.allocate())
        assert story_rows(conn) == [(ids[story], "id:101", URL, "Gempa", later, "live")]
        assert conn.execute("SELECT last_capture_id, last_seen FROM versions").fetchall() == [(second, later)]


def test_a_urls_first_story_keeps_it(catalog):
    with catalog.connection() as conn:
        seed = IngestBatch(conn)
        kept = seed.story_id_for("berita", "id:1", URL, "id", T0)
        seed.add_story_urls(kept, {URL})
        ids = seed.allocate()
        seed.write(conn, ids)
        in_catalog = ids[kept]

        batch = IngestBatch(conn, [URL, URL + "/2"])
        mine = batch.story_id_for("berita", "id:2", URL, "id", T0)
        theirs = batch.story_id_for("berita", "id:3", URL, "id", T0)
        batch.add_story_urls(mine, {URL, URL + "/2"})  # URL is the catalog's story's already
        batch.add_story_urls(theirs, {URL + "/2"})     # and /2 this batch's first story's
        assert batch.story_at(URL) == in_catalog and batch.story_at(URL + "/2") == mine
        ids = batch.allocate()
        following = IngestBatch(conn, [URL + "/2"], before=batch.changes(ids))
        late = following.story_id_for("berita", "id:4", URL, "id", T0)
        following.add_story_urls(late, {URL + "/2"})  # the batch before added it first
        assert following.story_at(URL + "/2") == ids[mine]
        batch.write(conn, ids)
        following.write(conn, following.allocate())
        assert dict(conn.execute("SELECT url, story_id FROM story_urls").fetchall()) == {
            URL: in_catalog, URL + "/2": ids[mine]}


def test_changes_mean_what_their_statements_would(catalog):
    with catalog.connection() as conn:
        first, second, third = captures(conn, URL, URL, URL)
        seed = IngestBatch(conn)
        story = seed.story_id_for("berita", "id:101", URL, "id", T0 + timedelta(hours=1))
        version = seed.insert_version(story, 1, CONTENT, None, False, second, T0 + timedelta(hours=1), "id")
        seed.touch_story(story, URL, T0 + timedelta(hours=1), "Gempa")
        ids = seed.allocate()
        seed.write(conn, ids)
        story, version = ids[story], ids[version]

        batch = IngestBatch(conn, [URL], [("berita", "id:101")])
        # story_id_for finds the story by its key and only moves last_seen up
        assert batch.story_id_for("berita", "id:101", URL + "?baru", "id", T0) == story
        batch.touch_story(story, URL + "/baru", T0)  # greatest(last_seen), coalesce(title), status live
        batch.extend_version(version, first, T0)   # an earlier capture does not extend the version
        batch.set_story_status(story, "deleted", T0 + timedelta(hours=2))
        batch.mark_capture(third, "other", None, story)
        batch.mark_capture(third, "gone", "why", story)  # the last mark wins
        assert batch.marked() == {third}
        batch.write(conn, batch.allocate())
        assert story_rows(conn) == [(story, "id:101", URL + "/baru", "Gempa", T0 + timedelta(hours=2), "deleted")]
        assert conn.execute("SELECT last_capture_id FROM versions").fetchall() == [(second,)]
        assert conn.execute("SELECT ingest_status, ingest_reason FROM captures WHERE id = %s",
                            (third,)).fetchone() == ("gone", "why")


def test_what_was_not_read_ahead_is_read_when_asked_for(catalog):
    with catalog.connection() as conn:
        (capture,) = captures(conn, URL)
        seed = IngestBatch(conn)
        story = seed.story_id_for("berita", "id:101", URL, "id", T0)
        seed.add_story_urls(story, {URL})
        seed.insert_version(story, 1, CONTENT, None, False, capture, T0, "id")
        ids = seed.allocate()
        seed.write(conn, ids)

        batch = IngestBatch(conn)  # nothing read up front
        assert batch.story_at(URL) == ids[story] and batch.story_at(URL + "/lain") is None
        assert batch.story_by_key("berita", "id:101") == ids[story] and batch.story_by_key("berita", "id:9") is None
        assert batch.story_url(ids[story]) == URL
        assert batch.current_version(ids[story]).content == CONTENT
