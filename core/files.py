"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import fcntl
import logging
import os
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

logger = logging.getLogger(__name__)

TEMPORARY_SUFFIX = ".tmp"


def temporary_beside(path: Path, mode: int = 0o644) -> Path:
    """A new, empty hidden file in *path*'s folder (so a rename replaces *path* atomically), with the
    permissions the file it is to replace should have: ``.<name>.<random>.tmp``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX)
    os.close(fd)
    os.chmod(tmp, mode)
    return Path(tmp)


@contextmanager
def replaced_atomically(path: Path, mode: int = 0o644) -> Iterator[Path]:
    """A temporary file beside *path* for the block to write; when the block ends without an
    error it is synced to disk and renamed over *path*, else removed."""
    tmp = temporary_beside(path, mode)
    try:
        yield tmp
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def stale_temporaries(folder: Path, before: float) -> list[Path]:
    """The temporary files :func:`temporary_beside` made in *folder* (and below) that were last
    written before *before* (a ``time.time()``): left by a writer killed before its rename."""
    found = []
    for path in folder.rglob(f".*{TEMPORARY_SUFFIX}"):
        try:
            if path.is_file() and path.stat().st_mtime < before:
                found.append(path)
        except FileNotFoundError:
            continue  # renamed or removed meanwhile
    return found


@contextmanager
def exclusive_writer(folder: Path, lock_name: str = ".lock") -> Iterator[None]:
    """The block as the only writer of *folder* among the processes that ask the same: it holds an
    exclusive ``flock`` on ``folder/lock_name`` (released by the system however the process ends,
    ``kill -9`` included), and first removes the temporary files a killed writer left: every one
    there was made before the lock was taken, so none is another writer's work in progress."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / lock_name, "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            stale = stale_temporaries(folder, time.time())
            for path in stale:
                path.unlink(missing_ok=True)
            if stale:
                logger.info("removed %d temporary files a killed writer left in %s", len(stale), folder)
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def write_atomically(path: Path, data: bytes) -> None:
    """Write *data* to *path* through a temporary file in the same folder and a rename."""
    with replaced_atomically(path) as tmp:
        tmp.write_bytes(data)


class FileBatch:
    """Files replaced together: each written to a temporary file beside it, renamed over its
    target in the order written when the block ends without an error, then one ``os.sync()`` for
    them all (one sync instead of one per file is what makes rewriting hundreds of feeds cheap).

    The temporary files are written by a thread of the batch's own while the caller goes on
    computing the next file (the write leaves the GIL), at most ``IN_FLIGHT`` files ahead.

    A reader never sees half a file. Until the block has returned nothing is known to be on disk:
    record that the files were written only after it (the feeds mark their topics built then, so
    a crash before that rebuilds them). On an error (the block's or a write's) the temporary
    files are removed, nothing is replaced, and the error is raised.
    """

    IN_FLIGHT = 8

    def __init__(self) -> None:
        self.pending: list[tuple[Path, Path]] = []
        """(temporary file, target) of each file written, in order (appended by the writer)."""
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="file-batch")
        self._writes: deque[Future[None]] = deque()

    def write_if_changed(self, path: Path, data: bytes, current: bytes | None = None) -> bool:
        """Stage *data* for *path* unless *path* holds exactly it (*current*: its bytes, if read)."""
        if current is None and path.exists():
            current = path.read_bytes()
        if current == data:
            return False
        while len(self._writes) >= self.IN_FLIGHT:
            self._writes.popleft().result()  # a write that failed raises here, ending the block
        self._writes.append(self._writer.submit(self._stage, path, data))
        return True

    def _stage(self, path: Path, data: bytes) -> None:
        tmp = temporary_beside(path)
        try:
            tmp.write_bytes(data)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        self.pending.append((tmp, path))

    def __enter__(self) -> FileBatch:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        self._writer.shutdown(cancel_futures=error is not None)  # waits for the writes under way
        try:
            for write in self._writes if error is None else ():
                write.result()
        except BaseException:
            self._discard()
            raise
        if error is not None:
            self._discard()
            return
        for tmp, path in self.pending:
            os.replace(tmp, path)
        if self.pending:
            os.sync()

    def _discard(self) -> None:
        for tmp, _ in self.pending:
            Path(tmp).unlink(missing_ok=True)
