"""Schema migrations: one line of history, migrations that lead to the models' tables, and a database
made before migrations existed (tests/data/store/, written by the crawl of 2026-11-29) upgraded."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import feedparser
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from feeds.build import build_feeds
from storage.engine import make_engine
from storage.migrate import SchemaError, head, heads, upgrade
from storage.schema import Base
from storage.store import ArticleStore
from tests.conftest import DATA, Workspace
from tests.postgres import new_database
from tests.tag_uri import is_tag_uri

BEFORE_MIGRATIONS = DATA / "store" / "news-before-migrations.db"


@pytest.fixture
def old_database(tmp_path: Path) -> Path:
    copy = tmp_path / "news.db"
    shutil.copy(BEFORE_MIGRATIONS, copy)
    return copy


def test_history_has_a_single_head() -> None:
    assert len(heads()) == 1


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migrations_from_nothing_lead_to_the_tables_of_the_models(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'migrated.db'}"
    else:
        url = new_database(request.getfixturevalue("postgres"))
    assert upgrade(url) == (None, head())
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_the_store_refuses_an_old_database_with_a_way_out(old_database: Path) -> None:
    with pytest.raises(SchemaError, match=r"revision 0001; this version needs .*scrapy db upgrade"):
        ArticleStore(f"sqlite:///{old_database}")


def test_a_database_from_before_migrations_is_upgraded(old_database: Path, workspace: Workspace) -> None:
    url = f"sqlite:///{old_database}"
    (quanzhou,) = (
        sqlite3.connect(old_database)
        .execute("SELECT count(*) FROM article_tags WHERE kind = 'city' AND value = '泉州'")
        .fetchone()
    )
    result = workspace.scrapy("db", "upgrade", "-s", f"DATABASE_URL={url}")
    assert f"upgraded from 0001 to revision {head()}" in result.stdout
    rows = sqlite3.connect(old_database).execute("SELECT id, data FROM articles").fetchall()
    assert len(rows) == 16
    assert all(article_id.startswith("qzwb/") for article_id, _ in rows)
    assert all(json.loads(data)["id"] == article_id and "\\u" not in data for article_id, data in rows)
    store = ArticleStore(url)
    try:
        assert store.count() == 16
        assert len(store.latest(100, "city", "泉州")) == quanzhou
        assert [(t.kind, t.value, t.article_count) for t in store.topics(["site", "all"])] == [
            ("all", "", 16),
            ("site", "qzwb", 16),
        ]
        written = build_feeds(store, workspace.feeds_dir, "http://feeds.example.org/")
        assert workspace.feeds_dir / "site" / "qzwb.xml" in written and all(written.values())
    finally:
        store.close()
    feed = (workspace.feeds_dir / "all.xml").read_text(encoding="utf-8")
    assert "tag:feeds.example.org," in feed and "tag:qzwb.com" not in feed
    entries = feedparser.parse(feed).entries
    assert len(entries) == 16 and all(entry.updated == entry.published for entry in entries)
    assert "already at" in workspace.scrapy("db", "upgrade", "-s", f"DATABASE_URL={url}").stdout


def test_scrapy_db_revision_tells_where_a_database_stands(old_database: Path, workspace: Workspace) -> None:
    result = workspace.scrapy("db", "revision", "-s", f"DATABASE_URL=sqlite:///{old_database}")
    assert f"revision 0001; this version needs {head()}" in result.stdout


def test_ids_after_the_upgrade_are_tag_uris(old_database: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{old_database}"
    upgrade(url)
    store = ArticleStore(url)
    try:
        build_feeds(store, tmp_path, "http://127.0.0.1:8080/")
    finally:
        store.close()
    text = (tmp_path / "all.xml").read_text(encoding="utf-8")
    ids = [line.strip()[4:-5] for line in text.splitlines() if line.strip().startswith("<id>")]
    assert len(ids) == 17 and all(is_tag_uri(value) for value in ids)
