"""`scrapy db prune` and `scrapy db backup`: a store that stays bounded, and copies of it taken while
it is being written."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
import yaml

from storage.store import ArticleStore
from tests.conftest import DATA, REPO, Workspace

WRITER = """
import sys
from pathlib import Path
from tests.test_store import article
from storage.store import ArticleStore

store, stop = ArticleStore(sys.argv[1]), Path(sys.argv[2])
places = [["泉州"], ["厦门", "漳州"], []]
number = 0
while not stop.exists():
    store.save(article(url=f"http://x/{number}", id=f"qzwb/{number}", cities=places[number % 3]))
    number += 1
print(number)
"""
"""Saves articles, one transaction each, until the stop file appears; prints how many."""


def published_before(site: str, moment: datetime) -> set[str]:
    """The mirror articles of *site* published before *moment*."""
    expected = yaml.safe_load((DATA / "mirror_expected" / f"{site}.yaml").read_text(encoding="utf-8"))
    return {url for url, fields in expected.items() if datetime.fromisoformat(fields["published"]) < moment}


@pytest.mark.slow
def test_prune_deletes_what_is_older_than_the_retention_and_the_feeds_follow(workspace: Workspace) -> None:
    workspace.crawl("qzwb")
    store = ArticleStore(workspace.database_url)
    crawled = {stored.article.url for stored in store.latest(100)}
    cutoff = datetime(2020, 1, 1, tzinfo=UTC)
    old = published_before("qzwb", cutoff)
    assert old and old < crawled

    kept = workspace.scrapy("db", "prune")
    assert "STORE_RETENTION_DAYS is not set: every article is kept" in kept.stdout
    assert store.count() == len(crawled)

    days = f"STORE_RETENTION_DAYS={(datetime.now(UTC) - cutoff).total_seconds() / 86400}"
    result = workspace.scrapy("db", "prune", "-s", days)
    assert f": {len(old)} articles from before 2020-01-01 08:" in result.stdout, result.stdout
    assert {stored.article.url for stored in store.latest(100)} == crawled - old

    workspace.scrapy("feeds", "build")
    every = feedparser.parse((workspace.feeds_dir / "all.xml").read_bytes())
    assert {entry.link for entry in every.entries} == crawled - old
    quanzhou = feedparser.parse((workspace.feeds_dir / "city" / "泉州.xml").read_bytes())
    assert not {entry.link for entry in quanzhou.entries} & old
    store.close()


@pytest.mark.slow
def test_a_crawl_does_not_store_what_is_older_than_the_retention(workspace: Workspace) -> None:
    cutoff = datetime(2020, 1, 1, tzinfo=UTC)
    days = (datetime.now(UTC) - cutoff).total_seconds() / 86400
    stats_file = workspace.root / "stats.json"
    workspace.scrapy("crawl", "qzwb", "-s", f"STORE_RETENTION_DAYS={days}", "-s", f"STATS_FILE={stats_file}")
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    store = ArticleStore(workspace.database_url)
    stored = {stored.article.url for stored in store.latest(100)}
    store.close()
    assert stats["store/expired"] == len(published_before("qzwb", cutoff)) > 0
    assert not stored & published_before("qzwb", cutoff) and stored


@pytest.mark.slow
def test_a_backup_taken_while_a_writer_writes_is_whole_and_consistent(workspace: Workspace) -> None:
    ArticleStore(workspace.database_url).close()  # the schema, before the writer and the backup race
    stop, copy = workspace.root / "stop", workspace.root / "backups" / "news.db"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, workspace.database_url, str(stop)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        store = ArticleStore(workspace.database_url)
        while store.count() < 20 and writer.poll() is None:
            time.sleep(0.05)
        result = workspace.scrapy("db", "backup", str(copy))
        during = store.count()
        deadline = time.monotonic() + 30  # a busy machine may leave the writer asleep a while
        while store.count() <= during and writer.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.touch()
        written, _ = writer.communicate(timeout=60)
    assert writer.returncode == 0  # the writer never waited long enough to fail
    assert "backed up to" in result.stdout
    assert int(written) == store.count() > during  # it went on writing after the backup too
    store.close()

    assert sorted(path.name for path in copy.parent.iterdir()) == ["news.db"]  # one file, no WAL beside it
    with sqlite3.connect(copy) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    backup = ArticleStore(f"sqlite:///{copy}")  # at the schema this version needs
    count = backup.count()
    assert 20 <= count <= int(written)
    # Each save was one transaction: the copy holds every article it holds whole, with its tags and
    # its topics' counts.
    topics = {(t.kind, t.value): t.article_count for t in backup.topics(["all", "city"])}
    assert topics[("all", "")] == count
    for city in ("泉州", "厦门", "漳州"):
        assert topics[("city", city)] == len(backup.latest(count, "city", city))
    assert len(backup.latest(count, "city", "厦门")) == len(backup.latest(count, "city", "漳州"))
    backup.close()


def test_a_postgresql_store_is_backed_up_with_pg_dump(workspace: Workspace) -> None:
    url = "postgresql+psycopg://news:secret@db.example.org:5433/news"
    result = workspace.scrapy("db", "backup", "news.dump", "-s", f"DATABASE_URL={url}", check=False)
    assert result.returncode == 1
    line = result.stderr.strip()
    assert "\n" not in line and "secret" not in line
    assert line.startswith(
        "scrapy db backup: postgresql+psycopg://news:***@db.example.org:5433/news is PostgreSQL"
    )
    assert "pg_dump --format=custom --file=news.dump postgresql://news@db.example.org:5433/news " in line


def test_a_backup_needs_a_store_and_a_place_of_its_own(workspace: Workspace, tmp_path: Path) -> None:
    missing = workspace.scrapy("db", "backup", str(tmp_path / "copy.db"), check=False)
    assert missing.returncode == 1 and missing.stderr.strip().endswith("news.db: no such database")
    ArticleStore(workspace.database_url).close()
    itself = workspace.scrapy("db", "backup", str(workspace.root / "news.db"), check=False)
    assert itself.returncode == 1 and "is the store itself" in itself.stderr
    assert ArticleStore(workspace.database_url).count() == 0
