"""End to end on the realistic web (fakeoutlet/realistic.py): a version means the newsroom
changed the article, nothing else.

Three outlets behaving as real ones do (a Kompas-like one with split pages and
`?page=all`, a detik-like one with AMP copies and a redesign from round 4, an English
one with JSON-LD corrections and a consent wall), churning on every request, are crawled
once per module: eight `arsip crawl warta kilat courier --recheck` rounds into one
database, the site's scripted edits made between rounds (`realistic.ROLES` names each
article's). The ground truth is the site's own record of what it served
(`FakeSite.served`): a story's versions are the changes between the readable
`Reading`s its rounds showed (a soft 404, paywall, consent wall, truncated page or 503
is no reading; an unchanged re-serve, the churn and the redesign change no reading),
and each version's change kinds are `reader_changes()` of the two readings.

On failure the tests print one table, a line per story (key, outlet, role, expected
versions and kinds, what arsip made of it), so what went wrong reads off at once.
"""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from conftest import scratch_database  # noqa: E402
from archive.outlet import Outlet, load_outlet_file  # noqa: E402
from fakeoutlet import FakeSite  # noqa: E402
from fakeoutlet.newsroom import Reading, reader_changes  # noqa: E402
from fakeoutlet.realistic import OUTLETS, ROLES, ROUNDS, realistic_site  # noqa: E402
from test_versions_end_to_end import arsip, arsip_json  # noqa: E402

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_TIMES=1"]
KINDS = ("headline", "lede", "byline", "published", "modified", "body_added", "body_removed", "body_edited",
         "body_moved", "caption", "correction_notice")


def exported(env) -> dict[int, list[dict]]:
    """Every story's versions, oldest first, as `arsip export --jsonl` gives them (one process, not one a story)."""
    versions: dict[int, list[dict]] = {}
    for line in arsip(env, "export", "--jsonl").stdout.splitlines():
        record = json.loads(line)
        versions.setdefault(record["story"]["id"], []).append(record)
    return versions


@dataclass
class Expected:
    """What a reader saw of one article: its versions' change kinds (None for the first) and its end."""

    key: int
    outlet: str
    role: str
    kinds: list[set[str] | None]
    deleted: bool
    reading: Reading | None  # the last readable one


@dataclass
class Crawled:
    site: FakeSite
    env: dict[str, str]
    outlets: dict[str, Outlet]
    summaries: list[dict] = field(default_factory=list)
    _stories: list[dict] | None = None
    _versions: dict[int, list[dict]] = field(default_factory=dict)

    def stories(self) -> list[dict]:
        if self._stories is None:
            self._stories = arsip_json(self.env, "stories", "--limit", "1000")
            self._versions = exported(self.env)
        return self._stories

    def versions(self, story_id: int) -> list[dict]:
        self.stories()
        return self._versions[story_id]

    def expected(self, key: int) -> Expected:
        outlet = self.site.outlet_of(key)
        readings = [seen for _, served in sorted(self.site.served(key).items()) for seen in served
                    if isinstance(seen, Reading)]
        kinds, last = [], None
        for reading in readings:
            if reading != last:
                kinds.append(None if last is None else reader_changes(last, reading))
                last = reading
        return Expected(key, outlet.key, ROLES[key], kinds, outlet.newsroom.is_deleted(key), last)

    def article_id(self, key: int) -> str:
        return self.outlets[self.site.outlet_of(key).key].article_id(self.site.article_url(key))

    def stories_of(self, key: int) -> list[dict]:
        outlet, wanted = self.site.outlet_of(key).key, self.article_id(key)
        return [s for s in self.stories() if s["outlet"] == outlet and self.outlets[outlet].article_id(s["url"]) == wanted]


@pytest.fixture(scope="module")
def module_database(postgres_server_url):
    with scratch_database(postgres_server_url, "arsip_test_realweb") as url:
        yield url


@pytest.fixture(scope="module")
def crawled(module_database, tmp_path_factory):
    home = tmp_path_factory.mktemp("real-web")
    with realistic_site() as site:
        outlets_file = home / "outlets.toml"
        outlets_file.write_text(site.outlets_toml(), encoding="utf-8")
        env = dict(os.environ, ARSIP_DATA_DIR=str(home / "data"), ARSIP_DATABASE_URL=module_database,
                   ARSIP_OUTLETS=str(outlets_file))
        crawled = Crawled(site, env, load_outlet_file(outlets_file))
        for number in range(1, ROUNDS + 1):
            if number > 1:
                site.advance()
            crawled.summaries.append(arsip_json(env, "crawl", *OUTLETS, "--recheck", *FAST))
        yield crawled


# -- the table a failure prints


def _kinds(version: dict) -> set[str]:
    return {c["kind"] for c in version.get("changes") or ()} & set(KINDS)


def _show(kinds: list[set[str] | None]) -> str:
    return " | ".join("new" if k is None else "+".join(sorted(k)) or "-" for k in kinds)


def _row(crawled: Crawled, key: int, mark: str) -> str:
    want = crawled.expected(key)
    stories = crawled.stories_of(key)
    if len(stories) != 1:
        got = f"{len(stories)} stories: " + ", ".join(f"{s['id']}({s['versions']}v {s['status']})" for s in stories)
        return f"{mark} {key:5} {want.outlet:8} {want.role[:52]:52} want {len(want.kinds)} [{_show(want.kinds)}]  got {got}"
    story = stories[0]
    versions = crawled.versions(story["id"])
    got = [None if v["number"] == 1 else _kinds(v) for v in versions]
    status = "deleted" if want.deleted else "live"
    end = "" if story["status"] == status else f" status {story['status']} (want {status})"
    return (f"{mark} {key:5} {want.outlet:8} {want.role[:52]:52} want {len(want.kinds)} [{_show(want.kinds)}]"
            f"  got {len(versions)} [{_show(got)}] story {story['id']}{end}")


def _table(crawled: Crawled, bad: set[int], title: str) -> str:
    lines = [f"{title}: {len(bad)} of {len(ROLES)} articles (x: wrong, .: right)",
             "  key   outlet   role" + " " * 48 + "expected versions [kinds]  got"]
    lines += [_row(crawled, key, "x" if key in bad else ".") for key in ROLES]
    return "\n".join(lines)


def _check(crawled: Crawled, wrong) -> None:
    bad = {key for key in ROLES if wrong(key)}
    if bad:
        pytest.fail(_table(crawled, bad, wrong.__doc__ or wrong.__name__), pytrace=False)


# -- the tests


def test_the_site_served_what_the_script_says(crawled):
    """The ground truth holds what it should: every article served in round 1, the edits seen."""
    site = crawled.site
    for key, role in ROLES.items():
        assert isinstance(site.served(key)[1][0], Reading), key
    assert sum(len(crawled.expected(key).kinds) for key in ROLES) >= 80
    assert {"paywall", "consent", "soft_error", "truncated", "unavailable"} <= {
        seen for key in ROLES for served in site.served(key).values() for seen in served if isinstance(seen, str)}


def test_every_article_is_one_story_and_nothing_else_is(crawled):
    def wrong(key):
        """articles that are not exactly one story"""
        return len(crawled.stories_of(key)) != 1

    _check(crawled, wrong)
    ids = {(crawled.site.outlet_of(key).key, crawled.article_id(key)) for key in ROLES}
    strays = [s for s in crawled.stories() if (s["outlet"], crawled.outlets[s["outlet"]].article_id(s["url"])) not in ids]
    assert not strays, f"stories of no article (split pages, AMP copies?): {strays}"


def test_every_story_has_exactly_its_real_versions(crawled):
    def wrong(key):
        """stories with other versions than the newsroom made"""
        stories = crawled.stories_of(key)
        return len(stories) != 1 or len(crawled.versions(stories[0]["id"])) != len(crawled.expected(key).kinds)

    _check(crawled, wrong)


def test_each_version_names_the_changes_a_reader_would(crawled):
    def wrong(key):
        """stories whose versions' change kinds are not the edits'"""
        stories = crawled.stories_of(key)
        if len(stories) != 1:
            return True
        got = [None if v["number"] == 1 else _kinds(v) for v in crawled.versions(stories[0]["id"])]
        return got != crawled.expected(key).kinds

    _check(crawled, wrong)


def test_deleted_stories_are_deleted_and_failures_delete_nothing(crawled):
    def wrong(key):
        """stories whose status is not the article's (deleted by 404, 410 or a redirect home; else live)"""
        stories = crawled.stories_of(key)
        return len(stories) != 1 or stories[0]["status"] != ("deleted" if crawled.expected(key).deleted else "live")

    _check(crawled, wrong)


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).replace("\u00a0", " ").split())


def test_the_last_version_reads_as_the_article_did(crawled):
    def wrong(key):
        """stories whose last version's headline, body or notes are not the article's last reading"""
        stories, want = crawled.stories_of(key), crawled.expected(key)
        if len(stories) != 1:
            return True
        last = crawled.versions(stories[0]["id"])[-1]
        reading = want.reading
        return (last["title"] != reading.title
                or [_normal(p) for p in last["text"].split("\n\n")] != [_normal(p) for p in reading.paragraphs]
                or len(last["notes"]) != len(reading.notes)
                or any(_normal(n).split(": ", 1)[-1] not in _normal(" ".join(last["notes"])) for n in reading.notes))

    _check(crawled, wrong)


def test_a_correction_in_json_ld_and_on_the_page_is_one_note(crawled):
    wrong = []
    for key, role in ROLES.items():
        if "JSON-LD" in role:
            (story,) = crawled.stories_of(key)
            notes = crawled.versions(story["id"])[-1]["notes"]
            if len(notes) != 1:
                wrong.append(f"{key} {role}: {len(notes)} notes {notes}")
    assert not wrong, "\n".join(wrong)


# -- reindex: the WARC files alone give the same catalog


def _catalog(env) -> dict[str, dict]:
    """Stories (by URL) with their versions, changes and diffs, without ids."""
    out = {}
    for versions in exported(env).values():
        story = versions[0]["story"]
        for version in versions:
            for name in ("story", "story_id"):
                version.pop(name, None)
            version.get("diff", {}).pop("story_id", None)
            for capture in version["captures"]:
                del capture["id"]
        out[story["url"]] = {**{k: v for k, v in story.items() if k != "id"}, "version_list": versions}
    return out


def _same(before: dict, after: dict) -> None:
    assert sorted(after) == sorted(before)
    differ = [url for url in before if after[url] != before[url]]
    assert not differ, "stories that differ after reindex:\n" + "\n".join(
        f"{url}: {before[url]['versions']} -> {after[url]['versions']} versions" for url in differ)


def test_reindex_into_a_fresh_catalog_reproduces_stories_and_versions(crawled, database_url):
    before = _catalog(crawled.env)
    fresh = dict(crawled.env, ARSIP_DATABASE_URL=database_url)
    arsip_json(fresh, "reindex")
    _same(before, _catalog(fresh))


def test_reindex_rebuild_in_place_reproduces_stories_and_versions(crawled):
    """Last in the module: it rebuilds the shared catalog."""
    before = _catalog(crawled.env)
    arsip_json(crawled.env, "reindex", "--rebuild")
    crawled._stories, crawled._versions = None, {}
    _same(before, _catalog(crawled.env))
