"""A change in how arsip reads pages is never a change of the story, end to end.

An upgraded arsip (a better extractor) or an outlet file with new selectors can read
an unchanged page differently. Those captures join the story's current version (its
last capture, read again as arsip reads it now, reads the same), the new reading is
kept with the version, and the next real edit makes one version whose changes are the
newsroom's alone. The selectors stand in for the upgrade here: both change how the
same archived bytes are read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg

from fakeoutlet.news import news_site

ARSIP = str(Path(sys.executable).with_name("arsip"))
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_TIMES=1"]
# Test News prints "Penulis: <name>" where its JSON-LD says "<name>": a byline selector reads
# every page's byline anew.
BYLINE_SELECTOR = '\n[outlets.testnews.selectors]\nbyline = ".byline"\n'
ADDED = "Warga diminta tetap waspada karena hujan deras diperkirakan turun hingga akhir pekan ini."


def arsip(env, *args) -> str:
    result = subprocess.run([ARSIP, *args], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"arsip {' '.join(args)} exited {result.returncode}:\n{result.stderr}"
    return result.stdout


def test_a_new_reading_of_unchanged_pages_makes_no_version(tmp_path, database_url):
    with news_site(articles=3, topic_pages=1, specials=False) as site:
        outlets = site.write_outlet_file(tmp_path / "outlets.toml")
        env = dict(os.environ, ARSIP_DATA_DIR=str(tmp_path / "data"), ARSIP_DATABASE_URL=database_url,
                   ARSIP_OUTLETS=str(outlets))
        arsip(env, "crawl", "testnews", "--recheck", *FAST)
        stories = json.loads(arsip(env, "stories", "--json"))
        assert len(stories) == 3 and all(s["versions"] == 1 for s in stories)
        first = {s["id"]: json.loads(arsip(env, "versions", str(s["id"]), "--json"))[0] for s in stories}
        assert all(not v["byline"].startswith("Penulis") for v in first.values())

        outlets.write_text(outlets.read_text() + BYLINE_SELECTOR)
        site.round = 2
        arsip(env, "crawl", "testnews", "--recheck", *FAST)
        again = json.loads(arsip(env, "stories", "--json"))
        assert [s["versions"] for s in again] == [1, 1, 1], "a new reading alone made a version"
        for story in again:
            (version,) = json.loads(arsip(env, "versions", str(story["id"]), "--json"))
            assert len(version["captures"]) == 2 and version["byline"] == first[story["id"]]["byline"]
        with psycopg.connect(database_url) as conn:
            assert conn.execute("SELECT count(*) FROM version_readings").fetchone() == (3,)

        edited = site.article_ids[0]
        site.edit_article(edited, paragraphs=[*site.story(edited).pages[0], ADDED])
        site.round = 3
        arsip(env, "crawl", "testnews", "--recheck", *FAST)
        (story,) = [s for s in json.loads(arsip(env, "stories", "--json")) if s["versions"] > 1]
        assert story["url"] == site.article_url(edited)
        versions = json.loads(arsip(env, "versions", str(story["id"]), "--json"))
        assert len(versions) == 2
        assert [c["kind"] for c in versions[1]["changes"]] == ["body_added"], "the byline's new reading is no change"
        assert versions[1]["byline"].startswith("Penulis")
