"""A copy of the store that is safe to take while crawls and the monitor write to it.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies the database in one step, as
one read transaction sees it: in WAL mode writers go on meanwhile, and the copy holds every
transaction they had committed when it began and none after, so an article is in it whole, with its
tags and its topics' counts, or not at all. (A backup in several steps restarts whenever another
process writes, and may never end on a busy store.) The copy is written beside the target, checked
(``PRAGMA quick_check``), made a single file (rollback journal, not WAL) and renamed into place: a
half-made backup never carries the target's name.

PostgreSQL: ``pg_dump`` takes such a snapshot itself; :func:`backup` says so rather than copy the
tables badly (:class:`BackupError` names the command).
"""

from __future__ import annotations

import shlex
import sqlite3
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from core.files import replaced_atomically


class BackupError(RuntimeError):
    """The store cannot be backed up this way; the message says what to do instead."""


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None: an in-memory database, or another database)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    return Path(parsed.database) if parsed.database not in (None, "", ":memory:") else None


def pg_dump_command(url: str, target: Path) -> str:
    """The ``pg_dump`` command line that backs up the PostgreSQL store at *url* into *target*
    (the password left out: pg_dump reads it from ``~/.pgpass`` or ``PGPASSWORD``)."""
    given = make_url(url)
    libpq = URL.create(
        "postgresql", given.username, None, given.host, given.port, given.database, given.query
    )
    return shlex.join(
        ["pg_dump", "--format=custom", f"--file={target}", libpq.render_as_string(hide_password=False)]
    )


def backup(url: str, target: Path) -> int:
    """Copy the SQLite store at *url* to *target* (replaced if it exists); its size in bytes."""
    source = sqlite_path(url)
    if source is None:
        shown = make_url(url).render_as_string(hide_password=True)
        if make_url(url).get_backend_name() == "postgresql":
            raise BackupError(
                f"{shown} is PostgreSQL, whose own pg_dump takes a consistent copy while the monitor "
                f"runs: {pg_dump_command(url, target)} (restore with pg_restore)"
            )
        raise BackupError(f"{shown}: only a SQLite file can be backed up this way")
    if not source.is_file():
        raise BackupError(f"{source}: no such database")
    if target.resolve() == source.resolve():
        raise BackupError(f"{target} is the store itself")
    reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        with replaced_atomically(target, mode=0o640) as copy:
            writer = sqlite3.connect(copy)
            try:
                reader.backup(writer)
                (check,) = writer.execute("PRAGMA quick_check").fetchone()
                if check != "ok":
                    raise BackupError(f"the copy of {source} does not pass SQLite's check: {check}")
                writer.execute("PRAGMA journal_mode=DELETE")
            finally:
                writer.close()
    finally:
        reader.close()
    return target.stat().st_size
