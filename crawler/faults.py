"""Faults the mirror server injects on request: how a broken or hostile site answers, per URL pattern.

A :class:`Fault` names a regular expression searched in the ``<host>/<path>`` a request is for (the
mirror's own form of the real URL: ``www.qzwb.com/gb/content/…``), what goes wrong (its ``kind``)
and, with ``times``, for how many of those requests (then the page is served as it is). The kinds:

==========================  =====================================================================
``status``                  answer ``status`` (404, 410, 500, 503, 429 …), with ``Retry-After:
                            retry_after`` when given
``hang``                    read the request and answer nothing for ``seconds``
``truncate``                promise the whole page (``Content-Length``), send half, close
``reset``                   close the connection with a TCP reset instead of answering
``empty``                   ``200`` with an empty body
``redirect_loop``           ``302`` to the same page with ``?loop=1``, which redirects back
``meta_refresh_offsite``    the page with a ``<meta http-equiv="refresh">`` to another site
``lying_charset``           the page in GB18030 while its ``Content-Type`` says ``charset``
``lying_gzip``              ``Content-Encoding: gzip`` on a body that is not compressed
``huge``                    the page grown to ``size`` bytes by repeating its first paragraph
``binary``                  random bytes after a PNG signature, sent as ``text/html``
``utf16``                   the page in UTF-16 (with its byte-order mark)
``deep``                    the page's body inside ``depth`` nested ``<div>`` elements
``nonxml``                  characters XML 1.0 cannot carry (U+FFFE, U+FFFF, C0 and C1 controls,
                            raw and as character references) before the text of every element
==========================  =====================================================================

Faults are given to the server as a :class:`FaultPlan` (``crawler.mirror.start_in_thread(faults=…)``,
changed at any time with :meth:`FaultPlan.set`: the tests and ``benchmarks/chaos.py``), or as a
YAML list of mappings with the fields of :class:`Fault` (``scrapy mirror --faults FILE``)::

    - match: 'www\\.qzwb\\.com/gb/content/2021-01/09/'
      kind: status
      status: 429
      retry_after: 2
      times: 1
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from crawler.encoding import decode_html

CONTENT = frozenset(
    {"empty", "meta_refresh_offsite", "lying_charset", "lying_gzip", "huge"}
    | {"binary", "utf16", "deep", "nonxml"}
)
"""Faults that change what a page's answer holds (the page must exist)."""
CONNECTION = frozenset({"status", "hang", "truncate", "reset", "redirect_loop"})
"""Faults of the answer itself."""
KINDS = CONTENT | CONNECTION
OFFSITE_REFRESH = '<meta http-equiv="refresh" content="0; url=http://epaper.offsite.example/">'
NON_XML = "\ufffe\uffff&#xFFFE;&#xFFFF;&#1;\x01\x08\x1b\x7f\x85\x9f"
"""What ``nonxml`` puts before each element's text: U+FFFE and U+FFFF raw and as references, C0
controls raw and as a reference, DEL and C1 controls."""
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TEXT_START = re.compile(r">(\s*)(?=[\u4e00-\u9fff])")
"""Where an element's text starts with a Han character."""
FIRST_PARAGRAPH = re.compile(rb"<p[\s>].*?</p>", re.DOTALL | re.IGNORECASE)
HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)
BODY_START, BODY_END = re.compile(rb"<body[^>]*>", re.IGNORECASE), re.compile(rb"</body>", re.IGNORECASE)


class FaultError(ValueError):
    """A fault description that cannot be used (one line, naming what is wrong)."""


@dataclass(frozen=True)
class Fault:
    """What goes wrong for the requests whose ``<host>/<path>`` *match* (a regular expression)."""

    match: str
    kind: str
    times: int | None = None
    """For this many matching requests (None: every one)."""
    status: int = 503
    retry_after: str | None = None
    seconds: float = 30.0
    size: int = 20_000_000
    charset: str = "utf-8"
    depth: int = 5000

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise FaultError(f"unknown fault kind {self.kind!r}; known: {', '.join(sorted(KINDS))}")
        try:
            re.compile(self.match)
        except re.error as error:
            raise FaultError(f"match {self.match!r} is not a regular expression ({error})") from None


def load_faults(path: Path) -> list[Fault]:
    """The faults a YAML file lists (each a mapping of :class:`Fault`'s fields)."""
    known = {f.name for f in fields(Fault)}
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(entries, list):
        raise FaultError(f"{path}: expected a list of faults")
    faults = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not {"match", "kind"} <= entry.keys() or entry.keys() - known:
            raise FaultError(
                f"{path}: fault {number}: expected a mapping with match, kind and any of "
                f"{', '.join(sorted(known - {'match', 'kind'}))}; got {entry!r}"
            )
        try:
            faults.append(Fault(**entry))
        except FaultError as error:
            raise FaultError(f"{path}: fault {number}: {error}") from None
    return faults


@dataclass(frozen=True)
class Served:
    """One request the mirror answered: when (``time.monotonic``), for what, with which fault."""

    time: float
    path: str
    fault: str | None


class FaultPlan:
    """The faults a mirror server injects now, and what it served; shared by its request threads."""

    def __init__(self, faults: list[Fault] | None = None) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._left: list[int | None] = []
        self.injected: Counter[str] = Counter()
        """How many times each kind of fault was injected."""
        self.served: list[Served] = []
        self.released = threading.Event()
        """Set to end every hang at once (the server is stopping)."""
        self.set(faults or [])

    def set(self, faults: list[Fault]) -> None:
        """Inject *faults* from now on (the first that matches a request wins)."""
        with self._lock:
            self._faults = list(faults)
            self._left = [fault.times for fault in faults]

    def pick(self, path: str) -> Fault | None:
        """The fault for a request of *path* (counted), or None; the request is recorded."""
        with self._lock:
            chosen = None
            for index, fault in enumerate(self._faults):
                left = self._left[index]
                if (left is None or left > 0) and re.search(fault.match, path):
                    if left is not None:
                        self._left[index] = left - 1
                    self.injected[fault.kind] += 1
                    chosen = fault
                    break
            self.served.append(Served(time.monotonic(), path, chosen.kind if chosen else None))
            return chosen

    def requests(self, pattern: str) -> list[Served]:
        """The requests served so far whose path *pattern* is found in."""
        with self._lock:
            return [served for served in self.served if re.search(pattern, served.path)]


def faulty_page(fault: Fault, body: bytes, headers: dict[str, str], path: str) -> bytes:
    """The body a page is answered with under a content *fault* (*headers* are changed in place)."""
    kind = fault.kind
    if kind == "empty":
        return b""
    if kind == "binary":
        noise = random.Random(path).randbytes(64 * 1024)  # the same bytes for a page every time
        return PNG_SIGNATURE + noise
    if kind == "lying_gzip":
        headers["Content-Encoding"] = "gzip"
        return body
    if kind == "huge":
        paragraph = FIRST_PARAGRAPH.search(body)
        filler = paragraph.group(0) if paragraph else b"<p>" + b"x" * 100 + b"</p>"
        at = paragraph.end() if paragraph else len(body)
        copies = max(0, fault.size - len(body)) // len(filler) + 1
        return body[:at] + filler * copies + body[at:]
    if kind == "deep":
        start, end = BODY_START.search(body), BODY_END.search(body)
        if not start or not end:
            return b"<div>" * fault.depth + body + b"</div>" * fault.depth
        return (
            body[: start.end()]
            + b"<div>" * fault.depth
            + body[start.end() : end.start()]
            + b"</div>" * fault.depth
            + body[end.start() :]
        )
    text, encoding = decode_html(body, None)
    if kind == "utf16":
        headers["Content-Type"] = "text/html"
        return text.encode("utf-16")
    if kind == "lying_charset":
        headers["Content-Type"] = f"text/html; charset={fault.charset}"
        return text.encode("gb18030")
    if kind == "meta_refresh_offsite":
        head = HEAD.search(text)
        at = head.end() if head else 0
        return (text[:at] + OFFSITE_REFRESH + text[at:]).encode(encoding)
    if kind == "nonxml":
        return TEXT_START.sub(lambda m: f">{m.group(1)}{NON_XML}", text).encode(encoding)
    raise FaultError(f"{kind} is not a fault of a page's content")
