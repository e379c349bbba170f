"""The demo news site behind `arsip demo`.

One local HTTP server (standard library only) plays two outlets, told apart by path:

* `demo-inews`, styled after iNews.id: topic page `/inews/news/internasional`
  (two pages, `?page=2`, linked with rel=next), articles at
  `/inews/news/internasional/<slug>`, one of them split over two pages (`<slug>/2`).
* `demo-analisa`, styled after Analisadaily.com: topic page `/analisa/internasional`,
  articles at `/analisa/berita/baca/YYYY/MM/DD/<id>/<slug>/`.

The article text is fixed within a round; the boilerplate around it (relative
times, view counters, "Berita Terkini" order, "Baca Juga" picks, ad and CSRF tokens)
changes on every request. `advance()` moves to the next round and applies that
round's scripted edits (see `_EDITS`), so the crawler sees new versions.

Article data lives in `pages/` (`articles.toml` plus one text file per article; the
two seeds are real pages as a reader saw them); markup lives in `templates/`.
"""

from __future__ import annotations

import html
import json
import random
import re
import secrets
import threading
import tomllib
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from typing import Callable
from urllib.parse import parse_qs, quote, urlsplit

HERE = Path(__file__).parent
PAGES_DIR = HERE / "pages"
TEMPLATES_DIR = HERE / "templates"

WIB = timezone(timedelta(hours=7), "WIB")

INEWS_TOPIC = "/inews/news/internasional"
ANALISA_TOPIC = "/analisa/internasional"
INEWS_PAGE_SIZE = 3

HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember"]

ROBOTS_TXT = "User-agent: *\nDisallow: /admin/\n"


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Article:
    """One article as the site shows it in one round."""

    key: str
    outlet: str                      # "inews" or "analisa"
    slug: str
    title: str
    caption: str
    published: datetime
    modified: datetime
    paragraphs: tuple[str, ...]
    author: str | None = None        # iNews byline
    editor: str | None = None        # iNews "Editor : <name>"
    aid: str | None = None           # Analisa numeric id
    initials: str | None = None      # Analisa writer initials, "(CSP)"
    notes: tuple[str, ...] = ()      # correction notes ("Ralat: ..."), after the body
    page_breaks: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    appears: int = 1                 # first round in which the article exists
    deleted: int | None = None       # round from which it answers 404

    @property
    def path(self) -> str:
        if self.outlet == "inews":
            return f"{INEWS_TOPIC}/{self.slug}"
        d = self.published.astimezone(WIB)
        return f"/analisa/berita/baca/{d:%Y/%m/%d}/{self.aid}/{self.slug}/"

    def pages(self) -> list[tuple[str, ...]]:
        """The body split at `page_breaks` (one element for a one-page article)."""
        cuts = [0, *self.page_breaks, len(self.paragraphs)]
        return [self.paragraphs[a:b] for a, b in zip(cuts, cuts[1:])]

    @property
    def lede(self) -> str:
        return _shorten(self.paragraphs[0], 160)


@dataclass
class RoundState:
    round: int
    live: dict[str, Article]                              # key -> article
    gone: dict[str, Article] = field(default_factory=dict)  # deleted articles

    def outlet(self, outlet: str) -> list[Article]:
        """The outlet's live articles, newest first."""
        return sorted((a for a in self.live.values() if a.outlet == outlet),
                      key=lambda a: a.published, reverse=True)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "..."


def _paragraphs(text: str) -> list[str]:
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]


def _parse_inews_seed(text: str) -> dict:
    """Headline, author, caption, paragraphs up to "Editor : <name>"; the rest is boilerplate."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title, author, caption = lines[0], lines[1], lines[2]
    paragraphs, editor = [], None
    for line in lines[3:]:
        if line.startswith("Editor :"):
            editor = line.split(":", 1)[1].strip()
            break
        paragraphs.append(line)
    if editor is None:
        raise ValueError("iNews seed without an 'Editor :' line")
    return {"title": title, "author": author, "caption": caption,
            "paragraphs": paragraphs, "editor": editor}


def _parse_analisa_seed(text: str) -> dict:
    """Headline (shown twice: heading and photo title), caption, paragraphs up to "(XYZ)"."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = lines[0]
    rest = lines[2:] if lines[1] == title else lines[1:]
    caption, paragraphs, initials = rest[0], [], None
    for line in rest[1:]:
        match = re.fullmatch(r"\(([A-Z]{2,5})\)", line)
        if match:
            initials = match.group(1)
            break
        paragraphs.append(line)
    if initials is None:
        raise ValueError("Analisa seed without writer initials")
    return {"title": title, "caption": caption, "paragraphs": paragraphs, "initials": initials}


@lru_cache(maxsize=1)
def _base_articles() -> tuple[Article, ...]:
    """Every article in its original (round 1) form, from `pages/articles.toml`."""
    entries = tomllib.loads((PAGES_DIR / "articles.toml").read_text(encoding="utf-8"))["article"]
    articles = []
    for entry in entries:
        text = (PAGES_DIR / entry["file"]).read_text(encoding="utf-8")
        fmt = entry.get("format", "plain")
        if fmt == "inews-seed":
            parsed = _parse_inews_seed(text)
        elif fmt == "analisa-seed":
            parsed = _parse_analisa_seed(text)
        else:
            parsed = {"paragraphs": _paragraphs(text)}
        data = {**{k: entry[k] for k in ("title", "author", "editor", "caption", "initials") if k in entry},
                **parsed}
        published = entry["published"]
        articles.append(Article(
            key=entry["key"],
            outlet=entry["outlet"],
            slug=entry["slug"],
            title=data["title"],
            caption=data["caption"],
            published=published,
            modified=entry.get("modified", published),
            paragraphs=tuple(data["paragraphs"]),
            author=data.get("author"),
            editor=data.get("editor"),
            aid=entry.get("id"),
            initials=data.get("initials"),
            page_breaks=tuple(entry.get("page_breaks", ())),
            tags=tuple(entry.get("tags", ())),
            appears=entry.get("appears", 1),
            deleted=entry.get("deleted"),
        ))
    return tuple(articles)


# ------------------------------------------------------------------ scripted edits


def _round2(arts: dict[str, Article]) -> str:
    seed = arts["inews-seed"]
    fixed = tuple(p.replace("(22/6/2/2021)", "(22/6/2021)").replace("(23/2/2021)", "(23/6/2021)")
                  for p in seed.paragraphs)
    arts["inews-seed"] = replace(seed, paragraphs=fixed,
                                 modified=datetime(2021, 6, 23, 14, 5, tzinfo=WIB))
    return (f"demo-inews corrected two dates in {_quote(seed.title)}: "
            "(22/6/2/2021) -> (22/6/2021), (23/2/2021) -> (23/6/2021), and updated its modified date")


OLIMPIADE_TITLE = "Olimpiade Tokyo Batasi Penonton Lokal Maksimal 10.000 Orang per Venue"
OLIMPIADE_SLUG = "olimpiade-tokyo-batasi-penonton-lokal-maksimal-10000-orang-per-venue"
MCAFEE_PARAGRAPH = (
    "Pengacaranya di Spanyol, Javier Villalba, mengatakan kepada wartawan bahwa McAfee tidak "
    "menunjukkan tanda-tanda akan bunuh diri. Pengadilan setempat telah memerintahkan autopsi "
    "untuk memastikan penyebab kematiannya."
)
RALAT_NOTE = (
    "Ralat: Artikel ini sebelumnya memuat tanggal yang keliru pada paragraf pertama dan kedua. "
    "Tanggal yang benar adalah Selasa (22/6/2021) dan Rabu (23/6/2021). "
    "Redaksi mohon maaf atas kekeliruan tersebut."
)


def _round3(arts: dict[str, Article]) -> str:
    olimpiade = arts["analisa-olimpiade"]
    arts["analisa-olimpiade"] = replace(olimpiade, title=OLIMPIADE_TITLE, slug=OLIMPIADE_SLUG)
    mcafee = arts["analisa-mcafee"]
    paragraphs = list(mcafee.paragraphs)
    paragraphs.insert(3, MCAFEE_PARAGRAPH)
    arts["analisa-mcafee"] = replace(mcafee, paragraphs=tuple(paragraphs))
    seed = arts["inews-seed"]
    arts["inews-seed"] = replace(seed, notes=seed.notes + (RALAT_NOTE,),
                                 modified=datetime(2021, 6, 24, 9, 30, tzinfo=WIB))
    base = {a.key: a for a in _base_articles()}
    return (f"demo-analisa reworded a headline ({_quote(olimpiade.title)} -> {_quote(OLIMPIADE_TITLE)}, "
            f"new slug, old URL redirects) and added a paragraph to {_quote(mcafee.title)}; "
            f"demo-inews appended a correction note (Ralat) to {_quote(seed.title)}; "
            f"new article {_quote(base['inews-surfside'].title)} on demo-inews; "
            f"{_quote(base['analisa-etiopia'].title)} deleted from demo-analisa (404)")


def _quote(title: str) -> str:
    return "'" + _shorten(title, 48) + "'"


# Round N's edits turn round N-1's articles into round N's; each returns its description.
_EDITS: dict[int, Callable[[dict[str, Article]], str]] = {2: _round2, 3: _round3}


def _build_state(round_: int) -> tuple[RoundState, str]:
    """The site as of `round_` (capped at the last scripted round) and that round's description."""
    arts: dict[str, Article] = {a.key: a for a in _base_articles()}
    description = "round 1: the original articles"
    for n in range(2, min(round_, DemoSite.ROUNDS) + 1):
        edit = _EDITS.get(n)
        description = f"round {n}: " + (edit(arts) if edit else "no scripted edits")
    if round_ > DemoSite.ROUNDS:
        description = f"round {round_}: no changes (the script ends at round {DemoSite.ROUNDS})"
    effective = min(round_, DemoSite.ROUNDS)
    live = {k: a for k, a in arts.items()
            if a.appears <= effective and (a.deleted is None or a.deleted > effective)}
    gone = {k: a for k, a in arts.items() if a.deleted is not None and a.deleted <= effective}
    return RoundState(round=round_, live=live, gone=gone), description


# -------------------------------------------------------------------- formatting


@lru_cache(maxsize=None)
def _template(name: str) -> Template:
    return Template((TEMPLATES_DIR / name).read_text(encoding="utf-8"))


def _asset(name: str) -> bytes:
    return (TEMPLATES_DIR / name).read_bytes()


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _inews_date(d: datetime) -> str:
    d = d.astimezone(WIB)
    return f"{HARI[d.weekday()]}, {d.day:02d} {BULAN[d.month - 1]} {d.year} - {d:%H:%M}:00 WIB"


def _analisa_date(d: datetime) -> str:
    d = d.astimezone(WIB)
    return f"{HARI[d.weekday()]}, {d.day} {BULAN[d.month - 1][:3]} {d.year} | {d:%H:%M} WIB"


def _relative(rng: random.Random, floor_hours: float = 0.0) -> str:
    """A relative time such as "14 jam lalu", different on every call."""
    minutes = int(floor_hours * 60) + rng.randint(3, 60 * 30)
    if minutes < 60:
        return f"{minutes} menit lalu"
    if minutes < 60 * 24:
        return f"{minutes // 60} jam lalu"
    return f"{minutes // (60 * 24)} hari lalu"


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _json_ld(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")


# ------------------------------------------------------------------------ server


class DemoSite:
    """The local demo news site; see the module docstring."""

    ROUNDS: int = 3
    OUTLETS: tuple[str, ...] = ("demo-inews", "demo-analisa")  # the keys `outlets_toml()` declares

    def __init__(self):
        self.port: int = 0
        self.base: str = ""
        self.round: int = 1
        self._state, _ = _build_state(1)
        self._lock = threading.Lock()
        self._views: dict[str, int] = {}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle

    def start(self) -> "DemoSite":
        if self._server is not None:
            raise RuntimeError("the demo site is already running")
        server = _Server(("127.0.0.1", 0), _Handler)
        server.site = self
        self._server = server
        self.port = server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name=f"arsip-demo-site:{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "DemoSite":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- rounds

    def advance(self) -> str:
        """Next round: apply its scripted edits; a one-line description of what changed."""
        with self._lock:
            self.round += 1
            state, description = _build_state(self.round)
            self._state = state
        return description

    # -- outlet file

    def outlets_toml(self) -> str:
        """An arsip outlet file declaring `demo-inews` and `demo-analisa` on this site."""
        if not self.port:
            raise RuntimeError("start the demo site first: the outlet file names its port")
        host = f"127.0.0.1:{self.port}"
        rx_base = re.escape(f"http://{host}")
        return f"""\
# Outlets of the arsip demo site at {self.base} (generated; the port changes every run).

[outlets.demo-inews]
name = "iNews.id (demo)"
domains = ["{host}"]
topics = ["{self.base}{INEWS_TOPIC}"]
article_url = '^{rx_base}/inews/news/internasional/[a-z0-9-]+$'
language = "id"
schedule = "*/15 * * * *"

[outlets.demo-inews.selectors]
body = "div.content > p"
captions = "figure.headline-image figcaption"

[outlets.demo-analisa]
name = "Analisadaily.com (demo)"
domains = ["{host}"]
topics = ["{self.base}{ANALISA_TOPIC}"]
article_url = '^{rx_base}/analisa/berita/baca/\\d{{4}}/\\d{{2}}/\\d{{2}}/(?P<id>\\d+)/[a-z0-9-]+/$'
language = "id"
schedule = "*/15 * * * *"

[outlets.demo-analisa.selectors]
title = "#data h3"
body = "#data .isiNews p"
captions = "#data .imgNews .caption"
"""

    # -- request handling (called from server threads)

    def _count_view(self, key: str) -> int:
        with self._lock:
            n = self._views.get(key)
            if n is None:
                n = 1000 + (sum(map(ord, key)) * 37) % 9000
            n += random.randint(1, 17)
            self._views[key] = n
            return n

    def respond(self, path_qs: str) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) for a GET of `path_qs`."""
        state = self._state
        parts = urlsplit(path_qs)
        path, query = parts.path, parse_qs(parts.query)
        page = _Page(self, state, random.Random(secrets.randbits(64)))
        try:
            if path == "/robots.txt":
                return 200, {"Content-Type": "text/plain; charset=utf-8"}, ROBOTS_TXT.encode()
            if path in ("/", "/index.html"):
                return page.html(200, page.index())
            if path.startswith("/admin/") or path == "/admin":
                return page.html(200, page.admin())
            if path.startswith(("/inews/assets/", "/analisa/assets/")):
                return page.asset(path)
            if path in ("/inews", "/inews/", "/inews/news", "/inews/news/"):
                return page.redirect(INEWS_TOPIC, 302)
            if path in ("/analisa", "/analisa/"):
                return page.redirect(ANALISA_TOPIC, 302)
            if path in (INEWS_TOPIC, INEWS_TOPIC + "/"):
                return page.inews_topic(query)
            m = re.fullmatch(re.escape(INEWS_TOPIC) + r"/([a-z0-9-]+)(?:/(\d+|all))?(/?)", path)
            if m:
                return page.inews_article(m.group(1), m.group(2), bool(m.group(3)))
            if path in (ANALISA_TOPIC, ANALISA_TOPIC + "/"):
                return page.html(200, page.analisa_topic())
            m = re.fullmatch(r"/analisa/berita/baca/(\d{4})/(\d{2})/(\d{2})/(\d+)/([^/]+)(/?)", path)
            if m:
                return page.analisa_article(m.group(4), path)
            return page.not_found()
        except _NotFound:
            return page.not_found()


class _NotFound(Exception):
    pass


class _Page:
    """Renders one response; every random choice comes from `rng` (one per request)."""

    def __init__(self, site: DemoSite, state: RoundState, rng: random.Random):
        self.site = site
        self.state = state
        self.rng = rng
        self.csrf = secrets.token_urlsafe(30)
        self.request_id = secrets.token_hex(8)

    # -- plumbing

    def html(self, status: int, text: str) -> tuple[int, dict[str, str], bytes]:
        return status, {"Content-Type": "text/html; charset=utf-8",
                        "Cache-Control": "no-cache, private",
                        "X-Demo-Round": str(self.state.round)}, text.encode("utf-8")

    def redirect(self, location: str, status: int = 301) -> tuple[int, dict[str, str], bytes]:
        target = self.site.base + location
        body = f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Dipindahkan</title></head>' \
               f'<body><a href="{esc(target)}">{esc(target)}</a></body></html>'
        status, headers, payload = self.html(status, body)
        headers["Location"] = target
        return status, headers, payload

    def asset(self, path: str) -> tuple[int, dict[str, str], bytes]:
        name = path.rsplit("/", 1)[1]
        outlet = path.split("/")[1]
        files = {"style.css": (f"{outlet}.css", "text/css; charset=utf-8"),
                 "logo.svg": (f"{outlet}_logo.svg", "image/svg+xml"),
                 "iklan.svg": ("banner.svg", "image/svg+xml")}
        if name in files:
            filename, ctype = files[name]
        elif path.startswith(f"/{outlet}/assets/foto/") and name.endswith(".svg"):
            filename, ctype = "photo.svg", "image/svg+xml"
        else:
            raise _NotFound
        return 200, {"Content-Type": ctype, "Cache-Control": "max-age=3600"}, _asset(filename)

    def not_found(self) -> tuple[int, dict[str, str], bytes]:
        body = Template("""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>404 - Halaman Tidak Ditemukan</title>
<meta name="robots" content="noindex"></head>
<body><h1>404</h1><p>Maaf, halaman yang Anda cari tidak ditemukan atau sudah dihapus.</p>
<p><a href="/">Kembali ke beranda</a></p>
<!-- request $rid --></body></html>
""").substitute(rid=self.request_id)
        return self.html(404, body)

    def _tokens(self) -> dict[str, str]:
        return {
            "csrf": self.csrf,
            "request_id": self.request_id,
            "rendered_at": datetime.now(WIB).isoformat(timespec="milliseconds"),
            "ad_slot_top": f"{self.rng.randrange(10**12, 10**13)}-0",
            "ad_slot_side": f"{self.rng.randrange(10**12, 10**13)}-1",
            "ad_token_top": secrets.token_hex(12),
            "ad_token_side": secrets.token_hex(12),
            "base": self.site.base,
        }

    def _others(self, outlet: str, exclude: str | None, k: int) -> list[Article]:
        pool = [a for a in self.state.outlet(outlet) if a.key != exclude]
        return self.rng.sample(pool, min(k, len(pool)))

    # -- site index and the disallowed admin area

    def index(self) -> str:
        return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>arsip demo site</title></head>
<body><h1>arsip demo site</h1>
<p>Two local outlets for <code>arsip demo</code> (round {self.state.round}).</p>
<ul>
<li><a href="{INEWS_TOPIC}">demo-inews: iNews.id-style, Internasional</a></li>
<li><a href="{ANALISA_TOPIC}">demo-analisa: Analisadaily.com-style, Internasional</a></li>
</ul>
<p><small>request {self.request_id}</small></p>
</body></html>
"""

    def admin(self) -> str:
        return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>Login Redaksi</title>
<meta name="robots" content="noindex, nofollow"></head>
<body><h1>Login Redaksi</h1>
<form method="post" action="/admin/login"><input type="hidden" name="_token" value="{self.csrf}">
<input name="user"> <input name="password" type="password"> <button>Masuk</button></form>
</body></html>
"""

    # -- demo-inews

    def _inews_layout(self, *, page_title: str, description: str, canonical: str, head_extra: str,
                      main: str, body_class: str) -> str:
        terkini = "\n".join(
            f'      <li><a href="{self.site.base}{a.path}">{esc(a.title)}</a> '
            f'<time class="relative">{_relative(self.rng)}</time></li>'
            for a in self._others("inews", None, 8))
        return _template("inews_layout.html").substitute(
            page_title=esc(page_title), description=esc(description), canonical=esc(canonical),
            head_extra=head_extra, main=main, body_class=body_class, terkini=terkini,
            trending_count=_thousands(self.rng.randint(40, 2500)), ad_refresh=self.rng.randint(30, 90),
            **self._tokens())

    def inews_topic(self, query: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
        raw = query.get("page", ["1"])[0]
        if not raw.isdigit() or int(raw) < 1:
            raise _NotFound
        number = int(raw)
        articles = self.state.outlet("inews")
        pages = max(1, -(-len(articles) // INEWS_PAGE_SIZE))
        if number > pages:
            raise _NotFound
        base = self.site.base + INEWS_TOPIC

        def page_url(n: int) -> str:
            return base if n == 1 else f"{base}?page={n}"

        chunk = articles[(number - 1) * INEWS_PAGE_SIZE: number * INEWS_PAGE_SIZE]
        items = "\n".join(f"""    <article class="cardArticle">
      <a class="cardArticle__img" href="{self.site.base}{a.path}"><img src="/inews/assets/foto/{a.slug}.svg" alt="{esc(a.title)}" width="200" height="113"></a>
      <div class="cardArticle__text">
        <a href="{self.site.base}{a.path}"><h3 class="cardTitle">{esc(a.title)}</h3></a>
        <div class="cardMeta"><span class="kanal">Internasional</span> <span class="time">{_relative(self.rng, i * 3)}</span></div>
      </div>
    </article>""" for i, a in enumerate(chunk))
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
        main = _template("inews_topic.html").substitute(items=items, pagination="\n".join(nav))
        title = "Berita Internasional Terkini Hari Ini - iNews.id"
        if number > 1:
            title = f"Berita Internasional Terkini Hari Ini - Halaman {number} - iNews.id"
        return self.html(200, self._inews_layout(
            page_title=title, description="Berita internasional terkini dan terbaru hari ini dari iNews.id",
            canonical=page_url(number), head_extra="\n".join(head), main=main, body_class="page-kanal"))

    def inews_article(self, slug: str, which: str | None, slash: bool) -> tuple[int, dict[str, str], bytes]:
        article = next((a for a in self.state.outlet("inews") if a.slug == slug), None)
        if article is None:
            raise _NotFound
        url = self.site.base + article.path
        pages = article.pages()
        if which == "1":
            return self.redirect(article.path)
        if slash:
            return self.redirect(article.path + (f"/{which}" if which else ""))
        if which == "all":
            number, shown, canonical = len(pages), [p for page in pages for p in page], url
        else:
            number = int(which) if which else 1
            if not 1 <= number <= len(pages):
                raise _NotFound
            shown = list(pages[number - 1])
            canonical = url if number == 1 else f"{url}/{number}"
        last = number == len(pages)

        # body: paragraphs with "Baca Juga" lines and an in-article ad slot mixed in
        related = self._others("inews", article.key, 2)
        blocks = []
        for i, paragraph in enumerate(shown):
            blocks.append(f"    <p>{esc(paragraph)}</p>")
            if i == 1 and related:
                r = related.pop()
                blocks.append(f'    <p><strong>Baca Juga:</strong> <a href="{self.site.base}{r.path}">{esc(r.title)}</a></p>')
            if i == 2:
                blocks.append(f'    <div class="ads ads--inarticle" id="div-gpt-ad-{self.rng.randrange(10**12, 10**13)}-2" '
                              f'data-ad-token="{secrets.token_hex(10)}"><span class="ads__label">Advertisement</span></div>')
            if i == 3 and related:
                r = related.pop()
                blocks.append(f'    <p><strong>Baca Juga:</strong> <a href="{self.site.base}{r.path}">{esc(r.title)}</a></p>')
        if last:
            for note in article.notes:
                label, _, rest = note.partition(":")
                blocks.append(f"    <p><strong>{esc(label)}:</strong> {esc(rest.strip())}</p>")
        head = []
        if len(pages) > 1 and which != "all":
            nav = ['    <div class="pagination-article"><span>Halaman :</span>']
            for n in range(1, len(pages) + 1):
                link = url if n == 1 else f"{url}/{n}"
                nav.append(f'      <span class="current">{n}</span>' if n == number else f'      <a href="{link}">{n}</a>')
            if number > 1:
                prev = url if number == 2 else f"{url}/{number - 1}"
                head.append(f'<link rel="prev" href="{prev}">')
            if not last:
                head.append(f'<link rel="next" href="{url}/{number + 1}">')
                nav.append(f'      <a rel="next" class="next" href="{url}/{number + 1}">Selanjutnya</a>')
            nav.append(f'      <a class="all" href="{url}/all">Tampilkan Semua</a>')
            nav.append("    </div>")
            blocks.append("\n".join(nav))
        if last and article.editor:
            blocks.append(f'    <div class="editor">Editor : <span>{esc(article.editor)}</span></div>')

        terkait = "\n".join(f"""  <div class="artikelTerkait__item">
    <span class="kanal">Internasional</span>
    <time class="relative">{_relative(self.rng, i * 8)}</time>
    <a href="{self.site.base}{r.path}"><h4>{esc(r.title)}</h4></a>
  </div>""" for i, r in enumerate(self._others("inews", article.key, 4)))
        image = f"{self.site.base}/inews/assets/foto/{article.slug}.svg"
        tags = "\n".join(f'    <a class="tag" href="/inews/tag/{_slugify(t)}">{esc(t)}</a>' for t in article.tags)
        main = _template("inews_article.html").substitute(
            headline=esc(article.title), author=esc(article.author or ""),
            author_slug=_slugify(article.author or "redaksi"), created_at=_inews_date(article.published),
            views=_thousands(self.site._count_view(article.key)), shares=self.rng.randint(0, 400),
            image=image, caption=esc(article.caption), content="\n".join(blocks), tags=tags,
            terkait=terkait, comments=self.rng.randint(0, 60))
        published = article.published.isoformat()
        modified = article.modified.isoformat()
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "headline": article.title,
            "description": article.lede,
            "image": {"@type": "ImageObject", "url": image, "width": 680, "height": 383},
            "datePublished": published,
            "dateModified": modified,
            "author": {"@type": "Person", "name": article.author},
            "editor": {"@type": "Person", "name": article.editor},
            "publisher": {"@type": "Organization", "name": "iNews.id",
                          "logo": {"@type": "ImageObject", "url": f"{self.site.base}/inews/assets/logo.svg"}},
            "articleSection": "Internasional",
            "keywords": ", ".join(article.tags),
            "inLanguage": "id-ID",
        }
        head += [
            '<meta name="robots" content="index, follow">',
            '<meta property="og:type" content="article">',
            '<meta property="og:site_name" content="iNews.id">',
            f'<meta property="og:title" content="{esc(article.title)}">',
            f'<meta property="og:description" content="{esc(article.lede)}">',
            f'<meta property="og:url" content="{esc(url)}">',
            f'<meta property="og:image" content="{esc(image)}">',
            f'<meta property="article:published_time" content="{published}">',
            f'<meta property="article:modified_time" content="{modified}">',
            '<meta property="article:section" content="Internasional">',
            f'<meta property="article:author" content="{esc(article.author or "")}">',
            *(f'<meta property="article:tag" content="{esc(t)}">' for t in article.tags),
            f'<meta name="keywords" content="{esc(", ".join(article.tags))}">',
            f'<script type="application/ld+json">{_json_ld(ld)}</script>',
        ]
        suffix = f" - Halaman {number}" if which and which != "all" and number > 1 else ""
        return self.html(200, self._inews_layout(
            page_title=f"{article.title}{suffix} - iNews.id", description=article.lede, canonical=canonical,
            head_extra="\n".join(head), main=main, body_class="page-article"))

    # -- demo-analisa

    def _analisa_layout(self, *, page_title: str, description: str, keywords: str, canonical: str,
                        head_extra: str, main: str) -> str:
        terpopuler = "\n".join(
            f'      <li><a href="{a.path}">{esc(a.title)}</a> <span class="dibaca">Dibaca {_thousands(self.rng.randint(200, 9000))} kali</span></li>'
            for a in self._others("analisa", None, 5))
        now = datetime.now(WIB)
        return _template("analisa_layout.html").substitute(
            page_title=esc(page_title), description=esc(description), keywords=esc(keywords),
            canonical=esc(canonical), head_extra=head_extra, main=main, terpopuler=terpopuler,
            today_label=f"{HARI[now.weekday()]}, {now.day} {BULAN[now.month - 1]} {now.year} {now:%H:%M:%S}",
            poll_votes=_thousands(self.rng.randint(100, 5000)), **self._tokens())

    def analisa_topic(self) -> str:
        items = "\n".join(f"""    <div class="item">
      <a href="{a.path}"><img src="/analisa/assets/foto/{a.aid}.svg" alt="{esc(a.title)}" width="120" height="68" /></a>
      <h4><a href="{a.path}">{esc(a.title)}</a></h4>
      <span class="tgl">{_analisa_date(a.published)}</span> <span class="lalu">({_relative(self.rng, i * 6)})</span>
      <p class="ringkas">{esc(_shorten(a.paragraphs[0], 140))}</p>
    </div>""" for i, a in enumerate(self.state.outlet("analisa")))
        main = _template("analisa_topic.html").substitute(items=items)
        return self._analisa_layout(
            page_title="Berita Internasional | Analisadaily.com", description="Berita internasional terkini",
            keywords="berita internasional, analisa", canonical=self.site.base + ANALISA_TOPIC,
            head_extra="", main=main)

    def analisa_article(self, aid: str, path: str) -> tuple[int, dict[str, str], bytes]:
        article = next((a for a in self.state.outlet("analisa") if a.aid == aid), None)
        if article is None:
            raise _NotFound
        if path != article.path:       # old slug, wrong date or missing slash: to the canonical URL
            return self.redirect(article.path)
        url = self.site.base + article.path
        content = [f"    <p>{esc(p)}</p>" for p in article.paragraphs]
        for note in article.notes:
            content.append(f"    <p><em>{esc(note)}</em></p>")
        if article.initials:
            content.append(f"    <p>({esc(article.initials)})</p>")
        baca = "\n".join(f'    <li><a href="{r.path}">{esc(r.title)}</a></li>'
                         for r in self._others("analisa", article.key, 3))
        rekomendasi = "\n".join(
            f'    <li><a href="{r.path}">{esc(r.title)}</a> <span class="lalu">{_relative(self.rng, i * 5)}</span></li>'
            for i, r in enumerate(self._others("analisa", article.key, 4)))
        image = f"{self.site.base}/analisa/assets/foto/{article.aid}.svg"
        main = _template("analisa_article.html").substitute(
            headline=esc(article.title), date_news=_analisa_date(article.published),
            views=_thousands(self.site._count_view(article.key)), image=image, caption=esc(article.caption),
            content="\n".join(content), canonical_q=quote(url, safe=""), shares=self.rng.randint(0, 250),
            tags=", ".join(f'<a href="/analisa/tag/{_slugify(t)}">{esc(t)}</a>' for t in article.tags),
            baca_juga=baca, rekomendasi=rekomendasi)
        head = "\n".join([
            '<meta property="og:type" content="article" />',
            '<meta property="og:site_name" content="Analisadaily.com" />',
            f'<meta property="og:title" content="{esc(article.title)}" />',
            f'<meta property="og:description" content="{esc(article.lede)}" />',
            f'<meta property="og:url" content="{esc(url)}" />',
            f'<meta property="og:image" content="{esc(image)}" />',
            f'<meta property="article:published_time" content="{article.published.isoformat()}" />',
        ])
        return self.html(200, self._analisa_layout(
            page_title=f"{article.title} | Analisadaily.com", description=article.lede,
            keywords=", ".join(article.tags), canonical=url, head_extra=head, main=main))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    site: DemoSite

    def handle_error(self, request, client_address) -> None:
        """Quiet: a client hanging up mid-response is not worth a traceback."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "arsip-demo/1.0"
    sys_version = ""
    timeout = 30

    def log_message(self, format: str, *args) -> None:
        pass

    def _serve(self, with_body: bool) -> None:
        status, headers, body = self.server.site.respond(self.path)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_GET(self) -> None:
        self._serve(True)

    def do_HEAD(self) -> None:
        self._serve(False)

    def _method_not_allowed(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = b"Method Not Allowed\n"
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT = do_DELETE = do_PATCH = _method_not_allowed
