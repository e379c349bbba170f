"""`search_versions` as tuned for scale returns what the straightforward query returned.

    ARSIP_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/pytest bench/test_catalog_queries.py

On a small catalog made by bench/catalog_scale.py (1,000 stories, 5,000 captures), each query
of a few hundred (headline words, pairs, quoted phrases, exclusions, misspellings, nonsense)
is answered by `search_versions` and by the query it replaced (ranking every match, snippets
for every row), kept here as the reference. With the candidate caps lifted the answers must be
equal for every query; with the real caps, for every query with fewer matches than the cap.
Skipped without ARSIP_TEST_DATABASE_URL (a server on which to create a scratch database).
"""

from __future__ import annotations

import os
import random
import secrets
import tempfile
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from archive.catalog import queries
from archive.catalog.db import open_catalog
from archive.config import Config
from catalog_scale import Generator, with_dbname

# The query and the snippets are the catalog's own; what is ranked, and how, is the reference's.
REFERENCE_SQL = f"""
    WITH q AS (SELECT {queries.search_tsquery_sql("t")} AS query)
    SELECT v.story_id, v.number, s.outlet, s.url, v.title, v.first_seen,
           ts_rank(v.search, q.query) AS rank, {queries.snippet_sql("v.paragraphs", "q.query")} AS snippet
    FROM versions v JOIN stories s ON s.id = v.story_id, q
    WHERE v.search @@ q.query
    UNION ALL
    SELECT v.story_id, v.number, s.outlet, s.url, v.title, v.first_seen, word_similarity(%(alike)s, s.title) / 10, NULL
    FROM stories s JOIN versions v ON v.story_id = s.id AND v.number =
         (SELECT max(number) FROM versions WHERE story_id = s.id), q
    WHERE %(alike)s::text IS NOT NULL AND %(alike)s <%% s.title AND NOT v.search @@ q.query
          AND (%(excluded)s::text IS NULL OR NOT v.search @@ ({queries.search_tsquery_sql("excluded")}))
    ORDER BY rank DESC, first_seen DESC
    LIMIT %(limit)s
"""


def reference_search(conn, text: str, limit: int = 20) -> list[dict]:
    """search_versions as it was before the scale work: every match ranked, a snippet for every row."""
    # A title alike to the query is compared without its exclusions, and never brings back a story they exclude.
    alike, excluded = queries.fuzzy_terms(text)
    rows = conn.execute(REFERENCE_SQL, {"t": text, "alike": alike, "excluded": excluded, "limit": limit * 10})
    return queries.hits_by_story(rows.fetchall(), limit)


@pytest.fixture(scope="module")
def conn():
    server = os.environ.get("ARSIP_TEST_DATABASE_URL")
    if not server:
        pytest.skip("needs ARSIP_TEST_DATABASE_URL")
    name = f"arsip_bench_test_{secrets.token_hex(4)}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = with_dbname(server, name)
    try:
        open_catalog(Config(data_dir=Path(tempfile.mkdtemp()), database_url=url, outlets_file=None)).close()
        Generator(url, 0.005, seed=3, jobs=2).run()
        with psycopg.connect(url) as connection:
            yield connection
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def some_queries(conn) -> list[str]:
    rng = random.Random(5)
    words = [row[0] for row in conn.execute(
        "SELECT DISTINCT lower(w) FROM stories, regexp_split_to_table(title, '\\s+') w WHERE length(w) > 3")]
    words.sort()
    picked = rng.sample(words, 120)
    texts = [row[0] for row in conn.execute("SELECT version_text(paragraphs) FROM versions ORDER BY id LIMIT 30")]
    phrases = []
    for text in texts:
        tokens = [t for t in text.split() if t.isalpha()]
        i = rng.randrange(len(tokens) - 1)
        phrases.append(f'"{tokens[i]} {tokens[i + 1]}"')
    typos = [w[:2] + w[3] + w[2] + w[4:] for w in picked[:30] if len(w) > 5]
    return (picked + [f"{a} {b}" for a, b in zip(picked[:40], picked[40:80])] + phrases + typos
            + [f"{a} -{b}" for a, b in zip(picked[80:90], picked[90:100])]
            + ["zzqxv", "Jakarta", "presiden", "desa", "OR", "", '"'])


def test_equal_to_the_reference_with_the_caps_lifted(conn, monkeypatch):
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", 10**9)
    monkeypatch.setattr(queries, "FUZZY_CANDIDATES", 10**9)
    for text in some_queries(conn):
        assert queries.search_versions(conn, text) == reference_search(conn, text), text
        assert queries.search_versions(conn, text, 3) == reference_search(conn, text, 3), text


def test_equal_to_the_reference_below_the_caps(conn):
    compared = 0
    for text in some_queries(conn):
        if queries.count_matches(conn, text) < queries.SEARCH_CANDIDATES:
            assert queries.search_versions(conn, text) == reference_search(conn, text), text
            compared += 1
    assert compared > 200


def test_over_the_cap_the_newest_matches_are_ranked(conn, monkeypatch):
    monkeypatch.setattr(queries, "SEARCH_CANDIDATES", 50)
    text = "desa"  # in every story
    newest = {row for row in conn.execute(
        "SELECT story_id, number FROM versions WHERE search @@ to_tsquery('simple', 'desa') ORDER BY id DESC LIMIT 50")}
    hits = queries.search_versions(conn, text)
    assert len(hits) == 20
    assert all((hit["story_id"], number) in newest for hit in hits for number in hit["versions"])
    assert [hit["rank"] for hit in hits] == sorted((hit["rank"] for hit in hits), reverse=True)
    assert all(hit["snippet"] and "«" in hit["snippet"] for hit in hits)


def test_settings_are_left_as_they_were(conn):
    conn.execute("SET enable_seqscan = on")
    queries.search_versions(conn, "desa")
    assert conn.execute("SHOW enable_seqscan").fetchone()[0] == "on"
    assert conn.execute("SHOW enable_indexscan").fetchone()[0] == "on"
