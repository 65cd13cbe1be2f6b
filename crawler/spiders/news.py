"""The spider every news site shares: channel lists → article pages, as the site catalogue says.

A spider here only decides what to fetch. Which articles are already stored is the
``KnownArticlesMiddleware``'s business; the article's fields are its page object's (injected by
scrapy-poet, chosen by URL); the rest is the item pipelines'.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response, TextResponse

from core.items import Article
from core.sites import Site
from crawler.pages.base import RawArticle


def article_from_raw(raw: RawArticle, site: Site, pages: int = 1) -> Article:
    """The uncleaned article item of *raw* (body = the raw lines), with its stable id."""
    number = site.article_number(raw.url)
    if number is None:
        raise ValueError(f"{raw.url} is not an article URL of {site.key}")
    return Article(
        url=raw.url,
        site=site.key,
        article_id=number,
        id=site.article_id(number),
        title=raw.title,
        published_raw=raw.published_raw,
        modified_raw=raw.modified_raw,
        outlet=raw.outlet,
        reporters=list(raw.reporters),
        editors=list(raw.editors),
        body="\n".join(raw.body_lines),
        quality=list(raw.quality),
        extractor=raw.extractor,
        pages=pages,
    )


@dataclass(frozen=True)
class EarlierPages:
    """The pages of a multi-page article read so far, joined (a type of its own: scrapy-poet injects
    every callback argument whose type a page object returns, and this one must come from the request)."""

    first: RawArticle
    pages: int


class NewsSpider(scrapy.Spider):
    """The spider of one site; ``crawler.spiders.loader`` makes a subclass per catalogue entry."""

    site: ClassVar[Site]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_domains = list(self.site.domains)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.site.start_urls:
            yield scrapy.Request(url, callback=self.parse, cb_kwargs={"list_page": 1})

    def parse(self, response: Response, list_page: int = 1) -> Iterator[scrapy.Request]:
        """A channel list: every article it links to, and its next list pages up to MAX_LIST_PAGES."""
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href.strip()).split("#", 1)[0]
            if self.site.article_number(url):
                yield scrapy.Request(url, callback=self.parse_article, meta={"article": True})
        if list_page >= self.settings.getint("MAX_LIST_PAGES"):
            return
        for url in self.next_list_pages(response):
            yield scrapy.Request(url, callback=self.parse, cb_kwargs={"list_page": list_page + 1})

    def next_list_pages(self, response: Response) -> list[str]:
        """The list's next page (the site's ``next_list_page`` selector), else every list link whose
        file name continues this one's (``node_538_2.htm`` after ``node_538.htm``)."""
        if self.site.next_list_page:
            return [response.urljoin(href) for href in select_links(response, self.site.next_list_page)[:1]]
        links = (
            response.urljoin(href.strip()).split("#", 1)[0] for href in response.css("a::attr(href)").getall()
        )
        return [url for url in links if self.site.is_list_page(url) and continues(response.url, url)]

    def parse_article(
        self, response: Response, article: RawArticle, earlier: EarlierPages | None = None
    ) -> Iterator[Article | scrapy.Request]:
        """An article page (*article*: what its page object read, injected by scrapy-poet); the
        pages of a multi-page article are fetched in turn and joined."""
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("spider/not_text")
            self.logger.warning("not a text page, skipped: %s", response.url)
            return
        self.crawler.stats.inc_value("spider/article_pages")
        if earlier is not None:
            article = replace(
                earlier.first,
                body_lines=[*earlier.first.body_lines, *article.body_lines],
                next_page_url=article.next_page_url,
            )
        pages = earlier.pages + 1 if earlier else 1
        if article.next_page_url and pages < self.settings.getint("MAX_ARTICLE_PAGES"):
            yield scrapy.Request(
                article.next_page_url,
                callback=self.parse_article,
                cb_kwargs={"earlier": EarlierPages(article, pages)},
            )
            return
        yield article_from_raw(article, self.site, pages)


def select_links(response: Response, query: str) -> list[str]:
    """The link targets a CSS or XPath (starting with ``/`` or ``(``) *query* finds: the ``href`` of
    each element it selects, or the attribute or text it selects itself."""
    selected = response.xpath(query) if query.lstrip().startswith(("/", "(")) else response.css(query)
    hrefs = (item.get() if isinstance(item.root, str) else item.attrib.get("href") for item in selected)
    return [href.strip() for href in hrefs if href and href.strip()]


def continues(url: str, other: str) -> bool:
    """Whether *other* continues the list at *url* (``node_538_2.htm`` after ``node_538.htm``)."""
    stem = url.rsplit("/", 1)[-1].split(".")[0].split("_")
    other_stem = other.rsplit("/", 1)[-1].split(".")[0].split("_")
    return stem[:2] == other_stem[:2] and other != url
