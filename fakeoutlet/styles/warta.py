"""Warta, a Kompas.com-like outlet of the realistic web (fakeoutlet/realistic.py): topic page
/warta/nasional, articles at /warta/read/YYYY/MM/DD/<number>/<slug>, split ones over
`?page=2`, `?page=3` (rel=next/prev, every page's canonical the whole article's
`?page=all`), `?page=all` the whole article. An old slug is a 404 (no redirect); a page
past the last redirects to the article. Title, date, byline and body in Kompas's classes."""

from __future__ import annotations

import re

from fakeoutlet.newsroom import Article
from fakeoutlet.site import FakeOutlet, Missing, Page, Redirect, Route, Visit
from fakeoutlet.styles.portal import (WIB, LiveStyle, article_meta, attrs, comments_html, esc, hashed,
                                      news_article_ld, newsletter_html, shorten)

TOPIC = "/warta/nasional"
SELECTORS = {"title": ".read__title", "body": ".read__content"}


def _when(d) -> str:
    return f"{d.astimezone(WIB):%d/%m/%Y, %H:%M} WIB"


class WartaStyle(LiveStyle):
    prefix = "/warta"
    publisher = "Warta.test"
    article_pattern = r"/warta/read/(?P<id>\d{4}/\d{2}/\d{2}/\d+)/[a-z0-9-]+"
    article_tail = ""  # as users write it: `?page=2` and `?page=all` match too
    topic_path = TOPIC
    article_re = re.compile(r"/warta/read/\d{4}/\d{2}/\d{2}/(?P<number>\d+)/(?P<slug>[a-z0-9-]+)")

    def __init__(self, whole_links: frozenset = frozenset()):
        self.whole_links = whole_links  # keys of articles the topic page also links as `?page=all`

    def path(self, outlet: FakeOutlet, article: Article) -> str:
        return f"/warta/read/{article.published.astimezone(WIB):%Y/%m/%d}/{article.number}/{article.slug}"

    def article_route(self, outlet: FakeOutlet, article: Article, m: re.Match[str],
                      query: dict[str, list[str]]) -> Route:
        if m.group(0) != self.path(outlet, article):  # an old slug: no redirect
            return Missing()
        which = query.get("page", ["1"])[0]
        if which == "all":
            return Page(article, "all")
        if not which.isdigit() or int(which) < 1:
            return Missing()
        if int(which) > len(article.pages):
            return Redirect(self.path(outlet, article), 302)
        return Page(article, int(which))

    def page(self, outlet: FakeOutlet, visit: Visit, title: str, head: list[str], main: str) -> str:
        rng = visit.rng
        return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>{esc(title)} - Warta.test</title>
{chr(10).join(head)}
<script>window.kmpTracker={{"sid":"{rng.getrandbits(64):x}"}};</script></head>
<body><header{attrs(rng, class_=hashed(rng, "header"), role="banner")}><a href="/warta/nasional" class="logo">Warta.test</a>
<nav><a href="/warta/nasional">Nasional</a> <a href="/">Beranda</a></nav></header>
<div class="row"><div class="col-bs10-7">
{main}
</div><div class="col-bs10-3">{self.most_read(outlet, visit)}</div></div>
<footer><p>Copyright 2008 - 2021 Warta.test. All rights reserved.</p><!-- {rng.getrandbits(48):x} --></footer>
</body></html>
"""

    def topic(self, outlet: FakeOutlet, number: int, visit: Visit) -> str:
        items = []
        for a in outlet.newsroom.topic_page(number):
            url = self.path(outlet, a)
            whole = f' <a class="read-all" href="{url}?page=all">Baca selengkapnya</a>' if a.key in self.whole_links else ""
            items.append(f'<div class="article__list"><h3 class="article__title"><a href="{url}">{esc(a.title)}</a></h3>'
                         f'<div class="article__date">{_when(a.published)}</div>{whole}</div>')
        return self.page(outlet, visit, "Berita Nasional", [f'<link rel="canonical" href="{visit.base}{TOPIC}">'],
                         '<div class="latest">' + "\n".join(items) + "</div>")

    def article(self, outlet: FakeOutlet, article: Article, page: int | str, visit: Visit,
                truncated: bool = False) -> str:
        rng, url = visit.rng, self.path(outlet, article)
        count = len(article.pages)
        number = count if page == "all" else page
        shown = article.paragraphs if page == "all" else list(article.pages[page - 1])
        blocks = self.body_blocks(outlet, article, shown[:1] if truncated else shown, visit)
        if number == count:
            for note in article.notes:
                label, _, rest = note.partition(": ")
                blocks.append(f"<p><strong>{esc(label)}:</strong> {esc(rest)}</p>")
        head = [*article_meta(article, visit.base + url + ("?page=all" if count > 1 else ""), visit.base + "/photo.jpg"),
                news_article_ld(article, visit.base + url, visit.base + "/photo.jpg", self.publisher)]
        pager = ""
        if count > 1 and page != "all":
            links = []
            if number > 1:
                prev = url if number == 2 else f"{url}?page={number - 1}"
                head.append(f'<link rel="prev" href="{prev}">')
                links.append(f'<a class="paging__link--prev" rel="prev" href="{prev}">Sebelumnya</a>')
            links.append(f"<span>Halaman {number} dari {count}</span>")
            if number < count:
                head.append(f'<link rel="next" href="{url}?page={number + 1}">')
                links.append(f'<a class="paging__link--next" rel="next" href="{url}?page={number + 1}">Selanjutnya</a>')
            links.append(f'<a class="paging__link--show" href="{url}?page=all">Tampilkan semua</a>')
            pager = '<div class="paging">' + " ".join(links) + "</div>"
        modified = (f' <span class="read__time--updated">Diperbarui {_when(article.modified)}</span>'
                    if article.modified else "")
        main = f"""<div class="read__header"><h1 class="read__title">{esc(article.title)}</h1>
<div class="read__time">Warta.test - {_when(article.published)}{modified} {self.updated_line(visit)} {self.views(article, visit)}</div>
<div class="read__credit"><div class="credit-title-name">Penulis {esc(article.byline or "")}</div></div></div>
<div class="photo"><img src="/photo.jpg" alt="{esc(article.title)}"><div class="photo__caption">{esc(article.caption)}</div></div>
<div{attrs(rng, class_="read__content", data_track=hashed(rng, "r"))}><div class="clearfix">
{chr(10).join(blocks)}
</div></div>
{pager}
{newsletter_html(rng, "id")}
{comments_html(rng, "id")}"""
        suffix = f" Halaman {number}" if page != "all" and number > 1 else ""
        return self.page(outlet, visit, shorten(article.title, 100) + suffix, head, main)
