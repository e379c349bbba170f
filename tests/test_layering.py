"""Imports follow the data flow: `archive/` never reaches into `crawler/`, except the CLI that assembles both."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_archive_does_not_import_crawler_outside_the_cli():
    offenders = []
    for path in sorted((ROOT / "archive").rglob("*.py")):
        if "cli" in path.relative_to(ROOT / "archive").parts:
            continue
        if any(name == "crawler" or name.startswith("crawler.") for name in imported_modules(path)):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_check_would_notice(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("from crawler.outlet import Outlet\nimport crawler.settings\n")
    assert {"crawler.outlet", "crawler.settings"} <= imported_modules(sample)
