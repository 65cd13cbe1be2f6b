"""`scrapy db upgrade|revision`: the store's schema, migrated with Alembic."""

from __future__ import annotations

import argparse
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from sqlalchemy.engine import make_url

from storage.engine import make_engine
from storage.migrate import head, revision, upgrade

ACTIONS = ("upgrade", "revision")


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "upgrade|revision"

    def short_desc(self) -> str:
        return "Upgrade the article store (DATABASE_URL) to this version's schema, or show its revision"

    def long_desc(self) -> str:
        return (
            "upgrade: apply the Alembic migrations the database lacks, in one transaction (a database "
            "made before migrations existed is recognised and upgraded from revision 0001); back it up "
            "first. revision: print the database's schema revision and the one this version needs."
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1 or args[0] not in ACTIONS:
            raise UsageError(f"expected one of {', '.join(ACTIONS)}")
        url = self.settings["DATABASE_URL"]
        shown = make_url(url).render_as_string(hide_password=True)
        if args[0] == "upgrade":
            before, after = upgrade(url)
            change = "already at" if before == after else f"upgraded from {before or 'empty'} to"
            print(f"{shown}: {change} revision {after}")
            return
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                current = revision(connection)
        finally:
            engine.dispose()
        print(f"{shown}: revision {current or 'none (empty)'}; this version needs {head()}")
