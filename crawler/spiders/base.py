"""The spider all news sites share: channel lists → article pages, as ``data/sites.yaml`` says.

A spider here only decides what to fetch. Which articles are already stored is the
``KnownArticlesMiddleware``'s business; extraction is the page object's; the rest is pipelines'.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from crawler.extraction import article_from_raw, page_raw_article
from crawler.items import Article
from crawler.pages.base import RawArticle
from crawler.sites import Site, load_sites


class NewsSpider(scrapy.Spider):
    """Subclasses set ``name``; everything else comes from the site's entry in data/sites.yaml."""

    site: Site

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site = load_sites()[self.name]
        self.allowed_domains = list(self.site.domains)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.site.start_urls:
            yield scrapy.Request(url, callback=self.parse, cb_kwargs={"list_page": 1})

    def parse(self, response: Response, list_page: int = 1) -> Iterator[scrapy.Request]:
        """A channel list: every article it links to, and its next list pages up to MAX_LIST_PAGES."""
        max_pages = self.settings.getint("MAX_LIST_PAGES")
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href.strip()).split("#", 1)[0]
            if self.site.article_number(url):
                yield scrapy.Request(url, callback=self.parse_article, meta={"article": True})
            elif (
                self.site.is_list_page(url) and self._is_paging_link(response, url) and list_page < max_pages
            ):
                yield scrapy.Request(url, callback=self.parse, cb_kwargs={"list_page": list_page + 1})

    @staticmethod
    def _is_paging_link(response: Response, url: str) -> bool:
        """Whether *url* continues *response*'s list (``node_538_2.htm`` after ``node_538.htm``)."""
        stem = response.url.rsplit("/", 1)[-1].split(".")[0].split("_")
        other = url.rsplit("/", 1)[-1].split(".")[0].split("_")
        return stem[:2] == other[:2] and url != response.url

    def parse_article(
        self, response: Response, first: RawArticle | None = None, pages: int = 1
    ) -> Iterator[Article | scrapy.Request]:
        """An article page; the pages of a multi-page article are fetched in turn and joined."""
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("spider/not_text")
            self.logger.warning("not a text page, skipped: %s", response.url)
            return
        self.crawler.stats.inc_value("spider/article_pages")
        raw = page_raw_article(response, self.site)
        if first is not None:
            first.body_lines.extend(raw.body_lines)
            first.next_page_url = raw.next_page_url
            raw = first
        if raw.next_page_url and pages < self.settings.getint("MAX_ARTICLE_PAGES"):
            yield response.follow(
                raw.next_page_url, callback=self.parse_article, cb_kwargs={"first": raw, "pages": pages + 1}
            )
            return
        article = article_from_raw(raw, self.site)
        article.pages = pages
        yield article
