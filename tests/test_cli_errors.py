"""The one-line errors a user sees, and that nothing already stored is lost by them."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from archive.warc.naming import OPEN_SUFFIX, warc_file_name
from fakeoutlet.news import news_site


def arsip(env, *args, timeout=120):
    return subprocess.run([sys.executable, "-m", "archive.cli", *args], env=env, capture_output=True,
                          text=True, timeout=timeout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_database_is_one_line_naming_the_url_without_password(arsip_env, tmp_path):
    port = free_port()
    env = dict(arsip_env, ARSIP_DATABASE_URL=f"postgresql://bob:secret@127.0.0.1:{port}/news")
    result = arsip(env, "crawl")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"arsip: error: cannot reach the catalog database at postgresql://bob:***@127.0.0.1:{port}/news: connection refused"
    assert lines[1].startswith("hint: ") and len(lines) == 2
    assert "secret" not in result.stderr and "Traceback" not in result.stderr


def test_bad_outlet_file_names_file_outlet_and_key(arsip_env, tmp_path):
    bad = tmp_path / "outlets.toml"
    bad.write_text('[outlets.kabar]\nname = "Kabar"\ndomains = ["kabar.example"]\n'
                   'topics = ["https://kabar.example/"]\narticle_url = "^https://kabar.example/(unclosed$"\n')
    for args in (["outlets"], ["crawl"], ["reindex"]):
        result = arsip(dict(arsip_env, ARSIP_OUTLETS=str(bad)), *args)
        assert result.returncode == 1, args
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(f"arsip: error: {bad}: outlet 'kabar': key 'article_url': bad regex")

    bad.write_text('[outlets.kabar]\nname = "Kabar"\ndomains = ["kabar.example"]\ntopics = ["https://kabar.example/"]\n'
                   'article_url = "^https://kabar.example/.+$"\nschedule = "every hour"\n')
    result = arsip(dict(arsip_env, ARSIP_OUTLETS=str(bad)), "outlets", "--json")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith(f"arsip: error: {bad}: outlet 'kabar': key 'schedule': ")


def test_unknown_outlet_is_a_usage_error(arsip_env):
    result = arsip(arsip_env, "crawl", "no-such-outlet")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == "arsip: error: unknown outlet 'no-such-outlet'"


def test_unreachable_outlet_counts_errors_and_exits_1_without_losing_earlier_captures(arsip_env, database_url, tmp_path):
    with news_site(articles=3, topic_pages=1, specials=False) as site:
        outlets = site.write_outlet_file(tmp_path / "outlets.toml")
        env = dict(arsip_env, ARSIP_OUTLETS=str(outlets))
        assert arsip(env, "crawl", "testnews", "-s", "AUTOTHROTTLE_ENABLED=False").returncode == 0
    with psycopg.connect(database_url) as conn:
        before = conn.execute("SELECT count(*) FROM captures").fetchone()[0]
    # The server is gone now: every fetch is refused.
    result = arsip(env, "crawl", "testnews", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_TIMES=0")
    assert result.returncode == 1
    assert "arsip: crawled testnews" in result.stderr
    assert "arsip: error: nothing could be fetched from testnews (refused " in result.stderr
    assert "Traceback" not in result.stderr
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM captures").fetchone()[0] == before
        kinds = conn.execute("SELECT DISTINCT kind FROM fetch_errors").fetchall()
    assert kinds == [("refused",)]


def test_outlets_json_is_one_document(arsip_env):
    import json

    result = arsip(arsip_env, "outlets", "--json")
    assert result.returncode == 0
    outlets = {o["key"]: o for o in json.loads(result.stdout)}
    assert {"inews", "analisadaily"} <= set(outlets) and len(outlets) >= 12
    assert outlets["inews"]["domains"] == ["inews.id", "www.inews.id"]


@pytest.mark.broken_warcs
def test_reindex_of_a_file_that_is_not_a_warc_says_which(arsip_env, tmp_path):
    junk = Path(arsip_env["ARSIP_DATA_DIR"]) / "warcs" / "junk.warc.gz"
    junk.parent.mkdir(parents=True, exist_ok=True)
    junk.write_bytes(b"this is not a WARC file\n" * 10)
    result = arsip(arsip_env, "reindex", str(junk))
    assert result.returncode == 1
    assert result.stderr.startswith(f"arsip: error: {junk}")
    assert "Traceback" not in result.stderr


def test_reindex_of_a_directory_reads_its_files_and_says_what_it_skipped(arsip_env, database_url, tmp_path):
    with news_site(articles=2, topic_pages=1, specials=False) as site:
        env = dict(arsip_env, ARSIP_OUTLETS=str(site.write_outlet_file(tmp_path / "outlets.toml")))
        assert arsip(env, "crawl", "testnews", "--no-ingest", "-s", "AUTOTHROTTLE_ENABLED=False").returncode == 0
    with psycopg.connect(database_url) as conn:
        captures = conn.execute("SELECT count(*) FROM captures").fetchone()[0]
        conn.execute("TRUNCATE captures CASCADE")
    warcs = Path(arsip_env["ARSIP_DATA_DIR"]) / "warcs"
    (warc,) = warcs.iterdir()
    foreign = warcs / (warc_file_name(1, host="crawler-2.example", pid=4242) + OPEN_SUFFIX)
    foreign.write_bytes(b"")
    (warcs / "notes.txt").write_text("not a WARC\n")

    result = arsip(env, "reindex", str(warcs), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["files"] == 1
    notes = [line for line in result.stderr.splitlines() if line.startswith("arsip: note: skipped")]
    assert len(notes) == 2
    assert notes[0].startswith(f"arsip: note: skipped {foreign}: written on host 'crawler_2.example', not this one (")
    assert notes[0].endswith("), so whether its writer is still running cannot be told from here; "
                             "`arsip reindex` on that host closes it once its crawl has ended")
    assert notes[1:] == [
        f"arsip: note: skipped {warcs / 'notes.txt'}: not a WARC file of arsip's (their names end in .warc.gz)",
    ]
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM captures").fetchone()[0] == captures

    # A file elsewhere would make captures the catalog cannot find again: refused, nothing read.
    elsewhere = tmp_path / "copied"
    elsewhere.mkdir()
    copy = elsewhere / warc.name
    copy.write_bytes(warc.read_bytes())
    for argument in (copy, elsewhere):
        result = arsip(env, "reindex", str(argument))
        assert result.returncode == 1
        assert result.stderr.splitlines()[0] == \
            f"arsip: error: {copy}: not in this data directory's WARC files ({warcs})"


def test_reindex_that_loses_its_database_says_so_not_that_the_file_is_unreadable(arsip_env, database_url, tmp_path):
    with news_site(articles=2, topic_pages=1, specials=False) as site:
        env = dict(arsip_env, ARSIP_OUTLETS=str(site.write_outlet_file(tmp_path / "outlets.toml")))
        assert arsip(env, "crawl", "testnews", "--no-ingest", "-s", "AUTOTHROTTLE_ENABLED=False").returncode == 0
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("TRUNCATE captures CASCADE")
        # The server drops the connection that inserts a capture: the database going away mid-file.
        conn.execute("CREATE FUNCTION hang_up() RETURNS trigger LANGUAGE plpgsql AS "
                     "$$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$")
        conn.execute("CREATE TRIGGER hang_up BEFORE INSERT ON captures FOR EACH ROW EXECUTE FUNCTION hang_up()")
    result = arsip(env, "reindex")
    assert result.returncode == 1
    assert result.stderr.startswith("arsip: error: the catalog database failed during `reindex`: "), result.stderr
    assert "not a readable WARC file" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("setting, problem", [
    ("DOWNLOAD_TIMEOUT=abc", "expected a number of seconds"),
    ("CONCURRENT_REQUESTS=many", "expected a whole number"),
    ("AUTOTHROTTLE_ENABLED=yes", "expected True or False"),
    ("ARSIP_MAX_DECODED_SIZE=20MB", "expected a whole number of bytes"),
    ("DOWNLOADER_MIDDLEWARES=[1]", 'expected a JSON object, e.g. {"name": 100}'),
])
def test_a_bad_setting_value_is_named_before_anything_is_fetched(arsip_env, tmp_path, setting, problem):
    with news_site(articles=2, topic_pages=1, specials=False) as site:
        env = dict(arsip_env, ARSIP_OUTLETS=str(site.write_outlet_file(tmp_path / "outlets.toml")))
        for command in (["crawl", "testnews"], ["service", "testnews"], ["--debug", "crawl", "testnews"]):
            result = arsip(env, *command, "-s", setting, timeout=60)
            assert result.returncode == 2, (command, result.stderr)
            lines = result.stderr.splitlines()
            # --debug adds the traceback above the same line.
            assert lines[-1] == f"arsip: error: -s {setting}: {problem}"
            assert len(lines) == 1 or command[0] == "--debug"
        assert site.requests == []


def test_a_crawl_that_cannot_start_says_why_instead_of_finding_nothing(arsip_env, tmp_path):
    with news_site(articles=2, topic_pages=1, specials=False) as site:
        env = dict(arsip_env, ARSIP_OUTLETS=str(site.write_outlet_file(tmp_path / "outlets.toml")))
        result = arsip(env, "crawl", "testnews", "-s", 'DOWNLOADER_MIDDLEWARES={"nosuch.Middleware": 100}')
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == \
        "arsip: error: the crawl of testnews could not start: ModuleNotFoundError: No module named 'nosuch'"
    assert "Traceback" not in result.stderr and "nothing could be fetched" not in result.stderr


def test_settings_the_command_line_flags_own_are_refused_and_typos_noted(arsip_env, tmp_path):
    result = arsip(arsip_env, "crawl", "-s", f"ARSIP_DATA_DIR={tmp_path}")
    assert (result.returncode, result.stderr.strip()) == (2, "arsip: error: -s ARSIP_DATA_DIR: use --data-dir instead")
    with news_site(articles=1, topic_pages=1, specials=False) as site:
        env = dict(arsip_env, ARSIP_OUTLETS=str(site.write_outlet_file(tmp_path / "outlets.toml")))
        result = arsip(env, "crawl", "testnews", "-s", "DOWNLOAD_TIMOUT=5", "-s", "AUTOTHROTTLE_ENABLED=False")
    assert result.returncode == 0, result.stderr
    assert "arsip: note: -s DOWNLOAD_TIMOUT: not a setting of Scrapy or arsip, so it changes nothing" in result.stderr


def test_the_decoded_size_cap_set_for_a_round_holds_for_its_ingest_too(arsip_env, database_url, tmp_path):
    with news_site(articles=3, topic_pages=1, specials=False) as site:
        env = dict(arsip_env, ARSIP_OUTLETS=str(site.write_outlet_file(tmp_path / "outlets.toml")))
        # Smaller than any page of the test site; pages come unencoded, so the crawler follows
        # the topic page's links and only the ingest's decoding refuses the articles.
        result = arsip(env, "crawl", "testnews", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "COMPRESSION_ENABLED=False",
                       "-s", "ARSIP_MAX_DECODED_SIZE=1000")
    assert result.returncode == 0, result.stderr
    with psycopg.connect(database_url) as conn:
        refused = conn.execute("SELECT count(*) FROM captures WHERE ingest_reason = 'too_large_decoded'").fetchone()[0]
        versions = conn.execute("SELECT count(*) FROM versions").fetchone()[0]
    assert (versions, refused) == (0, 3)


@pytest.mark.parametrize("command", [["stories"], ["crawl", "kompas"], ["reindex"], ["ingest"], ["demo", "--rounds", "1"]])
@pytest.mark.parametrize("under", [False, True])
def test_a_data_dir_that_is_a_file_is_one_line_naming_it(arsip_env, tmp_path, command, under):
    a_file = tmp_path / "not-a-dir"
    a_file.write_text("kept\n")
    data_dir = a_file / "data" if under else a_file
    result = arsip(arsip_env, "--data-dir", str(data_dir), *command)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    problem = f"lies under {a_file}, which is a file" if under else "is a file"
    assert result.stderr.splitlines()[0] == f"arsip: error: --data-dir {data_dir}: {problem}"
    assert a_file.read_text() == "kept\n"


def test_a_data_dir_from_the_environment_is_named_as_such(arsip_env, tmp_path):
    a_file = tmp_path / "not-a-dir"
    a_file.write_text("")
    result = arsip({**arsip_env, "ARSIP_DATA_DIR": str(a_file)}, "stories")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == f"arsip: error: ARSIP_DATA_DIR {a_file}: is a file"
