"""The tree follows the data flow, and these checks keep it so.

Stages of `archive/` import only downward:
    errors, config, wording, outlet < warc < extract, history < catalog < ingest < cli
`crawler/` may import `archive/` but never its CLI; `fakeoutlet/`, the fake news site,
imports neither and only the CLI imports it; `extract/` and `history/` are pure
(no database, threads, processes or WARC files); SQL is written only in `catalog/`;
no command of `cli/` imports another.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Each stage of archive/ and the stages it may import (itself always included).
STAGE_OF = {
    "archive.errors": 0, "archive.config": 0, "archive.wording": 0, "archive.outlet": 0,
    "archive.warc": 1,
    "archive.extract": 2, "archive.history": 2,
    "archive.catalog": 3,
    "archive.ingest": 4,
    "archive.cli": 5,
}
# Modules of cli/ that are shared helpers rather than commands: commands may import them.
CLI_HELPERS = {"archive.cli.options"}
PURE_STAGES = ("archive.extract", "archive.history")
IMPURE = ("psycopg", "threading", "concurrent.futures", "multiprocessing", "subprocess", "archive.catalog",
          "archive.warc", "archive.ingest")
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


@pytest.mark.parametrize("text, expected", [
    ("from archive.outlet import Outlet\nimport crawler.settings\n", {"archive.outlet", "crawler.settings"}),
    ("from archive.extract import notices\n", {"archive.extract.notices"}),
])
def test_the_import_reading_would_notice(tmp_path, text, expected):
    sample = tmp_path / "x.py"
    sample.write_text(text)
    assert expected <= imported_modules(sample)


def test_the_checks_would_notice(tmp_path):
    assert stage("archive.catalog.queries") == "archive.catalog"
    assert STAGE_OF[stage("archive.cli.crawl")] > STAGE_OF[stage("archive.ingest.run")]
    sample = tmp_path / "x.py"
    sample.write_text('QUERY = "SELECT id FROM stories WHERE url = %s"\nTEXT = "select a story"\n')
    assert SQL.search('SELECT id FROM stories') and not SQL.search("select a story")
