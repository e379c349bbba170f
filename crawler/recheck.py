"""When a known article is due to be fetched again.

News is edited most in its first hours, so young articles are re-checked often
and old ones rarely. Pages whose last answer was a redirect or "gone" are left
alone: the story lives at the new URL, or no longer lives at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from archive.catalog.queries import KnownPage
from crawler.outlet import Outlet

# (age of the article below which, wait at least this long between fetches)
_INTERVALS = (
    (timedelta(days=1), timedelta(hours=1)),
    (timedelta(days=7), timedelta(hours=6)),
    (timedelta(days=30), timedelta(days=1)),
)
_OLD_ARTICLE_INTERVAL = timedelta(days=7)
_SETTLED_STATUSES = frozenset({301, 302, 303, 307, 308, 404, 410})


def recheck_interval(age: timedelta) -> timedelta:
    """How long to wait between fetches of an article first seen `age` ago."""
    for younger_than, interval in _INTERVALS:
        if age < younger_than:
            return interval
    return _OLD_ARTICLE_INTERVAL


def is_due(page: KnownPage, now: datetime) -> bool:
    if page.last_status in _SETTLED_STATUSES:
        return False
    return now - page.last_fetched >= recheck_interval(now - page.first_seen)


def due_articles(outlet: Outlet, pages: Iterable[KnownPage], now: datetime, everything: bool = False) -> list[str]:
    """The outlet's known article URLs to fetch this round (all of them when `everything`), oldest check first."""
    articles = [page for page in pages if outlet.is_article(page.url)]
    chosen = articles if everything else [page for page in articles if is_due(page, now)]
    return [page.url for page in sorted(chosen, key=lambda page: page.last_fetched)]
