"""`arsip demo`: a newcomer's first run, crawling the local demo site for every scripted round."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import psycopg

from archive.warc.reader import iter_records
from fakeoutlet.news import news_site


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


def test_a_second_demo_into_the_same_data_directory_shows_what_the_first_did(arsip_env):
    def demo():
        result = subprocess.run([sys.executable, "-m", "archive.cli", "demo", "--rounds", "2"], env=arsip_env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return result

    def catalog():
        stories = json.loads(subprocess.run([sys.executable, "-m", "archive.cli", "stories", "--json"],
                                            env=arsip_env, capture_output=True, text=True, check=True).stdout)
        versions = [version for story in stories for version in json.loads(subprocess.run(
            [sys.executable, "-m", "archive.cli", "versions", str(story["id"]), "--json"], env=arsip_env,
            capture_output=True, text=True, check=True).stdout)]
        warcs = sorted((Path(arsip_env["ARSIP_DATA_DIR"]) / "warcs").iterdir())
        return stories, versions, warcs

    first = demo()
    assert "starting over" not in first.stderr
    stories, versions, warcs = catalog()
    assert len(stories) == 11 and len(versions) == 12
    # Another outlet's crawl into the same catalog and data directory: the second demo leaves it be.
    with news_site(articles=2, topic_pages=1, specials=False) as site:
        env = dict(arsip_env, ARSIP_OUTLETS=str(site.write_outlet_file(Path(arsip_env["ARSIP_DATA_DIR"]).parent
                                                                       / "outlets.toml")))
        subprocess.run([sys.executable, "-m", "archive.cli", "crawl", "testnews", "-s", "AUTOTHROTTLE_ENABLED=False"],
                       env=env, capture_output=True, check=True, timeout=120)
    other, other_versions, other_warcs = catalog()
    other = [story for story in other if story["outlet"] == "testnews"]
    assert len(other) == 2 and len(other_warcs) == len(warcs) + 1

    second = demo()
    again, again_versions, again_warcs = catalog()
    assert [story for story in again if story["outlet"] == "testnews"] == other
    assert set(other_warcs) - set(warcs) <= set(again_warcs), "the other outlet's WARC file stays"
    again = [story for story in again if story["outlet"] != "testnews"]
    again_versions = [version for version in again_versions if version["story_id"] in {s["id"] for s in again}]
    again_warcs = sorted(set(again_warcs) - set(other_warcs))
    assert sorted(s["title"] for s in again) == sorted(s["title"] for s in stories)
    assert sorted((v["title"], v["number"]) for v in again_versions) == \
        sorted((v["title"], v["number"]) for v in versions)
    assert not any(version["silent_edit"] for version in again_versions)
    assert len(again_warcs) == len(warcs) and not set(again_warcs) & set(warcs), "the first run's files are gone"
    assert re.search(rf"^arsip demo: starting over: removed the earlier demo's 11 stories, \d+ captures "
                     rf"and {len(warcs)} WARC files$", second.stderr, re.M), second.stderr
    # what the demo prints at its end is the same, but for the story ids
    assert re.sub(r" *\d+", " N", first.stdout) == re.sub(r" *\d+", " N", second.stdout)
