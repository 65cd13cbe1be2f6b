"""The base of the commands that read saved pages or texts and print one JSON object for each
(`scrapy extract`, `scrapy tag`). It lives outside ``crawler.commands`` because Scrapy registers
every command class found there."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError


def read_input(name: str) -> bytes:
    return sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()


def print_object(data: dict[str, Any], jsonl: bool) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=None if jsonl else 2), flush=True)


class DocumentCommand(ScrapyCommand):
    """Runs :meth:`process` on each file; an unreadable one gets a message on stderr and an object
    with an ``error`` field, and the command goes on with the next (exit status 1 at the end)."""

    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[--url URL] [--site SPIDER] [--jsonl] FILE..."

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", help="the URL the page was saved from (chooses the site's page object)")
        parser.add_argument("--site", help="spider name whose page object to use (see `scrapy list`)")
        parser.add_argument("--jsonl", action="store_true", help="one JSON object per line")

    def process(self, data: bytes, opts: argparse.Namespace) -> dict[str, Any]:
        raise NotImplementedError

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise UsageError("give at least one FILE (or - for standard input)")
        failures = 0
        for name in args:
            try:
                result = self.process(read_input(name), opts)
            except (OSError, ValueError, LookupError) as error:
                failures += 1
                print(f"scrapy {self.name()}: {name}: {error}", file=sys.stderr)
                print_object({"file": name, "error": str(error)}, opts.jsonl)
                continue
            print_object({"file": name, **result}, opts.jsonl)
        self.exitcode = 1 if failures else 0

    def name(self) -> str:
        return type(self).__module__.rsplit(".", 1)[-1]
