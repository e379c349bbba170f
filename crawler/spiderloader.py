"""Scrapy's spider loader for arsip: one spider class per configured outlet.

Spiders are made from the outlet definitions rather than found in modules, so
a new outlet in a TOML file is a new spider for `scrapy list`, `scrapy crawl`
and Scrapyd, with no Python to write.
"""

from __future__ import annotations


from archive.config import load_config
from archive.outlet import load_outlets
from crawler.spiders.outlet import spider_class_for


class OutletSpiderLoader:
    def __init__(self, settings):
        config = load_config(outlets_file=settings.get("ARSIP_OUTLETS"))
        self._spiders = {key: spider_class_for(outlet) for key, outlet in load_outlets(config.outlets_file).items()}

    @classmethod
    def from_settings(cls, settings):
        return cls(settings)

    def load(self, spider_name: str):
        try:
            return self._spiders[spider_name]
        except KeyError:
            raise KeyError(f"Spider not found: {spider_name}") from None

    def list(self) -> list[str]:
        return sorted(self._spiders)

    def find_by_request(self, request) -> list[str]:
        return [key for key, cls in sorted(self._spiders.items()) if cls.outlet.owns(request.url)]
