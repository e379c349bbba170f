"""crawler/round.py: a round's summary, what it makes of its command, and the settings it runs with;
real rounds end to end are tests/test_crawl.py."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from archive.config import Config
from archive.errors import UsageError
from archive.outlet import load_outlets
from crawler.round import RoundSummary, crawl_settings, run_round


def test_a_summary_comes_back_whole_from_its_json_document():
    summary = RoundSummary(outlets=["kabar", "warta"], seconds=12.3456, pages_fetched=40, new_captures=38,
                           revisits=2, errors_by_kind=Counter(timeout=2, http_4xx=1), uncatalogued=3,
                           stopped="no space left")
    document = json.loads(json.dumps({**summary.as_dict(), "ingest": {"captures": 38}}))
    again = RoundSummary.from_dict(document)
    assert again.as_dict() == summary.as_dict()
    assert again.line() == summary.line()
    assert document["errors"] == 3 and list(document["errors_by_kind"]) == ["http_4xx", "timeout"]


def test_a_round_that_fetched_nothing_fails_naming_its_errors_by_kind():
    failure = RoundSummary(outlets=["kabar"], errors_by_kind=Counter(refused=2, dns=1)).failure()
    assert failure.message == "nothing could be fetched from kabar (dns 1, refused 2)"
    assert failure.hint.startswith("check the outlets' topic URLs and the network")
    assert RoundSummary(outlets=["kabar", "warta"]).failure().message == \
        "nothing could be fetched from kabar, warta (no pages found)"


def test_a_round_stopped_early_fails_as_such_whatever_it_fetched():
    for fetched in (0, 5):
        failure = RoundSummary(outlets=["kabar"], pages_fetched=fetched, stopped="/warcs takes no more bytes").failure()
        assert failure.message == "the round stopped early: /warcs takes no more bytes"
        assert failure.hint.startswith("free some space there")


def test_a_round_that_fetched_something_does_not_fail_even_with_errors():
    assert RoundSummary(outlets=["kabar"], pages_fetched=1, errors_by_kind=Counter(timeout=9)).failure() is None


def test_settings_put_the_config_under_the_dash_s_overrides(tmp_path):
    config = Config(tmp_path / "data", "postgresql://127.0.0.1/x", tmp_path / "outlets.toml", warc_max_size=1234)
    settings = crawl_settings(config, {"DOWNLOAD_TIMEOUT": "5", "ARSIP_WARC_MAX_SIZE": "999"}, log_level="DEBUG")
    assert settings.get("ARSIP_DATA_DIR") == str(tmp_path / "data")
    assert settings.get("ARSIP_OUTLETS") == str(tmp_path / "outlets.toml")
    assert settings.getfloat("DOWNLOAD_TIMEOUT") == 5.0
    assert settings.getint("ARSIP_WARC_MAX_SIZE") == 999  # -s wins over the config
    assert settings.get("LOG_LEVEL") == "DEBUG"
    assert settings.get("USER_AGENT").startswith("arsip/")  # the project's settings underneath
    assert crawl_settings(config).getint("ARSIP_WARC_MAX_SIZE") == 1234


def test_an_unknown_outlet_is_refused_before_any_crawler_starts(tmp_path):
    with pytest.raises(UsageError) as refused:
        run_round(Config(tmp_path, None, None), load_outlets(None), ["kompas", "nosuch"])
    assert refused.value.message == "unknown outlet 'nosuch'"
    assert not Path(tmp_path, "warcs").exists()
