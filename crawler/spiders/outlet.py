"""The generic outlet spider: topic pages, their pagination, article links, split articles.

Each outlet gets a subclass (see `spider_class_for`) whose only difference is
the outlet it carries, so all crawling behaviour lives here once.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import urldefrag

import scrapy
from scrapy import signals
from scrapy.http import TextResponse
from scrapy.selector import Selector

from crawler.context import CrawlContext
from crawler.fetch_errors import classify, redirect_loop
from crawler.middlewares import NotStored
from archive.outlet import Outlet
from crawler.recheck import due_articles
from crawler.runlog import fetch_failed

_TRUE = {"1", "true", "yes", "on"}


class OutletSpider(scrapy.Spider):
    """Crawls one outlet: `scrapy crawl <outlet> [-a recheck=1]`."""

    outlet: Outlet

    def __init__(self, *args, recheck=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.recheck = recheck is True or str(recheck).lower() in _TRUE

    async def start(self):
        for url in self.outlet.topics:
            yield self._topic_request(url, depth=1)
        for url in self._articles_to_recheck():
            yield self._article_request(url, page=1)

    def _articles_to_recheck(self) -> list[str]:
        context = CrawlContext.of(self.crawler)
        with context.catalog.connection() as conn:
            return due_articles(conn, self.outlet, datetime.now(timezone.utc), everything=self.recheck)

    # -- topic pages -----------------------------------------------------

    def parse_topic(self, response, depth: int):
        if not isinstance(response, TextResponse):
            return
        parsed = _parsed(response)
        seen = set()
        for href in parsed.css("a::attr(href)").getall():
            url = self._link(response, href)
            if url and url not in seen and self.outlet.is_article(url):
                seen.add(url)
                yield self._article_request(url, page=1)
        following = self._next_page(response, parsed)
        if following and depth < self.outlet.topic_depth:
            yield self._topic_request(following, depth=depth + 1)

    # -- articles --------------------------------------------------------

    def parse_article(self, response, page: int):
        """Follows a split article's further pages; the pages themselves are captured by the WARC middleware."""
        if not isinstance(response, TextResponse) or page >= self.outlet.article_pages:
            return
        selector = self.outlet.selectors.get("next_page")
        if not selector and not _may_link_next(response):
            return  # most articles are one page: no need to parse them in the reactor to learn so
        following = self._next_page(response, _parsed(response), selector)
        if following and self._same_article(response.url, following):
            yield self._article_request(following, page=page + 1)

    def _same_article(self, url: str, following: str) -> bool:
        # rel=next on an article page sometimes points at the next *story*; that one is
        # found from the topic pages in its own right, not as a page of this one.
        if not self.outlet.is_article(following):
            return True
        return self.outlet.article_id(following) is not None and \
            self.outlet.article_id(following) == self.outlet.article_id(url)

    # -- requests --------------------------------------------------------

    def _topic_request(self, url: str, depth: int) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_topic, errback=self.failed,
                              cb_kwargs={"depth": depth}, meta={"arsip_role": "topic"})

    def _article_request(self, url: str, page: int) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_article, errback=self.failed,
                              cb_kwargs={"page": page}, meta={"arsip_role": "article"})

    def _link(self, response, href: str) -> str | None:
        """An http(s) link of the page on the outlet's domains (a topic page links anywhere: the rest is not ours)."""
        url = _absolute(response, href)
        return url if url and self.outlet.owns(url) else None

    def _next_page(self, response, parsed: Selector, selector: str | None = None) -> str | None:
        candidates = parsed.css('link[rel~="next"]::attr(href), a[rel~="next"]::attr(href)').getall()
        if selector:
            picked = parsed.css(selector)
            candidates = [*(s.attrib.get("href") for s in picked), *candidates]
        for href in candidates:
            # Not filtered by domain: a next page off the outlet's domains is refused and
            # recorded (`offsite`) by the offsite middleware, as every request is.
            url = _absolute(response, href) if href else None
            if url and url != response.url:
                return url
        return None

    def failed(self, failure):
        """Every failed request ends here (after retries): counted and recorded, never raised."""
        if failure.check(NotStored):
            return  # the round is stopping because its WARC files cannot grow; it says so once
        self.crawler.signals.send_catch_log(fetch_failed, error=classify(failure.request.url, failure), spider=self)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._dropped, signal=signals.request_dropped)
        return spider

    def _dropped(self, request, spider=None):
        # The scheduler drops a request for a URL it has seen: a redirect back into its
        # own chain ends there, and would otherwise end without a word.
        hops = request.meta.get("redirect_urls") or []
        if request.url in hops:
            self.crawler.signals.send_catch_log(fetch_failed, error=redirect_loop(hops[-1], request.url), spider=self)


# A rel attribute that may hold "next" (or a character reference that might spell it),
# looked for in the lowercased bytes: where there is none, no link[rel~=next] or
# a[rel~=next] can be in the page. A cheap scan next to parsing the page (~0.04 ms
# against ~0.2 ms for a 40 KB page); a page it lets through is parsed as before.
_REL_NEXT = re.compile(rb"""rel\s*=\s*["']?[^"'>]*(?:next|&#)""")


def _may_link_next(response: TextResponse) -> bool:
    try:
        ascii_bytes = "rel=next".encode(response.encoding) == b"rel=next"
    except LookupError:
        ascii_bytes = False
    if not ascii_bytes:  # UTF-16 and the like: the bytes do not spell "rel" plainly
        return True
    return _REL_NEXT.search(response.body.lower()) is not None


def _absolute(response, href: str) -> str | None:
    url = urldefrag(response.urljoin(href.strip())).url
    return url if url.startswith(("http://", "https://")) else None


def _parsed(response: TextResponse) -> Selector:
    """The page parsed for this callback alone.

    Not `response.css()`: the selector that caches keeps the response and the response
    keeps it, a reference cycle, so each parsed page (several times its HTML in lxml's
    memory) lives on until the garbage collector's next pass instead of being freed
    when its callback ends; over a crawl that held tens of megabytes (docs/benchmark-notes.md).
    """
    return Selector(response)


def spider_class_for(outlet: Outlet) -> type[OutletSpider]:
    """A spider class named for the outlet (its key is the spider name)."""
    class_name = "".join(part.capitalize() for part in outlet.key.replace("-", "_").split("_")) + "Spider"
    return type(class_name, (OutletSpider,), {"name": outlet.key, "outlet": outlet,
                                              "__doc__": f"Crawls {outlet.name}."})
