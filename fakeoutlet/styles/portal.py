"""What the portal styles share: markup from `fakeoutlet/templates/` (the demo's iNews.id
and Analisadaily.com), Indonesian dates, and boilerplate that churns on every request
(relative times, counters, CSRF and ad tokens, random picks of other articles); and,
for the realistic outlets (`LiveStyle`), churn inside the article itself (text with
NBSP or NFD, hashed class names, attribute order, comments, "Baca juga" lines), JSON-LD,
and a live site's answers (410, redirect home, paywall, consent wall)."""

from __future__ import annotations

import html
import json
import random
import re
import secrets
import unicodedata
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from string import Template

from fakeoutlet.newsroom import Article
from fakeoutlet.server import Response
from fakeoutlet.site import FakeOutlet, Fixed, Missing, Redirect, Route, Style, Topic, Visit

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
WIB = timezone(timedelta(hours=7), "WIB")
HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember"]


@lru_cache(maxsize=None)
def template(name: str) -> Template:
    return Template((TEMPLATES_DIR / name).read_text(encoding="utf-8"))


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "..."


def lede(article: Article) -> str:
    return shorten(article.paragraphs[0], 160)


def relative(rng: random.Random, floor_hours: float = 0.0) -> str:
    """A relative time such as "14 jam lalu", different on every call."""
    minutes = int(floor_hours * 60) + rng.randint(3, 60 * 30)
    if minutes < 60:
        return f"{minutes} menit lalu"
    if minutes < 60 * 24:
        return f"{minutes // 60} jam lalu"
    return f"{minutes // (60 * 24)} hari lalu"


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def today(now: datetime) -> str:
    return f"{HARI[now.weekday()]}, {now.day} {BULAN[now.month - 1]} {now.year} {now:%H:%M:%S}"


class PortalStyle(Style):
    """The demo outlets' markup: `prefix` is the outlet's path on the shared site (/inews, /analisa)."""

    prefix = ""

    def headers(self, visit: Visit) -> dict[str, str]:
        return {"Cache-Control": "no-cache, private", "X-Demo-Round": str(visit.round)}

    def redirect(self, location: str, status: int, visit: Visit) -> Response:
        target = visit.base + location
        body = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Dipindahkan</title></head>'
                f'<body><a href="{esc(target)}">{esc(target)}</a></body></html>')
        return self.html(status, body, visit, Location=target)

    def not_found(self, visit: Visit) -> Response:
        body = Template("""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>404 - Halaman Tidak Ditemukan</title>
<meta name="robots" content="noindex"></head>
<body><h1>404</h1><p>Maaf, halaman yang Anda cari tidak ditemukan atau sudah dihapus.</p>
<p><a href="/">Kembali ke beranda</a></p>
<!-- request $rid --></body></html>
""").substitute(rid=secrets.token_hex(8))
        return self.html(404, body, visit)

    def asset(self, path: str) -> Fixed | Missing:
        """The outlet's stylesheet, logo, ad banner and photos."""
        name = path.rsplit("/", 1)[1]
        outlet = self.prefix.strip("/")
        files = {"style.css": (f"{outlet}.css", "text/css; charset=utf-8"),
                 "logo.svg": (f"{outlet}_logo.svg", "image/svg+xml"),
                 "iklan.svg": ("banner.svg", "image/svg+xml")}
        if name in files:
            filename, ctype = files[name]
        elif path.startswith(f"{self.prefix}/assets/foto/") and name.endswith(".svg"):
            filename, ctype = "photo.svg", "image/svg+xml"
        else:
            return Missing()
        body = (TEMPLATES_DIR / filename).read_bytes()
        return Fixed(lambda visit: Response(200, body, ctype, headers={"Cache-Control": "max-age=3600"}))

    @staticmethod
    def tokens(visit: Visit) -> dict[str, str]:
        """The per-request tokens every layout template takes."""
        return {
            "csrf": secrets.token_urlsafe(30),
            "request_id": secrets.token_hex(8),
            "rendered_at": datetime.now(WIB).isoformat(timespec="milliseconds"),
            "ad_slot_top": f"{visit.rng.randrange(10**12, 10**13)}-0",
            "ad_slot_side": f"{visit.rng.randrange(10**12, 10**13)}-1",
            "ad_token_top": secrets.token_hex(12),
            "ad_token_side": secrets.token_hex(12),
            "base": visit.base,
        }

    @staticmethod
    def others(outlet: FakeOutlet, exclude: object, k: int, visit: Visit) -> list[Article]:
        """`k` other live articles of the outlet, picked anew on every request."""
        pool = [a for a in outlet.newsroom.live() if a.key != exclude]
        return visit.rng.sample(pool, min(k, len(pool)))


# -- the realistic outlets' share (fakeoutlet/realistic.py): churn on every request as real
# outlets have it, JSON-LD, and the answers of a live news site (410, a redirect home,
# paywall and consent walls). Text goes through `churned()`, so the same words come
# with NBSP or spaces, in NFC or NFD, and with other whitespace on every load.

LABELS = {
    "id": {"read_also": "Baca juga", "updated": "Diperbarui", "most_read": "Terpopuler", "related": "Berita Terkait",
           "comments": "Komentar", "newsletter": "Dapatkan berita pilihan setiap pagi lewat newsletter kami.",
           "ad": "Iklan", "views": "Dibaca {n} kali"},
    "en": {"read_also": "Read also", "updated": "Updated", "most_read": "Most read", "related": "Related stories",
           "comments": "Comments", "newsletter": "Get the morning briefing in your inbox.",
           "ad": "Advertisement", "views": "{n} views"},
}
_COMMENTS = {
    "id": ["Semoga cepat selesai masalahnya.", "Beritanya kurang lengkap, min.", "Mantap, lanjutkan!",
           "Kok baru sekarang diberitakan?", "Pemerintah harus tegas.", "Setuju dengan pendapat di atas."],
    "en": ["About time someone reported this.", "Great piece, thanks.", "This is not the whole story.",
           "Who is paying for all this?", "Agree with the comment above.", "Sources, please."],
}
_NAMES = ["rudi_88", "Sari W.", "budi.s", "ayu", "Hendra K.", "jo_tan", "mira", "Kevin L."]


def ago(rng: random.Random, language: str) -> str:
    """A relative time that changes on every load: "5 menit lalu", "3 minutes ago"."""
    minutes = rng.randint(1, 59)
    return f"{minutes} menit lalu" if language == "id" else f"{minutes} minute{'s' * (minutes != 1)} ago"


def hashed(rng: random.Random, name: str) -> str:
    """A class name as CSS-in-JS builds make them, hashed anew with every build (and here, every load)."""
    return f"{name}-{rng.getrandbits(32):08x} css-{rng.getrandbits(24):06x}"


def attrs(rng: random.Random, **values: str) -> str:
    """HTML attributes in an order of their own on every load (`class_` is `class`)."""
    pairs = [(name.rstrip("_").replace("_", "-"), value) for name, value in values.items()]
    rng.shuffle(pairs)
    return "".join(f' {name}="{esc(value)}"' for name, value in pairs)


def churned(text: str, rng: random.Random) -> str:
    """`text` as HTML, differing invisibly on every load: some spaces as NBSP (as a character or
    `&nbsp;`), NFC or NFD, line breaks and runs of spaces between words."""
    words = esc(unicodedata.normalize(rng.choice(("NFC", "NFD")), text)).split(" ")
    out = [words[0]]
    for word in words[1:]:
        out.append(rng.choices((" ", "\u00a0", "&nbsp;", "\n   ", "  "), weights=(12, 1, 1, 1, 1))[0] + word)
    return "".join(out)


def paragraph_html(text: str, rng: random.Random) -> str:
    """One body paragraph: churned text in a `<p>` whose attributes churn too."""
    extra = attrs(rng, class_=hashed(rng, "p"), data_n=str(rng.randint(1, 999))) if rng.random() < 0.5 else ""
    return f"<p{extra}>{churned(text, rng)}</p>"


def comments_html(rng: random.Random, language: str) -> str:
    """A comment thread as outlets put it inside `<article>`: other comments on every load."""
    picks = rng.sample(_COMMENTS[language], 3)
    items = "".join(f'<li><b>{rng.choice(_NAMES)}</b> <span>{ago(rng, language)}</span><p>{esc(c)}</p></li>'
                    for c in picks)
    return (f'<section{attrs(rng, class_=hashed(rng, "comments"), id="comments")}><h3>{LABELS[language]["comments"]} '
            f'({rng.randint(3, 400)})</h3><ul>{items}</ul></section>')


def newsletter_html(rng: random.Random, language: str) -> str:
    return (f'<div{attrs(rng, class_=hashed(rng, "newsletter"), data_slot=str(rng.randint(1, 9)))}>'
            f'<p>{LABELS[language]["newsletter"]}</p><form><input name="email"><button>OK</button></form></div>')


def ad_html(rng: random.Random, language: str) -> str:
    return (f'<div{attrs(rng, class_="ad " + hashed(rng, "ad"), id=f"div-gpt-ad-{rng.randrange(10**12, 10**13)}-0")}>'
            f'<span>{LABELS[language]["ad"]}</span></div>')


def news_article_ld(article: Article, url: str, image: str, publisher: str, *, caption: bool = False,
                    correction: str | None = None, language: str = "id") -> str:
    """The page's JSON-LD NewsArticle; `caption`: the image's caption in it too; `correction`:
    the correction notes as schema.org `correction` (CorrectionComment), "full" as shown or
    "bare", without their "Label:"."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "mainEntityOfPage": {"@type": "WebPage", "@id": url},
          "headline": article.title, "description": article.summary or lede(article),
          "image": {"@type": "ImageObject", "url": image, **({"caption": article.caption} if caption else {})},
          "datePublished": article.published.isoformat(),
          **({"dateModified": article.modified.isoformat()} if article.modified else {}),
          "author": {"@type": "Person", "name": article.byline},
          "publisher": {"@type": "Organization", "name": publisher}, "inLanguage": language}
    if correction and article.notes:
        ld["correction"] = [{"@type": "CorrectionComment",
                             "text": note if correction == "full" else note.partition(": ")[2] or note}
                            for note in article.notes]
    return '<script type="application/ld+json">' + json.dumps(ld, ensure_ascii=False).replace("</", "<\\/") + "</script>"


def article_meta(article: Article, url: str, image: str) -> list[str]:
    """og: and article: meta of an article page (its canonical `url`)."""
    head = [f'<link rel="canonical" href="{esc(url)}">', '<meta property="og:type" content="article">',
            f'<meta property="og:title" content="{esc(article.title)}">',
            f'<meta property="og:description" content="{esc(article.summary or lede(article))}">',
            f'<meta name="description" content="{esc(article.summary or lede(article))}">',
            f'<meta property="og:url" content="{esc(url)}">', f'<meta property="og:image" content="{esc(image)}">',
            f'<meta property="article:published_time" content="{article.published.isoformat()}">']
    if article.modified:
        head.append(f'<meta property="article:modified_time" content="{article.modified.isoformat()}">')
    return head


class LiveStyle(PortalStyle):
    """A realistic outlet's answers: articles found by their number, deleted ones answering as
    their newsroom deleted them (404, 410, or a redirect to the front page), paywall and consent
    walls and soft 404s in the outlet's own layout. Subclasses give `page()`, the layout
    around a main part, and the markup of the parts."""

    language = "id"
    publisher = ""
    topic_path = ""                 # the outlet's one topic page
    article_re: re.Pattern[str]     # an article path, its number in the group `number`

    def route(self, outlet: FakeOutlet, path: str, query: dict[str, list[str]]) -> tuple[Route, bool] | None:
        if path in (self.topic_path, self.topic_path + "/"):
            return Topic(1), False
        m = self.article_re.fullmatch(path)
        if m is None:
            return None
        article, answer = self.find(outlet, m.group("number"))
        if article is None:
            return answer, True
        return self.article_route(outlet, article, m, query), True

    def article_route(self, outlet: FakeOutlet, article: Article, m: re.Match[str],
                      query: dict[str, list[str]]) -> Route:
        """What a path of the live `article` asks for (`m`: its match of `article_re`)."""
        raise NotImplementedError

    def find(self, outlet: FakeOutlet, number: str) -> tuple[Article | None, Route | None]:
        """The article with this number, or the route a deleted (or unknown) one answers with."""
        newsroom = outlet.newsroom
        article = next((a for a in newsroom.articles() if a.number == number), None)
        if article is None:
            return None, Missing()
        answer = newsroom.deleted_as(article.key)
        if answer is None:
            return article, None
        if answer == "home":
            return None, Redirect("/", 302)
        if answer == 410:
            return None, Fixed(lambda visit: self.html(410, "<!DOCTYPE html><html><body><h1>410 Gone</h1></body></html>\n",
                                                       visit))
        return None, Missing()

    def page(self, outlet: FakeOutlet, visit: Visit, title: str, head: list[str], main: str) -> str:
        raise NotImplementedError

    def read_also(self, outlet: FakeOutlet, article: Article, visit: Visit) -> str:
        """A "Baca juga" line for inside the body, linking another article picked on every load."""
        other = self.others(outlet, article.key, 1, visit)
        if not other:
            return ""
        return (f'<p{attrs(visit.rng, class_=hashed(visit.rng, "read-also"))}><strong>'
                f'{LABELS[self.language]["read_also"]}:</strong> <a href="{self.path(outlet, other[0])}">'
                f'{esc(other[0].title)}</a></p>')

    def most_read(self, outlet: FakeOutlet, visit: Visit, exclude: object = None) -> str:
        """A "most read" list, other articles in another order on every load, with view counts."""
        words = LABELS[self.language]
        items = "".join(f'<li><a href="{self.path(outlet, a)}">{esc(a.title)}</a> '
                        f'<span>{words["views"].format(n=thousands(visit.rng.randint(100, 90000)))}</span></li>'
                        for a in self.others(outlet, exclude, 4, visit))
        return f'<aside{attrs(visit.rng, class_=hashed(visit.rng, "most-read"))}><h3>{words["most_read"]}</h3><ol>{items}</ol></aside>'

    def updated_line(self, visit: Visit) -> str:
        return f'<span class="ago">{LABELS[self.language]["updated"]} {ago(visit.rng, self.language)}</span>'

    def views(self, article: Article, visit: Visit) -> str:
        n = thousands(visit.site.count_view(article.key)) if self.language == "id" else f"{visit.site.count_view(article.key):,}"
        return f'<span class="views">{LABELS[self.language]["views"].format(n=n)}</span>'

    def body_blocks(self, outlet: FakeOutlet, article: Article, paragraphs: list[str], visit: Visit) -> list[str]:
        """Paragraphs with a "Baca juga" line and an ad slot among them, both churning."""
        blocks = [paragraph_html(p, visit.rng) for p in paragraphs]
        if len(blocks) > 1:
            blocks.insert(1 + visit.rng.randrange(len(blocks) - 1), self.read_also(outlet, article, visit))
        if len(blocks) > 3:
            blocks.insert(3, ad_html(visit.rng, self.language))
        return blocks

    def soft_error(self, visit: Visit) -> Response:
        outlet = next(o for o in visit.site.outlets if o.style is self)
        text = ("Halaman tidak ditemukan", "Maaf, halaman yang Anda cari tidak tersedia.") if self.language == "id" \
            else ("Page not found", "Sorry, the page you are looking for does not exist.")
        main = f"<h1>{text[0]}</h1><p>{text[1]}</p>{self.most_read(outlet, visit)}"
        return self.html(200, self.page(outlet, visit, text[0], [], main), visit)

    def paywall(self, outlet: FakeOutlet, article: Article, visit: Visit) -> Response:
        wall = ("Konten premium. Berlangganan untuk membaca artikel ini selengkapnya." if self.language == "id"
                else "Subscribe to continue reading. Already a subscriber? Log in.")
        main = (f'<article><h1>{esc(article.title)}</h1>{paragraph_html(shorten(article.paragraphs[0], 120), visit.rng)}'
                f'<div class="paywall"><p>{wall}</p><a href="/langganan">OK</a></div></article>')
        return self.html(200, self.page(outlet, visit, article.title, [], main), visit)

    def consent(self, visit: Visit) -> Response:
        outlet = next(o for o in visit.site.outlets if o.style is self)
        main = ('<div class="consent"><h1>Before you continue</h1><p>We use cookies and data to deliver and maintain '
                'our services and to measure audience engagement. Accept all cookies to continue, or manage your '
                'privacy settings.</p><button>Accept all</button> <button>Manage privacy settings</button></div>')
        return self.html(200, self.page(outlet, visit, "Before you continue", [], main), visit)
