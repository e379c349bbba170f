"""The outlet spider's callbacks on their own: what they follow, and what they leave behind."""

from __future__ import annotations

import gc
import re
import weakref
from dataclasses import replace

import pytest
from scrapy.http import HtmlResponse, Request

from archive.outlet import Outlet
from crawler.spiders.outlet import spider_class_for

OUTLET = Outlet(
    key="kabar", name="Kabar", domains=("kabar.example",), topics=("https://kabar.example/terkini",),
    article_url=re.compile(r"^https://kabar\.example/berita/(?P<id>\d+)(?:/|$)"), topic_depth=3, article_pages=5,
)
TOPIC = """<html><head><link rel="next" href="/terkini?page=2"></head><body>
<a href="/berita/1">Satu</a> <a href="/berita/2#komentar">Dua</a> <a href="/berita/1">Satu lagi</a>
<a href="https://lain.example/berita/3">Situs lain</a> <a href="/tentang">Tentang</a></body></html>"""
ARTICLE = """<html><head><link rel="next" href="/berita/1/2"></head><body><h1>Satu</h1>
<p>Isi berita.</p></body></html>"""


def response(url: str, body: str) -> HtmlResponse:
    return HtmlResponse(url, body=body.encode(), encoding="utf-8", request=Request(url))


@pytest.fixture()
def spider():
    return spider_class_for(OUTLET)()


def test_topic_page_yields_its_articles_once_then_the_next_topic_page(spider):
    requests = list(spider.parse_topic(response("https://kabar.example/terkini", TOPIC), depth=1))
    assert [(r.url, r.meta["arsip_role"]) for r in requests] == [
        ("https://kabar.example/berita/1", "article"),
        ("https://kabar.example/berita/2", "article"),
        ("https://kabar.example/terkini?page=2", "topic"),
    ]
    assert requests[-1].cb_kwargs == {"depth": 2}
    # At the outlet's topic_depth, no further topic page.
    last = list(spider.parse_topic(response("https://kabar.example/terkini?page=3", TOPIC), depth=3))
    assert [r.meta["arsip_role"] for r in last] == ["article", "article"]


def test_split_article_follows_its_next_page(spider):
    [following] = spider.parse_article(response("https://kabar.example/berita/1", ARTICLE), page=1)
    assert (following.url, following.cb_kwargs) == ("https://kabar.example/berita/1/2", {"page": 2})


@pytest.mark.parametrize("head", [
    '<link rel="next" href="/berita/1/2">',
    "<LINK REL=next HREF='/berita/1/2'>",
    '<link href="/berita/1/2" rel = "prefetch next">',
    '<link rel="&#110;ext" href="/berita/1/2">',  # a character reference: parsed to be sure
])
def test_every_way_of_writing_rel_next_is_followed(spider, head):
    page = ARTICLE.replace('<link rel="next" href="/berita/1/2">', head)
    [following] = spider.parse_article(response("https://kabar.example/berita/1", page), page=1)
    assert following.url == "https://kabar.example/berita/1/2"


def test_a_page_in_utf16_is_parsed_for_its_rel_next(spider):
    url = "https://kabar.example/berita/1"
    page = HtmlResponse(url, body=ARTICLE.encode("utf-16"), encoding="utf-16", request=Request(url))
    [following] = spider.parse_article(page, page=1)
    assert following.url == "https://kabar.example/berita/1/2"


def test_an_article_without_rel_next_is_not_parsed_for_it(spider, monkeypatch):
    from crawler.spiders import outlet as spider_module

    parsed = []
    monkeypatch.setattr(spider_module, "_parsed", lambda r: parsed.append(r) or spider_module.Selector(r))
    plain = ARTICLE.replace('<link rel="next" href="/berita/1/2">', '<link rel="canonical" href="/berita/1">')
    assert list(spider.parse_article(response("https://kabar.example/berita/1", plain + "<p>next</p>"), page=1)) == []
    assert parsed == []
    # An outlet's own next_page selector may match anything: the page is parsed for it.
    custom = spider_class_for(replace(OUTLET, selectors={"next_page": "a.lanjut"}))()
    more = plain.replace("</body>", '<a class="lanjut" href="/berita/1/2">Lanjut</a></body>')
    [following] = custom.parse_article(response("https://kabar.example/berita/1", more), page=1)
    assert following.url == "https://kabar.example/berita/1/2" and len(parsed) == 1


def test_a_parsed_page_is_freed_when_its_callback_ends(spider):
    # Scrapy's response.css() caches a selector that points back at the response: a cycle
    # that keeps the parsed tree until the garbage collector runs. The spider must not make one.
    gc.disable()
    try:
        topic = response("https://kabar.example/terkini", TOPIC)
        article = response("https://kabar.example/berita/1", ARTICLE)
        refs = [weakref.ref(topic), weakref.ref(article)]
        list(spider.parse_topic(topic, depth=1))
        list(spider.parse_article(article, page=1))
        del topic, article
        assert [ref() for ref in refs] == [None, None]
    finally:
        gc.enable()
