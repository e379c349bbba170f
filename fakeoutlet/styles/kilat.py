"""Kilat, a detik.com-like outlet of the realistic web (fakeoutlet/realistic.py): topic page
/kilat/indeks, articles at /kilat/berita/d-<number>/<slug> (an old slug redirects, 301),
each with an AMP copy at /kilat/amp/berita/d-<number>/<slug>, linked from its page
(rel=amphtml) and from the topic page: `<html amp>`, `<amp-img>`, the caption in a
`<figcaption>`. `RedesignedKilatStyle` is the outlet's new template (other classes; the
caption in a `<p>` outside the body, and in JSON-LD `image.caption`); the AMP copy keeps
its own markup through the redesign."""

from __future__ import annotations

import re

from fakeoutlet.newsroom import Article
from fakeoutlet.site import FakeOutlet, Page, Redirect, Route, Visit
from fakeoutlet.styles.portal import (BULAN, HARI, WIB, LiveStyle, article_meta, attrs, comments_html, esc, hashed,
                                      news_article_ld, newsletter_html, paragraph_html)

TOPIC = "/kilat/indeks"
SELECTORS = {"title": "h1.detail__title", "byline": "div.detail__author", "body": "div.detail__body-text"}


def _when(d) -> str:
    d = d.astimezone(WIB)
    return f"{HARI[d.weekday()]}, {d.day:02d} {BULAN[d.month - 1][:3]} {d.year} {d:%H:%M} WIB"


class KilatStyle(LiveStyle):
    prefix = "/kilat"
    publisher = "kilat.test"
    article_pattern = r"/kilat/(?:[a-z0-9-]+/)+d-(?P<id>\d+)/[a-z0-9-]+"
    topic_path = TOPIC
    article_re = re.compile(r"/kilat/(?P<amp>amp/)?berita/d-(?P<number>\d+)/(?P<slug>[a-z0-9-]+)")
    caption_in_ld = False  # the image's caption in JSON-LD too

    def path(self, outlet: FakeOutlet, article: Article) -> str:
        return f"/kilat/berita/d-{article.number}/{article.slug}"

    def amp_path(self, outlet: FakeOutlet, article: Article) -> str:
        return f"/kilat/amp/berita/d-{article.number}/{article.slug}"

    def article_route(self, outlet: FakeOutlet, article: Article, m: re.Match[str],
                      query: dict[str, list[str]]) -> Route:
        amp = bool(m.group("amp"))
        if m.group("slug") != article.slug:
            return Redirect((self.amp_path if amp else self.path)(outlet, article))
        return Page(article, "amp" if amp else 1)

    def page(self, outlet: FakeOutlet, visit: Visit, title: str, head: list[str], main: str) -> str:
        rng = visit.rng
        return f"""<!DOCTYPE html>
<html lang="id-ID"><head><meta charset="utf-8"><title>{esc(title)}</title>
{chr(10).join(head)}
<script>var dtk_uid = "{rng.getrandbits(64):x}";</script></head>
<body><header class="header"><a href="{TOPIC}" class="logo">kilat</a><nav><a href="{TOPIC}">Indeks</a> <a href="/">Home</a></nav></header>
<div class="container"><div class="column-8">
{main}
</div><div class="column-4">{self.most_read(outlet, visit)}</div></div>
<footer class="footer">kilat.test - Copyright 2021<!-- {rng.getrandbits(48):x} --></footer>
</body></html>
"""

    def topic(self, outlet: FakeOutlet, number: int, visit: Visit) -> str:
        items = "\n".join(
            f'<article class="list-content__item"><h3 class="media__title"><a href="{self.path(outlet, a)}">'
            f'{esc(a.title)}</a></h3><a class="media__amp" href="{self.amp_path(outlet, a)}">AMP</a>'
            f'<div class="media__date">{_when(a.published)}</div></article>'
            for a in outlet.newsroom.topic_page(number))
        return self.page(outlet, visit, "Indeks Berita - kilat", [f'<link rel="canonical" href="{visit.base}{TOPIC}">'],
                         f'<div class="list-content">{items}</div>')

    def _notes(self, article: Article) -> list[str]:
        return [f'<p class="ralat"><strong>{esc(label)}:</strong> {esc(rest)}</p>'
                for label, _, rest in (note.partition(": ") for note in article.notes)]

    def article(self, outlet: FakeOutlet, article: Article, page: int | str, visit: Visit,
                truncated: bool = False) -> str:
        if page == "amp":
            return self.amp(outlet, article, visit, truncated)
        blocks = self.body_blocks(outlet, article, article.paragraphs[:1] if truncated else article.paragraphs, visit)
        url, image = visit.base + self.path(outlet, article), visit.base + f"/kilat/foto/{article.number}.jpg"
        head = [*article_meta(article, url, image), f'<link rel="amphtml" href="{self.amp_path(outlet, article)}">',
                news_article_ld(article, url, image, self.publisher, caption=self.caption_in_ld, correction="full")]
        return self.page(outlet, visit, article.title, head, self.main(outlet, article, blocks, visit))

    def main(self, outlet: FakeOutlet, article: Article, blocks: list[str], visit: Visit) -> str:
        """The article part of the page around its body `blocks`."""
        rng = visit.rng
        return f"""<article{attrs(rng, class_="detail " + hashed(rng, "detail"), id="detail")}>
<div class="detail__header"><h1 class="detail__title">{esc(article.title)}</h1>
<div class="detail__author">{esc(article.byline or "")}</div>
<div class="detail__date">{_when(article.published)}</div> {self.updated_line(visit)} {self.views(article, visit)}</div>
<figure class="detail__media-image"><img src="/kilat/foto/{article.number}.jpg" alt="{esc(article.title)}"><figcaption class="detail__media-caption">{esc(article.caption)}</figcaption></figure>
<div class="detail__body-text itp_bodycontent">
{chr(10).join(blocks + self._notes(article))}
</div>
{newsletter_html(rng, "id")}
{comments_html(rng, "id")}
</article>"""

    def amp(self, outlet: FakeOutlet, article: Article, visit: Visit, truncated: bool) -> str:
        """The AMP copy: its own markup, the same before and after the redesign."""
        rng, canonical = visit.rng, visit.base + self.path(outlet, article)
        shown = article.paragraphs[:1] if truncated else article.paragraphs
        body = "\n".join([paragraph_html(p, rng) for p in shown] + self._notes(article))
        ld = news_article_ld(article, canonical, visit.base + f"/kilat/foto/{article.number}.jpg", self.publisher,
                             correction="full")
        return f"""<!doctype html>
<html amp lang="id"><head><meta charset="utf-8"><title>{esc(article.title)}</title>
<link rel="canonical" href="{canonical}"><meta name="viewport" content="width=device-width">
<script async src="https://cdn.ampproject.org/v0.js"></script>
{ld}
<style amp-custom>.{hashed(rng, "amp").split()[1]}{{margin:0}}</style></head>
<body><header class="amp-header"><a href="{TOPIC}">kilat</a></header>
<article class="amp-detail"><h1 class="amp-title">{esc(article.title)}</h1>
<div class="amp-author">{esc(article.byline or "")}</div><div class="amp-date">{_when(article.published)}</div>
<figure class="amp-figure"><amp-img src="/kilat/foto/{article.number}.jpg" width="640" height="360" layout="responsive"></amp-img><figcaption>{esc(article.caption)}</figcaption></figure>
<div class="amp-body">
{body}
</div>
<amp-ad width="300" height="250" type="doubleclick" data-slot="/{rng.randrange(10**6, 10**7)}/amp"></amp-ad>
</article></body></html>
"""


class RedesignedKilatStyle(KilatStyle):
    """Kilat's new template from midway: other classes, the caption in a `<p>` outside the body
    section (and in JSON-LD `image.caption`), the same text."""

    caption_in_ld = True

    def main(self, outlet: FakeOutlet, article: Article, blocks: list[str], visit: Visit) -> str:
        rng = visit.rng
        return f"""<main{attrs(rng, class_="dtl " + hashed(rng, "dtl"), data_id=str(article.number))}>
<h1 class="dtl-title">{esc(article.title)}</h1>
<div class="dtl-meta"><span class="dtl-author">{esc(article.byline or "")}</span> <time>{_when(article.published)}</time> {self.updated_line(visit)} {self.views(article, visit)}</div>
<div class="dtl-photo"><img src="/kilat/foto/{article.number}.jpg" alt="{esc(article.title)}"></div>
<p class="dtl-caption">{esc(article.caption)}</p>
<section class="dtl-body">
{chr(10).join(blocks + self._notes(article))}
</section>
{newsletter_html(rng, "id")}
{comments_html(rng, "id")}
</main>"""
