"""Content-Encoding undone for the spider, by the same bounded decoder ingest uses.

In place of Scrapy's HttpCompressionMiddleware: one decoder everywhere
(`archive.warc.payload`), so the crawl and ingest agree on what a payload decodes to
and on which payloads are too large (`ARSIP_MAX_DECODED_SIZE`), and a refusal has a
kind of its own (`too_large_decoded`) in the round's summary. The WARC capture sits
nearer the downloader and has stored the body still encoded by the time this runs.
"""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import TextResponse
from scrapy.responsetypes import responsetypes

from archive.warc.payload import ACCEPT_ENCODING, PayloadTooLarge, decode_payload
from crawler.context import CrawlContext


class DecodedTooLarge(IgnoreRequest):
    """A response whose body decodes to more than ARSIP_MAX_DECODED_SIZE bytes."""


class BoundedDecompressionMiddleware:
    def __init__(self, limit: int):
        self.limit = limit

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("COMPRESSION_ENABLED"):
            raise NotConfigured
        limit = crawler.settings.getint("ARSIP_MAX_DECODED_SIZE") or CrawlContext.of(crawler).config.max_decoded_size
        return cls(limit)

    def process_request(self, request, spider=None):
        request.headers.setdefault("Accept-Encoding", ACCEPT_ENCODING)

    def process_response(self, request, response, spider=None):
        encodings = response.headers.getlist("Content-Encoding")
        if request.method == "HEAD" or not encodings:
            return response
        header = b",".join(encodings).decode("latin-1")
        try:
            decoded = decode_payload(response.body, header, self.limit)
        except PayloadTooLarge as error:
            raise DecodedTooLarge(f"{error} (ARSIP_MAX_DECODED_SIZE); kept encoded in the WARC file") from None
        if not decoded.encodings:
            return response
        left = header.split(",")[:-len(decoded.encodings)]
        response = response.replace(body=decoded.body)
        if left:
            response.headers["Content-Encoding"] = ",".join(left)
        else:
            del response.headers["Content-Encoding"]
        cls = responsetypes.from_args(headers=response.headers, url=response.url, body=decoded.body)
        # A damaged stream still gives the spider the links on the part that decoded.
        return response.replace(cls=cls, **({"encoding": None} if issubclass(cls, TextResponse) else {}))
