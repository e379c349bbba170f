"""`arsip demo`: a newcomer's first run, crawling the local demo site for every scripted round."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg

from archive.warc.reader import iter_records


def test_demo_crawls_three_rounds_into_warcs_and_the_catalog(arsip_env, database_url):
    result = subprocess.run([sys.executable, "-m", "archive.cli", "demo"], env=arsip_env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("arsip: crawled demo-inews, demo-analisa") == 3
    assert "round 2: demo-inews corrected two dates" in result.stderr

    with psycopg.connect(database_url) as conn:
        runs = conn.execute("SELECT outlet, status FROM crawl_runs ORDER BY id").fetchall()
        by_outlet = dict(conn.execute("SELECT outlet, count(*) FROM captures GROUP BY outlet").fetchall())
        deleted = conn.execute("SELECT count(*) FROM fetch_errors WHERE kind = 'http_4xx'").fetchone()[0]
        redirects = conn.execute("SELECT count(*) FROM captures WHERE status = 301").fetchone()[0]
    assert sorted(runs) == sorted([("demo-analisa", "finished"), ("demo-inews", "finished")] * 3)
    assert by_outlet["demo-inews"] > 10 and by_outlet["demo-analisa"] > 5
    assert deleted == 1, "round 3 deletes one article"
    assert redirects == 1, "round 3 changes a slug; the old URL redirects"

    warcs = sorted((Path(arsip_env["ARSIP_DATA_DIR"]) / "warcs").glob("*.warc.gz"))
    assert warcs and not list(warcs[0].parent.glob("*.open"))
    total = sum(1 for path in warcs for record in iter_records(path, with_payload=False) if record.rec_type == "response")
    assert total > 0


def test_demo_rounds_below_one_are_a_usage_error_before_anything_runs(arsip_env):
    for value in ("0", "-1"):
        result = subprocess.run([sys.executable, "-m", "archive.cli", "demo", "--rounds", value], env=arsip_env,
                                capture_output=True, text=True, timeout=60)
        assert (result.returncode, result.stdout) == (2, ""), value
        assert result.stderr.splitlines() == [f"arsip: error: --rounds {value}: must be 1 or more"]
    assert not Path(arsip_env["ARSIP_DATA_DIR"]).exists()
