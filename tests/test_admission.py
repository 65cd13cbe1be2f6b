"""Admission rules, failure finish reasons, Retry-After and redirects given up, one part at a time
(the crawls of the fault mirror that exercise them end to end: tests/test_fault_crawls.py)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from core.crawl_stats import failure
from core.items import MORE_PAGES, PAGE_FAILED, TOO_DEEP, Article
from crawler.extensions import FinishReason
from crawler.middlewares import LoggedRedirectMiddleware, retry_after
from monitor.outcome import classify
from processors.admission import Rules, capped, rejection, shortfall
from processors.clean import paragraphs_html
from storage.store import ArticleStore

BODY = "泉州市今年上半年新开工项目二百六十七个，总投资超过一千亿元。\n项目涵盖先进制造、现代服务和基础设施。"


def article(title: str | None = "泉州新开工项目267个", body: str = BODY) -> Article:
    lines = body.split("\n")
    return Article(
        url="http://www.qzwb.com/gb/content/2020-06/30/content_6712809.htm",
        site="qzwb",
        title=title,
        body=body,
        body_html=paragraphs_html(lines),
        body_simplified="\n".join([title or "", *lines]),
    )


def test_a_real_article_is_admitted() -> None:
    assert rejection(article(), Rules()) is None


@pytest.mark.parametrize(
    ("title", "body", "key"),
    [
        ("标题", "", "empty"),
        ("标题", "\ufffd\x89PNG" * 50 + BODY, "not_text"),
        ("标题", "1234 5678 ——  …… 2020-06-30", "no_letters"),
        (None, BODY, "no_title"),
    ],
)
def test_rejections_say_why(title: str | None, body: str, key: str) -> None:
    rejected = rejection(article(title, body), Rules())
    assert rejected is not None and rejected.key == key


def test_a_page_too_deep_to_read_is_rejected_as_such_not_as_empty() -> None:
    deep = replace(article(body=""), quality=[TOO_DEEP])
    assert rejection(deep, Rules()).key == "too_deep"
    assert rejection(article(body=""), Rules()).key == "empty"


def test_an_article_whose_later_pages_were_not_read_is_admitted_and_says_why() -> None:
    deep = replace(article(), quality=["no_date", TOO_DEEP], pages=2)  # page 2 gave no text
    assert rejection(deep, Rules()) is None
    assert shortfall(deep).key == "too_deep" and shortfall(deep).reason.endswith("stored as far as it reads")
    more = replace(article(), quality=[MORE_PAGES], pages=10)
    assert rejection(more, Rules()) is None
    assert shortfall(more).key == "more_pages" and shortfall(more).reason.endswith("stored up to page 10")
    failed = replace(article(), quality=[PAGE_FAILED], pages=1)
    assert rejection(failed, Rules()) is None
    assert shortfall(failed).reason == "page 2 could not be fetched: stored up to page 1"
    assert shortfall(article()) is None


def test_a_few_bad_characters_in_a_long_text_are_admitted() -> None:
    assert rejection(article(body=BODY * 10 + "\ufffd"), Rules()) is None


def test_letters_are_looked_for_in_the_first_characters_only() -> None:
    assert rejection(article(body="1" * 100 + BODY), Rules(letters_within=50)).key == "no_letters"


def test_a_long_body_is_cut_at_a_line_end_with_its_copies_and_marked() -> None:
    long = article(body="\n".join(["第一段文字。" * 10, "第二段文字。" * 10, "第三段文字。" * 10]))
    cut = capped(long, 130)
    assert cut.truncated
    assert cut.body == "第一段文字。" * 10 + "\n" + "第二段文字。" * 10
    assert cut.body_html == paragraphs_html(cut.body.split("\n"))
    assert cut.body_simplified.split("\n")[1:] == cut.body.split("\n")
    assert capped(long, 1000) is long


def test_a_single_line_longer_than_the_cap_is_cut_within() -> None:
    cut = capped(article(body="字" * 500), 100)
    assert (cut.body, cut.truncated) == ("字" * 100, True)


def test_retry_after_in_seconds_or_as_a_date() -> None:
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert retry_after(b"120") == 120
    assert retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True).encode(), now) == 30
    assert retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True).encode(), now) == 0
    assert retry_after(b"soon") is None
    assert retry_after(None) is None


@pytest.mark.parametrize(
    ("stats", "reason"),
    [
        ({"retry/pages_given_up": 3, "downloader/response_status_count/503": 6}, "site_down"),
        (
            {
                "retry/pages_given_up": 3,
                "downloader/response_status_count/200": 3,
                "robotstxt/response_status_count/200": 1,
            },
            "requests_failed",
        ),
        (
            {"retry/pages_given_up": 1, "downloader/response_status_count/200": 9, "item_scraped_count": 4},
            None,
        ),
        ({"downloader/response_status_count/200": 9}, None),
        # robots.txt given up, the lists unchanged: nothing failed that could hold an article
        ({"retry/max_reached": 1, "downloader/response_status_count/304": 3}, None),
    ],
)
def test_failure_of_a_crawl(stats: dict, reason: str | None) -> None:
    assert failure(stats) == reason


def test_a_feed_build_that_failed_is_the_finish_reason_of_a_finished_crawl() -> None:
    crawler = get_crawler(settings_dict={})
    extension = FinishReason(crawler)
    crawler.stats.set_value("finish_reason", "finished")
    crawler.stats.set_value("feeds/failed", 2)
    extension.engine_stopped()
    assert crawler.stats.get_value("finish_reason") == "feeds_failed"


def test_the_monitor_says_what_a_failure_reason_means() -> None:
    outcome, message = classify({"finish_reason": "site_down"}, 1)
    assert outcome == "failed"
    assert message == "finish reason 'site_down' (no page of the site was answered), exit status 1"


def test_storing_an_article_forgets_its_rejections(tmp_path) -> None:
    store = ArticleStore(f"sqlite:///{tmp_path / 'news.db'}")
    try:
        item = article()
        item.id, item.article_id = "qzwb/6712809", "6712809"
        assert [store.reject("qzwb", item.url, "no title") for _ in range(3)] == [1, 2, 3]
        assert store.given_up_urls("qzwb", 3) == {item.url}
        assert store.given_up_urls("qzwb", 4) == set()
        store.save(item)
        assert store.given_up_urls("qzwb", 1) == set()
    finally:
        store.close()


@pytest.mark.parametrize(
    ("second_location", "stat", "message"),
    [
        ("/a", "redirect/loop", "Redirect loop from http://x.example/a: http://x.example/b redirects back"),
        ("/c", "redirect/max_reached", "More than 1 redirects from http://x.example/a: dropped"),
    ],
)
def test_redirects_given_up_are_logged_at_info_and_counted(
    caplog: pytest.LogCaptureFixture, second_location: str, stat: str, message: str
) -> None:
    crawler = get_crawler(settings_dict={"REDIRECT_MAX_TIMES": 1})
    middleware = LoggedRedirectMiddleware.from_crawler(crawler)
    first = Request("http://x.example/a")
    second = middleware.process_response(
        first, Response(first.url, status=302, headers={"Location": "/b"}, request=first)
    )
    assert isinstance(second, Request) and second.url == "http://x.example/b"
    answer = Response(second.url, status=302, headers={"Location": second_location}, request=second)
    with caplog.at_level(logging.INFO), pytest.raises(IgnoreRequest):
        middleware.process_response(second, answer)
    assert crawler.stats.get_value(stat) == 1
    assert any(message in record.getMessage() and record.levelno == logging.INFO for record in caplog.records)
