"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import os
import tempfile
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write *data* to *path* through a temporary file in the same folder and a rename."""
    tmp = _temporary_file(path, data, sync=True)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _temporary_file(path: Path, data: bytes, *, sync: bool = False) -> str:
    """A new hidden file beside *path* holding *data* (on disk if *sync*), readable by all as the
    file it is to replace; nothing is left behind if writing it fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


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
        self.pending: list[tuple[str, Path]] = []
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
        self.pending.append((_temporary_file(path, data), path))

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
