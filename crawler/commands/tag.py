"""`scrapy tag [--url URL] [--site SPIDER] [--jsonl] FILE...`: tags of saved pages or texts, with evidence."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.extraction import extract_document
from processors.tagging import Tagger


def read_input(name: str) -> bytes:
    return sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()


def print_object(data: dict[str, Any], jsonl: bool) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=None if jsonl else 2), flush=True)


def tag_document(
    data: bytes, tagger: Tagger, url: str | None = None, site: str | None = None
) -> dict[str, Any]:
    """Clean *data* like the crawl does, then tag the cleaned title and body."""
    article = extract_document(data, url=url, site=site)
    result = tagger.tag(article.title, article.body, simplified=article.body_simplified or None)
    return {"title": article.title, **result.to_dict()}


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[--url URL] [--site SPIDER] [--jsonl] FILE..."

    def short_desc(self) -> str:
        return "Print the city, county, province and initiative tags of pages or texts, with evidence"

    def long_desc(self) -> str:
        return (
            "Clean each file as the crawl does (boilerplate removed), then print one JSON object per "
            "file: cities, counties, provinces (zh-Hans short names), primary_city, initiatives (id, "
            "name and the surface forms matched with their counts), keywords and the evidence of each "
            "place tag. '-' reads standard input. An unreadable file gives an object with an 'error'."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", help="the URL the page was saved from (chooses the site's page object)")
        parser.add_argument("--site", help="spider name whose page object to use (see `scrapy list`)")
        parser.add_argument("--jsonl", action="store_true", help="one JSON object per line")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise UsageError("give at least one FILE (or - for standard input)")
        assert self.settings is not None
        tagger = Tagger.default(
            self.settings.get("TAG_DATA_DIR") or None,
            exact_keywords=self.settings.getbool("TAG_EXACT_KEYWORDS"),
        )
        failures = 0
        for name in args:
            try:
                tags = tag_document(read_input(name), tagger, url=opts.url, site=opts.site)
            except (OSError, ValueError, LookupError) as error:
                failures += 1
                print(f"scrapy tag: {name}: {error}", file=sys.stderr)
                print_object({"file": name, "error": str(error)}, opts.jsonl)
                continue
            print_object({"file": name, **tags}, opts.jsonl)
        self.exitcode = 1 if failures else 0
