"""What every arsip component inside a Scrapy crawl shares: config, outlets and the catalog.

Built once per crawler from its settings (falling back to the environment), so a
spider, the WARC middleware and the run log agree on where things go. The
catalog connection is shared by every crawler in the process.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archive.catalog.db import Catalog, open_catalog
from archive.config import Config, load_config
from archive.outlet import Outlet, load_outlets

_catalogs: dict[tuple, Catalog] = {}


@dataclass
class CrawlContext:
    config: Config
    outlets: dict[str, Outlet]

    @classmethod
    def of(cls, crawler) -> "CrawlContext":
        """The context of `crawler`, made on first use."""
        context = getattr(crawler, "_arsip_context", None)
        if context is None:
            context = cls.from_settings(crawler.settings)
            crawler._arsip_context = context
        return context

    @classmethod
    def from_settings(cls, settings) -> "CrawlContext":
        config = load_config(
            data_dir=settings.get("ARSIP_DATA_DIR"),
            database_url=settings.get("ARSIP_DATABASE_URL"),
            outlets_file=settings.get("ARSIP_OUTLETS"),
        )
        max_size = settings.getint("ARSIP_WARC_MAX_SIZE") if settings.get("ARSIP_WARC_MAX_SIZE") else None
        if max_size:
            config = Config(config.data_dir, config.database_url, config.outlets_file, max_size)
        return cls(config=config, outlets=load_outlets(config.outlets_file))

    @property
    def catalog(self) -> Catalog:
        """The process-wide catalog for this config, opened (and migrated) on first use."""
        key = (self.config.database_url, str(self.config.data_dir))
        if key not in _catalogs:
            _catalogs[key] = open_catalog(self.config)
        return _catalogs[key]

    @property
    def warc_dir(self) -> Path:
        return self.config.warc_dir


def close_catalogs() -> None:
    """Close every catalog pool this process opened (the CLI calls this when a crawl ends)."""
    while _catalogs:
        _, catalog = _catalogs.popitem()
        catalog.close()
