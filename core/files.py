"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replaced_atomically(path: Path, mode: int = 0o644) -> Iterator[Path]:
    """A temporary file beside *path* for the block to write; when the block ends without an
    error it is synced to disk, given *mode* and renamed over *path*, else removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: bytes) -> None:
    """Write *data* to *path* through a temporary file in the same folder and a rename."""
    with replaced_atomically(path) as tmp:
        tmp.write_bytes(data)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write *data* atomically unless *path* already holds exactly it; True if written."""
    if path.exists() and path.read_bytes() == data:
        return False
    write_atomically(path, data)
    return True


class FileBatch:
    """Files replaced together: each written to a temporary file beside it, renamed over its
    target in the order written when the block ends without an error, then one ``os.sync()`` for
    them all (one sync instead of one per file is what makes rewriting hundreds of feeds cheap).

    A reader never sees half a file. Until the block has returned nothing is known to be on disk:
    record that the files were written only after it (the feeds mark their topics built then, so
    a crash before that rebuilds them). On an error the temporary files are removed and nothing
    is replaced.
    """

    def __init__(self) -> None:
        self.pending: list[tuple[str, Path]] = []

    def write_if_changed(self, path: Path, data: bytes, current: bytes | None = None) -> bool:
        """Stage *data* for *path* unless *path* holds exactly it (*current*: its bytes, if read)."""
        if current is None and path.exists():
            current = path.read_bytes()
        if current == data:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        self.pending.append((tmp, path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        return True

    def __enter__(self) -> FileBatch:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if error is not None:
            for tmp, _ in self.pending:
                Path(tmp).unlink(missing_ok=True)
            return
        for tmp, path in self.pending:
            os.replace(tmp, path)
        if self.pending:
            os.sync()
