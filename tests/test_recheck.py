"""Which known articles a round fetches again: decided by the catalog's server, by the back-off table."""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta, timezone

from archive.outlet import Outlet
from crawler.recheck import due_articles

OUTLET = Outlet(
    key="kabar", name="Kabar", domains=("kabar.example",), topics=("https://kabar.example/terkini",),
    article_url=re.compile(r"^https://kabar\.example/berita/(?P<id>\d+)"),
)
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def expected_interval(age: timedelta) -> timedelta:
    """The back-off as the module states it: hourly on day one, 6-hourly in week one, daily in month one,
    weekly after."""
    return HOUR if age < DAY else 6 * HOUR if age < 7 * DAY else DAY if age < 30 * DAY else 7 * DAY


def add_pages(catalog, pages) -> None:
    with catalog.connection() as conn:
        conn.cursor().executemany(
            "INSERT INTO pages (url, outlet, host, first_fetched, last_fetched, last_status) "
            "VALUES (%s, %s, 'kabar.example', %s, %s, %s)", pages)


def test_an_article_is_due_once_the_interval_for_its_age_has_passed(catalog):
    ages = [timedelta(0), timedelta(minutes=30), 23 * HOUR, DAY, 3 * DAY, 7 * DAY - HOUR,
            7 * DAY, 29 * DAY, 30 * DAY, 400 * DAY]
    # Since the last fetch: around each interval of the table, exactly on it, and well past it.
    sinces = [timedelta(0), HOUR - timedelta(seconds=1), HOUR, 6 * HOUR - timedelta(seconds=1), 6 * HOUR,
              DAY - timedelta(seconds=1), DAY, 7 * DAY - timedelta(seconds=1), 7 * DAY, 90 * DAY]
    pages, due = [], []
    for n, (age, since, status) in enumerate(itertools.product(ages, sinces, (200, 500, 301, 404, 410))):
        if since > age:
            continue  # fetched last before it was first fetched
        url = f"https://kabar.example/berita/{n}"
        last = NOW - since
        pages.append((url, "kabar", NOW - age, last, status))
        if status not in (301, 404, 410) and since >= expected_interval(age):
            due.append((last, url))
    # Not articles, or another outlet's: never rechecked here, however old.
    pages += [("https://kabar.example/terkini", "kabar", NOW - 90 * DAY, NOW - 90 * DAY, 200),
              ("https://lain.example/berita/1", "lain", NOW - 90 * DAY, NOW - 90 * DAY, 200)]
    add_pages(catalog, pages)
    with catalog.connection() as conn:
        chosen = due_articles(conn, OUTLET, NOW)
        everything = due_articles(conn, OUTLET, NOW, everything=True)
    assert 0 < len(chosen) < len(pages) - 2
    assert chosen == [url for _, url in sorted(due)]  # least recently fetched first
    # --recheck: every known article of the outlet, settled ones too.
    assert sorted(everything) == sorted(url for url, outlet, *_ in pages if "/berita/" in url and outlet == "kabar")
