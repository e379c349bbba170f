"""Bench News: the markup of the benchmark outlet, about 40 KB an article.

Realistic boilerplate as an outlet ships it in every page (a large inline stylesheet,
an analytics and ads script, menus, "Baca Juga", "Berita Terkini"), og:/article: meta
and, unless switched off, a JSON-LD NewsArticle. Nothing churns: every page is
rendered once and kept, so that serving costs the server little (docs/benchmark-notes.md).
"""

from __future__ import annotations

import html
import json
import re

from fakeoutlet.newsroom import Article
from fakeoutlet.server import Response
from fakeoutlet.site import FakeOutlet, Missing, Route, Style, Topic, Visit
from fakeoutlet.styles import numbered

MENU = [
    "Nasional", "Internasional", "Ekonomi", "Megapolitan", "Regional", "Olahraga",
    "Sepak Bola", "Teknologi", "Otomotif", "Gaya Hidup", "Kesehatan", "Hiburan",
    "Seleb", "Travel", "Kuliner", "Pendidikan", "Hukum", "Politik", "Opini", "Video",
    "Foto", "Infografis", "Cek Fakta", "Indeks",
]

# Sized so an article is about 40 KB.
STYLE = "\n".join(
    f".c{i}{{margin:{i % 7}px {i % 5}px;padding:{i % 3}px;color:#{i * 2731 % 0xFFFFFF:06x};"
    f"font:{12 + i % 6}px/1.{i % 9} 'Roboto',Arial,sans-serif;border-bottom:1px solid #eee}}"
    for i in range(90)
)
SCRIPT = "\n".join(
    f"window.dataLayer=window.dataLayer||[];dataLayer.push({{'event':'slot{i}','adUnit':"
    f"'/1234567/bench/news/slot{i}','sizes':[[300,250],[336,280]],'targeting':{{'pos':'{i}'}}}});"
    for i in range(50)
)

# CSS selectors an outlet file declares for this markup (bench/run.py crawls with and without).
SELECTORS = {"title": "article h1.title", "byline": "article .byline", "published": "article time.date",
             "body": "article .content"}


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())[:80]


class BenchStyle(Style):
    churns = False
    article_pattern = numbered.ARTICLE_PATTERN

    def __init__(self, json_ld: bool = True):
        self.json_ld = json_ld

    def route(self, outlet: FakeOutlet, path: str, query: dict[str, list[str]]) -> tuple[Route, bool] | None:
        if path == "/news/":
            return (Topic(int(query["page"][0])) if query.get("page", [""])[0].isdigit()
                    else Topic(1) if not query else Missing()), False
        return numbered.route_article(outlet, path)

    def path(self, outlet: FakeOutlet, article: Article) -> str:
        return numbered.article_path(article)

    def not_found(self, visit: Visit) -> Response:
        response = self.html(404, "<h1>404 Tidak ditemukan</h1>", visit)
        response.content_type = "text/html"
        return response

    def _layout(self, title: str, head: str, main: str, aside: str) -> str:
        menu = "".join(f'<li class="c{n}"><a href="/{slug(m)}/">{m}</a></li>' for n, m in enumerate(MENU))
        footer = "".join(f'<a href="/{slug(m)}/indeks">Indeks {m}</a> ' for m in MENU)
        return (
            '<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)} - Bench News</title>"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"{head}<style>{STYLE}</style>"
            f'<script async src="/static/gpt.js"></script><script>{SCRIPT}</script></head>\n'
            f'<body><header class="c1"><a class="logo" href="/">Bench News</a>'
            f'<nav><ul class="menu">{menu}</ul></nav></header>\n'
            f'<main class="c2">{main}</main>\n<aside class="c3">{aside}</aside>\n'
            f'<footer class="c4"><div class="links">{footer}</div>'
            "<p>&copy; 2024 Bench News. Hak cipta dilindungi undang-undang.</p></footer>"
            "</body></html>\n"
        )

    def _link_list(self, outlet: FakeOutlet, heading: str, keys) -> str:
        items = "".join(
            f'<li><a href="{self.path(outlet, a)}">{html.escape(a.title)}</a>'
            f'<span class="time">{(a.key * 7) % 59 + 1} menit lalu</span></li>'
            for a in map(outlet.newsroom.get, keys)
        )
        return f'<section class="c5"><h3>{heading}</h3><ul>{items}</ul></section>'

    def _head(self, article: Article, url: str, description: str, base: str) -> str:
        i, iso = article.key, article.published.isoformat()
        head = (
            f'<link rel="canonical" href="{url}">'
            f'<meta name="description" content="{html.escape(description)}">'
            '<meta property="og:type" content="article">'
            '<meta property="og:site_name" content="Bench News">'
            f'<meta property="og:url" content="{url}">'
            f'<meta property="og:title" content="{html.escape(article.title)}">'
            f'<meta property="og:description" content="{html.escape(description)}">'
            f'<meta property="og:image" content="{base}/img/{i}.jpg">'
            f'<meta property="article:published_time" content="{iso}">'
            f'<meta property="article:modified_time" content="{iso}">'
            f'<meta name="author" content="{article.byline}">'
        )
        if not self.json_ld:
            return head
        ld = {
            "@context": "https://schema.org", "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "headline": article.title, "description": description, "inLanguage": "id",
            "datePublished": iso, "dateModified": iso,
            "author": {"@type": "Person", "name": article.byline},
            "publisher": {"@type": "Organization", "name": "Bench News",
                          "logo": {"@type": "ImageObject", "url": f"{base}/static/logo.png"}},
            "image": {"@type": "ImageObject", "url": f"{base}/img/{i}.jpg", "width": 1200, "height": 675},
        }
        return (head + '<script type="application/ld+json">'
                + json.dumps(ld, ensure_ascii=False).replace("</", "<\\/") + "</script>")

    def article(self, outlet: FakeOutlet, article: Article, page: int | str, visit: Visit,
                truncated: bool = False) -> str:
        i, others = article.key, article.related
        paragraphs = []
        for n, text in enumerate(article.pages[0][:1] if truncated else article.pages[0]):
            if n == 0:
                text = f"<strong>JAKARTA, Bench News</strong> - {text}"
            paragraphs.append(f"<p>{text}</p>")
            if n == 4:
                j = outlet.newsroom.get(others[0])
                paragraphs.append(
                    f'<p class="baca-juga">Baca Juga: <a href="{self.path(outlet, j)}">{html.escape(j.title)}</a></p>'
                )
        url = f"{visit.base}{self.path(outlet, article)}"
        description = html.unescape(re.sub(r"<[^>]+>", "", paragraphs[0])).split(". ")[0] + "."
        main = (
            f'<article class="detail"><h1 class="title">{html.escape(article.title)}</h1>'
            f'<div class="byline">Reporter: {article.byline} | Editor: {article.editor}</div>'
            f'<time class="date" datetime="{article.published.isoformat()}">{article.published:%d/%m/%Y %H:%M} WIB</time>'
            f'<figure><img src="/img/{i}.jpg" alt=""><figcaption>{article.caption}</figcaption></figure>'
            f'<div class="content">{"".join(paragraphs)}</div>'
            f'<div class="tags">{" ".join(f"<a href=/tag/{w}>#{w}</a>" for w in article.tags)}</div>'
            "</article>"
            + self._link_list(outlet, "Artikel Terkait", others[1:7])
        )
        aside = (self._link_list(outlet, "Berita Terkini", others[7:22])
                 + self._link_list(outlet, "Terpopuler", others[22:30]))
        return self._layout(article.title, self._head(article, url, description, visit.base), main, aside)

    def topic(self, outlet: FakeOutlet, number: int, visit: Visit) -> str:
        items = "".join(
            f'<div class="item"><h2><a href="{self.path(outlet, a)}">{html.escape(a.title)}</a></h2>'
            f'<time>{a.published:%d/%m/%Y %H:%M}</time></div>'
            for a in outlet.newsroom.topic_page(number)
        )
        nxt = f"/news/?page={number + 1}" if number < outlet.newsroom.topic_pages else None
        head = f'<link rel="next" href="{nxt}">' if nxt else ""
        pager = f'<a rel="next" href="{nxt}">Selanjutnya</a>' if nxt else ""
        return self._layout(f"Berita Terbaru - Halaman {number}", head, f"{items}<nav class=pager>{pager}</nav>", "")
