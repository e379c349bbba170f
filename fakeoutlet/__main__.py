"""A fake site in a process of its own (a benchmark measures the crawler's process alone):

    python -m fakeoutlet bench [--articles N] [--per-page P] [--seed S] [--no-json-ld] [--port 0]
    python -m fakeoutlet news [--articles N] [--topic-pages K] [--delay S] [--slow S] [--no-specials]
    python -m fakeoutlet demo
    -> first stdout line "PORT <n>", then serves on 127.0.0.1 until SIGTERM or SIGINT.

`--write-outlets FILE` also writes an arsip outlet file for it (`--key`, `--topic-depth`
for a one-outlet site).
"""

from __future__ import annotations

import argparse
import sys

from fakeoutlet.bench import bench_site
from fakeoutlet.demo import demo_site
from fakeoutlet.news import news_site
from fakeoutlet.server import serve_until_terminated
from fakeoutlet.site import FakeSite


def _port(text: str) -> int:
    """An argparse `type`: a TCP port, 0 for any free one."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: not a whole number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port}: a port is 0-65535")
    return port


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m fakeoutlet", description="Serve a fake news site on 127.0.0.1.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--port", type=_port, default=0, help="port to bind (0: any free port)")
    common.add_argument("--write-outlets", metavar="FILE", help="also write an arsip outlet file for it")
    common.add_argument("--key", help="outlet key for --write-outlets")
    common.add_argument("--topic-depth", type=int, help="topic_depth for --write-outlets")
    sites = parser.add_subparsers(dest="site", required=True)
    bench = sites.add_parser("bench", parents=[common], help="the benchmark site")
    bench.add_argument("--articles", type=int, default=2000)
    bench.add_argument("--per-page", type=int, default=50)
    bench.add_argument("--seed", type=int, default=1)
    bench.add_argument("--no-json-ld", action="store_true", help="articles without their JSON-LD NewsArticle")
    news = sites.add_parser("news", parents=[common], help="Test News, the site of the crawl tests")
    news.add_argument("--articles", type=int, default=12)
    news.add_argument("--topic-pages", type=int, default=5)
    news.add_argument("--delay", type=float, default=0.0, help="seconds slept before each /news/<id>- article")
    news.add_argument("--slow", type=float, default=5.0, help="seconds /news/107-slow-story waits")
    news.add_argument("--no-specials", action="store_true", help="do not link the special URLs from page 1")
    sites.add_parser("demo", parents=[common], help="the site of `arsip demo`")
    return parser


def _site(args: argparse.Namespace) -> FakeSite:
    if args.site == "bench":
        return bench_site(args.articles, args.per_page, args.seed, json_ld=not args.no_json_ld, port=args.port)
    if args.site == "news":
        return news_site(args.articles, args.topic_pages, args.delay, specials=not args.no_specials,
                         slow=args.slow, port=args.port)
    return demo_site(port=args.port)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    site = _site(args)

    def start() -> int:
        site.start()
        site.render_all()  # before the port is announced: the first crawl must not wait for renders
        if args.write_outlets:
            site.write_outlet_file(args.write_outlets, args.key, args.topic_depth)
        if args.site == "bench":
            outlet = site.outlets[0]
            sizes = [len(site.respond(outlet.article_path(a)).body) for a in outlet.newsroom.live()]
            print(f"site: {len(sizes)} articles (mean {sum(sizes) / max(1, len(sizes)) / 1024:.1f} KB), "
                  f"{outlet.newsroom.topic_pages} topic pages", file=sys.stderr, flush=True)
        return site.port

    try:
        serve_until_terminated(start, site.stop)
    except OSError as error:  # the port taken, or not ours to bind
        print(f"python -m fakeoutlet: error: cannot serve on 127.0.0.1:{args.port}: {error.strerror or error}",
              file=sys.stderr)
        return 1
    if args.site == "bench":
        print(f"site: served {len(site.requests)} requests", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
