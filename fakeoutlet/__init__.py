"""A configurable fake news site on loopback, for `arsip demo`, the tests and the benchmarks.

One `FakeSite` serves one or more `FakeOutlet`s on 127.0.0.1 (a free port or a given one),
in a thread of this process or, `python -m fakeoutlet`, in a process of its own. Each
outlet is a `Newsroom` (its articles and the edits made to them) shown in a style
(`fakeoutlet/styles/`). Three configurations:

    fakeoutlet.demo.demo_site()          two outlets in the style of iNews.id and
                                         Analisadaily.com, scripted edits per round
    fakeoutlet.news.news_site(...)       "Test News": generated articles, special URLs
                                         (redirect, 404, 503, chunked, huge, slow,
                                         split), edits and failures switched by tests
    fakeoutlet.bench.bench_site(...)     "Bench News": N articles of about 40 KB, the
                                         same bytes for the same arguments
"""

from fakeoutlet.newsroom import Article, Behaviour, Newsroom
from fakeoutlet.server import Request, Response
from fakeoutlet.site import FakeOutlet, FakeSite

__all__ = ["Article", "Behaviour", "FakeOutlet", "FakeSite", "Newsroom", "Request", "Response"]
