"""Article URLs of the form /news/<id>-<slug>[/<page>], which the test and bench outlets share."""

from __future__ import annotations

import re

from fakeoutlet.newsroom import Article
from fakeoutlet.site import FakeOutlet, Missing, Page, Redirect, Route, Topic

ARTICLE_PATTERN = r"/news/(?P<id>\d+)-[a-z0-9-]+"
_ARTICLE = re.compile(r"/news/(\d+)-([a-z0-9-]+)(?:/(\d+))?")


def article_path(article: Article) -> str:
    return f"/news/{article.key}-{article.slug}"


def route_topic(query: dict[str, list[str]]) -> Topic | Missing:
    """/news/ or /news/?page=K (nothing else in the query)."""
    values = query.get("page", ["1"])
    if set(query) - {"page"} or not values[0].isdigit():
        return Missing()
    return Topic(int(values[0]))


def route_article(outlet: FakeOutlet, path: str) -> tuple[Route, bool] | None:
    """An article by id: its current slug, an old one (301), or a 404; `/<n>` for page n of a split one."""
    m = _ARTICLE.fullmatch(path)
    if m is None:
        return None
    key, slug, sub = int(m.group(1)), m.group(2), m.group(3)
    newsroom = outlet.newsroom
    if not newsroom.is_live(key) or newsroom.get(key).path is not None:
        return Missing(), True
    article = newsroom.get(key)
    if slug == article.slug:
        page = int(sub or 1)
        return (Page(article, page) if 1 <= page <= len(article.pages) else Missing()), True
    if slug in newsroom.old_slugs(key) and sub is None:
        return Redirect(article_path(article)), True
    return Missing(), True
