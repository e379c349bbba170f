"""The Courier, the English outlet of the realistic web (fakeoutlet/realistic.py): topic page
/courier/world, articles at /courier/news/YYYY/MM/DD/<slug>-<number>, linked root-relative
with utm parameters (the canonical URL has none); no selectors, so the generic extractor
reads it. Corrections are shown in a "Correction: ..." line and in JSON-LD `correction`
(the same words); notices about the story ("This story has been updated ...") after the
body; comments inside `<article>`. An old slug redirects (301)."""

from __future__ import annotations

import re
from datetime import timedelta, timezone

from fakeoutlet.newsroom import Article
from fakeoutlet.server import Response
from fakeoutlet.site import FakeOutlet, Page, Redirect, Route, Visit
from fakeoutlet.styles.portal import (LiveStyle, article_meta, attrs, comments_html, esc, hashed, news_article_ld,
                                      newsletter_html)

TOPIC = "/courier/world"
_UTC7 = timezone(timedelta(hours=7))


def _when(d) -> str:
    return f"{d.astimezone(_UTC7):%B} {d.astimezone(_UTC7).day}, {d.year}, {d.astimezone(_UTC7):%H:%M}"


class CourierStyle(LiveStyle):
    prefix = "/courier"
    language = "en"
    publisher = "The Courier"
    article_pattern = r"/courier/news/\d{4}/\d{2}/\d{2}/[a-z0-9-]+-(?P<id>\d+)"
    article_tail = r"(?:\?.*)?$"  # links carry utm parameters
    topic_path = TOPIC
    article_re = re.compile(r"/courier/news/\d{4}/\d{2}/\d{2}/[a-z0-9-]+-(?P<number>\d+)")

    def path(self, outlet: FakeOutlet, article: Article) -> str:
        return f"/courier/news/{article.published.astimezone(_UTC7):%Y/%m/%d}/{article.slug}-{article.number}"

    def article_route(self, outlet: FakeOutlet, article: Article, m: re.Match[str],
                      query: dict[str, list[str]]) -> Route:
        path = self.path(outlet, article)
        return Page(article) if m.group(0) == path else Redirect(path)

    def not_found(self, visit: Visit) -> Response:
        return self.html(404, "<!DOCTYPE html><html lang=\"en\"><head><title>Page not found - The Courier</title></head>"
                              "<body><h1>404</h1><p>This page does not exist.</p></body></html>\n", visit)

    def page(self, outlet: FakeOutlet, visit: Visit, title: str, head: list[str], main: str) -> str:
        rng = visit.rng
        return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)} | The Courier</title>
{chr(10).join(head)}</head>
<body class="{hashed(rng, "body")}"><header><a href="{TOPIC}" class="masthead">The Courier</a>
<nav><a href="{TOPIC}">World</a> <a href="/courier/opinion">Opinion</a> <a href="/">Home</a></nav></header>
<main>{main}</main>
{self.most_read(outlet, visit)}
<footer>&copy; 2021 The Courier. <a href="/courier/about">About us</a><!-- {rng.getrandbits(48):x} --></footer>
</body></html>
"""

    def topic(self, outlet: FakeOutlet, number: int, visit: Visit) -> str:
        items = "\n".join(
            f'<li><a href="{self.path(outlet, a)}?utm_source=section&amp;utm_medium=web&amp;utm_campaign=world">'
            f'{esc(a.title)}</a> <time>{_when(a.published)}</time></li>'
            for a in outlet.newsroom.topic_page(number))
        return self.page(outlet, visit, "World news", [f'<link rel="canonical" href="{visit.base}{TOPIC}">'],
                         f'<section class="section-front"><h1>World</h1><ul>{items}</ul></section>')

    def article(self, outlet: FakeOutlet, article: Article, page: int | str, visit: Visit,
                truncated: bool = False) -> str:
        rng, url = visit.rng, visit.base + self.path(outlet, article)
        image = visit.base + f"/courier/img/{article.number}.jpg"
        blocks = self.body_blocks(outlet, article, article.paragraphs[:1] if truncated else article.paragraphs, visit)
        notes = []
        for note in article.notes:
            label, _, rest = note.partition(": ")
            notes.append(f'<p class="correction"><strong>{esc(label)}:</strong> {esc(rest)}</p>' if rest
                         else f'<p class="notice"><em>{esc(note)}</em></p>')
        modified = f' &middot; Updated <time datetime="{article.modified.isoformat()}">{_when(article.modified)}</time>' \
            if article.modified else ""
        main = f"""<article{attrs(rng, class_=hashed(rng, "story"), itemscope="", itemtype="https://schema.org/NewsArticle")}>
<h1>{esc(article.title)}</h1>
<div class="byline">By <a href="/courier/authors/{esc((article.byline or "").lower().replace(" ", "-"))}">{esc(article.byline or "")}</a></div>
<div class="dateline"><time datetime="{article.published.isoformat()}">{_when(article.published)}</time>{modified} {self.updated_line(visit)} {self.views(article, visit)}</div>
<figure><img src="/courier/img/{article.number}.jpg" alt=""><figcaption>{esc(article.caption)}</figcaption></figure>
<div{attrs(rng, class_="article-body " + hashed(rng, "body"))}>
{chr(10).join(blocks)}
</div>
{chr(10).join(notes)}
{newsletter_html(rng, "en")}
{comments_html(rng, "en")}
</article>"""
        head = [*article_meta(article, url, image),
                news_article_ld(article, url, image, self.publisher, correction="bare", language="en")]
        return self.page(outlet, visit, article.title, head, main)
