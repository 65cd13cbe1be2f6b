"""`scrapy mirror [--port N]`: serve the local mirror of the supported sites on 127.0.0.1."""

from __future__ import annotations

import argparse
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand

from crawler.mirror import add_mirror_arguments, serve


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[--port N] [--root DIR] [--url-file FILE]"

    def short_desc(self) -> str:
        return "Serve the local mirror of the supported sites (then crawl with -s MIRROR_URL=...)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        add_mirror_arguments(parser)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        serve(opts.root, opts.host, opts.port, opts.url_file, opts.gzip)
