"""`scrapy mirror [--port N]`: serve the local mirror of the supported sites on 127.0.0.1."""

from __future__ import annotations

import argparse
import sys
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand

from crawler.faults import FaultError
from crawler.mirror import add_mirror_arguments, serve_arguments


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[--port N] [--root DIR] [--url-file FILE] [--gzip] [--faults FILE]"

    def short_desc(self) -> str:
        return "Serve the local mirror of the supported sites (then crawl with -s MIRROR_URL=...)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        add_mirror_arguments(parser)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        try:
            serve_arguments(opts)
        except (FaultError, OSError) as error:
            print(f"scrapy mirror: {error}", file=sys.stderr)
            self.exitcode = 1
