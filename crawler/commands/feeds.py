"""`scrapy feeds [build|serve|list]`: rebuild the feeds from the store, serve them, or list them."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.utils.log import configure_logging
from twisted.internet.error import CannotListenError

from core.data import DataFileError
from feeds.build import FeedBuilder
from feeds.catalog import OPML_FILE, feed_url, read_catalogue
from feeds.serve import cannot_listen, listen, served_url
from feeds.topics import check_topics
from storage.store import ArticleStore

ACTIONS = ("build", "serve", "list")


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[build|serve|list] [--bind ADDRESS] [--port N]"

    def short_desc(self) -> str:
        return "Rebuild every feed from the store (build), serve them over HTTP (serve), or list them"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--port", type=int, default=8080, help="port for `serve` (default: %(default)s)")
        parser.add_argument("--bind", default="127.0.0.1", help="address for `serve` (default: %(default)s)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        action = args[0] if args else "build"
        if action not in ACTIONS or len(args) > 1:
            raise UsageError(f"expected one of {', '.join(ACTIONS)}")
        if self.settings.getbool("LOG_ENABLED"):  # -s LOG_ENABLED=True: the build's log on stderr
            configure_logging(self.settings)
        try:
            builder = FeedBuilder.from_settings(self.settings)
            if builder.vocabulary is not None:
                check_topics(builder.config, builder.vocabulary)
        except DataFileError as error:
            self.fail(str(error))
            return
        if action == "serve":
            self.serve(builder, opts.bind, opts.port)
            return
        store = ArticleStore(self.settings["DATABASE_URL"])
        try:
            if action == "list":
                self.list(builder, store)
                return
            written = builder.build(store, every=True)
        finally:
            store.close()
        for path, changed in sorted(written.items()):
            print(f"{'rewritten' if changed else 'unchanged'}  {path}")
        for path, why in sorted(written.failed.items()):
            print(f"failed     {path}: {why}")
        failed = f", {len(written.failed)} failed" if written.failed else ""
        print(f"{len(written)} feeds in {builder.out_dir} ({sum(written.values())} rewritten{failed})")
        if written.failed:
            self.exitcode = 1

    def list(self, builder: FeedBuilder, store: ArticleStore) -> None:
        catalogue = read_catalogue(builder.out_dir)
        if not store.count():
            database = self.settings["DATABASE_URL"]
            print(f"No feeds yet: the store ({database}) holds no articles. Crawl a site first.")
            return
        if not catalogue:
            print(f"No feeds in {builder.out_dir} yet: run `scrapy feeds build`.")
            return
        base = builder.base_url
        for feed in sorted(catalogue.values(), key=lambda f: (f.group, f.path)):
            newest = (
                f"  newest: {feed.newest_title} ({feed.updated[:16].replace('T', ' ')})"
                if feed.entries
                else ""
            )
            print(f"{feed.title}\n  {feed_url(base, feed.path)}  {feed.entries} entries{newest}")
        print(f"{len(catalogue)} feeds; all of them for a reader: {feed_url(base, OPML_FILE)}")

    def serve(self, builder: FeedBuilder, bind: str, port: int) -> None:
        from twisted.internet import reactor

        access = logging.getLogger("feeds.serve")
        access.setLevel(logging.INFO)
        access.addHandler(logging.StreamHandler(sys.stderr))
        try:
            listening = listen(self.settings, port, bind)
        except CannotListenError as error:
            self.fail(cannot_listen(error, bind, port))
            return
        base = served_url(listening, bind)
        print(
            f"Serving {builder.out_dir} at {base} (feeds: {base}all.xml, OPML: {base}{OPML_FILE})", flush=True
        )
        reactor.run()

    def fail(self, message: str) -> None:
        print(message, file=sys.stderr)
        self.exitcode = 1
