"""The tree follows the data flow, and these checks keep it so.

Stages of `archive/` import only downward:
    errors, config, wording, outlet < warc < extract < history < catalog < ingest < cli
`crawler/` may import `archive/` but never its CLI; `fakeoutlet/`, the fake news site,
imports neither and only the CLI imports it; `extract/` and `history/` are pure
(no database, threads, processes or WARC files); SQL is written only in `catalog/`;
no command of `cli/` imports another; what a capture does to its story is decided only in
`history/` (ingest applies `history.lifecycle`'s decisions and makes none); the benchmarks
build and read catalogs with the catalog's own statements, never copies of them. A child
`arsip` command line is built in one place (crawler/child.py), and `-s NAME=VALUE` is one
option of one module (archive/cli/options.py).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from archive.catalog.captures import CAPTURE_COLUMNS
from archive.catalog.stories import VERSION_COLUMNS

ROOT = Path(__file__).resolve().parent.parent

# Each stage of archive/ and the stages it may import (itself always included).
STAGE_OF = {
    "archive.errors": 0, "archive.config": 0, "archive.wording": 0, "archive.outlet": 0,
    "archive.warc": 1,
    "archive.extract": 2,
    "archive.history": 3,
    "archive.catalog": 4,
    "archive.ingest": 5,
    "archive.cli": 6,
}
# Modules of cli/ that are shared helpers rather than commands: commands may import them.
CLI_HELPERS = {"archive.cli.options"}
PURE_STAGES = ("archive.extract", "archive.history")
IMPURE = ("psycopg", "threading", "concurrent.futures", "multiprocessing", "subprocess", "archive.catalog",
          "archive.warc", "archive.ingest")
# What only the catalog spells: the search vector, the search query and its snippets, and the column
# lists a version and a capture are written with (any four of them in a row, unqualified).
CATALOG_EXPRESSIONS = re.compile(r"\b(to_tsvector|setweight|websearch_to_tsquery|ts_headline)\s*\(", re.IGNORECASE)
CATALOG_COLUMN_LISTS = [
    re.compile(r"(?<![\w.])" + r"\s*,\s*".join(columns[i:i + 4]) + r"\b")
    for columns in (VERSION_COLUMNS, CAPTURE_COLUMNS) for i in range(len(columns) - 3)]
SQL = re.compile(r"\b(SELECT\s.+\bFROM\b|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX))\b",
                 re.IGNORECASE | re.DOTALL)


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, by its full name (relative imports resolved)."""
    module = _module_name(path)
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".")[:-node.level] if module else []
                base = ".".join(package + ([base] if base else []))
            names.add(base)
            # `from archive.extract import notices` imports the module archive.extract.notices
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _module_name(path: Path) -> str:
    try:
        parts = list(path.resolve().relative_to(ROOT).with_suffix("").parts)
    except ValueError:
        return ""
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage(module: str) -> str | None:
    """The stage (a key of STAGE_OF) that `module` belongs to, if it is one of archive/'s."""
    for name in sorted(STAGE_OF, key=len, reverse=True):
        if module == name or module.startswith(name + "."):
            return name
    return None


def sources(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _is_module(name: str) -> bool:
    """Whether `name` is a module or package of the tree (not a function imported from one)."""
    path = ROOT / Path(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def test_archive_stages_import_only_downward():
    offenders = []
    for path in sources("archive"):
        mine = stage(_module_name(path))
        for name in imported_modules(path):
            theirs = stage(name)
            if mine and theirs and _is_module(name) and STAGE_OF[theirs] > STAGE_OF[mine]:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
            if (name == "crawler" or name.startswith("crawler.")) and mine != "archive.cli":
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_the_crawler_never_imports_the_cli():
    offenders = [f"{path.relative_to(ROOT)} imports {name}" for path in sources("crawler")
                 for name in imported_modules(path) if stage(name) == "archive.cli"]
    assert offenders == []


def test_the_fake_site_stands_apart():
    """fakeoutlet/ plays a news site from outside: it needs nothing of arsip's, and only the
    demo command (in cli/) serves it."""
    inward = [f"{path.relative_to(ROOT)} imports {name}" for path in sources("fakeoutlet")
              for name in imported_modules(path) if name.split(".")[0] in ("archive", "crawler")]
    outward = [f"{path.relative_to(ROOT)} imports {name}" for path in sources("archive", "crawler")
               for name in imported_modules(path)
               if name.split(".")[0] == "fakeoutlet" and stage(_module_name(path)) != "archive.cli"]
    assert inward + outward == []


def test_extraction_and_history_are_pure():
    offenders = [f"{path.relative_to(ROOT)} imports {name}"
                 for path in sources(*(p.replace(".", "/") for p in PURE_STAGES))
                 for name in imported_modules(path)
                 if any(name == bad or name.startswith(bad + ".") for bad in IMPURE)]
    assert offenders == []


def test_no_command_imports_another():
    offenders = []
    for path in sources("archive/cli"):
        if path.name in ("__init__.py", "__main__.py"):
            continue
        for name in imported_modules(path):
            if (name.startswith("archive.cli.") and _is_module(name) and name not in CLI_HELPERS
                    and name != _module_name(path)):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


# The functions that decide what a capture does to its story; only history/ calls them.
DECISIONS = {"archive.history.versions": {"judge"}, "archive.history.diff": {"change_kinds", "silent_edit"},
             "archive.history.identity": {"story_key"}}


def decisions_imported(path: Path) -> set[str]:
    """The DECISIONS that `path` imports by name."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module in DECISIONS:
            found.update(f"{node.module}.{alias.name}" for alias in node.names if alias.name in DECISIONS[node.module])
    return found


def test_only_history_decides_what_a_capture_does_to_its_story():
    offenders = [f"{path.relative_to(ROOT)} imports {name}"
                 for path in sources("archive/ingest", "archive/catalog") for name in decisions_imported(path)]
    assert offenders == []


def sql_outside_the_catalog(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        if "catalog" in path.relative_to(ROOT).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_sql_is_written_only_in_the_catalog():
    assert sql_outside_the_catalog(sources("archive", "crawler")) == []


def catalog_statements_copied(paths: list[Path]) -> list[str]:
    """Where `paths` spell a statement part that is the catalog's own (CATALOG_EXPRESSIONS, CATALOG_COLUMN_LISTS)."""
    found = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                    CATALOG_EXPRESSIONS.search(node.value)
                    or any(columns.search(node.value) for columns in CATALOG_COLUMN_LISTS)):
                found.append(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{node.lineno}")
    return found


def test_benchmarks_use_the_catalogs_statements():
    # A copy drifts at the next migration: the benchmark would time a catalog ingest never makes.
    assert catalog_statements_copied(sources("bench")) == []


@pytest.mark.parametrize("copied", [
    "INSERT INTO versions (id, story_id, number, content_hash, title) SELECT * FROM gen.v",
    "SELECT setweight(to_tsvector(s.cfg, coalesce(v.title, '')), 'A') FROM gen.v",
    "SELECT count(*) FROM versions WHERE search @@ websearch_to_tsquery('simple', %(t)s)",
    "INSERT INTO captures (record_id, record_type,\n url, host, outlet) SELECT * FROM gen.c",
    "SELECT first_capture_id, last_capture_id, first_seen, last_seen FROM versions",
])
def test_the_benchmark_check_would_notice(tmp_path, copied):
    sample = tmp_path / "bench.py"
    sample.write_text(f"STATEMENT = {copied!r}\n"
                      "from archive.catalog.stories import insert_versions\n"
                      "insert_versions(conn, '(SELECT vi.vid AS id, v.story_id, v.number, v.title FROM gen.v) AS u')\n")
    assert catalog_statements_copied([sample]) == [f"{sample}:1"]


def files_writing(constant: str, paths: list[Path]) -> list[Path]:
    """The files of `paths` in which the string `constant` is written, once per time."""
    return [path for path in paths for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and node.value == constant]


def test_a_child_arsip_command_is_built_in_one_place():
    # The service's rounds and the demo's run the same command: one builder keeps the database
    # URL (and its password) off the command line of both.
    assert files_writing("archive.cli", sources("archive", "crawler")) == [ROOT / "crawler" / "child.py"]


def test_the_dash_s_option_is_defined_once_for_every_command():
    assert files_writing("-s", sources("archive/cli")) == [ROOT / "archive" / "cli" / "options.py"]


@pytest.mark.parametrize("text, expected", [
    ("from archive.outlet import Outlet\nimport crawler.settings\n", {"archive.outlet", "crawler.settings"}),
    ("from archive.extract import notices\n", {"archive.extract.notices"}),
])
def test_the_import_reading_would_notice(tmp_path, text, expected):
    sample = tmp_path / "x.py"
    sample.write_text(text)
    assert expected <= imported_modules(sample)


def test_the_decisions_check_would_notice(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("from archive.history.versions import LearnedLines, judge\n")
    assert decisions_imported(sample) == {"archive.history.versions.judge"}


def test_the_checks_would_notice(tmp_path):
    assert stage("archive.catalog.queries") == "archive.catalog"
    assert STAGE_OF[stage("archive.cli.crawl")] > STAGE_OF[stage("archive.ingest.run")]
    sample = tmp_path / "x.py"
    sample.write_text('QUERY = "SELECT id FROM stories WHERE url = %s"\nTEXT = "select a story"\n')
    assert SQL.search('SELECT id FROM stories') and not SQL.search("select a story")
    assert files_writing("archive.cli", [sample]) == []
    assert files_writing("SELECT id FROM stories WHERE url = %s", [sample]) == [sample]
