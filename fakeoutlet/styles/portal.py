"""What the two demo styles (iNews.id and Analisadaily.com) share: markup from
`fakeoutlet/templates/`, Indonesian dates, and boilerplate that churns on every
request (relative times, counters, CSRF and ad tokens, random picks of other articles)."""

from __future__ import annotations

import html
import random
import re
import secrets
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from string import Template

from fakeoutlet.newsroom import Article
from fakeoutlet.server import Response
from fakeoutlet.site import FakeOutlet, Fixed, Missing, Style, Visit

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
