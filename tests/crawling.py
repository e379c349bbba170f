"""Running arsip's Scrapy components in the test process: a reactor, a tiny site, a spider.

The crawler's middleware and extensions are tested on a real `Crawler` (from
`scrapy.utils.test.get_crawler`, with arsip's project settings) fetching from a real
HTTP server on 127.0.0.1. Twisted's reactor cannot be started twice in a process, so
the asyncio reactor is installed and started once per process and each test drives
its event loop only until what it waits for is done (`ReactorDriver.wait`).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import scrapy

import crawler.settings as project_settings
from archive.config import Config
from crawler.context import close_catalogs

ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"


class ReactorDriver:
    """The process's running reactor; `wait` turns the loop until one Deferred or awaitable is done."""

    _running: ReactorDriver | None = None

    @classmethod
    def started(cls) -> ReactorDriver:
        """The one driver of this process, its reactor started on first use."""
        if cls._running is None:
            cls._running = cls()
        return cls._running

    def __init__(self):
        from scrapy.utils.reactor import install_reactor

        install_reactor(ASYNCIO_REACTOR)
        from twisted.internet import reactor

        self.reactor = reactor
        self.loop: asyncio.AbstractEventLoop = reactor._asyncioEventloop
        reactor.startRunning(installSignalHandlers=False)

    def wait(self, awaited, timeout: float = 30.0):
        """The result of `awaited` (a Deferred, coroutine or future), raising what it raised."""
        if hasattr(awaited, "asFuture"):
            awaited = awaited.asFuture(self.loop)
        return self.loop.run_until_complete(asyncio.wait_for(_awaitable(awaited), timeout))

    def pause(self, seconds: float) -> None:
        """Let the reactor run its timers and threads' callbacks for `seconds`."""
        self.loop.run_until_complete(asyncio.sleep(seconds))

    def stop(self) -> None:
        """Fire the reactor's shutdown triggers, which stop its thread pool (else the
        interpreter would wait for that pool's threads at exit). Once is enough."""
        if self.reactor.running:
            self.reactor.stop()
            self.loop.run_forever()


async def _awaitable(awaited: Awaitable):
    return await awaited


@pytest.fixture(scope="session")
def reactor_driver() -> Iterator[ReactorDriver]:
    # Each test module that imports this fixture has a session-scoped copy of it;
    # they share the one driver, and the first teardown, at the session's end, stops it.
    driver = ReactorDriver.started()
    yield driver
    driver.stop()


@pytest.fixture
def crawl_config(tmp_path: Path, database_url: str) -> Iterator[Config]:
    """A data directory and a fresh catalog for one test's crawls; the catalog pools are closed after it."""
    config = Config(data_dir=tmp_path / "data", database_url=database_url, outlets_file=None)
    try:
        yield config
    finally:
        close_catalogs()


def arsip_settings(config: Config, outlets_file: Path | None = None, **overrides) -> dict:
    """arsip's project settings (crawler/settings.py) for `config`, quick and in request order, plus `overrides`."""
    settings = {name: getattr(project_settings, name) for name in dir(project_settings) if name.isupper()}
    settings.update(
        ARSIP_DATA_DIR=str(config.data_dir), ARSIP_DATABASE_URL=config.database_url,
        ARSIP_OUTLETS=str(outlets_file) if outlets_file else None,
        LOG_LEVEL="ERROR", AUTOTHROTTLE_ENABLED=False, ROBOTSTXT_OBEY=False, CONCURRENT_REQUESTS=1,
        RETRY_ENABLED=False, ARSIP_PROGRESS_INTERVAL=0,
    )
    settings.update(overrides)
    return settings


class FetchSpider(scrapy.Spider):
    """Fetches the URLs it is given, in order, and keeps the bodies it was handed."""

    name = "fetch"
    custom_settings = {"HTTPERROR_ALLOW_ALL": True}

    def __init__(self, urls: list[str], outlet=None, **kwargs):
        super().__init__(**kwargs)
        self.urls = urls
        if outlet is not None:
            self.outlet = outlet
        self.bodies: dict[str, bytes] = {}

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, dont_filter=True)

    def parse(self, response):
        self.bodies[response.url] = response.body


@dataclass
class Page:
    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=lambda: [("Content-Type", "text/html; charset=utf-8")])


class Site:
    """An HTTP server on 127.0.0.1 answering each path with its `Page` (404 for the rest)."""

    def __init__(self, pages: dict[str, Page] | None = None):
        self.pages: dict[str, Page] = dict(pages or {})
        self.requested: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                site.requested.append(self.path)
                page = site.pages.get(self.path, Page(404, b"not here"))
                self.send_response(page.status)
                for name, value in page.headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                self.wfile.write(page.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.server.server_port}"

    def url(self, path: str) -> str:
        return f"http://{self.host}{path}"

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def write_outlet(site: Site, path: Path, key: str = "kabar") -> Path:
    """An outlet file whose one outlet, `key`, is `site` (articles under /berita/)."""
    host = site.host.replace(".", r"\.")
    path.write_text(
        f'[outlets.{key}]\nname = "Kabar"\ndomains = ["{site.host}"]\ntopics = ["{site.url("/")}"]\n'
        f"article_url = '^http://{host}/berita/(?P<id>\\d+)$'\n", encoding="utf-8")
    return path
