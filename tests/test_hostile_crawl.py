"""End to end: `arsip crawl` over a site that misbehaves in every way (tests/hostile_site.py).

One round over all of the cases ends in bounded time with the good and the
damaged-but-readable articles catalogued, nothing fetched off the outlet's domains,
every error named by its kind in one summary line, and no arsip process above 300 MB
though the site serves bodies that decode to a gigabyte.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from hostile_site import HostileSite, bomb  # noqa: E402
from fakeoutlet.news import news_site  # noqa: E402

# No throttling; a short timeout so the slow page costs seconds (three tries), not minutes.
SETTINGS = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_TIMEOUT=3"]
MEMORY_LIMIT_MB = 300
BOMBS = {"gzip-bomb": "gzip", "deflate-bomb": "deflate", "brotli-bomb": "br", "zstd-bomb": "zstd"}
KINDS = ("too_large_decoded", "too_large", "offsite", "redirect_loop", "robots", "timeout", "truncated",
         "bad_response", "throttled", "http_5xx")

# Runs a command and says, on its last stderr line, the peak resident memory of the
# largest process of its whole tree (every descendant is waited for, so it is counted).
MEASURE = ("import resource, subprocess, sys\n"
           "code = subprocess.call(sys.argv[1:])\n"
           "print('maxrss_kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
           "sys.exit(code)\n")


def arsip_measured(env, *args, timeout=300):
    result = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "archive.cli", *args],
                            env=env, capture_output=True, text=True, timeout=timeout)
    peak_kb = int(re.findall(r"^maxrss_kb (\d+)$", result.stderr, re.M)[-1])
    return result, peak_kb / 1024


@pytest.fixture(scope="module")
def site():
    with HostileSite() as server:
        yield server


@pytest.fixture
def crawled(site, arsip_env, database_url, tmp_path):
    outlets = tmp_path / "outlets.toml"
    outlets.write_text(site.outlet_toml(), encoding="utf-8")
    env = dict(arsip_env, ARSIP_OUTLETS=str(outlets))
    site.requests.clear()
    site.offsite.requests.clear()
    result, peak_mb = arsip_measured(env, "crawl", "hostile", *SETTINGS)
    assert result.returncode == 0, result.stderr
    return env, database_url, result, peak_mb


def query(url, sql, *params):
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def case_of(url: str) -> str:
    return url.split("/artikel/", 1)[1]


def test_one_round_over_a_hostile_site(site, crawled):
    env, url, result, peak_mb = crawled

    # Every kind of error is named in the one summary line, and nothing is left as "other".
    (summary,) = [line for line in result.stderr.splitlines() if line.startswith("arsip: crawled hostile")]
    for kind in KINDS:
        assert re.search(rf"\b{kind} \d+", summary), (kind, summary)
    assert "other" not in summary, summary

    # Nothing off the outlet's domains, not even its robots.txt; robots.txt holds behind a redirect.
    assert site.offsite.requests == []
    assert not [path for path in site.requests if path.startswith("/private/")]
    errors = {(case_of(u), kind) for u, kind in query(url, "SELECT url, kind FROM fetch_errors")
              if "/artikel/" in u}
    # An off-site target is recorded on the page that pointed there.
    for case in ("offsite-redirect", "offsite-refresh", "offsite-next"):
        assert (case, "offsite") in errors, errors
    assert ("loop-b", "redirect_loop") in errors or ("loop", "redirect_loop") in errors
    for case, kind in (("huge", "too_large"), ("slow", "timeout"), ("cut-short", "truncated"),
                       ("long-header", "bad_response"), ("throttled", "throttled"), ("error", "http_5xx"),
                       *((case, "too_large_decoded") for case in BOMBS)):
        assert (case, kind) in errors, (case, kind, errors)

    # A split article's pagination that never ends stops at the outlet's article_pages (5).
    pages = [path for path in site.requests if path.startswith("/artikel/endless")]
    assert 2 <= len(pages) <= 5, pages
    # A 429 asking for an hour is not retried within the round; a 500 is.
    assert site.requests.count("/artikel/throttled") == 1
    assert site.requests.count("/artikel/error") == 3

    # The good and the damaged-but-readable articles are stories, nothing else is.
    stories = {case_of(u): text for u, text in query(
        url, "SELECT s.url, v.paragraphs::text FROM stories s JOIN versions v ON v.story_id = s.id")}
    assert set(stories) == {"good-1", "good-2", "cp1252", "invalid-utf8", "deep", "endless", "offsite-next",
                            "offsite-refresh"}
    assert "café “naïve”" in json.loads(stories["cp1252"])[0]  # windows-1252 declared UTF-8, read as written
    invalid = json.loads(stories["invalid-utf8"])[0]
    assert "Kota" in invalid and "Jawa Barat" in invalid and "\ufffd" in invalid and "—" in invalid
    assert len(json.loads(stories["deep"])) == 6, "text nested 10,000 deep is kept"
    assert "berita offsite." not in stories["offsite-next"], "the off-site next page is not part of it"

    # Bombs and the PDF are captures that never become versions; the raw bytes are kept as they came.
    captures = {case_of(u): (reason, digest) for u, reason, digest in query(
        url, "SELECT url, ingest_reason, payload_digest FROM captures WHERE url LIKE '%%/artikel/%%'")}
    for case, coding in BOMBS.items():
        reason, digest = captures[case]
        assert reason == "too_large_decoded", case
        assert digest == "sha1:" + base64.b32encode(hashlib.sha1(bomb(coding)).digest()).decode()
    assert captures["pdf"][0] == "not_html"

    assert peak_mb < MEMORY_LIMIT_MB, f"an arsip process reached {peak_mb:.0f} MB"


def test_a_later_round_and_a_rebuild_stay_bounded(site, crawled):
    env, url, _, _ = crawled
    before = query(url, "SELECT url, content_hash FROM versions v JOIN stories s ON s.id = v.story_id ORDER BY 1")

    # The 429 page is asked for again in the next round, not an hour later within the first.
    site.requests.clear()
    result, peak_mb = arsip_measured(env, "crawl", "hostile", *SETTINGS)
    assert result.returncode == 0, result.stderr
    assert site.requests.count("/artikel/throttled") == 1
    assert peak_mb < MEMORY_LIMIT_MB

    # Reindex reads the bombs back from the WARC files (revisits included) and refuses them again.
    result, peak_mb = arsip_measured(env, "reindex", "--rebuild")
    assert result.returncode == 0, result.stderr
    assert peak_mb < MEMORY_LIMIT_MB, f"reindex reached {peak_mb:.0f} MB"
    assert query(url, "SELECT url, content_hash FROM versions v JOIN stories s ON s.id = v.story_id ORDER BY 1") \
        == before
    reasons = {reason for (reason,) in query(
        url, "SELECT ingest_reason FROM captures WHERE url LIKE '%%-bomb'")}
    assert reasons == {"too_large_decoded"}
    assert site.offsite.requests == []


def test_due_rechecks_off_the_outlets_domains_are_not_fetched(arsip_env, database_url, tmp_path):
    """Articles the catalog knows on a host the outlet no longer names are not re-fetched."""
    with news_site(articles=4, topic_pages=1, specials=False) as news:
        outlets = news.write_outlet_file(tmp_path / "outlets.toml")
        env = dict(arsip_env, ARSIP_OUTLETS=str(outlets))
        first, _ = arsip_measured(env, "crawl", "testnews", "--no-ingest", *SETTINGS)
        assert first.returncode == 0, first.stderr
        known = {u for (u,) in query(database_url, "SELECT url FROM pages WHERE url LIKE '%%/news/%%-%%'")}
        assert len(known) == 4

        # The outlet moves to another port (where nothing answers); its known articles stay in the catalog.
        outlets.write_text(news.outlets_toml().replace(f"127.0.0.1:{news.port}\"", "127.0.0.1:9\"")
                           .replace(f"http://127.0.0.1:{news.port}/news/\"", "http://127.0.0.1:9/news/\""))
        news.requests.clear()
        second, _ = arsip_measured(env, "crawl", "testnews", "--recheck", "--no-ingest", *SETTINGS)
        assert news.requests == []
    assert re.search(r"\boffsite 4\b", second.stderr), second.stderr
    offsite = {u for (u,) in query(database_url, "SELECT url FROM fetch_errors WHERE kind = 'offsite'")}
    assert offsite == known
