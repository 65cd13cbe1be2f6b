"""Benchmark: the store's feed queries at 200,000 articles, beside the same queries as they were.

Builds (once, then reuses) a SQLite store of 200,000 articles from 50 sites, each tagged with one
to three of 300 cities (a few busy, most quiet: Zipf-like), their provinces and now and then an
initiative, every article a realistic row (a 1,200-character body, its HTML and simplified copies,
tags and evidence). Then, in one run, it times:

- the newest 100 articles of the busiest city and of the busiest province, as a feed build asks
  for them: **now** ids off the ``(kind, value, sort_time, article_id)`` index, then only those 100
  rows; **before** (this project until the foundation change) the join over every matching article
  through the ``(kind, value)`` index, sorted by publication time, then ``LIMIT 100``;
- every distinct city: **now** from the ``topics`` table; **before** every city tag row read and
  deduplicated in Python;
- the newest 100 of all articles.

Each figure is the median of 21 warm runs, rows decoded as the feeds decode them.

    python benchmarks/store.py [--articles 200000] [--database var/bench/store-200000.db]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402

from core.items import Article  # noqa: E402
from storage.schema import ArticleRow, TagRow, TopicRow  # noqa: E402
from storage.store import ArticleStore, article_tags, content_hash, from_json, to_json  # noqa: E402

SITES, CITIES, PROVINCES = 50, 300, 31
RUNS = 21
BATCH = 5000
PARAGRAPH = "泉州市今年推进重点项目建设，全市上下齐心协力，确保项目按期完成，推动经济社会高质量发展。"


def city_name(index: int) -> str:
    return f"城市{index:03d}"


def province_of(city: int) -> str:
    return f"省份{city % PROVINCES:02d}"


def template() -> Article:
    body = "\n".join([PARAGRAPH * 3] * 9)
    return Article(
        url="",
        site="",
        body=body,
        body_html="".join(f"<p>{line}</p>\n" for line in body.split("\n")),
        body_simplified=body,
        outlet="泉州晚报",
        reporters=["张三", "李四"],
        editors=["王五"],
        keywords=["项目", "建设", "泉州", "重点项目", "经济", "发展", "全市", "推进"],
    )


def populate(url: str, count: int, seed: int = 2026) -> None:
    """Fill an empty store with *count* articles, in bulk (the store's own tables and indexes)."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(CITIES)]
    base, start = template(), datetime(2016, 1, 1, tzinfo=UTC)
    store = ArticleStore(url)
    topics: Counter[tuple[str, str]] = Counter()
    with store.engine.begin() as connection:
        connection.execute(
            text("CREATE INDEX IF NOT EXISTS ix_tags_kind_value ON article_tags (kind, value)")
        )
        for first in range(0, count, BATCH):
            articles, tags = [], []
            for number in range(first, min(first + BATCH, count)):
                site = f"site{number % SITES:02d}"
                cities = sorted(set(rng.choices(range(CITIES), weights, k=rng.randint(1, 3))))
                published = start + timedelta(minutes=number * 13 + rng.randint(0, 12))
                article = replace(
                    base,
                    url=f"http://news.{site}.example.cn/{number}.html",
                    site=site,
                    id=f"{site}/{number}",
                    title=f"第{number}篇 {city_name(cities[0])}新闻",
                    published=published,
                    cities=[city_name(c) for c in cities],
                    provinces=sorted({province_of(c) for c in cities}),
                    initiatives=[{"id": "belt-and-road", "name": "一带一路"}] if number % 17 == 0 else [],
                )
                articles.append(
                    {
                        "id": article.id, "url": article.url, "site": site, "title": article.title,
                        "published": published, "first_seen": published, "updated": published,
                        "sort_time": published, "content_hash": content_hash(article),
                        "data": to_json(article),
                    }
                )  # fmt: skip
                pairs = article_tags(article)
                tags += [
                    {"article_id": article.id, "kind": k, "value": v, "sort_time": published}
                    for k, v in pairs
                ]
                topics.update(pairs | {("all", "")})
            connection.execute(insert(ArticleRow), articles)
            connection.execute(insert(TagRow), tags)
        connection.execute(
            insert(TopicRow),
            [
                {"kind": k, "value": v, "version": n, "article_count": n}
                for (k, v), n in sorted(topics.items())
            ],
        )
        connection.exec_driver_sql("ANALYZE")
    store.close()


def median_ms(query: Callable[[], object]) -> float:
    query()
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        query()
        times.append(time.perf_counter() - began)
    return 1000 * statistics.median(times)


def before_latest(store: ArticleStore, kind: str, value: str) -> list[Article]:
    """The feed query as it was: join every article of the tag, sort them all, keep 100."""
    sql = text(
        "SELECT a.data FROM articles a JOIN article_tags t INDEXED BY ix_tags_kind_value "
        "ON t.article_id = a.id WHERE t.kind = :kind AND t.value = :value "
        "ORDER BY a.published IS NULL, a.published DESC, a.first_seen DESC LIMIT 100"
    )
    with store.engine.connect() as connection:
        return [
            from_json(json.loads(data)) for (data,) in connection.execute(sql, {"kind": kind, "value": value})
        ]


def before_distinct(store: ArticleStore, kind: str) -> list[str]:
    """Distinct tag values as they were read: every tag row, deduplicated in Python."""
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT value FROM article_tags WHERE kind = :kind"), {"kind": kind})
        return sorted({value for (value,) in rows})


def busiest(store: ArticleStore, kind: str) -> tuple[str, int]:
    with store.engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT value, count(*) n FROM article_tags WHERE kind = :kind GROUP BY value ORDER BY n DESC"
            ),
            {"kind": kind},
        ).first()
    return row[0], row[1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--database", type=Path, help="default: var/bench/store-<articles>.db (reused)")
    args = parser.parse_args(argv)
    path = args.database or ROOT / "var" / "bench" / f"store-{args.articles}.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        print(f"building {path} ({args.articles:,} articles)…", flush=True)
        began = time.perf_counter()
        populate(url, args.articles)
        print(f"built in {time.perf_counter() - began:.0f} s", flush=True)
    store = ArticleStore(url)
    try:
        count = store.count()
        city, city_count = busiest(store, "city")
        province, province_count = busiest(store, "province")
        sample = store.latest(1)[0].article
        rows = [
            (f"latest 100 of the busiest city ({city_count:,} articles)",
             lambda: store.latest(100, "city", city), lambda: before_latest(store, "city", city)),
            (f"latest 100 of the busiest province ({province_count:,})",
             lambda: store.latest(100, "province", province),
             lambda: before_latest(store, "province", province)),
            ("all distinct cities", lambda: store.tag_values("city"), lambda: before_distinct(store, "city")),
            ("latest 100 of all articles", lambda: store.latest(100), None),
        ]  # fmt: skip
        assert [a.article.id for a in store.latest(100, "city", city)] == [
            a.id for a in before_latest(store, "city", city)
        ], "the two feed queries must return the same articles"
        assert store.tag_values("city") == before_distinct(store, "city")
        size = path.stat().st_size / 1e9
        print(f"SQLite store: {count:,} articles, {SITES} sites, {CITIES} cities; {size:.2f} GB")
        escaped = len(json.dumps(to_json(sample)).encode())
        utf8 = len(json.dumps(to_json(sample), ensure_ascii=False).encode())
        print(f"one article's JSON: {utf8:,} bytes as UTF-8 (before: {escaped:,} bytes with \\uXXXX escapes)")
        print(f"{'query (median of ' + str(RUNS) + ' warm runs)':<52}{'now ms':>9}{'before ms':>11}")
        for name, now, before in rows:
            before_ms = f"{median_ms(before):>11.1f}" if before else f"{'—':>11}"
            print(f"{name:<52}{median_ms(now):>9.1f}{before_ms}")
    finally:
        store.close()


if __name__ == "__main__":
    main()
