"""Test News: the markup of the outlet most crawl tests run against, and its redesign.

A small Indonesian news outlet: topic pages at /news/ with rel=next pagination,
articles with a headline, byline, date, body paragraphs, a "Baca Juga" line and an
"Artikel Terkait" block, and boilerplate that changes on every request (relative
time, view counter, ad token, the order of "Berita Terkini"), more so with each
round. `RedesignedNewsStyle` shows the same text in other markup and class names.
"""

from __future__ import annotations

import email.utils
import html
import json
import secrets

from fakeoutlet.newsroom import Article
from fakeoutlet.server import Response
from fakeoutlet.site import FakeOutlet, Page, Route, Style, Visit
from fakeoutlet.styles import numbered
from fakeoutlet.words import SITE_NAME, tanggal_panjang, thousands

PRIVATE_PATH = "/private/1-secret-article"  # behind robots.txt, linked from every topic page


class NewsStyle(Style):
    """`highlights`: (path, title) links in a "Sorotan" box on topic page 1."""

    gzip = True
    article_pattern = numbered.ARTICLE_PATTERN

    def __init__(self, highlights: tuple[tuple[str, str], ...] = ()):
        self.highlights = highlights

    # -- URLs

    def route(self, outlet: FakeOutlet, path: str, query: dict[str, list[str]]) -> tuple[Route, bool] | None:
        if path == "/news/":
            return numbered.route_topic(query), False
        fixed = next((a for a in outlet.newsroom.live() if a.path == path), None)
        if fixed is not None:
            return Page(fixed), False
        return numbered.route_article(outlet, path)

    def path(self, outlet: FakeOutlet, article: Article) -> str:
        return numbered.article_path(article)

    @staticmethod
    def topic_path(number: int) -> str:
        return "/news/" if number == 1 else f"/news/?page={number}"

    # -- pages other than articles and topics

    def article_headers(self, article: Article) -> dict[str, str]:
        when = article.modified or article.published
        return {"Last-Modified": email.utils.formatdate(when.timestamp(), usegmt=True)}

    def redirect(self, location: str, status: int, visit: Visit) -> Response:
        return self.html(status, f'<!DOCTYPE html><html><body><p>Dipindahkan ke <a href="{location}">{location}</a></p>'
                                 "</body></html>\n", visit, Location=location)

    def unavailable(self, visit: Visit) -> Response:
        return self.html(503, "<!DOCTYPE html><html><head><title>503</title></head><body>"
                              "<h1>Layanan Tidak Tersedia</h1><p>Server sedang dalam pemeliharaan.</p>"
                              "</body></html>\n", visit, **{"Retry-After": "1"})

    def not_found(self, visit: Visit) -> Response:
        return self.html(404, f"<!DOCTYPE html><html><head><title>404 - {SITE_NAME}</title></head>"
                              "<body><h1>404</h1><p>Halaman tidak ditemukan.</p></body></html>\n", visit)

    def soft_error(self, visit: Visit) -> Response:
        body = ('<div class="error-page"><h1>Halaman tidak ditemukan</h1><p>Maaf, halaman yang Anda cari '
                'tidak tersedia atau telah dipindahkan.</p><p><a href="/news/">Kembali ke beranda</a></p></div>')
        return Response(200, self._shell(None, "Halaman tidak ditemukan", body, "", self._boiler(visit)).encode(),
                        gzip=True)

    # -- boilerplate

    @staticmethod
    def _boiler(visit: Visit) -> dict:
        """Boilerplate that changes on every request (and with the round)."""
        n, rng, round_ = visit.number, visit.rng, visit.round
        minutes = (round_ * 37 + n * 13 + rng.randint(0, 9)) % (24 * 60) + 1
        return {
            "n": n,
            "relative": f"{minutes} menit lalu" if minutes < 60 else f"{minutes // 60} jam lalu",
            "views": f"Dibaca {thousands(1000 + round_ * 517 + n * 31 + rng.randint(0, 999))} kali",
            "token": secrets.token_hex(8),
            "rotate": n + round_,
        }

    def _terkini(self, outlet: FakeOutlet | None, boiler: dict) -> list[Article]:
        terkini = outlet.newsroom.topic_page(1)[:4] if outlet else []
        if terkini:
            k = boiler["rotate"] % len(terkini)
            terkini = terkini[k:] + terkini[:k]
        return terkini

    def _shell(self, outlet: FakeOutlet | None, title: str, body: str, head_extra: str, boiler: dict) -> str:
        items = "".join(
            f'<li><a href="{self.path(outlet, a)}">{html.escape(a.title)}</a> '
            f'<span class="waktu">{(boiler["n"] + j) % 23 + 1} jam lalu</span></li>\n'
            for j, a in enumerate(self._terkini(outlet, boiler))
        )
        return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} - {SITE_NAME}</title>
{head_extra}<style>body{{font-family:sans-serif;max-width:60em;margin:auto}} .iklan{{background:#eee}}</style>
</head>
<body>
<header class="site-header">
<a class="logo" href="/news/">{SITE_NAME}</a>
<nav><a href="/news/">Terkini</a> <a href="/tag/dunia">Dunia</a> <a href="/about">Tentang Kami</a> <a href="http://example.invalid/x">Mitra</a></nav>
<div class="iklan" data-ad-token="{boiler['token']}">Iklan</div>
</header>
<main>
{body}
<aside class="berita-terkini">
<h2>Berita Terkini</h2>
<ul>
{items}</ul>
</aside>
</main>
<footer class="site-footer">
<span>&copy; 2021 {SITE_NAME}. Hak cipta dilindungi undang-undang.</span>
<span class="render" data-render="{boiler['n']}-{boiler['token'][:6]}"></span>
</footer>
</body>
</html>
"""

    # -- articles

    def _head(self, article: Article, first: str, page: int, canonical: str) -> list[str]:
        npages = len(article.pages)
        head = [f'<link rel="canonical" href="{canonical}">',
                f'<meta property="og:title" content="{html.escape(article.title)}">',
                f'<meta property="og:url" content="{canonical}">',
                f'<meta name="description" content="{html.escape(article.lede[:160])}">',
                f'<meta name="author" content="{html.escape(article.byline)}">',
                f'<meta property="article:published_time" content="{article.published.isoformat()}">']
        if article.modified:
            head.append(f'<meta property="article:modified_time" content="{article.modified.isoformat()}">')
        if page > 1:
            head.append(f'<link rel="prev" href="{first if page == 2 else f"{first}/{page - 1}"}">')
        if page < npages:
            head.append(f'<link rel="next" href="{first}/{page + 1}">')
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
              "datePublished": article.published.isoformat(),
              "author": {"@type": "Person", "name": article.byline},
              "publisher": {"@type": "Organization", "name": SITE_NAME}}
        if article.modified:
            ld["dateModified"] = article.modified.isoformat()
        head.append(f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>')
        return head

    def _body(self, outlet: FakeOutlet, article: Article, page: int, truncated: bool, related: list[Article]) -> list[str]:
        """The body's blocks: paragraphs, a "Baca Juga" line, padding, and on the last page the notes."""
        paras = list(article.pages[page - 1])[:1 if truncated else None]
        if related:
            bj = related[0]
            baca = (f'<p class="baca-juga"><strong>Baca Juga:</strong> '
                    f'<a href="{self.path(outlet, bj)}">{html.escape(bj.title)}</a></p>')
        else:
            baca = '<p class="baca-juga"><strong>Baca Juga:</strong> <a href="/news/">Indeks Berita Terkini</a></p>'
        blocks = [f"<p>{html.escape(p)}</p>" for p in paras]
        blocks.insert(min(2, len(blocks)), baca)
        if article.padding:
            chunk = "".join(f"<p>{html.escape(p)}</p>\n" for p in article.pages[0])
            reps = article.padding // len(chunk.encode("utf-8")) + 1
            blocks.append("\n".join(f'<div class="lampiran" id="lampiran-{k}">{chunk}</div>' for k in range(reps)))
        if page == len(article.pages):
            blocks.extend(f'<p class="ralat"><em>{html.escape(note)}</em></p>' for note in article.notes)
        return blocks

    @staticmethod
    def _pager(first: str, page: int, npages: int) -> str:
        if npages <= 1:
            return ""
        links = []
        if page > 1:
            links.append(f'<a rel="prev" href="{first if page == 2 else f"{first}/{page - 1}"}">Sebelumnya</a>')
        links.append(f"<span>Halaman {page} dari {npages}</span>")
        if page < npages:
            links.append(f'<a rel="next" class="next" href="{first}/{page + 1}">Halaman berikutnya</a>')
        return f'<div class="pagination">{" ".join(links)}</div>\n'

    def article(self, outlet: FakeOutlet, article: Article, page: int | str, visit: Visit,
                truncated: bool = False) -> str:
        first = outlet.article_path(article)
        path = first if page == 1 else f"{first}/{page}"
        boiler = self._boiler(visit)
        head = self._head(article, first, page, visit.base + path)
        # Related links point only at articles on topic page 1, so following them
        # never reaches anything that the topic-depth bound would have cut off.
        related = [a for a in outlet.newsroom.topic_page(1) if a.key != article.key][:3]
        blocks = self._body(outlet, article, page, truncated, related)
        pager = self._pager(first, page, len(article.pages))
        body = self._article_part(outlet, article, blocks, pager, related, boiler)
        title = article.title if page == 1 else f"{article.title} (Halaman {page})"
        return self._shell(outlet, title, body, "\n".join(head) + "\n", boiler)

    def _article_part(self, outlet: FakeOutlet, article: Article, blocks: list[str], pager: str,
                      related: list[Article], boiler: dict) -> str:
        terkait = "".join(f'<li><a href="{self.path(outlet, a)}">{html.escape(a.title)}</a></li>' for a in related)
        modified = ""
        if article.modified:
            modified = (f' &middot; Diperbarui <time class="modified" datetime="{article.modified.isoformat()}">'
                        f"{tanggal_panjang(article.modified)}</time>")
        return f"""<article class="article" data-id="{article.key}">
<div class="breadcrumb"><a href="/news/">Berita</a> &rsaquo; {article.section}</div>
<h1 class="article-title">{html.escape(article.title)}</h1>
<div class="article-meta">
<span class="byline">Penulis: <a class="author" href="/about">{html.escape(article.byline)}</a></span>
<span class="editor">Editor: {html.escape(article.editor)}</span>
<time class="published" datetime="{article.published.isoformat()}">{tanggal_panjang(article.published)}</time>{modified}
<span class="waktu-relatif">{boiler['relative']}</span>
<span class="views">{boiler['views']}</span>
</div>
<figure class="article-image"><figcaption>{html.escape(article.caption)}</figcaption></figure>
<div class="article-content">
{chr(10).join(blocks)}
</div>
{pager}<div class="iklan iklan-dalam" data-slot="{boiler['token'][8:]}">Iklan</div>
<section class="artikel-terkait">
<h2>Artikel Terkait</h2>
<ul>{terkait}</ul>
</section>
</article>"""

    # -- topic pages

    def topic(self, outlet: FakeOutlet, number: int, visit: Visit) -> str:
        boiler = self._boiler(visit)
        head = [f'<link rel="canonical" href="{visit.base}{self.topic_path(number)}">']
        nav = []
        if number > 1:
            head.append(f'<link rel="prev" href="{self.topic_path(number - 1)}">')
            nav.append(f'<a rel="prev" href="{self.topic_path(number - 1)}">Sebelumnya</a>')
        if number < outlet.newsroom.topic_pages:
            head.append(f'<link rel="next" href="/news/?page={number + 1}">')
            nav.append(f'<a rel="next" class="next" href="/news/?page={number + 1}">Selanjutnya</a>')
        items = [
            f'<div class="item"><h2><a href="{self.path(outlet, a)}">{html.escape(a.title)}</a></h2>'
            f'<span class="waktu">{(boiler["n"] + j * 5) % 23 + 1} jam lalu</span> '
            f'<span class="summary">{html.escape(a.lede[:140])}</span></div>'
            for j, a in enumerate(outlet.newsroom.topic_page(number))
        ]
        sorotan = ""
        if number == 1 and self.highlights:
            links = "".join(f'<li><a href="{path}">{html.escape(title)}</a></li>' for path, title in self.highlights)
            sorotan = f'<section class="sorotan"><h2>Sorotan</h2><ul>{links}</ul></section>\n'
        body = f"""<section class="indeks">
<h1>Berita Terkini - Halaman {number}</h1>
{chr(10).join(items)}
</section>
{sorotan}<section class="lainnya"><a href="/tag/dunia">#dunia</a> <a href="/about">Tentang Kami</a> <a href="{PRIVATE_PATH}">Ruang Redaksi</a> <a href="http://example.invalid/x">Berita Mitra</a></section>
<div class="pagination">{" ".join(nav)}</div>"""
        return self._shell(outlet, f"Berita Terkini - Halaman {number}", body, "\n".join(head) + "\n", boiler)


class RedesignedNewsStyle(NewsStyle):
    """The same outlet after a redesign: the same text, links and labels in other markup."""

    def _shell(self, outlet: FakeOutlet | None, title: str, body: str, head_extra: str, boiler: dict) -> str:
        items = "".join(
            f'<div class="side-item"><a class="side-link" href="{self.path(outlet, a)}">'
            f'{html.escape(a.title)}</a><small>{(boiler["n"] + j) % 23 + 1} jam lalu</small></div>\n'
            for j, a in enumerate(self._terkini(outlet, boiler))
        )
        return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} | {SITE_NAME}</title>
{head_extra}<link rel="stylesheet" href="/assets/v2.css">
</head>
<body class="v2">
<div id="topbar" class="topbar">
<div class="brand"><a href="/news/">{SITE_NAME}</a></div>
<ul class="menu"><li><a href="/news/">Terkini</a></li><li><a href="/tag/dunia">Dunia</a></li><li><a href="/about">Tentang Kami</a></li><li><a href="http://example.invalid/x">Mitra</a></li></ul>
</div>
<div class="ad-top" data-ad-token="{boiler['token']}">Iklan</div>
<div class="container">
<div class="col-main">
{body}
</div>
<div class="col-side">
<div class="widget">
<h4>Berita Terkini</h4>
{items}</div>
</div>
</div>
<div class="bottom">
<p>&copy; 2021 {SITE_NAME}. Hak cipta dilindungi undang-undang.</p>
<i class="render" data-render="{boiler['n']}-{boiler['token'][:6]}"></i>
</div>
</body>
</html>
"""

    def _article_part(self, outlet: FakeOutlet, article: Article, blocks: list[str], pager: str,
                      related: list[Article], boiler: dict) -> str:
        restyled = []
        for block in blocks:
            if block.startswith('<p class="baca-juga">'):
                link = block.split("</strong> ", 1)[1].removesuffix("</p>")
                block = f'<div class="inline-link"><span class="label">Baca Juga:</span> {link}</div>'
            elif block.startswith('<p class="ralat">'):
                note = block.removeprefix('<p class="ralat"><em>').removesuffix("</em></p>")
                block = f'<div class="editor-note"><p><i>{note}</i></p></div>'
            restyled.append(block)
        terkait = "".join(f'<div class="rel-item"><a href="{self.path(outlet, a)}">{html.escape(a.title)}</a></div>'
                          for a in related)
        modified = ""
        if article.modified:
            modified = (f'<div class="upd">Diperbarui: <time datetime="{article.modified.isoformat()}">'
                        f"{tanggal_panjang(article.modified)}</time></div>")
        return f"""<div class="wrapper-detail" id="post-{article.key}">
<ol class="crumbs"><li><a href="/news/">Beranda</a></li><li>{article.section}</li></ol>
<div class="detail-head">
<h1 class="detail-title">{html.escape(article.title)}</h1>
<div class="detail-info">
<div class="writer">Penulis: {html.escape(article.byline)} | Editor: {html.escape(article.editor)}</div>
<div class="date"><time datetime="{article.published.isoformat()}">{tanggal_panjang(article.published)}</time></div>{modified}
<div class="stats"><span>{boiler['relative']}</span> <span>{boiler['views']}</span></div>
</div>
</div>
<figure class="detail-photo"><figcaption class="photo-caption">{html.escape(article.caption)}</figcaption></figure>
<div class="detail-text">
<div class="txt-inner">
{chr(10).join(restyled)}
</div>
</div>
{pager}<div class="adslot" data-slot="{boiler['token'][8:]}">Iklan</div>
<div class="box-related">
<h3>Artikel Terkait</h3>
{terkait}
</div>
</div>"""
