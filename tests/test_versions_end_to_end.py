"""End to end: stories, versions and diffs from real crawl rounds, read through the CLI's JSON.

One test site is crawled once per module, five `arsip crawl testnews --recheck`
rounds into one database, and the tests read the result the way a user scripts
it: `arsip stories|versions|diff|search --json`. Between rounds the site changes:

    round 1, 2   nothing (the boilerplate churns on every request)
    round 3      one edit per article: headline, paragraph added, a date fixed in
                 a sentence, a "Ralat" note; a slug change; a deletion; a soft 404,
                 a truncated page and a 503 for three more articles
    round 4      the soft 404, the truncated page and the 503 are whole again
    round 5      the site's template is redesigned (other markup, the same text)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from conftest import scratch_database  # noqa: E402
from archive.warc.reader import read_record_at  # noqa: E402
from fakeoutlet import FakeSite  # noqa: E402
from fakeoutlet.news import SPECIAL_PATHS, news_site  # noqa: E402

ARSIP = str(Path(sys.executable).with_name("arsip"))
# No throttling, a short timeout, one retry, and a size limit below the huge story.
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_TIMES=1",
        "-s", "DOWNLOAD_MAXSIZE=1000000"]
ROUNDS = 5
EDIT_ROUND, RESTORE_ROUND, REDESIGN_ROUND = 3, 4, 5
STORY_KEYS = {"id", "outlet", "url", "title", "first_seen", "last_seen", "versions", "status"}
VERSION_KEYS = {"number", "story_id", "first_seen", "last_seen", "captures", "title", "byline", "published",
                "modified", "text", "notes", "content_hash"}
CAPTURE_KEYS = {"id", "url", "fetched_at", "status", "warc_file", "warc_offset", "warc_length", "payload_digest"}
DIFF_FIELDS = {"title", "lede", "byline", "published", "modified", "body", "notes"}
DATE = re.compile(r"\((\d{1,2})/(\d{1,2})/(\d{4})\)")

NEW_TITLE = "Pemerintah Resmikan Observatorium Nasional di Kupang"
ADDED_PARAGRAPH = ("Bupati Wakatobi menyatakan daerahnya siap menampung bantuan tambahan. "
                   "Ia meminta warga tetap waspada hingga akhir pekan.")
NOTE = "Ralat: Artikel ini telah diperbaiki. Sebelumnya tertulis jumlah saksi yang diperiksa keliru."


def arsip(env, *args, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run([ARSIP, *args], env=env, capture_output=True, text=True, timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(f"arsip {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


def arsip_json(env, *args):
    return json.loads(arsip(env, *args, "--json").stdout)


@dataclass
class Crawled:
    """The crawled site, the environment to run `arsip` in, and what each round did."""

    site: FakeSite
    env: dict[str, str]
    roles: dict[str, int]                     # role -> article id
    originals: dict[int, dict]                # article id -> its content before round 3
    rounds: list[tuple[datetime, datetime]] = field(default_factory=list)
    summaries: list[dict] = field(default_factory=list)   # `arsip crawl --json`, per round

    def round_of(self, when: str) -> int:
        at = datetime.fromisoformat(when)
        (number,) = [n for n, (start, end) in enumerate(self.rounds, 1) if start <= at <= end]
        return number

    def rounds_of(self, version: dict) -> list[int]:
        return [self.round_of(c["fetched_at"]) for c in version["captures"]]

    def story(self, path: str) -> dict:
        """The one story (from `arsip stories --json`) whose URL has `path`."""
        (story,) = [s for s in arsip_json(self.env, "stories") if s["url"].endswith(path)]
        return story

    def article_story(self, role: str) -> dict:
        article_id = self.roles[role]
        (story,) = [s for s in arsip_json(self.env, "stories") if f"/news/{article_id}-" in s["url"]]
        return story

    def versions(self, ref) -> list[dict]:
        return arsip_json(self.env, "versions", str(ref))


def _choose_roles(site: FakeSite) -> dict[str, int]:
    """Which article gets which treatment; the date edit needs a "(d/m/yyyy)" past the lede."""
    ids = list(site.article_ids)
    dated = next(i for i in ids if any(DATE.search(p) for p in site.story(i).pages[0][1:]))
    rest = [i for i in ids if i != dated]
    roles = dict(zip(("headline", "added", "note", "slug", "deleted", "soft_error", "truncated", "unavailable",
                      "untouched"), rest))
    roles["date"] = dated
    return roles


def _edit(site: FakeSite, roles: dict[str, int]) -> None:
    site.edit_article(roles["headline"], title=NEW_TITLE)
    added = site.story(roles["added"])
    site.edit_article(roles["added"], paragraphs=added.pages[0] + [ADDED_PARAGRAPH])
    dated = site.story(roles["date"])
    paragraphs = list(dated.pages[0])
    k = next(k for k, p in enumerate(paragraphs) if k and DATE.search(p))
    m = DATE.search(paragraphs[k])
    day, month, year = m.groups()
    fixed = f"({day}/{int(month) % 12 + 1}/{year})"
    paragraphs[k] = paragraphs[k][:m.start()] + fixed + paragraphs[k][m.end():]
    site.edit_article(roles["date"], paragraphs=paragraphs)
    site.edit_article(roles["note"], notes=[NOTE])
    site.edit_article(roles["slug"], slug="new-slug")
    site.delete_article(roles["deleted"])
    site.soft_error(roles["soft_error"])
    site.truncate(roles["truncated"])
    site.unavailable(roles["unavailable"])


def _restore(site: FakeSite, roles: dict[str, int]) -> None:
    site.soft_error(roles["soft_error"], on=False)
    site.truncate(roles["truncated"], on=False)
    site.unavailable(roles["unavailable"], on=False)


@pytest.fixture(scope="module")
def module_database(postgres_server_url):
    """A database of this module's own (the crawl is shared by its tests), dropped afterwards."""
    with scratch_database(postgres_server_url, "arsip_test_e2e") as url:
        yield url


@pytest.fixture(scope="module")
def crawled(module_database, tmp_path_factory):
    home = tmp_path_factory.mktemp("versions-e2e")
    with news_site(articles=10, topic_pages=2, slow=0.3) as site:
        outlets = site.write_outlet_file(home / "outlets.toml", topic_depth=3)
        env = dict(os.environ, ARSIP_DATA_DIR=str(home / "data"), ARSIP_DATABASE_URL=module_database,
                   ARSIP_OUTLETS=str(outlets))
        roles = _choose_roles(site)
        originals = {i: {"title": site.story(i).title, "paragraphs": list(site.story(i).paragraphs),
                         "url": site.article_url(i)} for i in site.article_ids}
        crawled = Crawled(site, env, roles, originals)
        for number in range(1, ROUNDS + 1):
            if number == EDIT_ROUND:
                _edit(site, roles)
            elif number == RESTORE_ROUND:
                _restore(site, roles)
            elif number == REDESIGN_ROUND:
                site.redesign()
            site.round = number
            start = datetime.now(timezone.utc)
            summary = json.loads(arsip(env, "crawl", "testnews", "--recheck", *FAST, "--json").stdout)
            crawled.rounds.append((start, datetime.now(timezone.utc)))
            crawled.summaries.append(summary)
        yield crawled


def _assert_capture_shape(capture: dict, warc_dir: Path) -> None:
    assert set(capture) == CAPTURE_KEYS
    assert datetime.fromisoformat(capture["fetched_at"]).utcoffset() is not None
    assert capture["status"] == 200 and capture["payload_digest"].startswith("sha1:")
    assert re.fullmatch(r"arsip-\d{14}-\d{5}-.+\.warc\.gz", capture["warc_file"])
    record = read_record_at(warc_dir / capture["warc_file"], capture["warc_offset"], capture["warc_length"])
    assert record.rec_headers.get_header("WARC-Target-URI") == capture["url"]
    assert record.rec_headers.get_header("WARC-Payload-Digest") == capture["payload_digest"]


# -- 1. boilerplate churn ------------------------------------------------------------

def test_untouched_articles_keep_one_version_with_a_capture_per_round(crawled):
    site, env = crawled.site, crawled.env
    stories = arsip_json(env, "stories")
    assert stories and all(set(s) == STORY_KEYS for s in stories)
    untouched = [crawled.roles["untouched"], 101, 103, 107]
    warc_dir = Path(env["ARSIP_DATA_DIR"]) / "warcs"
    for article_id in untouched:
        story = site.story(article_id)
        (entry,) = [s for s in stories if s["url"] == site.article_url(article_id)]
        assert (entry["versions"], entry["status"], entry["title"]) == (1, "live", story.title)
        (version,) = crawled.versions(entry["id"])
        assert VERSION_KEYS <= set(version) and "changes" not in version
        assert version["number"] == 1 and version["story_id"] == entry["id"]
        assert crawled.rounds_of(version) == list(range(1, ROUNDS + 1)), "one capture per round, the redesign's too"
        assert version["first_seen"] == version["captures"][0]["fetched_at"] == entry["first_seen"]
        assert version["last_seen"] == version["captures"][-1]["fetched_at"]
        assert version["title"] == story.title and version["byline"] == story.byline
        assert version["published"] == story.published.isoformat() and version["modified"] is None
        assert version["text"] == "\n\n".join(story.paragraphs)
        assert version["notes"] == [] and version["content_hash"].startswith("sha256:")
        for capture in version["captures"]:
            assert capture["url"] == site.article_url(article_id)
            _assert_capture_shape(capture, warc_dir)


def test_only_edited_stories_changed_and_the_redesign_made_no_version(crawled):
    roles = crawled.roles
    changed = arsip_json(crawled.env, "stories", "--changed")
    assert sorted(s["url"].split("/news/")[1].split("-")[0] for s in changed) == sorted(
        str(roles[r]) for r in ("headline", "added", "date", "note"))
    new_versions = [s["ingest"]["versions"] for s in crawled.summaries]
    assert new_versions[1:] == [0, 4, 0, 0], "no version after round 1 but the four edits of round 3"
    assert crawled.summaries[REDESIGN_ROUND - 1]["ingest"]["refused"] == {}


# -- 2. each kind of edit: one new version, the right changes --------------------------------

def _edited(crawled, role: str) -> tuple[dict, dict, dict]:
    story = crawled.article_story(role)
    first, second = crawled.versions(story["id"])
    assert story["versions"] == 2 and story["status"] == "live"
    assert crawled.rounds_of(first) == list(range(1, EDIT_ROUND))
    assert crawled.rounds_of(second) == list(range(EDIT_ROUND, ROUNDS + 1)), "no version after the edit's"
    assert second["number"] == 2 and second["first_seen"] == second["captures"][0]["fetched_at"]
    assert first["content_hash"] != second["content_hash"]
    return story, first, second


def test_headline_edit(crawled):
    story, first, second = _edited(crawled, "headline")
    old_title = crawled.originals[crawled.roles["headline"]]["title"]
    assert [c["kind"] for c in second["changes"]] == ["headline"]
    assert (second["changes"][0]["old"], second["changes"][0]["new"]) == (old_title, NEW_TITLE)
    assert (first["title"], second["title"], story["title"]) == (old_title, NEW_TITLE, NEW_TITLE)
    assert second["text"] == first["text"]


def test_paragraph_added(crawled):
    _, first, second = _edited(crawled, "added")
    (change,) = second["changes"]
    paragraphs = crawled.originals[crawled.roles["added"]]["paragraphs"]
    assert change["kind"] == "body_added" and change["paragraphs"] == [len(paragraphs)]
    assert change["sentences"] == ["Bupati Wakatobi menyatakan daerahnya siap menampung bantuan tambahan.",
                                   "Ia meminta warga tetap waspada hingga akhir pekan."]
    assert second["text"] == first["text"] + "\n\n" + ADDED_PARAGRAPH


def test_sentence_with_a_date_fixed(crawled):
    _, first, second = _edited(crawled, "date")
    (change,) = second["changes"]
    assert change["kind"] == "body_edited" and change["count"] == 1
    assert change["labels"] == ["date"] and change["dates_changed"] is True and change["numbers_changed"] is False
    (sentence,) = change["sentences"]
    old_dates, new_dates = DATE.findall(sentence["old"]), DATE.findall(sentence["new"])
    assert len(old_dates) == len(new_dates) == 1 and old_dates != new_dates and sentence["labels"] == ["date"]
    assert sentence["old"] in first["text"] and sentence["new"] in second["text"]
    assert second["silent_edit"] is True, "the body changed with neither a note nor a new modified date"


def test_correction_note(crawled):
    _, first, second = _edited(crawled, "note")
    assert second["changes"] == [{"kind": "correction_notice", "notes": [NOTE]}]
    assert (first["notes"], second["notes"]) == ([], [NOTE])
    assert second["text"] == first["text"], "the note is not body text"
    assert second["silent_edit"] is False


def test_diff_json_of_the_date_fix(crawled):
    story, first, second = _edited(crawled, "date")
    url = crawled.originals[crawled.roles["date"]]["url"]
    diff = arsip_json(crawled.env, "diff", url)
    assert diff == arsip_json(crawled.env, "diff", str(story["id"]), "--from", "1", "--to", "2")
    assert set(diff) == {"story_id", "from", "to", "fields"}
    assert (diff["story_id"], diff["from"], diff["to"]) == (story["id"], 1, 2)
    assert set(diff["fields"]) == DIFF_FIELDS
    for name, ops in diff["fields"].items():
        for op in ops:
            assert {"op", "old", "new"} <= set(op) and op["op"] in ("equal", "insert", "delete", "replace", "move")
            if name != "body":
                assert op["op"] == "equal", (name, op)
    body = diff["fields"]["body"]
    (replace,) = [op for op in body if op["op"] != "equal"]
    (change,) = second["changes"]
    assert replace["op"] == "replace" and (replace["old"], replace["new"]) == (
        change["sentences"][0]["old"], change["sentences"][0]["new"])
    changed_words = [w for w in replace["words"] if w["op"] != "equal"]
    assert changed_words == [{"op": "replace", "old": DATE.search(replace["old"]).group(0),
                              "new": DATE.search(replace["new"]).group(0)}], "the words inside: just the date"
    assert " ".join(op["old"] for op in body) == " ".join(first["text"].split())
    assert " ".join(op["new"] for op in body) == " ".join(second["text"].split())


# -- 3. slug change -------------------------------------------------------------------

def test_new_slug_is_the_same_story(crawled):
    site, article_id = crawled.site, crawled.roles["slug"]
    old_url, new_url = crawled.originals[article_id]["url"], site.article_url(article_id)
    assert new_url.endswith(f"/news/{article_id}-new-slug") and old_url != new_url
    story = crawled.article_story("slug")
    assert (story["url"], story["status"], story["versions"]) == (new_url, "live", 1)
    by_old, by_new = crawled.versions(old_url), crawled.versions(new_url)
    assert by_old == by_new == crawled.versions(story["id"])
    (version,) = by_new
    assert [(crawled.round_of(c["fetched_at"]), c["url"]) for c in version["captures"]] == (
        [(n, old_url) for n in range(1, EDIT_ROUND)] + [(n, new_url) for n in range(EDIT_ROUND, ROUNDS + 1)])


# -- 4. split article ------------------------------------------------------------------

def test_split_article_is_one_story_with_all_pages(crawled):
    site = crawled.site
    story = crawled.story(SPECIAL_PATHS["split"])
    stories = arsip_json(crawled.env, "stories")
    assert not [s for s in stories if re.search(r"/\d+$", s["url"])], "the further pages are no stories"
    (version,) = crawled.versions(story["id"])
    pages = site.story(102).pages
    assert len(pages) == 3 and version["text"] == "\n\n".join(p for page in pages for p in page)
    assert {c["url"] for c in version["captures"]} == {site.url(SPECIAL_PATHS["split"])}
    assert crawled.rounds_of(version) == list(range(1, ROUNDS + 1))
    assert crawled.versions(site.url(SPECIAL_PATHS["split_3"]))[0]["story_id"] == story["id"]
    further = [site.url(SPECIAL_PATHS[name]) for name in ("split_2", "split_3")]
    with psycopg.connect(crawled.env["ARSIP_DATABASE_URL"]) as conn:
        marks = conn.execute("SELECT DISTINCT ingest_status, story_id FROM captures WHERE url = ANY(%s)",
                             (further,)).fetchall()
    assert marks == [("split_page", story["id"])], "every capture of a further page is the story's split page"


# -- 5. deletion, and what is not one ---------------------------------------------------------

def test_deleted_article_is_marked_deleted_and_keeps_its_history(crawled):
    story = crawled.article_story("deleted")
    assert (story["status"], story["versions"]) == ("deleted", 1)
    (version,) = crawled.versions(story["id"])
    assert crawled.rounds_of(version) == list(range(1, EDIT_ROUND))
    assert datetime.fromisoformat(story["last_seen"]) > datetime.fromisoformat(version["last_seen"])


def test_a_503_deletes_nothing_and_a_404_never_seen_makes_no_story(crawled):
    env, site = crawled.env, crawled.site
    stories = arsip_json(env, "stories")
    assert [s["url"] for s in stories if s["status"] != "live"] == [crawled.article_story("deleted")["url"]]
    assert not [s for s in stories if "/news/104-" in s["url"] or "/news/105-" in s["url"]]
    for path in ("gone", "down"):
        result = arsip(env, "versions", site.url(SPECIAL_PATHS[path]), check=False)
        assert result.returncode == 1 and result.stderr.startswith("arsip: error: no story")
    story = crawled.article_story("unavailable")
    (version,) = crawled.versions(story["id"])
    assert story["status"] == "live"
    assert crawled.rounds_of(version) == [n for n in range(1, ROUNDS + 1) if n != EDIT_ROUND]


# -- 6. soft errors and shrunken pages ---------------------------------------------------

def test_soft_404_and_truncated_page_are_refused_not_versions(crawled):
    assert crawled.summaries[EDIT_ROUND - 1]["ingest"]["refused"] == {"not_found": 1, "shrunken": 1}
    for round_, summary in enumerate(crawled.summaries, 1):
        if round_ != EDIT_ROUND:
            assert summary["ingest"]["refused"] == {}, round_
    for role in ("soft_error", "truncated"):
        story = crawled.article_story(role)
        (version,) = crawled.versions(story["id"])
        assert (story["status"], story["versions"]) == ("live", 1)
        assert crawled.rounds_of(version) == [n for n in range(1, ROUNDS + 1) if n != EDIT_ROUND], role
        assert version["text"] == "\n\n".join(crawled.originals[crawled.roles[role]]["paragraphs"])


# -- 7. reindex ------------------------------------------------------------------------

def _catalog(env) -> dict[str, dict]:
    """Stories, versions and changes by story URL, without surrogate keys (story and capture ids)."""
    out = {}
    for story in arsip_json(env, "stories"):
        versions = arsip_json(env, "versions", str(story["id"]))
        for version in versions:
            del version["story_id"]
            for capture in version["captures"]:
                del capture["id"]
        out[story["url"]] = {**{k: v for k, v in story.items() if k != "id"}, "version_list": versions}
    return out


def test_reindex_from_the_warc_files_alone_reproduces_the_catalog(crawled, database_url):
    before = _catalog(crawled.env)
    fresh = dict(crawled.env, ARSIP_DATABASE_URL=database_url)
    assert arsip_json(fresh, "stories") == []
    result = arsip_json(fresh, "reindex")
    assert result["ingest"]["versions"] == sum(len(s["version_list"]) for s in before.values())
    after = _catalog(fresh)
    assert sorted(after) == sorted(before)
    for url in before:
        assert after[url] == before[url], url


# -- 8. unknown stories ------------------------------------------------------------------

@pytest.mark.parametrize("command", [("versions", "999999"), ("diff", "https://nowhere.example/x")])
def test_unknown_story_is_one_error_line(crawled, command):
    result = arsip(crawled.env, *command, "--json", check=False)
    assert result.returncode == 1 and result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith("arsip:")]
    assert errors == [f"arsip: error: no story {command[1]!r} in the catalog"]


# -- 9. search -------------------------------------------------------------------------

def test_search_finds_a_body_word_in_the_versions_that_have_it(crawled):
    story = crawled.article_story("added")
    (hit,) = arsip_json(crawled.env, "search", "Wakatobi")
    assert {"story_id", "version", "versions", "outlet", "url", "title", "snippet"} <= set(hit)
    assert (hit["story_id"], hit["version"], hit["versions"]) == (story["id"], 2, [2])
    assert (hit["outlet"], hit["url"], hit["title"]) == ("testnews", story["url"], story["title"])
    assert "Wakatobi" in hit["snippet"]


def test_search_for_a_quoted_phrase_wants_its_words_side_by_side(crawled):
    story = crawled.article_story("added")
    (hit,) = arsip_json(crawled.env, "search", '"siap menampung bantuan"')
    assert (hit["story_id"], hit["versions"]) == (story["id"], [2])
    # both words are in that version, but apart or in the other order
    for apart in ('"Wakatobi siap"', '"tambahan bantuan"'):
        assert story["id"] not in [hit["story_id"] for hit in arsip_json(crawled.env, "search", apart)], apart
    assert [hit["story_id"] for hit in arsip_json(crawled.env, "search", "Wakatobi siap")] == [story["id"]]


def test_search_finds_a_misspelt_word_of_the_current_title(crawled):
    story = crawled.article_story("headline")
    hits = arsip_json(crawled.env, "search", "Obsevatorium")  # "Observatorium", one letter short
    assert hits and hits[0]["story_id"] == story["id"], hits
    assert (hits[0]["title"], hits[0]["version"]) == (NEW_TITLE, 2)
    assert arsip_json(crawled.env, "search", "Observatorium")[0]["story_id"] == story["id"]
