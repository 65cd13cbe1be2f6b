"""Schema versions of the store: Alembic migrations, applied by `scrapy db upgrade`.

A new database is created at the newest revision when the store first opens it (the models' tables,
stamped with the head revision, as Alembic recommends; a test checks that the migrations lead to
exactly those tables). A database made
by an older version must be upgraded on purpose (the store refuses it with a message saying so);
one made before migrations existed (tables, but no ``alembic_version``) is recognised, stamped as
revision ``0001`` — the schema it has — and upgraded from there.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

from storage.engine import WRITES, make_engine
from storage.schema import Base

FIRST_REVISION = "0001"
PRE_MIGRATION_TABLES = {"articles", "article_tags"}


class SchemaError(RuntimeError):
    """The database is not at the revision this version of the code works with."""


@cache
def script_location() -> str:
    """The migrations folder on disk, where Alembic reads its scripts as files.

    When the package is imported from a zip (a Scrapyd egg), the folder is extracted once per
    process to a temporary folder, removed at exit (``importlib.resources.as_file``, through which
    Alembic would do this itself, extracts folders only from Python 3.12 on).
    """
    folder = files("storage") / "migrations"
    if isinstance(folder, Path):
        return str(folder)
    target = Path(tempfile.mkdtemp(prefix="news-migrations-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    _extract(folder, target)
    return str(target)


def _extract(folder: Traversable, target: Path) -> None:
    for entry in folder.iterdir():
        if entry.is_dir():
            if entry.name != "__pycache__":
                (target / entry.name).mkdir()
                _extract(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", script_location())
    config.attributes["connection"] = connection
    return config


def heads() -> list[str]:
    return list(ScriptDirectory.from_config(alembic_config()).get_heads())


def head() -> str:
    (only,) = heads()
    return only


def revision(connection: Connection) -> str | None:
    """The database's revision; ``FIRST_REVISION`` for one made before migrations; None if empty."""
    current = MigrationContext.configure(connection).get_current_revision()
    if current is None and set(inspect(connection).get_table_names()) >= PRE_MIGRATION_TABLES:
        return FIRST_REVISION
    return current


def upgrade(url: str) -> tuple[str | None, str]:
    """Bring the database at *url* to the newest revision; (revision before, revision after)."""
    engine = make_engine(url, foreign_keys=False)
    try:
        with engine.execution_options(**{WRITES: True}).begin() as connection:
            before = revision(connection)
            config = alembic_config(connection)
            if (
                before == FIRST_REVISION
                and MigrationContext.configure(connection).get_current_revision() is None
            ):
                command.stamp(config, FIRST_REVISION)
            command.upgrade(config, "head")
            return before, head()
    finally:
        engine.dispose()


def ensure_current(engine: Engine) -> None:
    """Create an empty database at the newest revision; refuse one at another revision."""
    with engine.execution_options(**{WRITES: True}).begin() as connection:
        current = revision(connection)
        if current is None:
            Base.metadata.create_all(connection)
            command.stamp(alembic_config(connection), "head")
            return
    if current != head():
        raise SchemaError(
            f"the database {engine.url.render_as_string(hide_password=True)} is at schema revision "
            f"{current}; this version needs {head()}: run `scrapy db upgrade` (back it up first)"
        )
