"""ConditionalGetMiddleware without a crawl: which requests carry validators, what a finished and
an interrupted crawl keep (end to end: tests/test_crawl_sites.py, the second crawl of each site)."""

from __future__ import annotations

import asyncio

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from core.items import Article
from crawler.middlewares import ConditionalGetMiddleware
from storage.crawl import CrawlStore
from storage.store import Validators

LIST = "http://www.qzwb.com/gb/node/node_1467.htm"


class FakeStore:
    def __init__(self) -> None:
        self.saved: list[dict] = []

    async def run(self, function, *args):
        if function.__name__ == "validators":
            return {LIST: Validators('"v1"', "Mon, 30 Nov 2026 10:00:00 GMT")}
        self.saved.append(args[1])
        return None


@pytest.fixture
def spider() -> Spider:
    return Spider("qzwb")


@pytest.fixture
def middleware(monkeypatch: pytest.MonkeyPatch, spider: Spider) -> ConditionalGetMiddleware:
    store = FakeStore()
    monkeypatch.setattr(CrawlStore, "from_crawler", classmethod(lambda cls, crawler: store))
    middleware = ConditionalGetMiddleware.from_crawler(get_crawler(settings_dict={"CONDITIONAL_GET": True}))
    asyncio.run(middleware.spider_opened(spider))
    return middleware


def test_only_list_pages_carry_the_validators_seen_last_time(middleware) -> None:
    listed = Request(LIST, meta={"list_page": True})
    middleware.process_request(listed)
    assert listed.headers["If-None-Match"] == b'"v1"'
    assert listed.headers["If-Modified-Since"] == b"Mon, 30 Nov 2026 10:00:00 GMT"
    assert 304 in listed.meta["handle_httpstatus_list"]
    article = Request("http://www.qzwb.com/gb/content/2021-01/09/content_6857201.htm", meta={"article": True})
    middleware.process_request(article)
    assert b"If-None-Match" not in article.headers


def test_a_finished_crawl_keeps_what_it_saw_an_interrupted_one_nothing(middleware, spider) -> None:
    listed = Request(LIST, meta={"list_page": True})
    changed = HtmlResponse(LIST, body=b"<html></html>", headers={"ETag": '"v2"'}, request=listed)
    middleware.process_response(listed, changed)
    asyncio.run(middleware.spider_closed(spider, "shutdown"))
    assert middleware.store.saved == []
    asyncio.run(middleware.spider_closed(spider, "finished"))
    assert middleware.store.saved == [{LIST: Validators('"v2"', None)}]


def test_a_304_keeps_the_validators_it_was_asked_with(middleware) -> None:
    listed = Request(LIST, meta={"list_page": True})
    middleware.process_response(listed, Response(LIST, status=304, request=listed))
    assert middleware.seen == {LIST: Validators('"v1"', "Mon, 30 Nov 2026 10:00:00 GMT")}
    assert middleware.crawler.stats.get_value("conditional_get/not_modified") == 1


def test_off_when_stored_articles_are_refetched() -> None:
    with pytest.raises(NotConfigured):
        ConditionalGetMiddleware(get_crawler(settings_dict={"CONDITIONAL_GET": True, "REFETCH_KNOWN": True}))


def test_a_list_page_whose_new_article_was_not_stored_is_read_again_next_time(middleware, spider) -> None:
    listed = Request(LIST, meta={"list_page": True})
    middleware.process_request(listed)
    changed = HtmlResponse(LIST, body=b"<html></html>", headers={"ETag": '"v2"'}, request=listed)
    middleware.process_response(listed, changed)
    stored, lost = (f"http://www.qzwb.com/gb/content/2025-01/01/content_{n}.htm" for n in (1, 2))
    for url in (stored, lost):
        middleware.process_request(Request(url, meta={"article": True, "listed_on": LIST}))
    middleware.item_scraped(Article(url=stored, site="qzwb"))
    asyncio.run(middleware.spider_closed(spider, "finished"))
    assert middleware.store.saved == [{}]
    middleware.item_scraped(Article(url=lost, site="qzwb"))
    asyncio.run(middleware.spider_closed(spider, "finished"))
    assert middleware.store.saved[-1] == {LIST: Validators('"v2"', None)}


def test_a_list_page_is_read_again_when_a_later_page_of_its_list_linked_an_article_not_stored(
    middleware, spider
) -> None:
    second = LIST.replace(".htm", "_2.htm")
    for url, listed_on in ((LIST, None), (second, LIST)):
        request = Request(url, meta={"list_page": True, **({"listed_on": listed_on} if listed_on else {})})
        middleware.process_request(request)
        response = HtmlResponse(url, body=b"<html></html>", headers={"ETag": '"v2"'}, request=request)
        middleware.process_response(request, response)
    lost = "http://www.qzwb.com/gb/content/2025-01/01/content_1.htm"
    middleware.process_request(Request(lost, meta={"article": True, "listed_on": second}))
    asyncio.run(middleware.spider_closed(spider, "finished"))
    assert middleware.store.saved == [{}]  # neither page: the first would hide the second
    middleware.item_scraped(Article(url=lost, site="qzwb"))
    asyncio.run(middleware.spider_closed(spider, "finished"))
    assert set(middleware.store.saved[-1]) == {LIST, second}
