"""Ingest beside other arsip processes on one catalog: live crawl runs, one ingest at a time.

`arsip service` runs several rounds at once, and each `arsip crawl` ends with an
ingest of everything pending. These tests hold the locks in the test process (as a
running crawl or ingest would) and run the real `arsip ingest` beside them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import psycopg

from archive.catalog.locks import RunLock, ingest_lock, live_runs_since
from fakeoutlet.news import news_site

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_TIMES=1"]


def arsip(env, *args) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "archive.cli", *args], env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, f"arsip {' '.join(args)} exited {result.returncode}:\n{result.stderr}"
    return result


def test_a_run_is_live_while_its_lock_is_held_and_a_cut_off_run_is_marked_failed(catalog):
    with catalog.connection() as conn:
        # A run a killed crawl left marked running (its session, and lock, are gone).
        conn.execute("INSERT INTO crawl_runs (outlet, host, pid, started_at) "
                     "VALUES ('testnews', 'elsewhere', 1, now() - interval '1 hour')")
    run = RunLock.start(catalog, "testnews", recheck=False)
    try:
        with catalog.connection() as conn:
            (started,) = conn.execute("SELECT started_at FROM crawl_runs WHERE id = %s", (run.run_id,)).fetchone()
            assert live_runs_since(conn) == started
        with catalog.connection() as conn:
            statuses = dict(conn.execute("SELECT pid, status FROM crawl_runs").fetchall())
        assert statuses == {1: "failed", os.getpid(): "running"}
    finally:
        run.close()
    with catalog.connection() as conn:
        assert live_runs_since(conn) is None  # closed without being finished: cut off, as a killed crawl
        assert conn.execute("SELECT status FROM crawl_runs WHERE id = %s", (run.run_id,)).fetchone() == ("failed",)


def _history(url) -> list[tuple]:
    """Every story's versions as ingest made them (ids aside: a rebuild draws new ones)."""
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT s.story_key, s.status, v.number, v.content_hash, v.first_capture_id, v.last_capture_id, "
            "v.changes::text FROM versions v JOIN stories s ON s.id = v.story_id ORDER BY 1, 3").fetchall()


def test_ingest_leaves_a_live_crawls_captures_for_it_and_the_history_is_as_if_ingested_at_once(
        tmp_path, arsip_env, catalog):
    with news_site(articles=6, topic_pages=1, slow=0.3, specials=False) as site:
        env = dict(arsip_env, ARSIP_OUTLETS=str(site.write_outlet_file(tmp_path / "outlets.toml", topic_depth=2)))
        arsip(env, "crawl", "testnews", "--no-ingest", *FAST)
        site.round = 2
        site.edit_article(site.article_ids[0], title="Judul Baru Setelah Disunting Redaksi")
        arsip(env, "crawl", "testnews", "--no-ingest", "--recheck", *FAST)
    url = arsip_env["ARSIP_DATABASE_URL"]
    with psycopg.connect(url) as conn:
        (second_start,) = conn.execute("SELECT started_at FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
        before, after = conn.execute(
            "SELECT count(*) FILTER (WHERE fetched_at < %s), count(*) FILTER (WHERE fetched_at >= %s) FROM captures",
            (second_start, second_start)).fetchone()
    assert before and after

    # As if the second round were still fetching: a live run that started when it did.
    live = RunLock.start(catalog, "testnews", recheck=True)
    try:
        with catalog.connection() as conn:
            conn.execute("UPDATE crawl_runs SET started_at = %s WHERE id = %s", (second_start, live.run_id))
        first = arsip(env, "ingest", "--json")
    finally:
        live.close()
    result = json.loads(first.stdout)
    assert result["captures"] == before
    assert result["held_back_from"] == second_start.isoformat()
    assert "wait for the crawl still running since then" in first.stderr
    with psycopg.connect(url) as conn:
        pending = conn.execute("SELECT count(*) FROM captures WHERE ingest_status IS NULL").fetchone()[0]
    assert pending == after

    rest = json.loads(arsip(env, "ingest", "--json").stdout)
    assert rest["captures"] == after and rest["held_back_from"] is None
    in_two = _history(url)
    assert any(number == 2 for _, _, number, *_ in in_two)  # the edit made a second version
    arsip(env, "ingest", "--rebuild", "--json")
    assert _history(url) == in_two


def test_a_second_ingest_waits_for_the_first(arsip_env, catalog):
    with ingest_lock(catalog):
        proc = subprocess.Popen([sys.executable, "-m", "archive.cli", "ingest", "--json"], env=arsip_env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
        reader.start()
        deadline = time.monotonic() + 60
        while not any("waiting for another ingest" in line for line in lines):
            assert proc.poll() is None, "".join(lines)
            assert time.monotonic() < deadline, "no waiting message"
            time.sleep(0.1)
        time.sleep(1)
        assert proc.poll() is None  # still waiting while the lock is held
    assert proc.wait(60) == 0
    reader.join(5)
    assert json.loads(proc.stdout.read())["captures"] == 0


SIGN_OFF = "Tulisan ini disusun tim redaksi Testnews dari berbagai sumber yang dapat dipercaya."


def test_boilerplate_learned_across_ingest_runs_is_as_if_ingested_at_once(tmp_path, arsip_env, catalog):
    """A sign-off on every article is learned part-way through the first round, in two
    ingest runs (the second needs the counts the first left below the threshold); when
    the outlet drops it, no story gets a new version, as in one ingest of everything."""
    with news_site(articles=10, topic_pages=1, slow=0.3, specials=False) as site:
        env = dict(arsip_env, ARSIP_OUTLETS=str(site.write_outlet_file(tmp_path / "outlets.toml", topic_depth=2)))
        for article_id in site.article_ids:
            site.edit_article(article_id, paragraphs=[*site.story(article_id).pages[0], SIGN_OFF])
        arsip(env, "crawl", "testnews", "--no-ingest", *FAST)
        url = arsip_env["ARSIP_DATABASE_URL"]
        with psycopg.connect(url) as conn:
            # Split the round after its third article: two ingest runs, the second starting at a count of 3.
            (split_at,) = conn.execute(
                "SELECT fetched_at FROM captures WHERE url ~ '/news/[0-9]+-' ORDER BY fetched_at, record_id "
                "OFFSET 3 LIMIT 1").fetchone()
        live = RunLock.start(catalog, "testnews", recheck=False)
        try:
            with catalog.connection() as conn:
                conn.execute("UPDATE crawl_runs SET started_at = %s WHERE id = %s", (split_at, live.run_id))
            assert json.loads(arsip(env, "ingest", "--json").stdout)["versions"] == 3
        finally:
            live.close()
        assert json.loads(arsip(env, "ingest", "--json").stdout)["versions"] == 7

        for article_id in site.article_ids:
            site.edit_article(article_id, paragraphs=site.story(article_id).pages[0][:-1])
        arsip(env, "crawl", "testnews", "--recheck", *FAST)
    with psycopg.connect(url) as conn:
        # Learned with the fourth story: later first versions no longer have it, so no longer count it.
        assert conn.execute("SELECT stories FROM outlet_lines WHERE line = %s", (SIGN_OFF,)).fetchone() == (4,)
        versions = conn.execute("SELECT count(*), count(DISTINCT story_id) FROM versions").fetchone()
    assert versions == (10, 10)
    in_parts = _history(url)
    arsip(env, "ingest", "--rebuild", "--json")
    assert _history(url) == in_parts


def test_a_connection_lost_mid_ingest_is_one_error_line_and_loses_nothing(arsip_env, catalog):
    with catalog.connection() as conn:
        conn.execute("INSERT INTO crawl_runs (outlet, host, pid, status) VALUES ('testnews', 'here', 1, 'finished')")
    url = arsip_env["ARSIP_DATABASE_URL"]
    with ingest_lock(catalog):
        proc = subprocess.Popen([sys.executable, "-m", "archive.cli", "ingest"], env=arsip_env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        with psycopg.connect(url, autocommit=True) as conn:
            # Its lock session, waiting for ours: cut it off as a failing server or network would.
            while not conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE application_name LIKE 'arsip ingest%%' AND pid <> pg_backend_pid() "
                                   "AND application_name NOT LIKE %s",
                                   (f"%pid {os.getpid()}",)).fetchall():
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.1)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    lines = err.strip().splitlines()
    assert lines[-1].startswith("arsip: error: the catalog database failed during `ingest`: "), err
    assert "Traceback" not in err
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT outlet, status FROM crawl_runs").fetchall() == [("testnews", "finished")]
