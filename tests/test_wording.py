"""Counts and times in lines meant for people (archive/wording.py), and the summary lines built with them."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

from archive.wording import plural, readable_time
from crawler.round import RoundSummary


def test_a_count_of_one_takes_the_singular():
    assert [plural(n, "capture") for n in (0, 1, 2)] == ["0 captures", "1 capture", "2 captures"]
    assert [plural(n, "new story", "new stories") for n in (1, 11)] == ["1 new story", "11 new stories"]


def test_a_time_keeps_its_offset():
    wib = timezone(timedelta(hours=7))
    assert readable_time("2026-12-04T11:47:05.123456+00:00") == "2026-12-04 11:47+00:00"
    assert readable_time(datetime(2021, 6, 23, 14, 5, 9, tzinfo=wib), "seconds") == "2021-06-23 14:05:09+07:00"


def test_a_rounds_summary_line_counts_in_the_singular_and_the_plural():
    one = RoundSummary(outlets=["kabar"], seconds=1.04, pages_fetched=1, new_captures=1, revisits=1,
                       errors_by_kind=Counter(http_4xx=1))
    assert one.line() == "crawled kabar in 1.0s: 1 page fetched, 1 new capture (1 revisit), 1 error (http_4xx 1)"
    more = RoundSummary(outlets=["kabar", "warta"], seconds=2.0, pages_fetched=17, new_captures=0, revisits=2)
    assert more.line() == "crawled kabar, warta in 2.0s: 17 pages fetched, 0 new captures (2 revisits), 0 errors"
