"""Scrapy settings for arsip's crawler (`scrapy.cfg` points here).

Polite by default: robots.txt obeyed, AutoThrottle on, a User-Agent that says
who we are and where to complain, bounded retries and a download size limit.
`ARSIP_*` settings are arsip's own; everything else is plain Scrapy and can be
overridden with `-s NAME=VALUE` on `scrapy crawl` or `arsip crawl`.
"""

BOT_NAME = "arsip"

# Spiders are generated from the outlet definitions, not found in modules.
SPIDER_LOADER_CLASS = "crawler.spiderloader.OutletSpiderLoader"
SPIDER_MODULES: list[str] = []

USER_AGENT = "arsip/0.1 (news archiver; +https://github.com/arsip-news/arsip#crawler)"
ROBOTSTXT_OBEY = True

AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# How many of one callback's outputs Scrapy processes at once. Its default, 100, starts
# 100 asyncio worker tasks for every response: about a millisecond of CPU per page, a
# quarter of a whole crawl's (docs/benchmark-notes.md). Our callbacks yield no items, only
# requests (a topic page's links), which go to the scheduler without waiting, so a few
# workers do it as fast at a tenth of the cost.
CONCURRENT_ITEMS = 8

RETRY_ENABLED = True
RETRY_TIMES = 2
# A 429/503 asking to wait longer than this (Retry-After, seconds) is left for a later round.
ARSIP_RETRY_AFTER_MAX = 10.0
DOWNLOAD_TIMEOUT = 30
# A news page is rarely over a megabyte; ten is room for the biggest and a cap on mistakes.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0

# No back doors into a crawler that runs unattended.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "scrapy.extensions.remote_control.RemoteControl": None,
    "crawler.runlog.CrawlRunLog": 500,
}

# The WARC capture sits next to the downloader (above every built-in middleware),
# so it sees each response as it came off the wire: still compressed, and before
# redirects or retries turn it into something else.
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.WarcCaptureMiddleware": 950,
    # Content-Encoding undone with a cap on the decoded size, by the decoder ingest uses.
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.decoding.BoundedDecompressionMiddleware": 590,
    # Before robots.txt is asked for: no request, not even for robots.txt, leaves the outlet's domains.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.offsite.OutletOffsiteMiddleware": 50,
    # In front of RetryMiddleware (550), which would retry a 429 at once.
    "crawler.retry_after.RetryAfterMiddleware": 560,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.ObeyingRobotsTxtMiddleware": 100,
}

HTTPERROR_ALLOW_ALL = False
COOKIES_ENABLED = True
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# arsip's own settings (from the environment when unset here).
ARSIP_DATA_DIR = None
ARSIP_DATABASE_URL = None
ARSIP_OUTLETS = None
ARSIP_WARC_MAX_SIZE = None
ARSIP_WARC_GZIP_LEVEL = 6
# Bytes a payload may decode to (Content-Encoding undone) before it is refused as
# `too_large_decoded`; default 20 MB, see archive/warc/payload.py for why.
ARSIP_MAX_DECODED_SIZE = None
# Who runs this crawl, for the warcinfo record (default: $ARSIP_OPERATOR, else user@host).
ARSIP_OPERATOR = None
# Capture rows are written to the catalog in batches of this many, or at least this often.
ARSIP_CATALOG_BATCH = 100
ARSIP_CATALOG_INTERVAL = 2.0
# Seconds between progress lines on stderr (0: none).
ARSIP_PROGRESS_INTERVAL = 5.0
