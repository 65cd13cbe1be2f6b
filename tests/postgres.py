"""A real PostgreSQL server for the tests: Debian's initdb and pg_ctl in a temporary folder.

Run as a user other than root (PostgreSQL refuses root): the ``postgres`` user Debian's package
creates, when the tests run as root. Skipped, with the reason, where PostgreSQL or psycopg is missing.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

_databases = itertools.count()


def _binaries() -> Path | None:
    installed = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))  # Debian keeps them off PATH
    found = shutil.which("pg_ctl") or (installed[-1] if installed else None)
    return Path(found).resolve().parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def postgres_server() -> Iterator[str]:
    """A running server; yields the SQLAlchemy URL prefix ``postgresql+psycopg://news@127.0.0.1:PORT/``."""
    bindir = _binaries()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (`make test` installs Debian's postgresql when run as root)")
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e .[dev])")
    as_user: list[str] = []
    if os.geteuid() == 0:
        if (
            shutil.which("runuser") is None
            or subprocess.run(["id", "postgres"], capture_output=True).returncode
        ):
            pytest.skip("running as root with no `postgres` user to run PostgreSQL as")
        as_user = ["runuser", "-u", "postgres", "--"]
    folder = Path(tempfile.mkdtemp(prefix="news-postgres-"))
    if as_user:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", _free_port()

    def run(*command: str) -> None:
        subprocess.run([*as_user, *command], check=True, capture_output=True, timeout=120)

    run(str(bindir / "initdb"), "-D", str(data), "-U", "news", "-A", "trust", "--no-sync", "-E", "UTF8")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start")
    try:
        yield f"postgresql+psycopg://news@127.0.0.1:{port}/"
    finally:
        subprocess.run(
            [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], timeout=60
        )
        shutil.rmtree(folder, ignore_errors=True)


def new_database(server_url: str) -> str:
    """A new, empty database on the server; its URL."""
    import psycopg

    name = f"test_{os.getpid()}_{next(_databases)}"
    with psycopg.connect(
        server_url.replace("postgresql+psycopg", "postgresql") + "postgres", autocommit=True
    ) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    return server_url + name


__all__ = ["new_database", "postgres_server"]
