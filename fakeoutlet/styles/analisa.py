"""demo-analisa, styled after Analisadaily.com: one topic page /analisa/internasional,
articles at /analisa/berita/baca/YYYY/MM/DD/<number>/<slug>/ (any other path with the
article's number redirects there), the writer's initials, "(CSP)", closing the body."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote

from fakeoutlet.newsroom import Article
from fakeoutlet.site import FakeOutlet, Missing, Page, Redirect, Route, Topic, Visit
from fakeoutlet.styles.portal import (BULAN, HARI, WIB, PortalStyle, esc, lede, relative, shorten, slugify,
                                      template, thousands, today)

TOPIC = "/analisa/internasional"
_ARTICLE = re.compile(r"/analisa/berita/baca/(\d{4})/(\d{2})/(\d{2})/(\d+)/([^/]+)(/?)")
SELECTORS = {"title": "#data h3", "body": "#data .isiNews p", "captions": "#data .imgNews .caption"}


def _date(d) -> str:
    d = d.astimezone(WIB)
    return f"{HARI[d.weekday()]}, {d.day} {BULAN[d.month - 1][:3]} {d.year} | {d:%H:%M} WIB"


class AnalisaStyle(PortalStyle):
    prefix = "/analisa"
    article_pattern = r"/analisa/berita/baca/\d{4}/\d{2}/\d{2}/(?P<id>\d+)/[a-z0-9-]+/"

    def path(self, outlet: FakeOutlet, article: Article) -> str:
        d = article.published.astimezone(WIB)
        return f"/analisa/berita/baca/{d:%Y/%m/%d}/{article.number}/{article.slug}/"

    def route(self, outlet: FakeOutlet, path: str, query: dict[str, list[str]]) -> tuple[Route, bool] | None:
        if path.startswith("/analisa/assets/"):
            return self.asset(path), False
        if path in ("/analisa", "/analisa/"):
            return Redirect(TOPIC, 302), False
        if path in (TOPIC, TOPIC + "/"):
            return Topic(1), False
        m = _ARTICLE.fullmatch(path)
        if m is None:
            return None
        article = outlet.newsroom.find(number=m.group(4))
        if article is None:
            return Missing(), True
        if path != self.path(outlet, article):  # old slug, wrong date or missing slash: to the canonical URL
            return Redirect(self.path(outlet, article)), True
        return Page(article), True

    def _layout(self, outlet: FakeOutlet, visit: Visit, *, page_title: str, description: str, keywords: str,
                canonical: str, head_extra: str, main: str) -> str:
        terpopuler = "\n".join(
            f'      <li><a href="{self.path(outlet, a)}">{esc(a.title)}</a> <span class="dibaca">Dibaca '
            f'{thousands(visit.rng.randint(200, 9000))} kali</span></li>'
            for a in self.others(outlet, None, 5, visit))
        return template("analisa_layout.html").substitute(
            page_title=esc(page_title), description=esc(description), keywords=esc(keywords),
            canonical=esc(canonical), head_extra=head_extra, main=main, terpopuler=terpopuler,
            today_label=today(datetime.now(WIB)), poll_votes=thousands(visit.rng.randint(100, 5000)),
            **self.tokens(visit))

    def topic(self, outlet: FakeOutlet, number: int, visit: Visit) -> str:
        items = "\n".join(f"""    <div class="item">
      <a href="{self.path(outlet, a)}"><img src="/analisa/assets/foto/{a.number}.svg" alt="{esc(a.title)}" width="120" height="68" /></a>
      <h4><a href="{self.path(outlet, a)}">{esc(a.title)}</a></h4>
      <span class="tgl">{_date(a.published)}</span> <span class="lalu">({relative(visit.rng, i * 6)})</span>
      <p class="ringkas">{esc(shorten(a.paragraphs[0], 140))}</p>
    </div>""" for i, a in enumerate(outlet.newsroom.topic_page(number)))
        main = template("analisa_topic.html").substitute(items=items)
        return self._layout(outlet, visit, page_title="Berita Internasional | Analisadaily.com",
                            description="Berita internasional terkini", keywords="berita internasional, analisa",
                            canonical=visit.base + TOPIC, head_extra="", main=main)

    def article(self, outlet: FakeOutlet, article: Article, page: int | str, visit: Visit,
                truncated: bool = False) -> str:
        url = visit.base + self.path(outlet, article)
        content = [f"    <p>{esc(p)}</p>" for p in (article.paragraphs[:1] if truncated else article.paragraphs)]
        content += [f"    <p><em>{esc(note)}</em></p>" for note in article.notes]
        if article.byline:  # the writer's initials
            content.append(f"    <p>({esc(article.byline)})</p>")
        baca = "\n".join(f'    <li><a href="{self.path(outlet, r)}">{esc(r.title)}</a></li>'
                         for r in self.others(outlet, article.key, 3, visit))
        rekomendasi = "\n".join(
            f'    <li><a href="{self.path(outlet, r)}">{esc(r.title)}</a> <span class="lalu">{relative(visit.rng, i * 5)}</span></li>'
            for i, r in enumerate(self.others(outlet, article.key, 4, visit)))
        image = f"{visit.base}/analisa/assets/foto/{article.number}.svg"
        main = template("analisa_article.html").substitute(
            headline=esc(article.title), date_news=_date(article.published),
            views=thousands(visit.site.count_view(article.key)), image=image, caption=esc(article.caption),
            content="\n".join(content), canonical_q=quote(url, safe=""), shares=visit.rng.randint(0, 250),
            tags=", ".join(f'<a href="/analisa/tag/{slugify(t)}">{esc(t)}</a>' for t in article.tags),
            baca_juga=baca, rekomendasi=rekomendasi)
        head = "\n".join([
            '<meta property="og:type" content="article" />',
            '<meta property="og:site_name" content="Analisadaily.com" />',
            f'<meta property="og:title" content="{esc(article.title)}" />',
            f'<meta property="og:description" content="{esc(lede(article))}" />',
            f'<meta property="og:url" content="{esc(url)}" />',
            f'<meta property="og:image" content="{esc(image)}" />',
            f'<meta property="article:published_time" content="{article.published.isoformat()}" />',
        ])
        return self._layout(outlet, visit, page_title=f"{article.title} | Analisadaily.com", description=lede(article),
                            keywords=", ".join(article.tags), canonical=url, head_extra=head, main=main)
