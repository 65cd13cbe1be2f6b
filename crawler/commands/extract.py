"""`scrapy extract [--url URL] [--site SPIDER] [--jsonl] FILE...`: saved pages or texts → article JSON."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.extraction import extract_document
from crawler.items import Article

OUTPUT_FIELDS = (
    "url", "id", "title", "original_title", "published", "published_raw", "outlet", "reporters", "editors",
    "body", "body_html", "body_simplified", "quality", "extractor", "site",
)  # fmt: skip


def article_json(article: Article, source: str) -> dict[str, Any]:
    data = {key: value for key, value in asdict(article).items() if key in OUTPUT_FIELDS}
    data["published"] = article.published.isoformat() if article.published else None
    return {"file": source, **data}


def print_object(data: dict[str, Any], jsonl: bool) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=None if jsonl else 2), flush=True)


def read_input(name: str) -> bytes:
    return sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[--url URL] [--site SPIDER] [--jsonl] FILE..."

    def short_desc(self) -> str:
        return "Extract and clean articles from saved pages or plain-text files"

    def long_desc(self) -> str:
        return (
            "Print one JSON object per input file: title, published (ISO 8601, +08:00), outlet, "
            "reporters, editors, body (one paragraph per line), body_html, quality flags and the "
            "extractor used. Pages and texts are told apart by content; '-' reads standard input. "
            "The page object is chosen by --site, else by --url, else the generic extractor is used."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", help="the URL the page was saved from (chooses the site's page object)")
        parser.add_argument("--site", help="spider name whose page object to use (see `scrapy list`)")
        parser.add_argument("--jsonl", action="store_true", help="one JSON object per line")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise UsageError("give at least one FILE (or - for standard input)")
        failures = 0
        for name in args:
            try:
                article = extract_document(read_input(name), url=opts.url, site=opts.site)
            except (OSError, ValueError) as error:
                failures += 1
                print(f"scrapy extract: {name}: {error}", file=sys.stderr)
                print_object({"file": name, "error": str(error)}, opts.jsonl)
                continue
            print_object(article_json(article, name), opts.jsonl)
        self.exitcode = 1 if failures else 0
