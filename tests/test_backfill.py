"""Backfill: `scrapy crawl <site> -a pages=N` reads each channel list N pages deep, whatever
MAX_LIST_PAGES says, and logs its progress (articles stored / estimated) as it goes."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from crawler.spiders.news import list_pages_argument
from storage.store import ArticleStore
from tests.conftest import DATA, Workspace

SITE = "cri"  # its 辽宁新闻 list has three pages on the mirror
PROGRESS = re.compile(
    r"backfill cri: (\d+)/~(\d+) articles stored \(list pages: (\d+) read, ~(\d+) to come\)"
)
FINAL = re.compile(
    r"backfill cri finished: (\d+) articles stored of (\d+) found on (\d+) list pages, (\d+) deep"
)


def crawl(workspace: Workspace, name: str, *options: str) -> tuple[dict, str]:
    """Crawl the site with *options*; its stats and its log."""
    stats, log = workspace.root / f"{name}-stats.json", workspace.root / f"{name}.log"
    workspace.scrapy(
        "crawl", SITE, "-s", f"STATS_FILE={stats}", "-s", f"LOG_FILE={log}", "-s", "LOG_LEVEL=INFO", *options
    )
    return json.loads(stats.read_text(encoding="utf-8")), log.read_text(encoding="utf-8")


@pytest.mark.slow
def test_backfill_goes_deeper_than_max_list_pages_and_reports_progress(workspace: Workspace) -> None:
    every_article = set(yaml.safe_load((DATA / "mirror_expected" / f"{SITE}.yaml").read_text("utf-8")))
    first_pages_only = ("-s", "MAX_LIST_PAGES=1")

    _, first_log = crawl(workspace, "first", *first_pages_only)
    store = ArticleStore(workspace.database_url)
    shallow = {stored.article.url for stored in store.latest(100)}
    assert shallow < every_article
    assert not PROGRESS.search(first_log) and not FINAL.search(first_log)  # an ordinary crawl: no such line

    # Slow enough (0.1 s between requests) that the progress line, every 0.2 s, is logged a few times.
    options = ("-a", "pages=3", "-s", "BACKFILL_PROGRESS_INTERVAL=0.2", "-s", "DOWNLOAD_DELAY=0.1")
    backfill, log = crawl(workspace, "backfill", *first_pages_only, *options)
    assert {stored.article.url for stored in store.latest(100)} == every_article
    new = len(every_article - shallow)
    assert backfill["store/new"] == new
    assert "store/unchanged" not in backfill  # what the first crawl stored is not fetched again

    progress = [tuple(map(int, match)) for match in PROGRESS.findall(log)]
    assert progress, log[-3000:]
    stored = [line[0] for line in progress]
    assert stored == sorted(stored) and stored[-1] <= new
    assert all(estimate >= stored for stored, estimate, _, _ in progress)
    assert progress[-1][1] == new  # once every list page is read, the estimate is what they linked
    # Four list pages: the three of 辽宁新闻 and the one of 城市.
    assert FINAL.findall(log) == [(str(new), str(new), "4", "3")]
    store.close()


@pytest.mark.parametrize("value", ["0", "-2", "three", "1.5", ""])
def test_a_bad_pages_value_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match=r"expected a whole number of list pages, 1 or more"):
        list_pages_argument(value)


def test_a_bad_pages_value_stops_the_crawl_with_one_line(workspace: Workspace) -> None:
    result = workspace.scrapy("crawl", SITE, "-a", "pages=lots", "-s", "LOG_ENABLED=False", check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "scrapy crawl cri: -a pages='lots': expected a whole number of list pages, 1 or more"
    )
