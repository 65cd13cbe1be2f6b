"""The store's database connection: SQLAlchemy engines set up for several processes sharing SQLite.

A crawl, the monitor and `scrapy feeds` may all open the same SQLite file. In WAL mode readers never
wait for the writer; a writer waits up to ``BUSY_TIMEOUT`` seconds for another to finish; and a
writing transaction takes the write lock when it begins (``BEGIN IMMEDIATE``), so two writers never
both read and then deadlock on upgrading their locks. Any other database (PostgreSQL) is used as is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

BUSY_TIMEOUT = 30.0
"""Seconds a writer waits for another process's write to finish."""
WRITES = "store_writes"
"""Execution option of the connections that write (``engine.execution_options(store_writes=True)``)."""


def dumps(value: Any) -> str:
    """JSON as UTF-8 text: Chinese stays Chinese (``\\uXXXX`` would double its size)."""
    return json.dumps(value, ensure_ascii=False)


def make_engine(url: str, *, foreign_keys: bool = True) -> Engine:
    """An engine for *url*; *foreign_keys* off only for migrations (SQLite rebuilds tables to alter
    them, and dropping a parent table would cascade)."""
    sqlite = url.startswith("sqlite:")
    if sqlite and url not in ("sqlite://", "sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, json_serializer=dumps, connect_args={"timeout": BUSY_TIMEOUT} if sqlite else {}
    )
    if sqlite:
        _configure_sqlite(engine, foreign_keys)
    return engine


def _configure_sqlite(engine: Engine, foreign_keys: bool) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event emits BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql(
            "BEGIN IMMEDIATE" if connection.get_execution_options().get(WRITES) else "BEGIN"
        )
