"""How the spider joins the pages of a multi-page article, and what it says of pages it did not read
(a page too deep to parse, pages past MAX_ARTICLE_PAGES): the flags admission judges
(tests/test_admission.py; end to end: tests/test_fault_crawls.py)."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from core.items import MORE_PAGES, PAGE_FAILED, TOO_DEEP, Article
from core.sites import load_sites
from crawler import settings
from crawler.pages.base import RawArticle
from crawler.spiders.loader import site_spider
from crawler.spiders.news import EarlierPages, NewsSpider

URL = "http://www.mnw.cn/quanzhou/news/1962238.html"
PAGE_2 = URL.replace(".html", "-2.html")
PAGE_3 = URL.replace(".html", "-3.html")


def spider(max_pages: int = settings.MAX_ARTICLE_PAGES) -> NewsSpider:
    spidercls = site_spider(load_sites()["mnw"])
    return spidercls.from_crawler(get_crawler(spidercls, {"MAX_ARTICLE_PAGES": max_pages}))


def page(url: str, body: bytes = b"<html><body><p>text</p></body></html>") -> HtmlResponse:
    return HtmlResponse(url, body=body, encoding="utf-8")


def raw(url: str, *lines: str, next_page: str | None = None) -> RawArticle:
    return RawArticle(url=url, title="标题", body_lines=list(lines), next_page_url=next_page)


def test_the_next_page_is_fetched_and_joined() -> None:
    news = spider()
    (request,) = news.parse_article(page(URL), raw(URL, "第一页", next_page=PAGE_2))
    assert isinstance(request, Request) and request.url == PAGE_2
    (article,) = news.parse_article(page(PAGE_2), raw(PAGE_2, "第二页"), **request.cb_kwargs)
    assert isinstance(article, Article)
    assert (article.body, article.pages, article.quality) == ("第一页\n第二页", 2, [])


def test_a_page_too_deep_to_read_is_yielded_flagged_not_dropped() -> None:
    deep = page(
        URL, b"<html><body>" + b"<div>" * 3000 + b"<p>text</p>" + b"</div>" * 3000 + b"</body></html>"
    )
    (article,) = spider().parse_article(deep, raw(URL))
    assert isinstance(article, Article)
    assert (article.body, article.quality) == ("", [TOO_DEEP])


def test_a_later_page_too_deep_ends_the_article_flagged() -> None:
    deep = page(PAGE_2, b"<html><body>" + b"<div>" * 3000 + b"</div>" * 3000 + b"</body></html>")
    earlier = EarlierPages(raw(URL, "第一页", next_page=PAGE_2), (URL,))
    (article,) = spider().parse_article(deep, raw(PAGE_2, next_page=PAGE_3), earlier)
    assert (article.body, article.pages, article.quality) == ("第一页", 2, [TOO_DEEP])


def test_a_page_with_text_before_markup_too_deep_is_flagged_too() -> None:
    """The parser keeps what comes before the depth it stops at and loses the rest, the next-page
    link with it: the text read is kept, the article flagged for admission to mark it cut short."""
    body = b"<html><body><p>first</p>" + b"<font>" * 2500 + b"<p>lost</p></body></html>"
    (article,) = spider().parse_article(page(URL, body), raw(URL, "前半", next_page=PAGE_2))
    assert isinstance(article, Article)
    assert (article.body, article.pages, article.quality) == ("前半", 1, [TOO_DEEP])


def test_a_later_page_that_cannot_be_fetched_ends_the_article_flagged() -> None:
    news = spider()
    (request,) = news.parse_article(page(URL), raw(URL, "第一页", next_page=PAGE_2))
    assert request.errback == news.next_page_failed
    failure = Failure(
        HttpError(HtmlResponse(PAGE_2, status=404, request=request), "Ignoring non-200 response")
    )
    failure.request = request
    (article,) = news.next_page_failed(failure)
    assert (article.url, article.body, article.pages, article.quality) == (URL, "第一页", 1, [PAGE_FAILED])


def test_pages_past_max_article_pages_are_not_fetched_and_said_so() -> None:
    earlier = EarlierPages(raw(URL, "第一页", next_page=PAGE_2), (URL,))
    (article,) = spider(max_pages=2).parse_article(
        page(PAGE_2), raw(PAGE_2, "第二页", next_page=PAGE_3), earlier
    )
    assert (article.body, article.pages, article.quality) == ("第一页\n第二页", 2, [MORE_PAGES])


def test_a_next_link_back_to_a_page_read_ends_the_article_whole() -> None:
    earlier = EarlierPages(raw(URL, "第一页", next_page=PAGE_2), (URL,))
    (article,) = spider().parse_article(page(PAGE_2), raw(PAGE_2, "第二页", next_page=URL), earlier)
    assert (article.pages, article.quality) == (2, [])
