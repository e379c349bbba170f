"""A crawl killed with SIGKILL mid-run: the next start repairs its WARC files, and the catalog stays true."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg

from archive.warc.reader import iter_records, read_record_at
from fakeoutlet.news import news_site

SETTINGS = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "ARSIP_CATALOG_BATCH=5", "-s", "ARSIP_CATALOG_INTERVAL=0.2",
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"]


def count(url: str) -> int:
    with psycopg.connect(url) as conn:
        try:
            return conn.execute("SELECT count(*) FROM captures").fetchone()[0]
        except psycopg.errors.UndefinedTable:  # the crawl has not migrated the catalog yet
            return 0


def test_sigkill_mid_crawl_leaves_files_the_next_start_repairs(arsip_env, database_url, tmp_path):
    warcs = Path(arsip_env["ARSIP_DATA_DIR"]) / "warcs"
    with news_site(articles=120, topic_pages=4, specials=False, delay=0.05) as site:
        outlets = site.write_outlet_file(tmp_path / "outlets.toml", topic_depth=4)
        env = dict(arsip_env, ARSIP_OUTLETS=str(outlets))
        crawl = subprocess.Popen([sys.executable, "-m", "archive.cli", "crawl", *SETTINGS], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while count(database_url) < 20 and time.monotonic() < deadline:
            time.sleep(0.1)
        os.kill(crawl.pid, signal.SIGKILL)
        crawl.wait()
        assert count(database_url) >= 20, "the crawl catalogued captures before it was killed"
        (left_open,) = warcs.glob("*.warc.gz.open")

        # Every catalogued record is already readable in the open file.
        with psycopg.connect(database_url) as conn:
            catalogued = conn.execute("SELECT warc_file, warc_offset, warc_length, record_id FROM captures").fetchall()
        for warc_file, offset, length, record_id in catalogued:
            record = read_record_at(warcs / (warc_file + ".open"), offset, length)
            assert record.record_id == record_id

        # A crawl killed mid-write can leave half a record; make sure there is one to cut.
        with open(left_open, "ab") as handle:
            handle.write(b"\x1f\x8b\x08\x00half a gzip member")

        result = subprocess.run([sys.executable, "-m", "archive.cli", "crawl", *SETTINGS], env=env,
                                capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, result.stderr

    assert not list(warcs.glob("*.open"))
    repaired = warcs / left_open.name.removesuffix(".open")
    assert repaired.exists()
    records = list(iter_records(repaired, with_payload=False))
    assert records[0].rec_type == "warcinfo" and len(records) > 1
    check = subprocess.run([str(Path(sys.executable).with_name("warcio")), "check", str(repaired)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    for warc_file, offset, length, record_id in catalogued:
        assert read_record_at(warcs / warc_file, offset, length).record_id == record_id
