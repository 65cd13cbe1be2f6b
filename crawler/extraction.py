"""From bytes to a finished article: decode, pick the page object, extract, clean.

The spiders use :func:`page_raw_article` on their responses; `scrapy extract`, `scrapy tag` and the
benchmarks use :func:`extract_document` on saved pages and texts. Both end in the same
``processors.clean.clean_article``.
"""

from __future__ import annotations

import hashlib
import re

from scrapy.http import HtmlResponse, TextResponse

from crawler.encoding import decode_html
from crawler.items import Article
from crawler.pages.base import RawArticle
from crawler.pages.generic import GenericArticlePage
from crawler.pages.text import raw_from_text
from crawler.sites import Site, load_sites, site_for_url
from processors.clean import clean_article

HTML_SIGNS = re.compile(rb"<(?:!doctype|html|head|body|meta|title|div|p|table|span|br)\b", re.IGNORECASE)
GENERIC_ID_AUTHORITY = "tag:regional-news-monitor,2026"


def looks_like_html(data: bytes) -> bool:
    """Whether *data* is a page rather than plain text: tags near its start, not its file name."""
    return bool(HTML_SIGNS.search(data[:4096]))


def page_raw_article(response: TextResponse, site: Site | None) -> RawArticle:
    """The raw fields of an article page: the site's page object, else the generic extractor.

    When the site's selectors find no text (a redesign, an odd page), the generic extractor
    takes over and the article is flagged ``generic_extraction``.
    """
    if site is not None:
        raw = site.page_class()(response).to_raw()
        if any(line.strip() for line in raw.body_lines):
            return raw
    raw = GenericArticlePage(response).to_raw()
    raw.quality.append("generic_extraction")
    return raw


def article_from_raw(raw: RawArticle, site: Site | None, url: str | None = None) -> Article:
    """The uncleaned article item of *raw* (body = raw lines), with its stable id."""
    url = url or raw.url
    number = site.article_number(url) if site and url else None
    if site is not None and number is not None:
        article_id, identifier = number, site.article_id(number)
    else:
        article_id = hashlib.sha1((url or "\n".join(raw.body_lines)).encode()).hexdigest()[:16]
        identifier = f"{GENERIC_ID_AUTHORITY}:{'url' if url else 'text'}/{article_id}"
    return Article(
        url=url,
        site=site.key if site else "generic",
        article_id=article_id,
        id=identifier,
        title=raw.title,
        published_raw=raw.published_raw,
        outlet=raw.outlet,
        reporters=list(raw.reporters),
        editors=list(raw.editors),
        body="\n".join(raw.body_lines),
        quality=list(raw.quality),
        extractor=raw.extractor,
    )


def extract_document(data: bytes, url: str | None = None, site: str | None = None) -> Article:
    """The cleaned article in *data*: an HTML page in any encoding, or a plain-text article.

    *site* (a spider name) chooses the page object; otherwise *url* does, if it belongs to a
    supported site; otherwise the generic extractor reads the page.
    """
    known = load_sites()
    if site is not None and site not in known:
        raise ValueError(f"unknown site {site!r}; known sites: {', '.join(sorted(known))}")
    chosen = known[site] if site else (site_for_url(url) if url else None)
    text, _ = decode_html(data)
    if looks_like_html(data):
        response = HtmlResponse(
            url=url or "http://localhost/document.html", body=text.encode("utf-8"), encoding="utf-8"
        )
        raw = page_raw_article(response, chosen)
    else:
        raw = raw_from_text(text, url or "")
    article = article_from_raw(raw, chosen, url or "")
    return clean_article(article, default_outlet=chosen.outlet if chosen else None)
