"""The article store: new, updated and unchanged articles; aware times; tags for the feeds."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from crawler.dates import SHANGHAI
from crawler.items import Article
from processors.database import ArticleStore


def article(**changes) -> Article:
    base = Article(
        url="http://www.qzwb.com/gb/content/2021-01/09/content_6857201.htm",
        site="qzwb",
        article_id="6857201",
        id="tag:qzwb.com,2026:qzwb/6857201",
        title="携手为新时代新福建建设贡献更大力量",
        published=datetime(2021, 1, 9, 8, 0, tzinfo=SHANGHAI),
        body="昨日，闽西南协同发展区联席会议第三次会议在泉州举行。",
        cities=["泉州", "厦门"],
        initiatives=[{"id": "southwest-fujian-coordinated-development-zone", "name": "闽西南协同发展区"}],
    )
    return replace(base, **changes)


@pytest.fixture
def store(tmp_path):
    store = ArticleStore(f"sqlite:///{tmp_path / 'news.db'}")
    yield store
    store.close()


def test_new_then_unchanged(store: ArticleStore) -> None:
    assert store.save(article()).result == "new"
    assert store.save(article()).result == "unchanged"
    assert store.count() == 1


def test_edited_article_is_an_update_not_a_duplicate(store: ArticleStore) -> None:
    first_seen = datetime(2021, 1, 9, tzinfo=UTC)
    store.save(article(), now=first_seen)
    outcome = store.save(
        article(body="更正后的正文。", cities=["泉州"]), now=datetime(2021, 1, 10, tzinfo=UTC)
    )
    assert outcome.result == "updated"
    assert ("city", "厦门") in outcome.previous_tags
    assert store.count() == 1
    stored = store.get(article().id)
    assert stored.article.body == "更正后的正文。"
    assert stored.first_seen == first_seen
    assert stored.updated > stored.first_seen


def test_times_come_back_timezone_aware(store: ArticleStore) -> None:
    store.save(article())
    stored = store.get(article().id)
    assert stored.article.published == datetime(2021, 1, 9, 8, 0, tzinfo=SHANGHAI)
    assert stored.article.published.utcoffset().total_seconds() == 8 * 3600
    assert stored.first_seen.tzinfo is not None


def test_naive_times_are_refused(store: ArticleStore) -> None:
    with pytest.raises(Exception, match="timezone-aware"):
        store.save(article(), now=datetime(2021, 1, 9))
    assert store.count() == 0


def test_latest_by_tag_newest_first(store: ArticleStore) -> None:
    store.save(article())
    store.save(
        article(
            url="http://x/2",
            id="tag:x,2026:2",
            site="other",
            published=datetime(2022, 1, 1, tzinfo=SHANGHAI),
            cities=["漳州"],
        )
    )
    assert [entry.article.id for entry in store.latest(10)] == ["tag:x,2026:2", article().id]
    assert [entry.article.id for entry in store.latest(10, "city", "泉州")] == [article().id]
    assert store.tag_values("city") == ["厦门", "泉州", "漳州"]
    assert store.known_urls("qzwb") == {article().url}
