"""robots.txt, obeyed for every request, including those queued while it downloads.

Scrapy's RobotsTxtMiddleware (2.19) resolves the parser only for the first of
the requests that waited for robots.txt to arrive; the others get nothing and
go through unchecked. Re-reading the parser once the wait is over fixes that.
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.httpobj import urlparse_cached


class ObeyingRobotsTxtMiddleware(RobotsTxtMiddleware):
    async def robot_parser(self, request):
        parser = await super().robot_parser(request)
        return self._parsers.get(urlparse_cached(request).netloc, parser)
