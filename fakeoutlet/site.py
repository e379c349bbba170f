"""The fake news site: outlets on one loopback server, each a newsroom shown in a style.

A `FakeSite` serves robots.txt, an optional front page and its `FakeOutlet`s. Each
outlet is a `Newsroom` (the articles and their edits) shown through a `Style` (its
URL scheme and markup, in `fakeoutlet/styles/`). What every style shares lives here:
topic pages, article pages (split ones too), redirects from old URLs, 404 for deleted
articles, the ways an article can be served (`Behaviour`), a delay before article
URLs, an outlet file for arsip, and rounds of scripted edits (`advance()`). The site
also keeps what it served of each article in each round (`served()`): the `Reading`
of every readable page, or how it was not readable (a soft 404, a paywall...), so a
test knows the versions a reader saw without trusting the crawler.
"""

from __future__ import annotations

import html
import random
import re
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Hashable, Iterable
from urllib.parse import parse_qs, urlsplit

from fakeoutlet.newsroom import Article, Behaviour, Newsroom, Reading
from fakeoutlet.server import LoopbackServer, Request, Response

# -- what a path asks for (a style's `route` answers with one of these)


@dataclass(frozen=True)
class Topic:
    number: int


@dataclass(frozen=True)
class Page:
    article: Article
    page: int | str = 1  # a page number, "all" where the style shows every page at once, "amp" for its AMP copy


@dataclass(frozen=True)
class Redirect:
    location: str  # a path on this site
    status: int = 301


@dataclass(frozen=True)
class Fixed:
    render: Callable[["Visit"], Response]  # a page of the style's own (an asset, a login form)


@dataclass(frozen=True)
class Missing:
    pass


Route = Topic | Page | Redirect | Fixed | Missing


@dataclass
class Visit:
    """One request as a page sees it: the site, and fresh randomness for what churns."""

    site: "FakeSite"
    number: int  # the site's request counter
    rng: random.Random

    @property
    def base(self) -> str:
        return self.site.base

    @property
    def round(self) -> int:
        return self.site.round


class Style:
    """An outlet's URL scheme and markup. Subclasses route paths and render pages."""

    gzip = False          # offer a gzip body to clients that accept it
    churns = True         # pages differ on every request (False: rendered once and kept)
    article_pattern = ""  # the regex of article paths, for the outlet file
    article_tail = "$"    # what ends that regex there ("" as users often write it: a query string still matches)

    def route(self, outlet: "FakeOutlet", path: str, query: dict[str, list[str]]) -> tuple[Route, bool] | None:
        """What `path` asks for, and whether it is an article URL (those wait the site's delay);
        None when the path is not this outlet's."""
        raise NotImplementedError

    def path(self, outlet: "FakeOutlet", article: Article) -> str:
        """The path of the article's (first) page."""
        raise NotImplementedError

    def topic(self, outlet: "FakeOutlet", number: int, visit: Visit) -> str:
        """Topic page `number` (within the newsroom's topic pages) as HTML."""
        raise NotImplementedError

    def article(self, outlet: "FakeOutlet", article: Article, page: int | str, visit: Visit,
                truncated: bool = False) -> str:
        """Page `page` of the article as HTML; `truncated`: only its first paragraph."""
        raise NotImplementedError

    def headers(self, visit: Visit) -> dict[str, str]:
        """Headers of every HTML page."""
        return {}

    def article_headers(self, article: Article) -> dict[str, str]:
        return {}

    def html(self, status: int, text: str, visit: Visit, **headers: str) -> Response:
        return Response(status, text.encode("utf-8"), headers={**self.headers(visit), **headers})

    def not_found(self, visit: Visit) -> Response:
        return self.html(404, "<!DOCTYPE html><html><body><h1>404</h1><p>Not found</p></body></html>\n", visit)

    def redirect(self, location: str, status: int, visit: Visit) -> Response:
        return self.html(status, f'<!DOCTYPE html><html><body><a href="{location}">{location}</a></body></html>\n',
                         visit, Location=location)

    def unavailable(self, visit: Visit) -> Response:
        return self.html(503, "<!DOCTYPE html><html><body><h1>503</h1></body></html>\n", visit, **{"Retry-After": "1"})

    def soft_error(self, visit: Visit) -> Response:
        return self.html(200, "<!DOCTYPE html><html><body><h1>Page not found</h1></body></html>\n", visit)

    def paywall(self, outlet: "FakeOutlet", article: Article, visit: Visit) -> Response:
        return self.html(200, f"<!DOCTYPE html><html><body><h1>{html.escape(article.title)}</h1>"
                              "<p>Subscribe to continue reading.</p></body></html>\n", visit)

    def consent(self, visit: Visit) -> Response:
        return self.html(200, "<!DOCTYPE html><html><body><h1>Before you continue</h1>"
                              "<p>We use cookies. Accept all to continue.</p></body></html>\n", visit)


@dataclass
class FakeOutlet:
    """One outlet the site plays: its arsip outlet key and name, its articles, its markup."""

    key: str
    name: str
    newsroom: Newsroom
    style: Style
    topic_path: str
    selectors: dict[str, str] | None = None  # CSS selectors an outlet file may declare for the markup
    topic_depth: int | None = None
    redesign: Style | None = None             # another markup for the same text (`FakeSite.redesign()`)
    original: Style | None = field(default=None, repr=False)
    language: str = "id"

    def article_path(self, article: Article) -> str:
        return article.path or self.style.path(self, article)

    def toml(self, base: str, *, key: str | None = None, topic_depth: int | None = None,
             selectors: bool = True) -> str:
        """This outlet's table in an arsip outlet file, for the site at `base`."""
        key, depth = key or self.key, topic_depth or self.topic_depth
        text = (f"[outlets.{key}]\n"
                f'name = "{self.name}"\n'
                f'domains = ["{urlsplit(base).netloc}"]\n'
                f'topics = ["{base}{self.topic_path}"]\n'
                f"article_url = '^{re.escape(base)}{self.style.article_pattern}{self.style.article_tail}'\n"
                f'language = "{self.language}"\n'
                'schedule = "*/15 * * * *"\n')
        if depth:
            text += f"topic_depth = {depth}\n"
        if selectors and self.selectors:
            text += f"\n[outlets.{key}.selectors]\n" + "".join(f'{n} = "{v}"\n' for n, v in self.selectors.items())
        return text


Script = dict[int, Callable[["FakeSite"], str]]
# What can stand in for an article's page, first found first.
_STAND_INS = (Behaviour.UNAVAILABLE, Behaviour.SOFT_ERROR, Behaviour.PAYWALL, Behaviour.CONSENT, Behaviour.TRUNCATED)


class FakeSite:
    """Fake outlets served on 127.0.0.1 (a free port, or `port`), in a thread of this process.

    `disallow`: the path robots.txt disallows (None: it allows all). `front_page`: the
    title of a page at / linking every outlet's topic page (None: / is a 404).
    `article_delay`: seconds every article URL waits. `script`: round number -> the
    edits `advance()` makes on reaching it, returning what changed in one line.
    """

    def __init__(self, outlets: Iterable[FakeOutlet], *, disallow: str | None = None,
                 front_page: str | None = None, article_delay: float = 0.0, script: Script | None = None,
                 server_name: str = "fakeoutlet", port: int = 0):
        self.outlets = list(outlets)
        self.disallow = disallow
        self.front_page = front_page
        self.article_delay = article_delay
        self.script = dict(script or {})
        self.rounds = max(self.script, default=1)
        self.round = 1
        self.server = LoopbackServer(self._respond, port=port, name=server_name)
        self._lock = threading.Lock()
        self._counter = 0
        self._views: dict[Hashable, int] = {}
        self._kept: dict[tuple, bytes] = {}  # pages that never change: padded articles, non-churning styles
        self._served: dict[Hashable, dict[int, list[Reading | str]]] = {}

    # -- lifecycle

    def start(self) -> "FakeSite":
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> "FakeSite":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}" if self.port else ""

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def requests(self) -> list[Request]:
        return self.server.requests

    def paths_requested(self) -> list[str]:
        return self.server.paths_requested()

    # -- the outlet file

    def outlets_toml(self, *, key: str | None = None, topic_depth: int | None = None, selectors: bool = True) -> str:
        """An arsip outlet file declaring this site's outlets (`key` and `topic_depth`
        rename and deepen a one-outlet site's)."""
        if not self.port:
            raise RuntimeError("start the site first: the outlet file names its port")
        if (key or topic_depth) and len(self.outlets) != 1:
            raise ValueError("key and topic_depth are for a site of one outlet")
        header = f"# Outlets of the fake news site at {self.base} (generated; the port changes every run).\n\n"
        return header + "\n".join(o.toml(self.base, key=key, topic_depth=topic_depth, selectors=selectors)
                                  for o in self.outlets)

    def write_outlet_file(self, path: str | Path, key: str | None = None, topic_depth: int | None = None) -> Path:
        path = Path(path)
        path.write_text(self.outlets_toml(key=key, topic_depth=topic_depth), encoding="utf-8")
        return path

    # -- rounds

    def advance(self) -> str:
        """Next round: make its scripted edits; a one-line description of what changed."""
        with self._lock:
            self.round += 1
            edits = self.script.get(self.round)
        if self.round > self.rounds:
            return f"round {self.round}: no changes (the script ends at round {self.rounds})"
        return f"round {self.round}: " + (edits(self) if edits else "no scripted edits")

    def redesign(self, on: bool = True) -> None:
        """Show every outlet that has another markup in it (or, `on=False`, in its own again)."""
        for outlet in self.outlets:
            if outlet.redesign is not None:
                outlet.original = outlet.original or outlet.style
                outlet.style = outlet.redesign if on else outlet.original

    # -- articles, across the outlets (keys are unique on a site)

    def outlet_of(self, key: Hashable) -> FakeOutlet:
        for outlet in self.outlets:
            if key in outlet.newsroom:
                return outlet
        raise KeyError(key)

    def story(self, key: Hashable) -> Article:
        """The article `key` as the site shows it now (or last showed it, if deleted)."""
        return self.outlet_of(key).newsroom.get(key)

    def article_path(self, key: Hashable) -> str:
        outlet = self.outlet_of(key)
        return outlet.article_path(outlet.newsroom.get(key))

    def article_url(self, key: Hashable) -> str:
        return self.url(self.article_path(key))

    def edit_article(self, key: Hashable, *, paragraphs: list[str] | None = None, **changes) -> Article:
        """Change an article as a newsroom would (see `Newsroom.edit`); `paragraphs` replaces page 1's."""
        newsroom = self.outlet_of(key).newsroom
        if paragraphs is not None:
            changes["pages"] = [list(paragraphs), *newsroom.get(key).pages[1:]]
        return newsroom.edit(key, **changes)

    def delete_article(self, key: Hashable) -> None:
        self.outlet_of(key).newsroom.delete(key)

    def soft_error(self, key: Hashable, on: bool = True) -> None:
        """The article answers 200 with a "page not found" page (a soft 404) while on."""
        self.outlet_of(key).newsroom.switch(key, Behaviour.SOFT_ERROR, on)

    def truncate(self, key: Hashable, on: bool = True) -> None:
        """The article is served with only its first paragraph (a half-loaded page) while on."""
        self.outlet_of(key).newsroom.switch(key, Behaviour.TRUNCATED, on)

    def unavailable(self, key: Hashable, on: bool = True) -> None:
        """The article answers 503 (Retry-After: 1) while on."""
        self.outlet_of(key).newsroom.switch(key, Behaviour.UNAVAILABLE, on)

    def served(self, key: Hashable) -> dict[int, list[Reading | str]]:
        """Round -> what each request for one of the article's pages got, in order: its `Reading`
        when readable, else the `Behaviour` value that stood in for it ("soft_error", "paywall"...)."""
        with self._lock:
            return {n: list(seen) for n, seen in self._served.get(key, {}).items()}

    @property
    def article_ids(self) -> list[Hashable]:
        """The keys of the articles the topic pages can list, in the order they were published."""
        return [a.key for o in self.outlets for a in o.newsroom.articles() if a.listed]

    def topic_page_ids(self, page: int, outlet: FakeOutlet | None = None) -> list[Hashable]:
        """The keys topic page `page` lists (newest first)."""
        return [a.key for a in (outlet or self.outlets[0]).newsroom.topic_page(page)]

    def ids_within_depth(self, depth: int) -> list[Hashable]:
        """The keys topic pages 1..depth list."""
        return [key for page in range(1, depth + 1) for key in self.topic_page_ids(page)]

    def count_view(self, key: Hashable) -> int:
        """An article's view counter, a little higher on every request."""
        with self._lock:
            n = self._views.get(key, 1000 + (sum(map(ord, str(key))) * 37) % 9000)
            self._views[key] = n = n + random.randint(1, 17)
            return n

    # -- answering

    def respond(self, path: str, headers: dict[str, str] | None = None) -> Response | None:
        """The response to a GET of `path` (None if the site stopped while it waited)."""
        headers = {name.lower(): value for name, value in (headers or {}).items()}
        return self._respond(Request(path=path, method="GET", headers=headers))

    def render_all(self) -> None:
        """Render every page of non-churning outlets now, so that serving them costs nothing."""
        for outlet in (o for o in self.outlets if not o.style.churns):
            for number in range(1, outlet.newsroom.topic_pages + 1):
                self._answer(outlet, Topic(number), self._visit())
            for article in outlet.newsroom.live():
                self._answer(outlet, Page(article), self._visit())

    def _visit(self) -> Visit:
        with self._lock:
            self._counter += 1
            return Visit(self, self._counter, random.Random(secrets.randbits(64)))

    def _respond(self, request: Request) -> Response | None:
        visit = self._visit()
        parts = urlsplit(request.path)
        if parts.path == "/robots.txt":
            rule = f"Disallow: {self.disallow}" if self.disallow else "Allow: /"
            return Response(200, f"User-agent: *\n{rule}\n".encode(), "text/plain; charset=utf-8")
        if self.front_page and parts.path in ("/", "/index.html"):
            return self.outlets[0].style.html(200, self._front(visit), visit)
        query = parse_qs(parts.query, keep_blank_values=True)
        for outlet in self.outlets:
            found = outlet.style.route(outlet, parts.path, query)
            if found is not None:
                route, article_url = found
                if article_url and not self.server.sleep(self.article_delay):
                    return None
                return self._answer(outlet, route, visit)
        return self.outlets[0].style.not_found(visit)

    def _answer(self, outlet: FakeOutlet, route: Route, visit: Visit) -> Response | None:
        style = outlet.style
        if isinstance(route, Fixed):
            return route.render(visit)
        if isinstance(route, Redirect):
            return style.redirect(route.location, route.status, visit)
        if isinstance(route, Missing):
            return style.not_found(visit)
        if isinstance(route, Topic):
            if not 1 <= route.number <= outlet.newsroom.topic_pages:
                return style.not_found(visit)
            body = self._render(("topic", outlet.key, route.number), lambda v: style.topic(outlet, route.number, v),
                                visit, keep=not style.churns)
            return Response(200, body, headers=style.headers(visit), gzip=style.gzip)
        return self._article(outlet, route, visit)

    def _article(self, outlet: FakeOutlet, route: Page, visit: Visit) -> Response | None:
        style, article = outlet.style, route.article
        if not self.server.sleep(article.wait):
            return None
        stand_in = next((b for b in _STAND_INS if b in article.behaviours), None)
        with self._lock:
            self._served.setdefault(article.key, {}).setdefault(self.round, []).append(
                stand_in.value if stand_in else article.reading())
        if stand_in is Behaviour.UNAVAILABLE:
            return style.unavailable(visit)
        if stand_in is Behaviour.SOFT_ERROR:
            return style.soft_error(visit)
        if stand_in is Behaviour.PAYWALL:
            return style.paywall(outlet, article, visit)
        if stand_in is Behaviour.CONSENT:
            return style.consent(visit)
        truncated = stand_in is Behaviour.TRUNCATED
        body = self._render(("article", article.key, route.page),
                            lambda v: style.article(outlet, article, route.page, v, truncated),
                            visit, keep=bool(article.padding) or not style.churns)
        return Response(200, body, headers={**style.headers(visit), **style.article_headers(article)},
                        gzip=style.gzip and not article.padding,
                        chunks=6 if Behaviour.CHUNKED in article.behaviours else 0)

    def _render(self, name: tuple, render: Callable[[Visit], str], visit: Visit, keep: bool) -> bytes:
        """`render(visit)`; with `keep`, made once and kept under `name` (a page that never changes)."""
        if not keep:
            return render(visit).encode("utf-8")
        with self._lock:
            kept = self._kept.get(name)
        if kept is None:
            kept = render(visit).encode("utf-8")
            with self._lock:
                self._kept[name] = kept
        return kept

    def _front(self, visit: Visit) -> str:
        items = "\n".join(f'<li><a href="{o.topic_path}">{html.escape(o.key)}: {html.escape(o.name)}</a></li>'
                          for o in self.outlets)
        return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(self.front_page)}'
                f"</title></head>\n<body><h1>{html.escape(self.front_page)}</h1>\n<p>Round {self.round}.</p>\n"
                f"<ul>\n{items}\n</ul>\n<p><small>request {visit.number}</small></p>\n</body></html>\n")
