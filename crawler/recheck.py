"""When a known article is due to be fetched again.

News is edited most in its first hours, so young articles are re-checked often
and old ones rarely. Pages whose last answer was a redirect or "gone" are left
alone: the story lives at the new URL, or no longer lives at all.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from archive.catalog.queries import due_pages, known_pages
from archive.outlet import Outlet

# (age of the article below which, wait at least this long between fetches)
_INTERVALS = (
    (timedelta(days=1), timedelta(hours=1)),
    (timedelta(days=7), timedelta(hours=6)),
    (timedelta(days=30), timedelta(days=1)),
)
_OLD_ARTICLE_INTERVAL = timedelta(days=7)
_SETTLED_STATUSES = frozenset({301, 302, 303, 307, 308, 404, 410})


def due_articles(conn, outlet: Outlet, now: datetime, everything: bool = False) -> list[str]:
    """The outlet's known article URLs to fetch this round (all of them when `everything`), oldest check first."""
    if everything:
        pages = known_pages(conn, outlet.key)
    else:
        pages = due_pages(conn, outlet.key, now, _INTERVALS, _OLD_ARTICLE_INTERVAL, _SETTLED_STATUSES)
    articles = [page for page in pages if outlet.is_article(page.url)]
    return [page.url for page in sorted(articles, key=lambda page: (page.last_fetched, page.url))]
