"""The feed server: a Twisted resource for ``scrapy feeds serve`` and for the monitor to mount.

It serves exactly what the build wrote and lists in its catalogue (``feeds.catalog``) — each feed
as Atom (``.xml``), RSS 2.0 (``.rss``), JSON Feed (``.json``) and a page (``.html``), the OPML
file and the web index at ``/`` — and nothing else: no directory listing, no other file, no
symlink followed, a 404 page of its own. Answers carry a strong ``ETag`` and ``Last-Modified``
(``304`` to ``If-None-Match`` / ``If-Modified-Since``), ``Cache-Control: max-age`` from the
shortest crawl interval of the sites in the feed, and are gzipped when the reader accepts it.
RSSHub's query parameters (``feeds.formats``) narrow any feed; a bad one is a ``400`` with its
reason. With ``FEEDS_BASE_URL`` unset, links to the feeds follow the address the server was reached
at. Every request is logged in the combined log format (logger ``feeds.serve``).

Mount more resources with ``FeedServer.putChild(b"healthz", resource)``; :func:`feed_site` wraps a
resource in a Twisted ``Site`` with short idle timeouts and no tracebacks shown.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import logging
import os
import re
import stat
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import cached_property
from pathlib import Path
from urllib.parse import parse_qs

from scrapy.settings import BaseSettings
from twisted.internet.error import CannotListenError
from twisted.internet.interfaces import IListeningPort
from twisted.web import http
from twisted.web.resource import Resource
from twisted.web.server import Request, Site

from core.dates import SHANGHAI
from core.tags import TagVocabulary
from feeds.build import DEFAULT_BASE_URL, tag_vocabulary
from feeds.catalog import CATALOGUE_FILE, OPML_FILE, FeedInfo, read_catalogue_with_base
from feeds.formats import (
    CONTENT_TYPES,
    FORMATS,
    FeedDocument,
    FeedQuery,
    QueryError,
    render_atom,
    render_json,
    render_rss,
)
from feeds.pages import feed_page, index_page, not_found_page

logger = logging.getLogger(__name__)

IDLE_TIMEOUT = 10
"""Seconds an idle connection is kept open."""
LATEST_ON_INDEX = 20
ANSWER_CACHE = 512
"""How many answers (a feed version × base × query × format) are kept in memory."""
DOCUMENT_CACHE = 16
"""How many parsed feeds (the current version of each, about 4 MB for 100 entries) are kept in
memory, so that a query not seen before is answered without parsing its feed again."""
INDEX_MAX_AGE = 300
HOST = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$")
OPML_TYPE = "text/x-opml; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Answer:
    body: bytes
    content_type: str
    etag: str
    last_modified: float
    max_age: int

    @cached_property
    def gzipped(self) -> bytes:
        """The body gzipped, once (readers mostly ask for it, and a feed is half a megabyte)."""
        return gzip.compress(self.body, compresslevel=6, mtime=0)


@dataclass(frozen=True)
class Opened:
    """A file of the feed folder as checked once per answer: its version (inode, size, mtime) and
    a reader of its bytes."""

    version: tuple[int, int, int]
    read: Callable[[], bytes]

    @property
    def modified(self) -> float:
        return self.version[2] / 1e9


class FeedServer(Resource):
    """The root of the feed server (see the module's docstring)."""

    def __init__(
        self, feeds_dir: Path, *, base_url: str | None = None, vocabulary: TagVocabulary | None = None
    ) -> None:
        super().__init__()
        feeds_dir.mkdir(parents=True, exist_ok=True)
        self.root = os.path.realpath(feeds_dir)
        self.base_url = base_url
        """The public URL of the feeds (``FEEDS_BASE_URL``); None: the address each request came to."""
        self.vocabulary = vocabulary
        self.answers: OrderedDict[tuple, Answer] = OrderedDict()
        self.documents: OrderedDict[str, tuple[tuple, FeedDocument]] = OrderedDict()
        self._catalogue: tuple[tuple, str | None, dict[str, FeedInfo] | None] = ((), None, None)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> FeedServer:
        """The server of ``FEEDS_DIR``, linking to the feeds under ``FEEDS_BASE_URL`` (unset: the
        address each request came to), its tag queries read with ``FEEDS_TAG_VOCABULARY``."""
        return cls(
            Path(settings["FEEDS_DIR"]),
            base_url=settings.get("FEEDS_BASE_URL") or None,
            vocabulary=tag_vocabulary(settings),
        )

    def getChild(self, name: bytes, request: Request) -> Resource:
        if name == b"" and not request.postpath:
            return self
        return FeedPath(self, [name, *request.postpath])

    def render_GET(self, request: Request) -> bytes:
        return self.answer(request, [""])

    # -- answering --------------------------------------------------------------------------------

    def answer(self, request: Request, segments: list[str | bytes]) -> bytes:
        try:
            path = clean_path(segments)
            base = self.public_base(request)
            found = self.find(path, base, request)
        except QueryError as error:
            return self.plain(request, http.BAD_REQUEST, f"400 Bad Request: {error}\n")
        except NotFound:
            return self.not_found(request)
        except Exception:
            logger.exception("the feed server failed on %r", request.uri)
            return self.plain(request, http.INTERNAL_SERVER_ERROR, "500 Internal Server Error\n")
        return self.send(request, found)

    def find(self, path: str, base: str, request: Request) -> Answer:
        catalogue = self.catalogue()
        query_args = parse_qs(urlquery(request), keep_blank_values=True, errors="replace")
        if path == "":
            return self.cached(
                ("", base), CATALOGUE_FILE, lambda opened: self.index(catalogue or {}, base, opened.modified)
            )
        if path == OPML_FILE and not query_args:
            return self.cached(
                ("opml", base),
                OPML_FILE,
                lambda opened: self.rebased(opened.read(), base, OPML_TYPE, opened.modified),
            )
        stem, dot, extension = path.rpartition(".")
        feed = (catalogue or {}).get(stem + ".xml")
        if feed is None or not dot or extension not in ("xml", "rss", "json", "html"):
            raise NotFound
        query = FeedQuery.parse(query_args, self.vocabulary)
        if query.format is not None:
            if extension != "xml":
                raise QueryError("format= goes with the .xml address of a feed")
            extension = FORMATS[query.format]
        key = (feed.path, extension, base, query.key())
        return self.cached(
            key,
            feed.path,
            lambda opened: self.render_feed(feed, extension, opened, base, query),
        )

    def cached(self, key: tuple, file: str, make: Callable[[Opened], Answer]) -> Answer:
        """The answer *make* gives for the current version of *file* (opened once, handed to it),
        remembered for the next time."""
        opened = self.open(file)
        full_key = (*key, opened.version)
        answer = self.answers.get(full_key)
        if answer is not None:
            self.answers.move_to_end(full_key)
            return answer
        answer = make(opened)
        self.answers[full_key] = answer
        while len(self.answers) > ANSWER_CACHE:
            self.answers.popitem(last=False)
        return answer

    def open(self, file: str) -> Opened:
        """*file* in the feed folder: its version (inode, size, mtime) and a reader of its bytes.

        Only a regular file reached without any symlink is served.
        """
        full = os.path.join(self.root, file)
        try:
            info = os.lstat(full)
        except OSError:
            raise NotFound from None
        if not stat.S_ISREG(info.st_mode) or os.path.realpath(full) != full:
            raise NotFound

        def read() -> bytes:
            fd = os.open(full, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(fd, "rb") as handle:
                return handle.read()

        return Opened((info.st_ino, info.st_size, info.st_mtime_ns), read)

    def document(self, file: str, opened: Opened | None = None) -> FeedDocument:
        """The parsed feed *file* (*opened*: as the caller found it), parsed again only when the
        file has changed."""
        opened = opened or self.open(file)
        held = self.documents.pop(file, None)
        document = held[1] if held is not None and held[0] == opened.version else FeedDocument(opened.read())
        self.documents[file] = (opened.version, document)
        while len(self.documents) > DOCUMENT_CACHE:
            self.documents.popitem(last=False)
        return document

    def catalogue(self) -> dict[str, FeedInfo] | None:
        try:
            version = self.open(CATALOGUE_FILE).version
        except NotFound:
            return None
        if self._catalogue[0] != version:
            self._catalogue = (version, *read_catalogue_with_base(Path(self.root)))
        return self._catalogue[2]

    def public_base(self, request: Request) -> str:
        if self.base_url:
            return self.base_url.rstrip("/") + "/"
        host = (request.getHeader("host") or "").strip()
        if not HOST.match(host):
            address = request.getHost()
            host = f"{address.host}:{address.port}"
        mount = "".join(segment.decode("utf-8", "replace") + "/" for segment in request.prepath[:-1])
        return f"http://{host}/{mount}"

    def rebased(
        self, data: bytes, base: str, content_type: str, modified: float, max_age: int = INDEX_MAX_AGE
    ) -> Answer:
        """*data* with the links to the feeds moved from the URL they were built with to *base*."""
        return make_answer(rebase(data, self.built_base, base), content_type, modified, max_age)

    @property
    def built_base(self) -> str:
        """The URL the feed files name, as the catalogue says."""
        return self._catalogue[1] or DEFAULT_BASE_URL

    def render_feed(
        self,
        feed: FeedInfo,
        extension: str,
        opened: Opened,
        base: str,
        query: FeedQuery,
    ) -> Answer:
        modified = opened.modified
        if extension == "xml" and not query.selects and not query.opencc:
            return self.rebased(opened.read(), base, CONTENT_TYPES["xml"], modified, feed.max_age)
        document = self.document(feed.path, opened)
        entries = query.apply(document.entries, datetime.now(SHANGHAI))
        self_url = base + feed.stem + "." + extension
        if extension == "html":
            body = feed_page(feed, entries, base)
            return make_answer(body, HTML_TYPE, modified, feed.max_age)
        if extension == "rss":
            body = render_rss(document, entries, query.opencc, self_url)
        elif extension == "json":
            body = render_json(document, entries, query.opencc, self_url)
        else:
            body = rebase(render_atom(document, entries, query.opencc), self.built_base, base)
        return make_answer(body, CONTENT_TYPES[extension], modified, feed.max_age)

    def index(self, catalogue: dict[str, FeedInfo], base: str, modified: float) -> Answer:
        latest = []
        if "all.xml" in catalogue:
            with contextlib.suppress(NotFound):
                latest = self.document("all.xml").entries[:LATEST_ON_INDEX]
        today = datetime.now(SHANGHAI).date()
        body = index_page(list(catalogue.values()), latest, base, today)
        return make_answer(body, HTML_TYPE, modified, INDEX_MAX_AGE)

    # -- sending --------------------------------------------------------------------------------

    def send(self, request: Request, answer: Answer) -> bytes:
        gzipped = accepts_gzip(request)
        etag = f'"{answer.etag}-gz"' if gzipped else f'"{answer.etag}"'
        request.setHeader(b"content-type", answer.content_type.encode())
        request.setHeader(b"etag", etag.encode())
        request.setHeader(b"last-modified", http.datetimeToString(answer.last_modified))
        request.setHeader(b"cache-control", f"public, max-age={answer.max_age}".encode())
        request.setHeader(b"vary", b"Accept-Encoding")
        if not_modified(request, answer):
            request.setResponseCode(http.NOT_MODIFIED)
            return b""
        if gzipped:
            request.setHeader(b"content-encoding", b"gzip")
            return answer.gzipped
        return answer.body

    def plain(self, request: Request, code: int, text: str) -> bytes:
        request.setResponseCode(code)
        request.setHeader(b"content-type", b"text/plain; charset=utf-8")
        request.setHeader(b"cache-control", b"no-store")
        return text.encode("utf-8")

    def not_found(self, request: Request) -> bytes:
        request.setResponseCode(http.NOT_FOUND)
        request.setHeader(b"content-type", HTML_TYPE.encode())
        request.setHeader(b"cache-control", b"no-store")
        try:
            base = self.public_base(request)
        except Exception:
            base = "/"
        return not_found_page(base)


class FeedPath(Resource):
    """Any path below the root: answered by the :class:`FeedServer` (a leaf: nothing walks further)."""

    isLeaf = True

    def __init__(self, server: FeedServer, segments: list[bytes]) -> None:
        super().__init__()
        self.server = server
        self.segments = segments

    def render_GET(self, request: Request) -> bytes:
        return self.server.answer(request, self.segments)


class NotFound(Exception):
    """Nothing the server serves is at this path."""


def clean_path(segments: list[str | bytes]) -> str:
    """The relative path of already unquoted URL *segments*, or :class:`NotFound` if it could name
    anything outside the feed folder (``..``, a dot file, a separator or NUL inside a segment)."""
    parts = []
    for segment in segments:
        try:
            text = segment.decode("utf-8") if isinstance(segment, bytes) else segment
        except UnicodeDecodeError:
            raise NotFound from None
        if text.startswith(".") or any(char in text for char in "/\\\x00") or any(ord(c) < 32 for c in text):
            raise NotFound
        parts.append(text)
    path = "/".join(parts)
    if path and ("" in parts):
        raise NotFound
    return path


def rebase(data: bytes, built: str, base: str) -> bytes:
    """*data* (a feed or OPML file) with its links to the feeds under *built* moved to *base*; the
    entries, which link to the news sites, are left alone."""
    if base == built:
        return data
    end = data.find(b"<entry")
    head, rest = (data, b"") if end < 0 else (data[:end], data[end:])
    return head.replace(built.encode(), base.encode()) + rest


def urlquery(request: Request) -> str:
    return request.uri.partition(b"?")[2].decode("ascii", "replace")


def make_answer(body: bytes, content_type: str, last_modified: float, max_age: int) -> Answer:
    etag = hashlib.sha256(body).hexdigest()[:32]
    return Answer(body, content_type, etag, last_modified, max_age)


def accepts_gzip(request: Request) -> bool:
    for coding in (request.getHeader("accept-encoding") or "").split(","):
        name, _, params = coding.strip().partition(";")
        if name.strip().lower() in ("gzip", "x-gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def not_modified(request: Request, answer: Answer) -> bool:
    """Whether the reader's copy is current: ``If-None-Match`` (weak comparison, either encoding),
    else ``If-Modified-Since``."""
    if_none_match = request.getHeader("if-none-match")
    if if_none_match is not None:
        tags = {
            tag.strip().removeprefix("W/").strip('"').removesuffix("-gz") for tag in if_none_match.split(",")
        }
        return "*" in tags or answer.etag in tags
    since = request.getHeader("if-modified-since")
    if since:
        try:
            return int(answer.last_modified) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


class FeedSite(Site):
    """A ``Site`` that logs every request to the ``feeds.serve`` logger and shows no tracebacks."""

    displayTracebacks = False

    def log(self, request: Request) -> None:
        logger.info("%s", self._logFormatter(self._logDateTime, request))


def feed_site(resource: Resource, timeout: float = IDLE_TIMEOUT) -> FeedSite:
    return FeedSite(resource, timeout=timeout)


def listen(
    settings: BaseSettings,
    port: int,
    bind: str = "127.0.0.1",
    *,
    children: Mapping[bytes, Resource] | None = None,
) -> IListeningPort:
    """Serve the feeds of the *settings* (:meth:`FeedServer.from_settings`) on *bind*:*port* from
    the running (or about to run) reactor, with *children* mounted beside them (the monitor's
    ``/healthz`` and ``/metrics``)."""
    from twisted.internet import reactor

    server = FeedServer.from_settings(settings)
    for name, child in (children or {}).items():
        server.putChild(name, child)
    return reactor.listenTCP(port, feed_site(server), interface=bind)


def cannot_listen(error: CannotListenError, bind: str, port: int) -> str:
    """The one line that says why the server cannot listen on *bind*:*port* (a port in use …)."""
    reason = getattr(error.socketError, "strerror", None) or error.socketError
    return f"cannot serve on {bind}:{port}: {reason} (choose another with --port, or --bind)"


def served_url(listening: IListeningPort, bind: str) -> str:
    """The URL the server listening on *listening* answers at."""
    host = f"[{bind}]" if ":" in bind else bind
    return f"http://{host}:{listening.getHost().port}/"
