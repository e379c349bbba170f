"""A WARC directory that fills up mid-crawl: the round stops cleanly and the next one goes on.

The crawl runs as the real `arsip crawl` under RLIMIT_FSIZE, which makes every write
past the limit fail as a full disk would (Python ignores the SIGXFSZ that comes with
it). The catalog is the test's PostgreSQL server, whose files the limit does not touch.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import psycopg

from archive.warc.reader import iter_records
from fakeoutlet.news import news_site

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4", "--json"]
LIMIT = 40_000  # bytes a file may grow to: room for a few article pages, not for the outlet


def crawl(env, limit: int | None = None) -> subprocess.CompletedProcess:
    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    return subprocess.run([sys.executable, "-m", "archive.cli", "crawl", "testnews", *FAST], env=env,
                          capture_output=True, text=True, timeout=180, preexec_fn=limited if limit else None)


def archived(warcs: Path) -> dict[str, tuple[str, int]]:
    """Every response record in the closed WARC files: record id -> (file, offset)."""
    assert not list(warcs.glob("*.open"))
    return {r.record_id: (r.warc_file, r.offset) for path in sorted(warcs.glob("*.warc.gz"))
            for r in iter_records(path, with_payload=False) if r.rec_type in ("response", "revisit")}


def catalogued(url: str) -> dict[str, tuple[str, int]]:
    with psycopg.connect(url) as conn:
        return {row[0]: (row[1], row[2]) for row in
                conn.execute("SELECT record_id, warc_file, warc_offset FROM captures")}


def test_a_full_warc_directory_stops_the_round_with_one_line_and_loses_nothing(arsip_env, database_url, tmp_path):
    warcs = Path(arsip_env["ARSIP_DATA_DIR"]) / "warcs"
    with news_site(articles=30, topic_pages=2, specials=False) as site:
        env = dict(arsip_env, ARSIP_OUTLETS=str(site.write_outlet_file(tmp_path / "outlets.toml", topic_depth=2)))

        full = crawl(env, limit=LIMIT)
        assert full.returncode == 1, full.stderr
        errors = [line for line in full.stderr.splitlines() if line.startswith("arsip: error:")]
        assert errors == [f"arsip: error: the round stopped early: could not write to the WARC directory {warcs}: "
                          "File too large"], full.stderr
        assert "Traceback" not in full.stderr
        summary = json.loads(full.stdout)
        assert summary["stopped"] and summary["pages_fetched"] >= 3
        # Every record that was written is whole and catalogued; none points past a file's end.
        first = archived(warcs)
        assert catalogued(database_url) == first and len(first) == summary["pages_fetched"]
        assert all(path.stat().st_size < LIMIT for path in warcs.iterdir())
        with psycopg.connect(database_url) as conn:
            assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("failed",)]

        # With room again, the next round goes on from there and finds the rest of the outlet.
        again = crawl(env)
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout)["stopped"] is None
        everything = archived(warcs)
        assert first.items() <= everything.items() and catalogued(database_url) == everything
        with psycopg.connect(database_url) as conn:
            urls = {row[0] for row in conn.execute("SELECT url FROM stories")}
        assert urls == {site.article_url(i) for i in site.ids_within_depth(2)}
