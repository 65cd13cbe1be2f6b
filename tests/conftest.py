"""Fixtures shared by the end-to-end tests: the local mirror and real `scrapy` runs against it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.faults import FaultPlan
from crawler.mirror import MirrorServer, server_url, start_in_thread
from storage.store import ArticleStore

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def mirror_url() -> Iterator[str]:
    server = start_in_thread()
    yield server_url(server)
    server.shutdown()
    server.server_close()


@dataclass
class Workspace:
    """Where one test's crawls keep their database, feeds and stats."""

    root: Path
    mirror_url: str

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.root / 'news.db'}"

    @property
    def feeds_dir(self) -> Path:
        return self.root / "feeds"

    def command(self, *args: str) -> list[str]:
        """The command line of ``scrapy ARGS`` with this workspace's settings."""
        settings = {
            "MIRROR_URL": self.mirror_url,
            "DATABASE_URL": self.database_url,
            "FEEDS_DIR": str(self.feeds_dir),
            "DOWNLOAD_DELAY": "0",
            "AUTOTHROTTLE_ENABLED": "False",
            "MONITOR_STATUS_FILE": str(self.root / "monitor.json"),
        }
        options = [option for name, value in settings.items() for option in ("-s", f"{name}={value}")]
        command, *rest = args
        return [sys.executable, "-m", "scrapy", command, *options, *rest]

    def scrapy(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``scrapy ARGS`` in the project directory with this workspace's settings."""
        return subprocess.run(
            self.command(*args), cwd=REPO, capture_output=True, text=True, check=check, timeout=300
        )

    def crawl(self, spider: str, name: str = "crawl") -> dict:
        """Crawl *spider* from the mirror; the crawl's stats (its log: ``<name>.log``)."""
        stats_file, log_file = self.root / f"{name}-stats.json", self.root / f"{name}.log"
        self.scrapy(
            "crawl",
            spider,
            "-s",
            f"STATS_FILE={stats_file}",
            "-s",
            "LOG_LEVEL=INFO",
            "-s",
            f"LOG_FILE={log_file}",
        )
        assert stats_file.exists(), log_file.read_text(encoding="utf-8")[-3000:]
        return json.loads(stats_file.read_text(encoding="utf-8"))


@pytest.fixture
def workspace(tmp_path: Path, mirror_url: str) -> Workspace:
    return Workspace(tmp_path, mirror_url)


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """The URL prefix of a PostgreSQL server started for this test session."""
    from tests.postgres import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture(scope="module")
def fault_mirror() -> Iterator[MirrorServer]:
    """The mirrors, served with the faults a test sets (``fault_mirror.faults.set([...])``: none at
    first), one server for a module's tests."""
    server = start_in_thread(faults=FaultPlan())
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ArticleStore]:
    """The store on SQLite, and on a real PostgreSQL server (skipped, with the reason, without one);
    a module may define a ``store`` of its own instead."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'news.db'}"
    else:
        from tests.postgres import new_database

        url = new_database(request.getfixturevalue("postgres"))
    store = ArticleStore(url)
    yield store
    store.close()
