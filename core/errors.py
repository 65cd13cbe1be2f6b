"""How an error is said in a log line or a status: its type and message on one short line."""

from __future__ import annotations

MAX_CHARS = 300


def reason(error: BaseException) -> str:
    """*error* in one line of at most :data:`MAX_CHARS` characters (``OSError: No space left …``)."""
    return " ".join(f"{type(error).__name__}: {error}".split())[:MAX_CHARS]
