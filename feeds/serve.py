"""Serving the feed folder over HTTP (Twisted's static files, on the crawler's own reactor)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from twisted.internet.interfaces import IListeningPort
from twisted.web.server import Site
from twisted.web.static import File

ATOM_TYPE = "application/atom+xml; charset=utf-8"


class FeedFiles(File):
    """Static files whose ``.xml`` are served as Atom (for the class and the children it makes)."""

    contentTypes: ClassVar[dict[str, str]] = {
        **File.contentTypes,
        ".xml": ATOM_TYPE,
        ".opml": "text/x-opml; charset=utf-8",
    }


def feed_site(feeds_dir: Path) -> Site:
    feeds_dir.mkdir(parents=True, exist_ok=True)
    return Site(FeedFiles(str(feeds_dir.resolve())))


def listen(feeds_dir: Path, port: int, bind: str = "127.0.0.1") -> IListeningPort:
    """Serve *feeds_dir* on *bind*:*port* from the running (or about to run) reactor."""
    from twisted.internet import reactor

    return reactor.listenTCP(port, feed_site(feeds_dir), interface=bind)
