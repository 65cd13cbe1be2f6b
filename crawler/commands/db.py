"""`scrapy db upgrade|revision|prune|backup PATH`: the store's schema (Alembic), its size, its copies."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from sqlalchemy.engine import make_url

from core.dates import SHANGHAI
from storage.backup import BackupError, backup
from storage.engine import make_engine
from storage.migrate import head, revision, upgrade
from storage.retention import prune_expired, retention_days
from storage.store import ArticleStore

ACTIONS = {"upgrade": 0, "revision": 0, "prune": 0, "backup": 1}
"""Each action and how many arguments it takes."""


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "upgrade|revision|prune|backup PATH"

    def short_desc(self) -> str:
        return "Upgrade, inspect, prune or back up the article store (DATABASE_URL)"

    def long_desc(self) -> str:
        return (
            "upgrade: apply the Alembic migrations the database lacks, in one transaction (a database "
            "made before migrations existed is recognised and upgraded from revision 0001); back it up "
            "first. revision: print the database's schema revision and the one this version needs. "
            "prune: delete the articles older than STORE_RETENTION_DAYS, in small transactions, safe "
            "while crawls and the monitor run; their feeds are rebuilt by the next build. backup PATH: "
            "copy a SQLite store to PATH with SQLite's online backup, safe while crawls and the monitor "
            "write to it (for PostgreSQL it prints the pg_dump command to use)."
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args or args[0] not in ACTIONS or len(args) != 1 + ACTIONS[args[0]]:
            raise UsageError(f"expected one of: {self.syntax()}")
        url = self.settings["DATABASE_URL"]
        shown = make_url(url).render_as_string(hide_password=True)
        action = args[0]
        if action == "upgrade":
            before, after = upgrade(url)
            change = "already at" if before == after else f"upgraded from {before or 'empty'} to"
            print(f"{shown}: {change} revision {after}")
        elif action == "revision":
            print(f"{shown}: revision {self.revision(url) or 'none (empty)'}; this version needs {head()}")
        elif action == "prune":
            print(f"{shown}: {self.prune(url)}")
        else:
            try:
                size = backup(url, Path(args[1]))
            except BackupError as error:
                raise SystemExit(f"scrapy db backup: {error}") from None
            print(f"{shown}: backed up to {args[1]} ({size:,} bytes)")

    @staticmethod
    def revision(url: str) -> str | None:
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                return revision(connection)
        finally:
            engine.dispose()

    def prune(self, url: str) -> str:
        try:
            days = retention_days(self.settings.get("STORE_RETENTION_DAYS"))
        except ValueError as error:
            raise SystemExit(f"scrapy db prune: {error}") from None
        store = ArticleStore(url)
        try:
            pruned = prune_expired(store, days)
        finally:
            store.close()
        if pruned is None:
            return "STORE_RETENTION_DAYS is not set: every article is kept"
        before = pruned.before.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        return (
            f"{pruned.articles} articles from before {before} (Asia/Shanghai) pruned in {pruned.batches} "
            f"transactions; {len(pruned.topics)} topics changed, their feeds rebuilt by the next build "
            "(a crawl's end, the monitor, or `scrapy feeds build`)"
        )
