"""`dev.py`, the README's set-up: what a newcomer sees while it installs, and when it fails."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROJECT = """\
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "tiny"
version = "0"
dependencies = [{dependency}]

[project.optional-dependencies]
test = []

[tool.setuptools]
py-modules = []
"""


def set_up(tmp_path: Path, dependency: str) -> subprocess.CompletedProcess:
    # dev.py beside a project of one dependency: the same code path as arsip's own, in seconds.
    shutil.copy(ROOT / "dev.py", tmp_path / "dev.py")
    (tmp_path / "pyproject.toml").write_text(PROJECT.format(dependency=f'"{dependency}"'))
    return subprocess.run([sys.executable, "dev.py", "setup"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)


def test_setup_shows_each_package_it_installs_and_little_else(tmp_path):
    result = set_up(tmp_path, "six")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[:2] == ["dev.py: creating .venv", "dev.py: installing arsip and its dependencies into .venv"]
    assert "dev.py: [1] six" in lines
    assert lines[-1] == "dev.py: installed"
    assert all(line.startswith("dev.py: ") for line in lines), lines
    # Installed once: a second set-up with nothing changed says nothing.
    again = subprocess.run([sys.executable, "dev.py", "setup"], cwd=tmp_path, capture_output=True, text=True)
    assert (again.returncode, again.stderr) == (0, "")


def test_a_failed_install_shows_pips_output_and_one_line_saying_so(tmp_path):
    result = set_up(tmp_path, "no-such-package-anywhere-arsip")
    assert result.returncode == 1
    assert "No matching distribution found for no-such-package-anywhere-arsip" in result.stderr
    assert result.stderr.splitlines()[-1] == "dev.py: setting up .venv failed: python -m pip exited with 1"
    assert "Traceback" not in result.stderr
