"""Each crawl in a child process: ``scrapy crawl <site>``, as Scrapyd runs its jobs.

Scrapy's reactor is not meant to live through thousands of crawls, and a crawl that hangs must not
hold up the others: the monitor starts ``python -m scrapy crawl <site>`` with the settings it was
given on its own command line (``-s``), its log and stats file under ``MONITOR_CRAWLS_DIR/<site>/``
(the last ``MONITOR_LOGS_KEPT`` kept), ``FEEDS_BUILD_ON_CRAWL_END=False`` (the monitor rebuilds the
feeds itself) and ``CLOSESPIDER_TIMEOUT`` at the time limit, so that a crawl closes itself in time;
one that does not is killed (the whole process group) when the limit has passed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

NOT_PASSED_ON = frozenset({"LOG_FILE", "LOG_FILE_APPEND", "LOG_STDOUT", "STATS_FILE"})
"""Settings of the monitor's command line that are its own, not its crawls'."""


def passed_on(settings: BaseSettings) -> dict[str, str]:
    """The settings given on the monitor's command line (``-s``), which its crawls get too."""
    cmdline = SETTINGS_PRIORITIES["cmdline"]
    return {
        name: str(settings[name])
        for name in settings
        if settings.getpriority(name) == cmdline and name not in NOT_PASSED_ON
    }


def crawl_command(site: str, settings: Mapping[str, Any]) -> list[str]:
    """The command line of a crawl of *site* with *settings*."""
    options = [option for name, value in settings.items() for option in ("-s", f"{name}={value}")]
    return [sys.executable, "-m", "scrapy", "crawl", site, *options]


@dataclass(frozen=True)
class Ended:
    """How a child process ended: its exit status (negative: the signal that ended it), and
    whether the monitor killed it at its time limit or at its shutdown."""

    exit_code: int | None
    timed_out: bool = False
    stopped: bool = False


class Child:
    """A running child crawl; :meth:`wait` for its end, :meth:`kill` to stop it at once."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.stopped = False

    @classmethod
    async def start(cls, command: list[str], log: Path) -> Child:
        """Start *command* in a session of its own (a signal to the monitor's terminal is the
        monitor's to handle), its output appended to *log*."""
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("ab") as output:
            process = await asyncio.create_subprocess_exec(
                *command,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=output,
                stderr=output,
                start_new_session=True,
            )
        return cls(process)

    @property
    def pid(self) -> int:
        return self.process.pid

    async def wait(self, timeout: float) -> Ended:
        """Wait for the child's end, killing it once *timeout* seconds have passed."""
        try:
            code = await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            self.kill()
            return Ended(await self.process.wait(), timed_out=True)
        return Ended(code, stopped=self.stopped)

    def kill(self, stopped: bool = False) -> None:
        """SIGKILL the child's process group (*stopped*: at the monitor's shutdown)."""
        self.stopped = self.stopped or stopped
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)


def read_stats(path: Path) -> dict[str, Any] | None:
    """The stats a crawl wrote to *path*, or None if it wrote none (or half of one)."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def prune(folder: Path, keep: int, suffixes: Iterable[str] = (".log", ".json")) -> None:
    """Remove all but the newest *keep* crawls' files (named by their start time) in *folder*."""
    stems = sorted({path.stem for path in folder.iterdir() if path.suffix in suffixes}, reverse=True)
    for stem in stems[keep:]:
        for suffix in suffixes:
            (folder / (stem + suffix)).unlink(missing_ok=True)
