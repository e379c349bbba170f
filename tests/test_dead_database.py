"""The catalog database dying mid-crawl: the WARC files stay whole, and the crawl (or the next ingest) catalogues them from there."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from archive.warc.reader import iter_records
from fakeoutlet.news import news_site


def arsip(env, *args, **kwargs):
    return subprocess.run([sys.executable, "-m", "archive.cli", *args], env=env, capture_output=True, text=True,
                          timeout=kwargs.pop("timeout", 180), **kwargs)


@pytest.fixture
def embedded_env():
    """An environment on arsip's own embedded PostgreSQL in a fresh data directory (stopped afterwards).

    Not under pytest's tmp_path: as root, the server runs as another user that must
    traverse the parent directories, and pytest resets its base directory to 0700.
    """
    data = Path(tempfile.mkdtemp(prefix="arsip-test-"))
    env = {k: v for k, v in os.environ.items() if k != "ARSIP_DATABASE_URL"}
    env["ARSIP_DATA_DIR"] = str(data / "data")
    yield env
    arsip(env, "db", "stop")
    shutil.rmtree(data, ignore_errors=True)


def start_crawl(env):
    return subprocess.Popen(
        [sys.executable, "-m", "archive.cli", "crawl", "testnews", "-s", "AUTOTHROTTLE_ENABLED=False",
         "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "ARSIP_CATALOG_BATCH=5", "-s", "ARSIP_CATALOG_INTERVAL=0.2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def crawl_then_stop_database(embedded_env, tmp_path, site):
    """A crawl of `site` running, its catalog holding some captures, its database stopped."""
    env = dict(embedded_env, ARSIP_OUTLETS=str(site.write_outlet_file(tmp_path / "outlets.toml", topic_depth=3)))
    assert arsip(env, "db", "upgrade").returncode == 0
    url = (Path(env["ARSIP_DATA_DIR"]) / "embedded-postgres.url").read_text().strip()
    crawl = start_crawl(env)
    wait_for_captures(url, 10)
    assert arsip(env, "db", "stop").returncode == 0
    return env, url, crawl


def wait_for_captures(url, count):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with psycopg.connect(url) as conn:
            if conn.execute("SELECT count(*) FROM captures").fetchone()[0] >= count:
                return
        time.sleep(0.1)
    raise AssertionError(f"fewer than {count} captures after 60 s")


def archived_responses(data: Path) -> set[str]:
    warcs = sorted((data / "warcs").glob("*.warc.gz"))
    assert warcs and not list((data / "warcs").glob("*.open"))
    return {r.record_id for path in warcs for r in iter_records(path, with_payload=False)
            if r.rec_type in ("response", "revisit")}


def catalogued(url) -> tuple[set[str], set[str], int]:
    """Record ids of the catalog's captures, the WARC files it holds wholly, and its stories."""
    with psycopg.connect(url) as conn:
        return ({row[0] for row in conn.execute("SELECT record_id FROM captures")},
                {row[0] for row in conn.execute("SELECT name FROM catalogued_warc_files")},
                conn.execute("SELECT count(*) FROM stories").fetchone()[0])


def test_a_database_restarted_mid_crawl_loses_no_capture_and_needs_nobody(embedded_env, tmp_path):
    data = Path(embedded_env["ARSIP_DATA_DIR"])
    # slow enough that the crawl outlasts the insert thread's wait for a connection (10 s)
    with news_site(articles=80, topic_pages=3, specials=False, delay=0.4) as site:
        env, url, crawl = crawl_then_stop_database(embedded_env, tmp_path, site)
        lines = []
        for line in crawl.stderr:  # until the crawl gives up on the catalog
            lines.append(line)
            if "could not catalogue" in line:
                break
        assert crawl.poll() is None, "".join(lines)  # still crawling, against no database
        assert arsip(env, "db", "upgrade").returncode == 0  # the server is back
        _, rest = crawl.communicate(timeout=180)
        stderr = "".join(lines) + rest

    assert crawl.returncode == 0, stderr
    assert "the catalog database went away during the round;" in stderr and "captures it missed were catalogued" in stderr
    assert "reindex" not in stderr
    responses = archived_responses(data)
    assert len(responses) >= 80
    ids, files, stories = catalogued(url)
    assert ids == responses
    assert files == {path.name for path in (data / "warcs").glob("*.warc.gz")}
    assert stories >= 80


def test_a_database_still_away_after_the_round_is_caught_up_by_the_next_ingest(embedded_env, tmp_path):
    data = Path(embedded_env["ARSIP_DATA_DIR"])
    with news_site(articles=60, topic_pages=3, specials=False, delay=0.1) as site:
        env, url, crawl = crawl_then_stop_database(embedded_env, tmp_path, site)
        # Kept from coming back while the crawl runs: its data dir's server is started
        # by any arsip command, so the crawl's own end must not find it.
        pgdata = data / "pgdata"
        (pgdata / "postgresql.conf").rename(pgdata / "postgresql.conf.away")
        _, stderr = crawl.communicate(timeout=180)
        (pgdata / "postgresql.conf.away").rename(pgdata / "postgresql.conf")

    assert crawl.returncode == 1
    lines = [line for line in stderr.splitlines() if line.startswith(("arsip: error", "hint"))]
    assert lines[0].startswith("arsip: error: the catalog database went away during the round, and ")
    assert "captures are only in the WARC files for now" in lines[0]
    assert lines[1] == "hint: the next round or `arsip ingest` catalogues them by itself once the database is back"
    assert "reindex" not in stderr
    responses = archived_responses(data)
    assert len(responses) >= 60

    result = arsip(env, "ingest")
    assert result.returncode == 0, result.stderr
    assert re.search(r"catalogued \d+ captures from \d+ WARC files? that the catalog had not seen whole", result.stderr)
    ids, files, stories = catalogued(url)
    assert ids == responses
    assert files == {path.name for path in (data / "warcs").glob("*.warc.gz")}
    assert stories >= 60
    again = arsip(env, "ingest")  # recorded as whole: not read again
    assert again.returncode == 0 and "had not seen whole" not in again.stderr
