"""`scrapy feeds [build|serve|list]`: rebuild the Atom feeds from the store, serve or list them."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from feeds.build import Topic, build_feeds, load_config
from feeds.serve import listen
from storage.store import ArticleStore

ACTIONS = ("build", "serve", "list")


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[build|serve|list] [--port N]"

    def short_desc(self) -> str:
        return (
            "Rebuild every Atom feed from the store (build), serve FEEDS_DIR over HTTP (serve), or list them"
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--port", type=int, default=8080, help="port for `serve` (default: %(default)s)")
        parser.add_argument("--bind", default="127.0.0.1", help="address for `serve` (default: %(default)s)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        action = args[0] if args else "build"
        if action not in ACTIONS or len(args) > 1:
            raise UsageError(f"expected one of {', '.join(ACTIONS)}")
        out_dir = Path(self.settings["FEEDS_DIR"])
        if action == "serve":
            self.serve(out_dir, opts.bind, opts.port)
            return
        config = load_config(self.settings.getlist("FEEDS_FILES"))
        store = ArticleStore(self.settings["DATABASE_URL"])
        try:
            if action == "list":
                for state in sorted(store.topics(config.kinds), key=lambda t: (t.kind, t.value)):
                    print(out_dir / Topic(state.kind, state.value).path(config))
                return
            written = build_feeds(
                store,
                out_dir,
                self.settings["FEEDS_BASE_URL"],
                config,
                every=True,
                authority=self.settings.get("FEED_ID_AUTHORITY") or None,
            )
        finally:
            store.close()
        for path, changed in sorted(written.items()):
            print(f"{'rewritten' if changed else 'unchanged'}  {path}")
        print(f"{len(written)} feeds in {out_dir} ({sum(written.values())} rewritten)")

    @staticmethod
    def serve(out_dir: Path, bind: str, port: int) -> None:
        from twisted.internet import reactor

        listening = listen(out_dir, port, bind)
        base = f"http://{bind}:{listening.getHost().port}/"
        print(f"Serving {out_dir} at {base} (all articles: {base}all.xml)", flush=True)
        reactor.run()
