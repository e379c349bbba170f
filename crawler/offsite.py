"""Every request arsip makes stays on its outlet's domains.

Scrapy's own OffsiteMiddleware lets everything through for a spider without
`allowed_domains`, compares host names only (an entry with a port never matches), and
drops what it refuses without a word. This one checks every request the downloader is
given (topic pages, articles, a split article's next pages, due re-checks, each hop of
a redirect or meta refresh) before robots.txt is asked for, against the outlet's
domains as `Outlet.owns` reads them, and refuses an off-site one with `OffsiteRequest`:
the spider's errback records it as an `offsite` fetch error on the page that pointed there.
"""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest


class OffsiteRequest(IgnoreRequest):
    """A request for a URL outside the outlet's domains, never sent."""

    def __init__(self, target: str, source: str):
        super().__init__(f"{target} is off the outlet's domains: not fetched")
        self.target = target
        self.source = source


class OutletOffsiteMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        outlet = getattr(self.crawler.spider, "outlet", None)
        if outlet is None or outlet.owns(request.url):
            return None
        self.crawler.stats.inc_value("arsip/offsite")
        raise OffsiteRequest(request.url, pointing_page(request))


def pointing_page(request) -> str:
    """The page that led to `request`: the hop before a redirect, else the referring page, else itself."""
    hops = request.meta.get("redirect_urls")
    if hops:
        return hops[-1]
    referer = request.headers.get("Referer")
    return referer.decode("latin-1") if referer else request.url
