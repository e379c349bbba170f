"""Extraction quality: arsip's layered `extract()` against trafilatura alone, on real news pages.

    .venv/bin/python bench/extract_quality.py [--corpus DIR] [--folder NAME] [--sites] [--worst N]
                                              [--only arsip|trafilatura] [--json]

The corpus is `shared/corpus` beside the checkout (or `--corpus`, or $ARSIP_CORPUS):
folders with a `manifest.json` whose items name an HTML file, its URL, its site and
a ground-truth article body. Only article pages count (`page_kind` "article", or no
`page_kind` at all); index, home and feed pages are skipped.

Scoring follows the article-extraction-benchmark: the extracted body (paragraphs
joined) and the ground truth are cut into word tokens (`\\w+`), and precision,
recall and F1 are taken over the two token multisets. A folder's and a site's
figure is the mean over their pages (the headline F1 is the mean per-page F1,
as that benchmark reports it; `micro_f1` pools the tokens of all pages).

arsip runs with no outlet selectors (the corpus tests the generic layers); the
baseline is `trafilatura.extract(html, url=url)` with its defaults. Time is wall
time per page of the call alone, HTML already in memory.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from archive.extract.article import extract  # noqa: E402  (after the path is set for direct runs)

TOKEN = re.compile(r"\w+")
EXTRACTORS = ("arsip", "trafilatura")


def default_corpus() -> Path:
    """$ARSIP_CORPUS, else `shared/corpus` beside the checkout or beside a directory above it
    (a clone may sit deeper than the working copy beside the corpus)."""
    if os.environ.get("ARSIP_CORPUS"):
        return Path(os.environ["ARSIP_CORPUS"])
    for parent in ROOT.parents:
        if (parent / "shared" / "corpus").is_dir():
            return parent / "shared" / "corpus"
    return ROOT.parent / "shared" / "corpus"


@dataclass(frozen=True)
class Page:
    folder: str
    id: str
    site: str
    url: str
    html: bytes
    truth: str


def pages(corpus: Path, folder: str) -> Iterator[Page]:
    """The article pages of one corpus folder that have a ground-truth body."""
    manifest = json.loads((corpus / folder / "manifest.json").read_text(encoding="utf-8"))
    for item in manifest["items"]:
        if item.get("page_kind", "article") != "article":
            continue
        truth = item.get("ground_truth") or {}
        text = truth.get("articleBody") or truth.get("body_text") or truth.get("content")
        if not text:
            continue
        path = corpus / folder / item["html"]
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        yield Page(folder, item["id"], item.get("site") or "?", item.get("url") or "", data, text)


def folders(corpus: Path) -> list[str]:
    return sorted(p.parent.name for p in corpus.glob("*/manifest.json"))


def counts(truth: str, predicted: str) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) over word-token multisets."""
    expected, got = Counter(TOKEN.findall(truth)), Counter(TOKEN.findall(predicted))
    tp = sum((expected & got).values())
    return tp, sum(got.values()) - tp, sum(expected.values()) - tp


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def run_arsip(page: Page) -> str:
    return "\n".join(extract(page.html, page.url).paragraphs)


def run_trafilatura(page: Page) -> str:
    import trafilatura

    return trafilatura.extract(page.html, url=page.url or None) or ""


RUNNERS: dict[str, Callable[[Page], str]] = {"arsip": run_arsip, "trafilatura": run_trafilatura}


@dataclass
class Score:
    """Per-page results of one extractor on one folder."""

    rows: list[dict] = field(default_factory=list)

    def add(self, page: Page, text: str, seconds: float) -> None:
        tp, fp, fn = counts(page.truth, text)
        p, r, f = prf(tp, fp, fn)
        self.rows.append({"id": page.id, "site": page.site, "precision": p, "recall": r, "f1": f,
                          "tp": tp, "fp": fp, "fn": fn, "ms": seconds * 1000})

    def summary(self, rows: list[dict] | None = None) -> dict:
        rows = self.rows if rows is None else rows
        tp, fp, fn = (sum(r[k] for r in rows) for k in ("tp", "fp", "fn"))
        return {
            "pages": len(rows),
            "precision": statistics.fmean(r["precision"] for r in rows),
            "recall": statistics.fmean(r["recall"] for r in rows),
            "f1": statistics.fmean(r["f1"] for r in rows),
            "micro_f1": prf(tp, fp, fn)[2],
            "ms_mean": statistics.fmean(r["ms"] for r in rows),
            "ms_median": statistics.median(r["ms"] for r in rows),
        }

    def by_site(self) -> dict[str, dict]:
        groups: dict[str, list[dict]] = defaultdict(list)
        for row in self.rows:
            groups[row["site"]].append(row)
        return {site: self.summary(rows) for site, rows in sorted(groups.items())}


def score(corpus: Path, folder: str, extractor: str = "arsip") -> Score:
    """Run one extractor over one folder's article pages."""
    runner = RUNNERS[extractor]
    result = Score()
    for page in pages(corpus, folder):
        start = time.perf_counter()
        text = runner(page)
        result.add(page, text, time.perf_counter() - start)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None, help="corpus directory (default: shared/corpus)")
    parser.add_argument("--folder", action="append", help="only this folder (repeatable)")
    parser.add_argument("--only", choices=EXTRACTORS, help="run one extractor")
    parser.add_argument("--sites", action="store_true", help="also print per-site figures")
    parser.add_argument("--worst", type=int, default=0, metavar="N", help="also list the N worst pages of each")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    corpus = args.corpus or default_corpus()
    if not (corpus / "README.md").exists() and not folders(corpus):
        print(f"extract_quality: no corpus at {corpus}", file=sys.stderr)
        return 1
    chosen = args.folder or folders(corpus)
    extractors = [args.only] if args.only else list(EXTRACTORS)
    report: dict = {"corpus": str(corpus), "folders": {}}
    for folder in chosen:
        entry = report["folders"][folder] = {}
        for name in extractors:
            result = score(corpus, folder, name)
            entry[name] = {**result.summary(), "sites": result.by_site(),
                           "worst": sorted(result.rows, key=lambda r: r["f1"])[: args.worst]}
    if args.json:
        json.dump(report, sys.stdout, indent=1)
        print()
        return 0
    print_report(report, extractors, args.sites, args.worst)
    return 0


def print_report(report: dict, extractors: list[str], sites: bool, worst: int) -> None:
    print(f"corpus: {report['corpus']}")
    print(f"{'folder':<10} {'extractor':<12} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6} {'microF1':>8} "
          f"{'ms mean':>8} {'ms med':>7}")
    for folder, entry in report["folders"].items():
        for name in extractors:
            s = entry[name]
            print(f"{folder:<10} {name:<12} {s['pages']:>5} {s['precision']:>6.3f} {s['recall']:>6.3f} "
                  f"{s['f1']:>6.3f} {s['micro_f1']:>8.3f} {s['ms_mean']:>8.1f} {s['ms_median']:>7.1f}")
    if sites:
        for folder, entry in report["folders"].items():
            print(f"\n{folder}: F1 per site ({' / '.join(extractors)})")
            for site in entry[extractors[0]]["sites"]:
                figures = " / ".join(f"{entry[n]['sites'][site]['f1']:.3f}" for n in extractors)
                print(f"  {site:<36} {entry[extractors[0]]['sites'][site]['pages']:>3}  {figures}")
    if worst:
        for folder, entry in report["folders"].items():
            for name in extractors:
                print(f"\n{folder} {name}: worst pages")
                for r in entry[name]["worst"]:
                    print(f"  {r['f1']:.3f} P={r['precision']:.3f} R={r['recall']:.3f}  {r['site']:<28} {r['id']}")


if __name__ == "__main__":
    sys.exit(main())
