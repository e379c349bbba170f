"""demo-inews, styled after iNews.id: topic page /inews/news/internasional (three
articles a page, ?page=2, rel=next), articles at /inews/news/internasional/<slug>,
a split one at <slug>/2 (and <slug>/all); the site's disallowed /admin/ login."""

from __future__ import annotations

import json
import re
import secrets

from fakeoutlet.newsroom import Article
from fakeoutlet.site import FakeOutlet, Fixed, Missing, Page, Redirect, Route, Topic, Visit
from fakeoutlet.styles.portal import (BULAN, HARI, WIB, PortalStyle, esc, lede, relative, slugify, template,
                                      thousands)

TOPIC = "/inews/news/internasional"
_ARTICLE = re.compile(re.escape(TOPIC) + r"/([a-z0-9-]+)(?:/(\d+|all))?(/?)")
SELECTORS = {"body": "div.content > p", "captions": "figure.headline-image figcaption"}


def _date(d) -> str:
    d = d.astimezone(WIB)
    return f"{HARI[d.weekday()]}, {d.day:02d} {BULAN[d.month - 1]} {d.year} - {d:%H:%M}:00 WIB"


class InewsStyle(PortalStyle):
    prefix = "/inews"
    article_pattern = "/inews/news/internasional/[a-z0-9-]+"

    def path(self, outlet: FakeOutlet, article: Article) -> str:
        return f"{TOPIC}/{article.slug}"

    def route(self, outlet: FakeOutlet, path: str, query: dict[str, list[str]]) -> tuple[Route, bool] | None:
        if path.startswith("/admin/") or path == "/admin":
            return Fixed(lambda visit: self.html(200, _ADMIN.format(csrf=secrets.token_urlsafe(30)), visit)), False
        if path.startswith("/inews/assets/"):
            return self.asset(path), False
        if path in ("/inews", "/inews/", "/inews/news", "/inews/news/"):
            return Redirect(TOPIC, 302), False
        if path in (TOPIC, TOPIC + "/"):
            raw = query.get("page", ["1"])[0]
            return (Topic(int(raw)) if raw.isdigit() and int(raw) >= 1 else Missing()), False
        m = _ARTICLE.fullmatch(path)
        if m is None:
            return None
        article = outlet.newsroom.find(slug=m.group(1))
        if article is None:
            return Missing(), True
        which, slash = m.group(2), bool(m.group(3))
        if which == "1" or (article.slug != m.group(1) and not slash):
            return Redirect(self.path(outlet, article)), True
        if slash:
            return Redirect(self.path(outlet, article) + (f"/{which}" if which else "")), True
        if which == "all":
            return Page(article, "all"), True
        number = int(which) if which else 1
        return (Page(article, number) if 1 <= number <= len(article.pages) else Missing()), True

    def _layout(self, outlet: FakeOutlet, visit: Visit, *, page_title: str, description: str, canonical: str,
                head_extra: str, main: str, body_class: str) -> str:
        terkini = "\n".join(
            f'      <li><a href="{visit.base}{self.path(outlet, a)}">{esc(a.title)}</a> '
            f'<time class="relative">{relative(visit.rng)}</time></li>'
            for a in self.others(outlet, None, 8, visit))
        return template("inews_layout.html").substitute(
            page_title=esc(page_title), description=esc(description), canonical=esc(canonical),
            head_extra=head_extra, main=main, body_class=body_class, terkini=terkini,
            trending_count=thousands(visit.rng.randint(40, 2500)), ad_refresh=visit.rng.randint(30, 90),
            **self.tokens(visit))

    def topic(self, outlet: FakeOutlet, number: int, visit: Visit) -> str:
        pages = outlet.newsroom.topic_pages
        base = visit.base + TOPIC

        def page_url(n: int) -> str:
            return base if n == 1 else f"{base}?page={n}"

        items = "\n".join(f"""    <article class="cardArticle">
      <a class="cardArticle__img" href="{visit.base}{self.path(outlet, a)}"><img src="/inews/assets/foto/{a.slug}.svg" alt="{esc(a.title)}" width="200" height="113"></a>
      <div class="cardArticle__text">
        <a href="{visit.base}{self.path(outlet, a)}"><h3 class="cardTitle">{esc(a.title)}</h3></a>
        <div class="cardMeta"><span class="kanal">Internasional</span> <span class="time">{relative(visit.rng, i * 3)}</span></div>
      </div>
    </article>""" for i, a in enumerate(outlet.newsroom.topic_page(number)))
        head, nav = [], []
        if number > 1:
            head.append(f'<link rel="prev" href="{page_url(number - 1)}">')
            nav.append(f'    <a rel="prev" href="{page_url(number - 1)}">&laquo; Sebelumnya</a>')
        for n in range(1, pages + 1):
            nav.append(f'    <span class="current">{n}</span>' if n == number
                       else f'    <a href="{page_url(n)}">{n}</a>')
        if number < pages:
            head.append(f'<link rel="next" href="{page_url(number + 1)}">')
            nav.append(f'    <a rel="next" href="{page_url(number + 1)}">Selanjutnya &raquo;</a>')
        main = template("inews_topic.html").substitute(items=items, pagination="\n".join(nav))
        title = "Berita Internasional Terkini Hari Ini - iNews.id"
        if number > 1:
            title = f"Berita Internasional Terkini Hari Ini - Halaman {number} - iNews.id"
        return self._layout(outlet, visit, page_title=title,
                            description="Berita internasional terkini dan terbaru hari ini dari iNews.id",
                            canonical=page_url(number), head_extra="\n".join(head), main=main, body_class="page-kanal")

    def _blocks(self, outlet: FakeOutlet, article: Article, shown: list[str], last: bool, visit: Visit) -> list[str]:
        """Paragraphs with "Baca Juga" lines and an in-article ad slot mixed in, then the notes."""
        related = self.others(outlet, article.key, 2, visit)
        blocks = []
        for i, paragraph in enumerate(shown):
            blocks.append(f"    <p>{esc(paragraph)}</p>")
            if i in (1, 3) and related:
                r = related.pop()
                blocks.append(f'    <p><strong>Baca Juga:</strong> <a href="{visit.base}{self.path(outlet, r)}">{esc(r.title)}</a></p>')
            if i == 2:
                blocks.append(f'    <div class="ads ads--inarticle" id="div-gpt-ad-{visit.rng.randrange(10**12, 10**13)}-2" '
                              f'data-ad-token="{secrets.token_hex(10)}"><span class="ads__label">Advertisement</span></div>')
        if last:
            for note in article.notes:
                label, _, rest = note.partition(":")
                blocks.append(f"    <p><strong>{esc(label)}:</strong> {esc(rest.strip())}</p>")
        return blocks

    @staticmethod
    def _pagination(url: str, number: int, count: int, last: bool) -> tuple[list[str], str]:
        """The <link rel> lines and the "Halaman :" block of a split article's page."""
        head, nav = [], ['    <div class="pagination-article"><span>Halaman :</span>']
        for n in range(1, count + 1):
            link = url if n == 1 else f"{url}/{n}"
            nav.append(f'      <span class="current">{n}</span>' if n == number else f'      <a href="{link}">{n}</a>')
        if number > 1:
            head.append(f'<link rel="prev" href="{url if number == 2 else f"{url}/{number - 1}"}">')
        if not last:
            head.append(f'<link rel="next" href="{url}/{number + 1}">')
            nav.append(f'      <a rel="next" class="next" href="{url}/{number + 1}">Selanjutnya</a>')
        nav.append(f'      <a class="all" href="{url}/all">Tampilkan Semua</a>')
        nav.append("    </div>")
        return head, "\n".join(nav)

    def article(self, outlet: FakeOutlet, article: Article, page: int | str, visit: Visit,
                truncated: bool = False) -> str:
        url = visit.base + self.path(outlet, article)
        pages = article.pages
        if page == "all":
            number, shown, canonical = len(pages), article.paragraphs, url
        else:
            number, shown = page, list(pages[page - 1])
            canonical = url if number == 1 else f"{url}/{number}"
        last = number == len(pages)
        blocks = self._blocks(outlet, article, shown[:1] if truncated else shown, last, visit)
        head = []
        if len(pages) > 1 and page != "all":
            head, nav = self._pagination(url, number, len(pages), last)
            blocks.append(nav)
        if last and article.editor:
            blocks.append(f'    <div class="editor">Editor : <span>{esc(article.editor)}</span></div>')
        terkait = "\n".join(f"""  <div class="artikelTerkait__item">
    <span class="kanal">Internasional</span>
    <time class="relative">{relative(visit.rng, i * 8)}</time>
    <a href="{visit.base}{self.path(outlet, r)}"><h4>{esc(r.title)}</h4></a>
  </div>""" for i, r in enumerate(self.others(outlet, article.key, 4, visit)))
        image = f"{visit.base}/inews/assets/foto/{article.slug}.svg"
        tags = "\n".join(f'    <a class="tag" href="/inews/tag/{slugify(t)}">{esc(t)}</a>' for t in article.tags)
        main = template("inews_article.html").substitute(
            headline=esc(article.title), author=esc(article.byline or ""),
            author_slug=slugify(article.byline or "redaksi"), created_at=_date(article.published),
            views=thousands(visit.site.count_view(article.key)), shares=visit.rng.randint(0, 400),
            image=image, caption=esc(article.caption), content="\n".join(blocks), tags=tags,
            terkait=terkait, comments=visit.rng.randint(0, 60))
        head += self._meta(article, url, image, visit)
        suffix = f" - Halaman {number}" if page != "all" and number > 1 else ""
        return self._layout(outlet, visit, page_title=f"{article.title}{suffix} - iNews.id", description=lede(article),
                            canonical=canonical, head_extra="\n".join(head), main=main, body_class="page-article")

    @staticmethod
    def _meta(article: Article, url: str, image: str, visit: Visit) -> list[str]:
        published = article.published.isoformat()
        modified = (article.modified or article.published).isoformat()
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "headline": article.title,
            "description": lede(article),
            "image": {"@type": "ImageObject", "url": image, "width": 680, "height": 383},
            "datePublished": published,
            "dateModified": modified,
            "author": {"@type": "Person", "name": article.byline},
            "editor": {"@type": "Person", "name": article.editor},
            "publisher": {"@type": "Organization", "name": "iNews.id",
                          "logo": {"@type": "ImageObject", "url": f"{visit.base}/inews/assets/logo.svg"}},
            "articleSection": "Internasional",
            "keywords": ", ".join(article.tags),
            "inLanguage": "id-ID",
        }
        return [
            '<meta name="robots" content="index, follow">',
            '<meta property="og:type" content="article">',
            '<meta property="og:site_name" content="iNews.id">',
            f'<meta property="og:title" content="{esc(article.title)}">',
            f'<meta property="og:description" content="{esc(lede(article))}">',
            f'<meta property="og:url" content="{esc(url)}">',
            f'<meta property="og:image" content="{esc(image)}">',
            f'<meta property="article:published_time" content="{published}">',
            f'<meta property="article:modified_time" content="{modified}">',
            '<meta property="article:section" content="Internasional">',
            f'<meta property="article:author" content="{esc(article.byline or "")}">',
            *(f'<meta property="article:tag" content="{esc(t)}">' for t in article.tags),
            f'<meta name="keywords" content="{esc(", ".join(article.tags))}">',
            '<script type="application/ld+json">'
            + json.dumps(ld, ensure_ascii=False, indent=1).replace("</", "<\\/") + "</script>",
        ]


_ADMIN = """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>Login Redaksi</title>
<meta name="robots" content="noindex, nofollow"></head>
<body><h1>Login Redaksi</h1>
<form method="post" action="/admin/login"><input type="hidden" name="_token" value="{csrf}">
<input name="user"> <input name="password" type="password"> <button>Masuk</button></form>
</body></html>
"""
