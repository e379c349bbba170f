"""The checkout is a Scrapy project: `scrapy list` and `scrapy crawl <outlet>` work as Scrapy users expect."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg

from fakeoutlet.news import news_site

ROOT = Path(__file__).resolve().parent.parent
SCRAPY = str(Path(sys.executable).with_name("scrapy"))


def test_scrapy_list_names_one_spider_per_outlet(arsip_env, tmp_path):
    extra = tmp_path / "extra.toml"
    extra.write_text('[outlets.kabar]\nname = "Kabar"\ndomains = ["kabar.example"]\n'
                     'topics = ["https://kabar.example/"]\narticle_url = "^https://kabar.example/berita/.+$"\n')
    result = subprocess.run([SCRAPY, "list"], cwd=ROOT, env=dict(arsip_env, ARSIP_OUTLETS=str(extra)),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    spiders = result.stdout.split()
    assert {"inews", "analisadaily", "detik", "kompas", "kabar"} <= set(spiders)
    assert spiders == sorted(spiders)


def test_scrapy_crawl_writes_warcs_and_catalog(arsip_env, database_url, tmp_path):
    with news_site(articles=4, topic_pages=1, specials=False) as site:
        outlets = site.write_outlet_file(tmp_path / "outlets.toml")
        result = subprocess.run([SCRAPY, "crawl", "testnews", "-s", "AUTOTHROTTLE_ENABLED=False"], cwd=ROOT,
                                env=dict(arsip_env, ARSIP_OUTLETS=str(outlets)), capture_output=True, text=True,
                                timeout=120)
    assert result.returncode == 0, result.stderr
    warcs = list((Path(arsip_env["ARSIP_DATA_DIR"]) / "warcs").glob("*.warc.gz"))
    assert warcs
    with psycopg.connect(database_url) as conn:
        urls = {row[0] for row in conn.execute("SELECT url FROM captures")}
    assert {site.article_url(i) for i in site.article_ids} <= urls
