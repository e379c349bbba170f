"""The query commands as a newcomer runs them after `arsip demo`: their answers at the edges.

The demo is run once for the module, into a database of the module's own; the tests only read it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from conftest import scratch_database  # noqa: E402


@dataclass
class Demo:
    env: dict[str, str]
    stdout: str
    stderr: str


def arsip(env, *args):
    return subprocess.run([sys.executable, "-m", "archive.cli", *args], env=env, capture_output=True, text=True,
                          timeout=120)


def arsip_json(env, command, *args):
    result = arsip(env, command, "--json", *args)  # before the arguments, which may follow a `--`
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def demo(postgres_server_url, tmp_path_factory):
    home = tmp_path_factory.mktemp("demo-queries")
    with scratch_database(postgres_server_url, "arsip_test_queries") as url:
        env = dict(os.environ, ARSIP_DATA_DIR=str(home / "data"), ARSIP_DATABASE_URL=url)
        result = arsip(env, "demo")
        assert result.returncode == 0, result.stderr
        yield Demo(env, result.stdout, result.stderr)


def the_story_titled(demo, word: str) -> dict:
    (story,) = [s for s in arsip_json(demo.env, "stories") if word in s["title"]]
    return story


@pytest.mark.parametrize("text, problem", [
    ("", "the query is empty"),
    ("   ", "the query is empty"),
    ('"', "the query '\"' has no words to look for"),
    ("- !", "the query '- !' has no words to look for"),
])
def test_a_search_for_nothing_is_a_usage_error(demo, text, problem):
    result = arsip(demo.env, "search", "--", text)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines()[0] == f"arsip: error: search: {problem}"


def test_an_excluded_word_keeps_out_stories_whose_title_is_only_alike(demo):
    coup = the_story_titled(demo, "Kudeta")  # "Gembong Kudeta Kunjungi Moskow, ..."
    # A misspelt title word finds the story by its title alone...
    assert [hit["story_id"] for hit in arsip_json(demo.env, "search", "Gembon")] == [coup["id"]]
    # ...but not when the query leaves out a word the story holds, by word or by phrase.
    for text in ("-kudeta", "Gembon -moskow", "Gembon -kudeta", 'Gembon -"kunjungi moskow"', "kudeta -moskow"):
        hits = arsip_json(demo.env, "search", "--", text)
        assert coup["id"] not in [hit["story_id"] for hit in hits], text
    # A phrase it does not hold leaves it in.
    hits = arsip_json(demo.env, "search", "--", 'Gembon -"moskow kunjungi"')
    assert [hit["story_id"] for hit in hits] == [coup["id"]]
    # Plain text shows the same.
    result = arsip(demo.env, "search", "--", "-kudeta")
    assert result.returncode == 0 and result.stdout and "Kudeta" not in result.stdout


def test_a_diff_of_a_version_the_story_lacks_names_the_one_asked_for(demo):
    coup = the_story_titled(demo, "Kudeta")
    assert coup["versions"] == 3
    for asked, number in ((["--to", "99"], 99), (["--from", "7", "--to", "2"], 7), (["--from", "0"], 0)):
        result = arsip(demo.env, "diff", str(coup["id"]), *asked)
        assert (result.returncode, result.stdout) == (1, ""), asked
        assert result.stderr.splitlines() == [f"arsip: error: story {coup['id']} has no version {number} "
                                              "(it has versions 1-3)",
                                              f"hint: `arsip versions {coup['id']}` lists them"], asked
    once = the_story_titled(demo, "Miami")  # new in the last round: one version
    result = arsip(demo.env, "diff", str(once["id"]), "--to", "2")
    assert result.stderr.splitlines()[0] == f"arsip: error: story {once['id']} has no version 2 (it has only version 1)"


@pytest.mark.parametrize("command", [["stories"], ["search", "kudeta"], ["stories", "--json"]])
@pytest.mark.parametrize("value, problem", [("-1", "must be 1 or more"), ("0", "must be 1 or more"),
                                            ("some", "not a whole number")])
def test_a_limit_below_one_is_a_usage_error(demo, command, value, problem):
    result = arsip(demo.env, *command, "--limit", value)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [f"arsip: error: --limit {value}: {problem}"]


def test_a_limit_of_one_is_one(demo):
    assert len(arsip_json(demo.env, "stories", "--limit", "1")) == 1
    assert len(arsip_json(demo.env, "search", "--limit", "1", "kudeta")) == 1


@pytest.mark.parametrize("command", [["stories"], ["stories", "--json"], ["export", "--jsonl"]])
def test_an_unknown_outlet_is_named_with_the_known_ones(demo, command):
    result = arsip(demo.env, *command, "--outlet", "nosuch")
    assert (result.returncode, result.stdout) == (2, "")
    error, hint = result.stderr.splitlines()
    assert error == "arsip: error: unknown outlet 'nosuch'"
    known = hint.removeprefix("hint: known outlets: ").split(", ")
    # the built-in outlets, and the demo's, which only the catalog knows
    assert {"inews", "analisadaily", "demo-inews", "demo-analisa"} <= set(known) and known == sorted(known)
    # a known outlet answers, with its stories only
    stories = arsip_json(demo.env, "stories", "--outlet", "demo-analisa")
    assert stories and {story["outlet"] for story in stories} == {"demo-analisa"}
    assert arsip_json(demo.env, "stories", "--outlet", "inews") == []


def test_plain_text_times_carry_their_utc_offset_as_the_json_does(demo):
    story = the_story_titled(demo, "Kudeta")
    listed = arsip(demo.env, "stories", "--limit", "1").stdout.splitlines()
    (newest,) = arsip_json(demo.env, "stories", "--limit", "1")
    at = datetime.fromisoformat(newest["last_seen"])
    assert re.search(r"  \d{4}-\d\d-\d\d \d\d:\d\d[+-]\d\d:\d\d  ", listed[0]), listed
    assert at.isoformat(sep=" ", timespec="minutes") in listed[0]

    lines = arsip(demo.env, "versions", str(story["id"])).stdout.splitlines()[2:]
    versions = arsip_json(demo.env, "versions", str(story["id"]))
    assert len(lines) == len(versions) == 3
    for line, version in zip(lines, versions):
        first, last = (datetime.fromisoformat(version[key]).isoformat(sep=" ", timespec="seconds")
                       for key in ("first_seen", "last_seen"))
        assert f"  {first} .. {last}  " in line, line
        assert re.search(r"\d\d:\d\d:\d\d[+-]\d\d:\d\d \.\. ", line), line


def test_counts_of_one_read_in_the_singular(demo):
    # round 2 makes one new version, round 3 one new story and one error (a deleted article)
    assert "arsip: ingested 17 captures: 1 new version, 0 new stories\n" in demo.stderr
    assert ", 1 new story\n" in demo.stderr and "1 error (http_4xx 1)\n" in demo.stderr
    assert " captures (1 revisit), " in demo.stderr
    assert "\n3 stories changed while arsip watched:\n" in demo.stdout
    story = the_story_titled(demo, "Kudeta")
    lines = arsip(demo.env, "versions", str(story["id"])).stdout.splitlines()[2:]
    assert all("  1 capture  " in line for line in lines), lines


def test_the_demo_ends_with_commands_that_work_on_its_own_stories(demo):
    changed = arsip_json(demo.env, "stories", "--changed")
    listed = re.findall(r"^ +(\d+)  (\d+) versions  (.+)$", demo.stdout, re.M)
    assert sorted((int(i), int(n), t) for i, n, t in listed) == sorted((s["id"], s["versions"], s["title"])
                                                                      for s in changed)
    (story_id,) = set(re.findall(r"^see how: arsip versions (\d+); arsip diff \1 --from 1 --to 2$", demo.stdout, re.M))
    versions = arsip_json(demo.env, "versions", story_id)
    assert len(versions) >= 2
    diff = arsip_json(demo.env, "diff", story_id, "--from", "1", "--to", "2")
    assert (diff["from"], diff["to"]) == (1, 2)
    assert {field for field, ops in diff["fields"].items() if any(op["op"] != "equal" for op in ops)} == \
        {"modified", "body"}, "the seed article's two dates, corrected in round 2"
    assert demo.stdout.endswith("\nlater: arsip stories --changed lists them (their ids change with each demo)\n")
