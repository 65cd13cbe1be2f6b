"""The article store: new, updated and unchanged articles; aware times; tags, topics and their versions;
pruning what is older than the retention."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from core.dates import SHANGHAI
from core.items import Article
from storage.retention import prune, prune_expired, retention_cutoff, retention_days
from storage.store import ALL, ArticleStore, Validators


def article(**changes) -> Article:
    base = Article(
        url="http://www.qzwb.com/gb/content/2021-01/09/content_6857201.htm",
        site="qzwb",
        article_id="6857201",
        id="qzwb/6857201",
        title="携手为新时代新福建建设贡献更大力量",
        published=datetime(2021, 1, 9, 8, 0, tzinfo=SHANGHAI),
        body="昨日，闽西南协同发展区联席会议第三次会议在泉州举行。",
        cities=["泉州", "厦门"],
        initiatives=[{"id": "southwest-fujian-coordinated-development-zone", "name": "闽西南协同发展区"}],
    )
    return replace(base, **changes)


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
            id="other/2",
            site="other",
            published=datetime(2022, 1, 1, tzinfo=SHANGHAI),
            cities=["漳州"],
        )
    )
    assert [entry.article.id for entry in store.latest(10)] == ["other/2", article().id]
    assert [entry.article.id for entry in store.latest(10, "city", "泉州")] == [article().id]
    assert store.tag_values("city") == ["厦门", "泉州", "漳州"]
    assert store.known_urls("qzwb") == {article().url}


def test_the_heads_of_many_topics_come_in_one_call(store: ArticleStore) -> None:
    store.save(article())
    store.save(article(url="http://x/2", id="other/2", site="other",
                       published=datetime(2022, 1, 1, tzinfo=SHANGHAI), cities=["漳州"]))  # fmt: skip
    heads = store.heads(1, [ALL, ("city", "泉州"), ("site", "other"), ("city", "nowhere")])
    assert {topic: [head.id for head in found] for topic, found in heads.items()} == {
        ALL: ["other/2"],
        ("city", "泉州"): [article().id],
        ("site", "other"): ["other/2"],
        ("city", "nowhere"): [],
    }
    (head,) = heads["city", "泉州"]
    assert head.site == "qzwb" and head.updated == datetime(2021, 1, 9, 8, 0, tzinfo=SHANGHAI)


def test_text_is_stored_as_utf8_not_escaped(store: ArticleStore) -> None:
    store.save(article())
    with store.engine.connect() as connection:
        (data,) = connection.exec_driver_sql("SELECT CAST(data AS TEXT) FROM articles").one()
    assert "闽西南协同发展区" in data and "\\u" not in data


def test_undated_article_is_placed_by_when_it_was_first_seen(store: ArticleStore) -> None:
    store.save(article(), now=datetime(2020, 1, 1, tzinfo=UTC))
    store.save(article(url="http://x/3", id="other/3", published=None), now=datetime(2021, 6, 1, tzinfo=UTC))
    assert [entry.article.id for entry in store.latest(10)] == ["other/3", article().id]
    assert [entry.article.id for entry in store.latest(10, "city", "泉州")] == ["other/3", article().id]


def test_every_change_raises_the_versions_of_the_topics_it_touches(store: ArticleStore) -> None:
    def versions() -> dict[tuple[str, str], int]:
        return {(t.kind, t.value): t.version for t in store.topics(["all", "city", "initiative"])}

    store.save(article())
    assert versions() == {
        ("all", ""): 1,
        ("city", "厦门"): 1,
        ("city", "泉州"): 1,
        ("initiative", "southwest-fujian-coordinated-development-zone"): 1,
    }
    store.save(article())  # unchanged: no version moves
    store.save(
        article(body="更正后的正文。", cities=["泉州"])
    )  # 厦门 loses the article: its feed changes too
    assert (
        versions()[("all", "")] == 2
        and versions()[("city", "厦门")] == 2
        and versions()[("city", "泉州")] == 2
    )


def test_stale_topics_are_those_not_built_since_their_last_change(store: ArticleStore) -> None:
    store.save(article())
    stale = store.topics(["all", "city"], stale_only=True)
    assert {(t.kind, t.value) for t in stale} == {("all", ""), ("city", "厦门"), ("city", "泉州")}
    store.mark_built(stale)
    assert store.topics(["all", "city"], stale_only=True) == []
    store.save(article(url="http://x/4", id="other/4", cities=["漳州"]))
    assert {(t.kind, t.value) for t in store.topics(["all", "city"], stale_only=True)} == {
        ("all", ""),
        ("city", "漳州"),
    }


def test_a_fixed_value_keeps_its_first_value(store: ArticleStore) -> None:
    assert store.fixed_value("feed_id_authority", "feeds.example.org") == "feeds.example.org"
    assert store.fixed_value("feed_id_authority", "other.example.org") == "feeds.example.org"


def old_and_new_articles(store: ArticleStore) -> tuple[Article, Article, Article]:
    """Three articles: of 2021 (泉州, 厦门), of 2023 (漳州, another site), undated and first seen in 2024."""
    old = article()
    newer = article(
        url="http://x/5", id="other/5", site="other", published=datetime(2023, 3, 1, tzinfo=SHANGHAI)
    )
    newer = replace(newer, cities=["漳州"], initiatives=[])
    undated = article(url="http://x/6", id="other/6", site="other", published=None, cities=["泉州"])
    store.save(old)
    store.save(newer)
    store.save(undated, now=datetime(2024, 1, 1, tzinfo=UTC))
    store.mark_built(store.topics())
    return old, newer, undated


def test_pruning_deletes_old_articles_with_their_tags_and_marks_their_feeds_stale(
    store: ArticleStore,
) -> None:
    old, newer, undated = old_and_new_articles(store)
    counts = {(t.kind, t.value): (t.version, t.article_count) for t in store.topics()}

    pruned = prune(store, datetime(2022, 1, 1, tzinfo=UTC))

    assert (pruned.articles, pruned.batches) == (1, 1)
    assert store.get(old.id) is None and store.count() == 2
    assert store.known_urls("qzwb") == set()  # a later crawl would store it again as new
    assert store.latest(10, "city", "厦门") == []
    assert [a.article.id for a in store.latest(10, "city", "泉州")] == [undated.id]
    left = {("all", ""), ("site", "qzwb"), ("city", "泉州"), ("city", "厦门")}
    left.add(("initiative", "southwest-fujian-coordinated-development-zone"))
    assert pruned.topics == left
    stale = {(t.kind, t.value): (t.version, t.article_count) for t in store.topics(stale_only=True)}
    assert stale == {topic: (counts[topic][0] + 1, counts[topic][1] - 1) for topic in left}
    # A topic left with no article keeps its row (and so its feed, empty): feed URLs stay working.
    assert "厦门" in store.tag_values("city")
    with store.engine.connect() as connection:
        tag_rows = connection.exec_driver_sql("SELECT article_id FROM article_tags").scalars().all()
    assert old.id not in tag_rows and newer.id in tag_rows


def test_pruning_goes_by_the_feeds_order_publication_else_first_sight(store: ArticleStore) -> None:
    *_, undated = old_and_new_articles(store)
    pruned = prune(store, datetime(2023, 6, 1, tzinfo=UTC))
    assert pruned.articles == 2
    assert [a.article.id for a in store.latest(10)] == [undated.id]  # first seen 2024, undated


def test_pruning_runs_in_batches_each_one_transaction(store: ArticleStore) -> None:
    for number in range(5):
        store.save(article(url=f"http://x/old/{number}", id=f"qzwb/{number}"))
    store.save(article(url="http://x/recent", id="qzwb/recent", published=datetime(2025, 1, 1, tzinfo=UTC)))
    commits = []
    event.listen(store.engine, "commit", lambda connection: commits.append(connection))

    pruned = prune(store, datetime(2024, 1, 1, tzinfo=UTC), batch=2)

    assert len(commits) == 4  # three batches that deleted, and the one that found nothing left
    assert (pruned.articles, pruned.batches, store.count()) == (5, 3, 1)
    assert {(t.kind, t.value): t.article_count for t in store.topics(["all", "city"])} == {
        ("all", ""): 1,
        ("city", "泉州"): 1,
        ("city", "厦门"): 1,
    }


def test_no_retention_keeps_everything(store: ArticleStore) -> None:
    old_and_new_articles(store)
    assert prune_expired(store, None) is None
    assert store.count() == 3
    pruned = prune_expired(store, 365, now=datetime(2024, 6, 1, tzinfo=UTC))
    assert pruned is not None and pruned.articles == 2 and store.count() == 1


@pytest.mark.parametrize("setting", [0, -1, "0", "a year", "nan", "inf"])
def test_a_retention_is_a_positive_number_of_days(setting: object) -> None:
    with pytest.raises(ValueError, match=r"STORE_RETENTION_DAYS=.*: expected a positive number of days"):
        retention_days(setting)


def test_the_retention_setting_reads_as_days() -> None:
    assert retention_days(None) is None and retention_days("") is None
    assert retention_days("30") == 30.0 and retention_days(0.5) == 0.5
    assert retention_cutoff(1e12) == datetime.min.replace(tzinfo=UTC)  # more days than the calendar has


def test_list_page_validators_are_kept_per_site_and_replaced(store: ArticleStore) -> None:
    first = {"http://www.qzwb.com/gb/node/node_1467.htm": Validators('"a"', "Mon, 30 Nov 2026 10:00:00 GMT")}
    store.save_validators("qzwb", first)
    store.save_validators("mnw", {"https://www.mnw.cn/quanzhou/news/": Validators(None, "Sun, 29 Nov 2026")})
    assert store.validators("qzwb") == first
    store.save_validators("qzwb", {"http://www.qzwb.com/gb/node/node_1467.htm": Validators('"b"', None)})
    assert store.validators("qzwb") == {"http://www.qzwb.com/gb/node/node_1467.htm": Validators('"b"', None)}
    assert list(store.validators("mnw")) == ["https://www.mnw.cn/quanzhou/news/"]
