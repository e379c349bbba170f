"""The baseline of the capture benchmark: plain Scrapy, no WARC, no catalog.

It does what an arsip round does on the wire (topic pages with rel=next
pagination, then every article they list) and parses each article the way a
minimal scraper would, then drops the result. bench/run.py runs it as

    python bench/plain_spider.py URL --stats FILE [--article-url REGEX] [-s NAME=VALUE ...]

which writes the final Scrapy stats as JSON to FILE. It also runs under
`scrapy runspider bench/plain_spider.py -a start=URL` (run that from outside
the checkout, or scrapy.cfg pulls in arsip's own project settings).
"""

from __future__ import annotations

import argparse
import json
import re
import sys

import scrapy

# The settings arsip's benchmark crawl is given too (bench/run.py passes the same
# values with -s), so both sides differ only in what arsip adds per page.
FAIR_SETTINGS = {
    "ROBOTSTXT_OBEY": True,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "DOWNLOAD_DELAY": 0,
    "LOG_LEVEL": "INFO",
    "HTTPCACHE_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "REMOTE_CONTROL_ENABLED": False,  # arsip turns it off; Scrapy 2.19 starts an HTTP server for it
    "CONCURRENT_ITEMS": 8,  # arsip's default (crawler/settings.py); Scrapy's 100 costs ~1 ms a response
}


class PlainSpider(scrapy.Spider):
    name = "plain"
    custom_settings = FAIR_SETTINGS  # for `scrapy runspider`; main() passes them (and any -s) itself

    def __init__(self, start: str = "", article_url: str = r"/news/\d+-", stats_file: str = "", **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [start]
        self.article_re = re.compile(article_url)
        self.stats_file = stats_file

    def parse(self, response):
        """A topic page: every article it lists, then the next topic page."""
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if self.article_re.search(url):
                yield scrapy.Request(url, callback=self.parse_article)
        next_page = response.css('link[rel="next"]::attr(href)').get()
        if next_page:
            yield response.follow(next_page, callback=self.parse)

    def parse_article(self, response):
        # Parse what an article scraper keeps, then drop it: the baseline pays for
        # parsing, as arsip does for extraction, but stores nothing.
        item = {
            "url": response.url,
            "title": response.css("h1::text").get(),
            "published": response.css('meta[property="article:published_time"]::attr(content)').get(),
            "body": "\n\n".join(response.css(".content p").xpath("string()").getall()),
        }
        if item["title"] and item["body"]:
            self.crawler.stats.inc_value("bench/articles")

    def closed(self, reason):
        if self.stats_file:
            stats = {k: (v.isoformat() if hasattr(v, "isoformat") else v)
                     for k, v in self.crawler.stats.get_stats().items()}
            with open(self.stats_file, "w", encoding="utf-8") as fh:
                json.dump(stats, fh, indent=1, sort_keys=True)


def main(argv: list[str] | None = None) -> int:
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    parser = argparse.ArgumentParser(description="Plain Scrapy baseline crawl")
    parser.add_argument("start", help="first topic page, e.g. http://127.0.0.1:PORT/news/")
    parser.add_argument("--stats", default="", help="write the final Scrapy stats here as JSON")
    parser.add_argument("--article-url", default=r"/news/\d+-", help="regex an article URL matches")
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="override a Scrapy setting (as `scrapy crawl -s`)")
    args = parser.parse_args(argv)
    # -s at command-line priority, as `scrapy crawl -s` (and arsip's) has it: above the
    # spider's custom_settings, which would otherwise put FAIR_SETTINGS back over it.
    settings = Settings(FAIR_SETTINGS)
    settings.setdict(dict(item.split("=", 1) for item in args.settings), priority="cmdline")
    # No get_project_settings(): the baseline must not load arsip's middlewares.
    process = CrawlerProcess(settings=settings)
    process.crawl(PlainSpider, start=args.start, article_url=args.article_url, stats_file=args.stats)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
