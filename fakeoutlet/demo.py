"""The demo news site behind `arsip demo`: two outlets, scripted edits between crawl rounds.

    with demo_site() as site:         # serves http://127.0.0.1:<free port>
        Path("outlets.toml").write_text(site.outlets_toml())
        ...crawl...
        print(site.advance())         # round 2: the scripted corrections appear

* `demo-inews`, styled after iNews.id (`styles/inews.py`), and
* `demo-analisa`, styled after Analisadaily.com (`styles/analisa.py`).

The article text is fixed within a round; the boilerplate around it changes on every
request. `advance()` moves to the next round and makes that round's edits (`_ROUND_EDITS`,
and the articles `pages/articles.toml` says appear or go then), so the crawler sees
new versions. The two seed articles are real pages as a reader saw them.
"""

from __future__ import annotations

import re
import tomllib
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Callable

from fakeoutlet.newsroom import Article, Newsroom
from fakeoutlet.site import FakeOutlet, FakeSite
from fakeoutlet.styles import analisa, inews
from fakeoutlet.styles.portal import WIB, shorten

PAGES_DIR = Path(__file__).resolve().parent / "pages"
ROUNDS = 3
OUTLETS = ("demo-inews", "demo-analisa")  # the keys `outlets_toml()` declares


# -- the articles, from pages/


def _paragraphs(text: str) -> list[str]:
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]


def _parse_inews_seed(text: str) -> dict:
    """Headline, author, caption, paragraphs up to "Editor : <name>"; the rest is boilerplate."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    paragraphs, editor = [], None
    for line in lines[3:]:
        if line.startswith("Editor :"):
            editor = line.split(":", 1)[1].strip()
            break
        paragraphs.append(line)
    if editor is None:
        raise ValueError("iNews seed without an 'Editor :' line")
    return {"title": lines[0], "author": lines[1], "caption": lines[2], "paragraphs": paragraphs, "editor": editor}


def _parse_analisa_seed(text: str) -> dict:
    """Headline (shown twice: heading and photo title), caption, paragraphs up to "(XYZ)"."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = lines[0]
    rest = lines[2:] if lines[1] == title else lines[1:]
    paragraphs, initials = [], None
    for line in rest[1:]:
        match = re.fullmatch(r"\(([A-Z]{2,5})\)", line)
        if match:
            initials = match.group(1)
            break
        paragraphs.append(line)
    if initials is None:
        raise ValueError("Analisa seed without writer initials")
    return {"title": title, "caption": rest[0], "paragraphs": paragraphs, "initials": initials}


_PARSERS: dict[str, Callable[[str], dict]] = {
    "inews-seed": _parse_inews_seed,
    "analisa-seed": _parse_analisa_seed,
    "plain": lambda text: {"paragraphs": _paragraphs(text)},
}


def _article(entry: dict) -> Article:
    text = (PAGES_DIR / entry["file"]).read_text(encoding="utf-8")
    data = {**{k: entry[k] for k in ("title", "author", "editor", "caption", "initials") if k in entry},
            **_PARSERS[entry.get("format", "plain")](text)}
    paragraphs = data["paragraphs"]
    cuts = [0, *entry.get("page_breaks", ()), len(paragraphs)]
    return Article(
        key=entry["key"], slug=entry["slug"], title=data["title"], caption=data["caption"],
        published=entry["published"], modified=entry.get("modified", entry["published"]),
        pages=[paragraphs[a:b] for a, b in zip(cuts, cuts[1:])],
        # Analisadaily.com signs with the writer's initials, iNews.id with a byline.
        byline=data.get("author") or data.get("initials"), editor=data.get("editor"),
        number=entry.get("id"), tags=tuple(entry.get("tags", ())),
    )


@lru_cache(maxsize=1)
def _entries() -> tuple[dict, ...]:
    return tuple(tomllib.loads((PAGES_DIR / "articles.toml").read_text(encoding="utf-8"))["article"])


def _originals() -> dict[str, Article]:
    """Every article in its original (round 1) form."""
    return {entry["key"]: _article(entry) for entry in _entries()}


# -- the scripted edits


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


def _quote(title: str) -> str:
    return "'" + shorten(title, 48) + "'"


def _round2(site: FakeSite) -> str:
    seed = site.story("inews-seed")
    fixed = [[p.replace("(22/6/2/2021)", "(22/6/2021)").replace("(23/2/2021)", "(23/6/2021)") for p in page]
             for page in seed.pages]
    site.edit_article("inews-seed", pages=fixed, modified=datetime(2021, 6, 23, 14, 5, tzinfo=WIB))
    return (f"demo-inews corrected two dates in {_quote(seed.title)}: "
            "(22/6/2/2021) -> (22/6/2021), (23/2/2021) -> (23/6/2021), and updated its modified date")


def _round3(site: FakeSite) -> str:
    olimpiade = site.story("analisa-olimpiade")
    site.edit_article("analisa-olimpiade", title=OLIMPIADE_TITLE, slug=OLIMPIADE_SLUG)
    mcafee = site.story("analisa-mcafee")
    paragraphs = list(mcafee.pages[0])
    paragraphs.insert(3, MCAFEE_PARAGRAPH)
    site.edit_article("analisa-mcafee", paragraphs=paragraphs)
    seed = site.story("inews-seed")
    site.edit_article("inews-seed", notes=[*seed.notes, RALAT_NOTE],
                      modified=datetime(2021, 6, 24, 9, 30, tzinfo=WIB))
    originals = _originals()
    return (f"demo-analisa reworded a headline ({_quote(olimpiade.title)} -> {_quote(OLIMPIADE_TITLE)}, "
            f"new slug, old URL redirects) and added a paragraph to {_quote(mcafee.title)}; "
            f"demo-inews appended a correction note (Ralat) to {_quote(seed.title)}; "
            f"new article {_quote(originals['inews-surfside'].title)} on demo-inews; "
            f"{_quote(originals['analisa-etiopia'].title)} deleted from demo-analisa (404)")


# Round N's edits turn round N-1's articles into round N's; each returns its description.
_ROUND_EDITS: dict[int, Callable[[FakeSite], str]] = {2: _round2, 3: _round3}


def _round(number: int) -> Callable[[FakeSite], str]:
    """Round `number`: its edits, then the articles that appear or go in it."""

    def edit(site: FakeSite) -> str:
        description = _ROUND_EDITS[number](site) if number in _ROUND_EDITS else "no scripted edits"
        originals = _originals()
        for entry in _entries():
            outlet = next(o for o in site.outlets if o.key == f"demo-{entry['outlet']}")
            if entry.get("appears") == number:
                outlet.newsroom.publish(originals[entry["key"]])
            if entry.get("deleted") == number:
                outlet.newsroom.delete(entry["key"])
        return description

    return edit


def demo_site(port: int = 0) -> FakeSite:
    """The demo site in round 1: the original articles, those that appear later not yet."""
    originals = _originals()
    first = {e["key"]: e for e in _entries() if e.get("appears", 1) == 1}
    articles = {name: [originals[k] for k, e in first.items() if e["outlet"] == name] for name in ("inews", "analisa")}
    outlets = [
        FakeOutlet("demo-inews", "iNews.id (demo)", Newsroom(articles["inews"], per_page=3), inews.InewsStyle(),
                   inews.TOPIC, selectors=inews.SELECTORS),
        FakeOutlet("demo-analisa", "Analisadaily.com (demo)", Newsroom(articles["analisa"], topic_pages=1),
                   analisa.AnalisaStyle(), analisa.TOPIC, selectors=analisa.SELECTORS),
    ]
    return FakeSite(outlets, disallow="/admin/", front_page="arsip demo site",
                    script={n: _round(n) for n in range(2, ROUNDS + 1)}, server_name="arsip-demo/1.0", port=port)

