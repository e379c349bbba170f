"""Test News, the site nearly every crawl test runs against: `news_site(articles=12, ...)`.

Ordinary articles 1..articles (skipping 101..107) are generated text, listed over
`topic_pages` topic pages; tests edit them between crawls (`FakeSite.edit_article`,
`delete_article`) and switch failures on and off (`soft_error`, `truncate`,
`unavailable`, `redesign`). Special URLs, linked from topic page 1 unless
`specials=False`:

    /robots.txt                     User-agent: * / Disallow: /private/
    /news/, /news/?page=K           topic pages 1..topic_pages, rel=next to K+1
    /news/<id>-<slug>               ordinary articles (gzip when accepted)
    /news/101-chunked-story         Transfer-Encoding: chunked, hand-framed
    /news/102-split-story[/2|/3]    one article over three pages (rel=next)
    /news/103-old-slug              301 -> /news/103-new-slug (an article)
    /news/104-gone                  404
    /news/105-down                  503, Retry-After: 1
    /news/106-huge-story            200, about 3 MB, Content-Length set
    /news/107-slow-story            answers after `slow` seconds (default 5)
    /private/1-secret-article       an article behind robots.txt
    anything else                   404

`delay`: seconds every /news/<id>- URL waits first. Article text never depends on
the round; only the boilerplate does.
"""

from __future__ import annotations

from dataclasses import replace

from fakeoutlet.newsroom import Article, Behaviour, Newsroom
from fakeoutlet.site import FakeOutlet, FakeSite
from fakeoutlet.styles.news import PRIVATE_PATH, NewsStyle, RedesignedNewsStyle
from fakeoutlet.words import SITE_NAME, make_article

# Ids 101..107 belong to the special URLs; ordinary articles never use them.
SPECIAL_IDS = frozenset(range(101, 108))
SPECIAL_PATHS = {
    "chunked": "/news/101-chunked-story",
    "split": "/news/102-split-story",
    "split_2": "/news/102-split-story/2",
    "split_3": "/news/102-split-story/3",
    "redirect": "/news/103-old-slug",
    "redirect_target": "/news/103-new-slug",
    "gone": "/news/104-gone",
    "down": "/news/105-down",
    "huge": "/news/106-huge-story",
    "slow": "/news/107-slow-story",
    "private": PRIVATE_PATH,
}
# What topic page 1 links (when `specials` is on), in page order.
_HIGHLIGHTS = (
    ("chunked", "Laporan Khusus: Kisah Nelayan Natuna Menjaga Laut Utara"),
    ("split", "Liputan Mendalam: Jejak Rempah dari Maluku ke Eropa"),
    ("redirect", "Pemerintah Umumkan Jadwal Libur Nasional Terbaru"),
    ("gone", "Artikel Ini Sudah Dihapus Redaksi"),
    ("down", "Server Sedang Dalam Pemeliharaan"),
    ("huge", "Arsip Lengkap Transkrip Sidang Paripurna"),
    ("slow", "Tunggu Sebentar: Liputan yang Lambat Dimuat"),
)
HUGE_SIZE = 3 * 1024 * 1024


def _special(key: int, slug: str, name: str, n_pages: int = 1, **serving) -> Article:
    return replace(make_article(key, slug, dict(_HIGHLIGHTS)[name], n_pages), listed=False, **serving)


def _articles(count: int, slow: float) -> list[Article]:
    ordinary = [n for n in range(1, count + len(SPECIAL_IDS) + 1) if n not in SPECIAL_IDS][:count]
    private = make_article(1, slug="secret-article", seed="arsip-test-private",
                           title="Dokumen Rahasia Rapat Internal Redaksi")
    return [
        *(make_article(n) for n in ordinary),
        _special(101, "chunked-story", "chunked", behaviours=frozenset({Behaviour.CHUNKED})),
        _special(102, "split-story", "split", n_pages=3),
        _special(103, "old-slug", "redirect"),
        _special(104, "gone", "gone"),
        _special(105, "down", "down", behaviours=frozenset({Behaviour.UNAVAILABLE})),
        _special(106, "huge-story", "huge", padding=HUGE_SIZE),
        _special(107, "slow-story", "slow", wait=slow),
        replace(private, key=0, path=PRIVATE_PATH, listed=False),
    ]


def news_site(articles: int = 12, topic_pages: int = 5, delay: float = 0.0, *, specials: bool = True,
              slow: float = 5.0, port: int = 0) -> FakeSite:
    """Test News with `articles` ordinary articles over `topic_pages` topic pages (see the module)."""
    if articles < 0 or topic_pages < 1:
        raise ValueError("articles must be >= 0 and topic_pages >= 1")
    newsroom = Newsroom(_articles(articles, slow), topic_pages=topic_pages)
    newsroom.edit(103, slug="new-slug")  # the old slug redirects
    newsroom.delete(104)
    highlights = tuple((SPECIAL_PATHS[name], title) for name, title in _HIGHLIGHTS) if specials else ()
    outlet = FakeOutlet("testnews", SITE_NAME, newsroom, NewsStyle(highlights), "/news/", topic_depth=3,
                        redesign=RedesignedNewsStyle(highlights))
    return FakeSite([outlet], disallow="/private/", article_delay=delay, server_name="TestNews/1.0", port=port)
