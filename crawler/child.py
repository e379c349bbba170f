"""A crawl round in a process of its own: the `arsip crawl` command line and environment it runs with.

Both `arsip service` (every scheduled round) and `arsip demo` (every demo round) run their rounds
so: a Scrapy reactor runs only once per process, and a round that crashes or hangs must not take
its parent with it. The database URL goes in the child's environment, never on its command line,
where `ps` shows it, password and all, to every user of the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence

from archive.config import Config
from crawler.overrides import as_arguments


def crawl_command(config: Config, keys: Sequence[str], *, overrides: Mapping[str, str] | None = None,
                  recheck: bool = False, debug: bool = False, json: bool = False) -> list[str]:
    """The command line of one `arsip crawl` of the outlets `keys` into `config`'s data directory and outlets.

    Holds no database URL: `crawl_environment(config)` carries it.
    """
    command = [sys.executable, "-m", "archive.cli", "--data-dir", str(config.data_dir)]
    if config.outlets_file:
        command += ["--outlets", str(config.outlets_file)]
    if debug:
        command.append("--debug")
    command += ["crawl", *keys, *as_arguments(dict(overrides or {}))]
    if recheck:
        command.append("--recheck")
    if json:
        command.append("--json")
    return command


def crawl_environment(config: Config) -> dict[str, str]:
    """The environment of a child `crawl_command(config, ...)`: this process's, with `config`'s database URL."""
    environment = dict(os.environ)
    if config.database_url:
        environment["ARSIP_DATABASE_URL"] = config.database_url
    return environment


def crawl_in_child(config: Config, keys: Sequence[str], *, overrides: Mapping[str, str] | None = None,
                   recheck: bool = False, debug: bool = False) -> int:
    """Run one `arsip crawl` of `keys` as a child process that shares this one's terminal; its exit status."""
    command = crawl_command(config, keys, overrides=overrides, recheck=recheck, debug=debug)
    return subprocess.run(command, env=crawl_environment(config)).returncode
