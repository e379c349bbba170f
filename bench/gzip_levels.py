"""WARC gzip level: file size against CPU, through arsip's own WARC writer.

    .venv/bin/python bench/gzip_levels.py [--levels 1,3,6,9] [--library zlib,zlib-ng]
                                          [--repeat 5] [--corpus DIR] [--json]

Writes the same exchanges (response + request record pairs, as a crawl does)
with `WarcFileWriter` at each gzip level, with each deflate library (the
standard library's zlib, and zlib-ng, which the writer uses when installed),
and reports per page set: the WARC bytes per page, the size relative to the
smallest, and the CPU per page (process time of `write_exchange`, best of
`--repeat`, so noise from other processes only ever makes a level look
slower, never faster).

Page sets:
  bench        the articles of the bench site (fakeoutlet.bench, what bench/run.py crawls), as sent: identity
  corpus       real news pages from `--corpus` (default `shared/corpus` beside the
               checkout, or $ARSIP_CORPUS, if present): every *.html and *.html.gz
               under it, identity
  corpus-gzip  the same pages as most servers send them, Content-Encoding: gzip
               (compressed at level 6 first); arsip stores bodies as they came off
               the wire, so this is the common case on the real web
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import archive.warc.writer as warc_writer  # noqa: E402
from archive.warc.writer import Exchange, WarcFileWriter, WarcInfo  # noqa: E402
from fakeoutlet.bench import bench_site  # noqa: E402


def deflate_library(name: str):
    if name == "zlib":
        import zlib

        return zlib
    from zlib_ng import zlib_ng

    return zlib_ng

REQUEST_HEADERS = [
    ("User-Agent", "arsip/0.1 (news archiver; +https://github.com/arsip-news/arsip#crawler)"),
    ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
    ("Accept-Language", "en"),
    ("Accept-Encoding", "gzip, deflate, br"),
]


def exchange(url: str, body: bytes, encoding: str | None = None) -> Exchange:
    headers = [("Date", "Mon, 04 Mar 2024 08:00:00 GMT"), ("Server", "nginx"),
               ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
    if encoding:
        headers.append(("Content-Encoding", encoding))
    return Exchange(url=url, method="GET", request_headers=REQUEST_HEADERS, status=200,
                    response_headers=headers, body=body, fetched_at=datetime.now(timezone.utc),
                    ip_address="127.0.0.1")


def bench_pages(count: int) -> list[Exchange]:
    site = bench_site(count, port=8000)
    return [exchange(site.article_url(key), site.respond(site.article_path(key)).body) for key in site.article_ids]


def corpus_bodies(root: Path) -> list[tuple[str, bytes]]:
    bodies = []
    for path in sorted(root.rglob("*.html")) + sorted(root.rglob("*.html.gz")):
        data = path.read_bytes()
        bodies.append((f"https://corpus.invalid/{path.relative_to(root)}",
                       gzip.decompress(data) if path.suffix == ".gz" else data))
    return bodies


def measure(exchanges: list[Exchange], library: str, level: int, repeat: int) -> dict:
    info = WarcInfo(software="arsip/bench", hostname="bench")
    warc_writer.deflate = deflate_library(library)  # what WarcFileWriter compresses with
    best = None
    size = 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            writer = WarcFileWriter(Path(tmp), info, gzip_level=level)
            writer.write_exchange(exchanges[0])  # opens the file (warcinfo) outside the timing
            start = time.process_time()
            for ex in exchanges:
                writer.write_exchange(ex)
            cpu = time.process_time() - start
            writer.close()
            size = sum(p.stat().st_size for p in Path(tmp).iterdir())
        best = cpu if best is None else min(best, cpu)
    n = len(exchanges)
    return {"library": library, "level": level, "pages": n, "warc_bytes_per_page": round(size / (n + 1)),
            "cpu_ms_per_page": round(best / n * 1000, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="WARC size vs CPU per gzip level")
    parser.add_argument("--levels", default="1,3,6,9")
    parser.add_argument("--library", default="zlib,zlib-ng", help="deflate libraries to compare")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--bench-pages", type=int, default=300, help="articles of the bench site to use")
    parser.add_argument("--corpus", type=Path,
                        default=Path(os.environ.get("ARSIP_CORPUS") or HERE.parent.parent / "shared" / "corpus"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    levels = [int(x) for x in args.levels.split(",")]
    libraries = [x.strip() for x in args.library.split(",") if x.strip()]

    sets = {"bench": bench_pages(args.bench_pages)}
    if args.corpus.is_dir():
        bodies = corpus_bodies(args.corpus)
        if bodies:
            sets["corpus"] = [exchange(url, body) for url, body in bodies]
            sets["corpus-gzip"] = [exchange(url, gzip.compress(body, 6, mtime=0), "gzip") for url, body in bodies]

    results = []
    for name, exchanges in sets.items():
        raw = statistics.mean(len(ex.body) for ex in exchanges)
        rows = [measure(exchanges, library, level, args.repeat) for library in libraries for level in levels]
        smallest = min(r["warc_bytes_per_page"] for r in rows)
        for row in rows:
            row.update(set=name, body_bytes_per_page=round(raw),
                       size_vs_smallest=round(row["warc_bytes_per_page"] / smallest, 3))
            results.append(row)

    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    print(f"{'pages':<12}{'n':>5}{'body B':>9}{'library':>9}{'level':>6}{'WARC B/page':>12}{'vs best':>8}"
          f"{'CPU ms/page':>12}")
    for r in results:
        print(f"{r['set']:<12}{r['pages']:>5}{r['body_bytes_per_page']:>9}{r['library']:>9}{r['level']:>6}"
              f"{r['warc_bytes_per_page']:>12}{r['size_vs_smallest']:>8.3f}{r['cpu_ms_per_page']:>12.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
