"""What `scrapy extract` and `scrapy tag` share: from a saved page or text to the cleaned article.

Commands are where the packages are wired together: here the crawler's page objects meet the
cleaning of ``processors.clean``, the same two steps a crawl runs (page object, then pipeline).
This module defines no command class (Scrapy registers every command class it finds here).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from typing import Any, ClassVar

from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings
from web_poet import HttpResponse

from core.items import Article
from core.sites import Site, load_sites, site_for_url
from core.xml import unreadable_share
from crawler import settings as project_settings
from crawler.encoding import decode_html
from crawler.pages.base import RawArticle, response_from_bytes, to_item_now
from crawler.pages.html import nested_too_deep
from crawler.pages.rules import page_identity, page_object_for, register_site_rules
from crawler.pages.text import TextArticlePage
from crawler.spiders.news import article_from_raw, raw_article_item
from processors.admission import Rules as AdmissionRules
from processors.admission import capped
from processors.boilerplate import Rules, load_rules
from processors.clean import clean_article

HTML_SIGNS = re.compile(r"<(?:!doctype|html|head|body|meta|title|div|p|table|span|br)\b", re.IGNORECASE)


CUT = "body cut at MAX_BODY_CHARS: not read whole"
DEFAULT_ADMISSION = AdmissionRules()


class InputError(ValueError):
    """A file the commands cannot read as a page or a text, said in a few words."""


def looks_like_html(text: str) -> bool:
    """Whether *text* is a page rather than plain text: tags near its start, not its file name."""
    return bool(HTML_SIGNS.search(text[:4096]))


def checked_text(data: bytes, max_bad_chars: float = AdmissionRules.max_bad_chars) -> str:
    """*data* decoded as a page would be (a BOM first: UTF-16 and UTF-32 are read as such), or an
    :class:`InputError` saying why it is not a page or a text: empty, or binary (more than
    *max_bad_chars* of it control characters or bytes no encoding reads: the crawl's admission rule)."""
    if not data.strip():
        raise InputError("empty file" if not data else "only white space")
    text, encoding = decode_html(data)
    garbage = unreadable_share(text)
    if garbage > max_bad_chars:
        raise InputError(
            f"not text: binary data ({garbage:.0%} of it control characters or bytes {encoding} cannot read)"
        )
    return text


def extract_document(
    data: bytes,
    url: str | None = None,
    site: str | None = None,
    *,
    sites: dict[str, Site] | None = None,
    rules: Rules | None = None,
    admission: AdmissionRules = DEFAULT_ADMISSION,
) -> Article:
    """The cleaned article in *data*: an HTML page in any encoding, or a plain-text article.

    *site* (a spider name) chooses the page object; otherwise *url* does, by the page objects' URL
    rules; otherwise the page itself does (its canonical link or ``og:url``, else the site its own
    links belong to: :func:`~crawler.pages.rules.page_identity`); otherwise the generic extractor
    reads the page. The article's URL is *url* or the one the page names, never a made-up one.
    *sites* and *rules* default to the packaged site catalogue and boilerplate rules; *admission*
    says what is not a text and where a long body is cut, as for the crawl.
    """
    sites = sites if sites is not None else load_sites()
    if site is not None and site not in sites:
        raise ValueError(f"unknown site {site!r}; known sites: {', '.join(sorted(sites))}")
    chosen = sites[site] if site else (site_for_url(url, sites) if url else None)
    register_site_rules(sites.values())
    html = looks_like_html(checked_text(data, admission.max_bad_chars))
    response = response_from_bytes(data, url or "")
    if html and chosen is None and not url:
        chosen, url = page_identity(response.text, sites)
        response = HttpResponse(url=url, body=data, encoding=response.encoding) if url else response
    if not html:
        page_class = TextArticlePage
    elif chosen is not None:
        page_class = page_object_for(url if url and chosen.owns(url) else f"http://{chosen.domains[0]}/")
    else:
        page_class = page_object_for(url or "")
    raw = to_item_now(page_class(response=response))
    if html and not raw.body_lines and nested_too_deep(response.text):
        raise InputError("no text: markup nested deeper than the parser can read")
    article = document_article(raw, chosen, url or "")
    cleaned = clean_article(article, default_outlet=chosen.outlet if chosen else None, rules=rules)
    return capped(cleaned, admission.max_body_chars)


def document_article(raw: RawArticle, site: Site | None, url: str) -> Article:
    """The article item of a saved document: the site's id when *url* is one of its articles, else
    an id made from the URL (or, with no URL, from the text)."""
    if site is not None and url and site.article_number(url):
        return article_from_raw(raw, site)
    digest = hashlib.sha1((url or "\n".join(raw.body_lines)).encode()).hexdigest()[:16]
    return raw_article_item(
        raw,
        url=url,
        site=site.key if site else "generic",
        article_id=digest,
        id=f"{'url' if url else 'text'}/{digest}",
    )


def read_input(name: str, limit: int = project_settings.MAX_PAGE_BYTES) -> bytes:
    """The bytes of file *name* (``-``: standard input), or an :class:`InputError` if it holds more
    than *limit* bytes: at most *limit* + 1 are read, whatever the file (``/dev/zero`` included)."""
    if name == "-":
        data = sys.stdin.buffer.read(limit + 1)
    else:
        with open(name, "rb") as handle:
            data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"larger than {limit:,} bytes (MAX_PAGE_BYTES): not read")
    return data


def print_object(data: dict[str, Any], jsonl: bool) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=None if jsonl else 2), flush=True)


def settings_documents(settings: BaseSettings) -> dict[str, Any]:
    """The keyword arguments of :func:`extract_document` that the settings choose."""
    return {
        "sites": load_sites(settings.getlist("SITES_FILES")),
        "rules": load_rules(settings.getlist("BOILERPLATE_FILES")),
        "admission": AdmissionRules.from_settings(settings),
    }


class DocumentCommand:
    """The options and the per-file loop of `scrapy extract` and `scrapy tag`, mixed into their
    ``ScrapyCommand`` (not one itself, or Scrapy would list it as a command).

    Runs :meth:`process` on each file; one that cannot be read (missing, larger than
    ``MAX_PAGE_BYTES``, empty, binary) gets one line on stderr saying what is wrong and an object
    with an ``error`` field, and the command goes on with the next (exit status 1 at the end); one
    whose text is longer than ``MAX_BODY_CHARS`` is cut there, as the crawl stores it, and said so.
    """

    requires_project = False  # an installed package runs them anywhere (entry points in pyproject.toml)
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[--url URL] [--site SPIDER] [--jsonl] FILE..."

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)  # type: ignore[misc]
        parser.add_argument("--url", help="the URL the page was saved from (chooses the site's page object)")
        parser.add_argument("--site", help="spider name whose page object to use (see `scrapy list`)")
        parser.add_argument("--jsonl", action="store_true", help="one JSON object per line")

    def process(self, data: bytes, opts: argparse.Namespace) -> dict[str, Any]:
        raise NotImplementedError

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise UsageError("give at least one FILE (or - for standard input)")
        assert self.settings is not None
        limit = self.settings.getint("MAX_PAGE_BYTES", project_settings.MAX_PAGE_BYTES)
        failures = 0
        for name in args:
            try:
                result = self.process(read_input(name, limit), opts)
            except (OSError, ValueError, LookupError) as error:
                failures += 1
                print(f"scrapy {self.name()}: {name}: {error}", file=sys.stderr)
                print_object({"file": name, "error": str(error)}, opts.jsonl)
                continue
            if result.get("truncated"):
                failures += 1
                print(f"scrapy {self.name()}: {name}: {CUT}", file=sys.stderr)
            print_object({"file": name, **result}, opts.jsonl)
        self.exitcode = 1 if failures else 0

    def name(self) -> str:
        return type(self).__module__.rsplit(".", 1)[-1]
