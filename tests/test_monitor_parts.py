"""The monitor's parts, each alone: outcomes read from a crawl's stats, the health checks and their
events, the runs and events in the store, the schedule resumed after a restart, child processes
killed at their time limit, the feeds rebuilt as articles land (debounced), the health feed, WebSub."""

from __future__ import annotations

import asyncio
import sys
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import feedparser
import pytest
from scrapy.settings import Settings

from core import crawl_stats
from core.dates import SHANGHAI
from feeds.build import FeedBuilder, load_config
from feeds.catalog import OPML_FILE, read_catalogue
from feeds.health import HEALTH_FEED, write_health_feed
from feeds.websub import announce, announce_in_thread
from monitor.child import Child, crawl_command, passed_on, prune, read_stats
from monitor.health import HealthRules, changes, consecutive_empty, problems
from monitor.metrics import Metrics
from monitor.outcome import CrawlRun, classify, crawl_run
from monitor.rebuild import FeedRebuilder
from monitor.service import Monitor, MonitorConfig
from monitor.store import MonitorStore
from processors.vocabulary import tag_vocabulary
from storage import runs
from storage.runs import HealthEvent
from storage.store import ArticleStore
from tests.feeds_checks import assert_valid_atom
from tests.test_feeds import BASE, fill

T0 = datetime(2026, 11, 30, 8, 0, tzinfo=SHANGHAI)
GOOD = {
    "finish_reason": "finished",
    "downloader/request_count": 12,
    "downloader/response_status_count/200": 12,
    "response_received_count": 12,
    "robotstxt/response_count": 1,
    "spider/article_pages": 8,
    "known_articles/new": 8,
    "known_articles/skipped": 4,
    "item_scraped_count": 8,
    "store/new": 7,
    "store/updated": 1,
    "clean/quality/generic_extraction": 2,
    "spidermon_field_coverage/Article/published": 1.0,
    "spidermon_field_coverage/Article/reporters": 0.5,
    "process/peak_memory": 400_000_000,
}


# -- outcomes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stats", "exit_code", "flags", "outcome", "says"),
    [
        (GOOD, 0, {}, "finished", ""),
        ({**GOOD, "finish_reason": "shutdown"}, 0, {}, "failed", "'shutdown'"),
        (GOOD, 1, {}, "failed", "exit status 1"),
        (
            {"finish_reason": "finished", "downloader/request_count": 6, "downloader/exception_count": 6},
            0,
            {},
            "failed",
            "every request failed (6 errors of 6 requests)",
        ),
        (
            {
                "finish_reason": "finished",
                "downloader/request_count": 3,
                "downloader/response_status_count/503": 3,
            },
            0,
            {},
            "failed",
            "every request failed",
        ),
        (None, 1, {}, "crashed", "no stats"),
        (None, -9, {"timed_out": True}, "timeout", "time limit"),
        ({**GOOD, "finish_reason": "closespider_timeout"}, 0, {}, "timeout", "CLOSESPIDER_TIMEOUT"),
        (None, -9, {}, "killed", "SIGKILL"),
        (None, -9, {"stopped": True}, "stopped", "shutdown"),
    ],
)
def test_a_crawl_is_finished_only_when_it_finished_well(stats, exit_code, flags, outcome, says) -> None:
    found, message = classify(stats, exit_code, **flags)
    assert found == outcome
    assert says in message


def test_list_pages_answered_304_were_not_read() -> None:
    stats = {**GOOD, "conditional_get/not_modified": 2}
    assert crawl_stats.list_pages(stats) == crawl_stats.list_pages(GOOD) - 2


def test_a_run_reads_its_counts_and_shares_from_the_stats() -> None:
    run = crawl_run("qzwb", T0, T0 + timedelta(seconds=5), GOOD, 0, log="x.log")
    assert (run.new, run.updated, run.articles, run.article_links, run.list_pages) == (7, 1, 8, 12, 3)
    assert run.shares == {"site_specific": 0.75, "dated": 1.0, "reporters": 0.5}
    assert run.duration == 5 and run.peak_memory == 400_000_000
    assert CrawlRun.from_stored(run.stored()) == run


# -- health ------------------------------------------------------------------------------------


def run(articles: int = 5, outcome: str = "finished", minutes: int = 0, **changes) -> CrawlRun:
    """A run *minutes* after T0 (the newest comes first in the lists below)."""
    values = {
        "article_pages": 5,
        "article_links": 10,
        "list_pages": 2,
        "shares": {"site_specific": 1.0, "dated": 1.0, "reporters": 0.8} if articles else {},
        **changes,
    }
    at = T0 + timedelta(minutes=minutes)
    return CrawlRun("qzwb", at, at + timedelta(seconds=5), outcome, articles=articles, **values)


RULES = HealthRules(runs_in_a_row=3, history=10)


def test_empty_runs_in_a_row_are_a_problem_and_a_quiet_run_ends_it() -> None:
    empty = [run(0, minutes=m) for m in (3, 2, 1)]
    assert consecutive_empty(empty) == 3
    assert "no articles in 3 crawls in a row" in problems(empty, RULES)["empty"]
    assert "empty" not in problems(empty[:2], RULES)
    quiet = run(0, minutes=4, article_pages=0)  # only stored articles listed: not empty
    assert consecutive_empty([quiet, *empty]) == 0
    unchanged = run(0, minutes=4, article_pages=0, article_links=0, list_pages=0)  # every list page 304
    assert consecutive_empty([unchanged, *empty]) == 0
    assert "list_pages" not in problems([unchanged], RULES)
    failed = run(0, outcome="failed", minutes=4)  # failures neither count nor reset
    assert consecutive_empty([failed, *empty]) == 3


def test_failures_in_a_row_are_a_problem_but_a_stop_at_shutdown_is_not() -> None:
    failed = [run(0, outcome="failed", minutes=m, message="every request failed") for m in (3, 2, 1)]
    assert "3 crawls in a row failed" in problems(failed, RULES)["failing"]
    stopped = run(0, outcome="stopped", minutes=4)
    assert "failing" in problems([stopped, *failed], RULES)
    assert "failing" not in problems([run(minutes=4), *failed], RULES)


def test_list_pages_that_link_to_no_article_are_a_problem() -> None:
    found = problems([run(0, article_links=0, article_pages=0)], RULES)
    assert "linked to no article" in found["list_pages"]


def test_a_share_below_half_its_median_is_a_problem() -> None:
    history = [run(minutes=m) for m in range(10)][::-1]
    assert problems(history, RULES) == {}
    generic = run(minutes=11, shares={"site_specific": 0.2, "dated": 1.0, "reporters": 0.5})
    found = problems([generic, *history], RULES)
    assert set(found) == {"share:site_specific"}
    assert "20% of its articles read by the site's own page object" in found["share:site_specific"]
    few = run(2, minutes=11, shares={"site_specific": 0.0, "dated": 0.0, "reporters": 0.0})
    assert problems([few, *history], RULES) == {}  # two articles are no trend


def test_problems_and_recoveries_are_events() -> None:
    before = {"empty": "no articles in 3 crawls in a row", "list_pages": "…"}
    now = {"empty": "no articles in 4 crawls in a row", "failing": "3 crawls in a row failed"}
    events = changes("qzwb", before, now, T0)
    assert [(e.check, e.state) for e in events] == [("failing", "problem"), ("list_pages", "recovered")]


# -- the store ---------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path):
    store = ArticleStore(f"sqlite:///{tmp_path / 'news.db'}")
    yield store
    store.close()


def test_runs_are_kept_per_site_newest_first_and_bounded(store: ArticleStore) -> None:
    for minute in range(5):
        runs.record_run(store, run(minutes=minute).stored(), keep=3)
    runs.record_run(store, CrawlRun("mnw", T0, T0, "failed").stored())
    kept = runs.last_runs(store, "qzwb", 10)
    assert [r.started for r in kept] == [T0 + timedelta(minutes=m) for m in (4, 3, 2)]
    assert runs.last_started(store) == {"qzwb": T0 + timedelta(minutes=4), "mnw": T0}
    assert CrawlRun.from_stored(kept[0]) == run(minutes=4)


def test_open_problems_are_those_not_recovered_from(store: ArticleStore) -> None:
    for event in [
        HealthEvent("qzwb", "empty", "problem", T0, "no articles"),
        HealthEvent("mnw", "failing", "problem", T0, "down"),
        HealthEvent("qzwb", "empty", "recovered", T0, "recovered"),
    ]:
        runs.add_event(store, event)
    assert list(runs.open_problems(store)) == [("mnw", "failing")]
    assert [event.state for event in runs.events(store, 2)] == ["recovered", "problem"]


def test_a_restart_resumes_each_site_one_interval_after_its_last_crawl() -> None:
    now = datetime.now(SHANGHAI)
    assert Monitor.first_run(None, 600) >= now
    recent = Monitor.first_run(now - timedelta(minutes=5), 600)
    assert timedelta(minutes=4) < recent - now <= timedelta(minutes=5)
    assert Monitor.first_run(now - timedelta(hours=2), 600) - now < timedelta(seconds=1)


# -- child processes ---------------------------------------------------------------------------


def test_the_crawls_get_the_monitors_command_line_settings_not_its_own() -> None:
    settings = Settings({"DOWNLOAD_DELAY": 1.0})
    settings.setdict({"MIRROR_URL": "http://127.0.0.1:1", "LOG_FILE": "monitor.log"}, priority="cmdline")
    assert passed_on(settings) == {"MIRROR_URL": "http://127.0.0.1:1"}
    command = crawl_command("qzwb", {"A": "1"})
    assert command[1:] == ["-m", "scrapy", "crawl", "qzwb", "-s", "A=1"]


def test_a_hanging_child_is_killed_at_its_time_limit_and_a_crash_is_seen(tmp_path: Path) -> None:
    async def main():
        hanging = await Child.start([sys.executable, "-c", "import time; time.sleep(60)"], tmp_path / "a.log")
        crashing = await Child.start([sys.executable, "-c", "raise SystemExit(3)"], tmp_path / "b.log")
        return await hanging.wait(0.5), await crashing.wait(30)

    hung, crashed = asyncio.run(main())
    assert hung.timed_out and hung.exit_code == -9
    assert crashed.exit_code == 3 and not crashed.timed_out
    assert classify(read_stats(tmp_path / "none.json"), crashed.exit_code)[0] == "crashed"


def test_only_the_last_crawls_files_are_kept(tmp_path: Path) -> None:
    for stamp in ("1", "2", "3"):
        (tmp_path / f"{stamp}.log").write_text("log")
        (tmp_path / f"{stamp}.json").write_text("{}")
    prune(tmp_path, 2)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["2.json", "2.log", "3.json", "3.log"]


# -- feeds -------------------------------------------------------------------------------------


def feed_builder(out_dir: Path, **changes) -> FeedBuilder:
    return FeedBuilder(out_dir, BASE, load_config(), vocabulary=tag_vocabulary(Settings()), **changes)


def test_feeds_are_rebuilt_as_articles_land_a_few_times_at_most(tmp_path: Path) -> None:
    """Articles stored one by one while the watcher runs: each lands in its feeds, and the builds
    are far fewer than the articles."""
    url = f"sqlite:///{tmp_path / 'news.db'}"
    writer = ArticleStore(url)
    builder = feed_builder(tmp_path / "feeds")
    metrics = Metrics()

    async def main() -> int:
        store = MonitorStore(url)
        rebuilder = FeedRebuilder(store, builder, metrics, poll=0.05, debounce=0.5)
        watching = asyncio.ensure_future(rebuilder.run())
        for number in range(20):
            await asyncio.to_thread(fill, writer, 1, number)
            await asyncio.sleep(0.05)
        while await store.run(lambda s: bool(s.topics(stale_only=True))):
            await asyncio.sleep(0.05)
        rebuilder.stop()
        await watching
        await store.close()
        return int(metrics.rebuilds._value.get())

    builds = asyncio.run(main())
    writer.close()
    feed = feedparser.parse((tmp_path / "feeds" / "all.xml").read_bytes())
    assert len(feed.entries) == 20
    assert 1 <= builds < 10


def test_the_topics_a_poll_finds_behind_are_read_once_for_their_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The poll hands the stale topics it read to the build, which does not read them again."""
    url = f"sqlite:///{tmp_path / 'news.db'}"
    writer = ArticleStore(url)
    builder = feed_builder(tmp_path / "feeds")
    fill(writer, 1)
    builder.build(writer)  # the first build is from scratch: it reads every topic
    fill(writer, 1, 1)
    writer.close()
    found: list[int] = []
    topics = ArticleStore.topics

    def counted(store: ArticleStore, *args, **kwargs) -> list:
        result = topics(store, *args, **kwargs)
        if kwargs.get("stale_only"):
            found.append(len(result))
        return result

    monkeypatch.setattr(ArticleStore, "topics", counted)
    metrics = Metrics()

    async def main() -> None:
        store = MonitorStore(url)
        rebuilder = FeedRebuilder(store, builder, metrics, poll=0.05, debounce=0.1)
        watching = asyncio.ensure_future(rebuilder.run())

        async def first_rebuild() -> None:
            while not metrics.rebuilds._value.get():
                await asyncio.sleep(0.05)

        await asyncio.wait_for(first_rebuild(), 30)  # fails, not hangs, when no build comes
        rebuilder.stop()
        await watching
        await store.close()

    asyncio.run(main())
    assert len(feedparser.parse((tmp_path / "feeds" / "all.xml").read_bytes()).entries) == 2
    assert len([count for count in found if count]) == 1


def test_a_stop_while_the_rebuilder_waits_out_its_debounce_builds_nothing_more(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'news.db'}"
    writer = ArticleStore(url)
    builder = feed_builder(tmp_path / "feeds")
    fill(writer, 1)
    metrics = Metrics()

    async def main() -> int:
        store = MonitorStore(url)
        rebuilder = FeedRebuilder(store, builder, metrics, poll=0.05, debounce=60)
        watching = asyncio.ensure_future(rebuilder.run())
        while not metrics.rebuilds._value.get():
            await asyncio.sleep(0.05)
        fill(writer, 1, 1)  # a feed behind again: the next build waits out the debounce
        await asyncio.sleep(0.2)
        rebuilder.stop()
        await asyncio.wait_for(watching, 10)
        await store.close()
        return int(metrics.rebuilds._value.get())

    assert asyncio.run(main()) == 1
    writer.close()


def test_the_health_feed_is_listed_and_kept_by_a_build_from_scratch(
    store: ArticleStore, tmp_path: Path
) -> None:
    builder = feed_builder(tmp_path)
    assert write_health_feed(store, builder)
    runs.add_event(store, HealthEvent("mnw", "empty", "problem", T0, "no articles in 3 crawls in a row"))
    assert write_health_feed(store, builder)
    assert not write_health_feed(store, builder)  # nothing new: the same bytes
    feed = assert_valid_atom((tmp_path / HEALTH_FEED).read_bytes(), HEALTH_FEED)
    assert "mnw" in feed.entries[0].title and "no articles" in feed.entries[0].title
    fill(store, 2)
    builder.build(store, every=True)
    assert HEALTH_FEED in read_catalogue(tmp_path)
    assert HEALTH_FEED in (tmp_path / OPML_FILE).read_text(encoding="utf-8")


class Hub(BaseHTTPRequestHandler):
    received: list[dict] = []  # noqa: RUF012

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        Hub.received.append(parse_qs(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def hub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Hub.received = []
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_feeds_name_the_hub_and_each_changed_feed_is_announced(
    store: ArticleStore, tmp_path: Path, hub
) -> None:
    builder = feed_builder(tmp_path, hub=hub)
    fill(store, 1)
    written = builder.build(store)
    feed = feedparser.parse((tmp_path / "all.xml").read_bytes())
    assert {"rel": "hub", "href": hub} in [{"rel": link.rel, "href": link.href} for link in feed.feed.links]
    changed = builder.rewritten_urls(written)
    assert asyncio.run(announce_in_thread(hub, changed)) == len(changed)
    assert [r["hub.url"][0] for r in Hub.received] == changed
    assert {r["hub.mode"][0] for r in Hub.received} == {"publish"}
    assert BASE + "all.xml" in changed


def test_an_unreachable_hub_is_logged_not_raised(caplog) -> None:
    assert announce("http://127.0.0.1:1/", ["http://feeds.example/all.xml"] * 3, timeout=2) == 0
    assert sum("unreachable" in record.message for record in caplog.records) == 1


def test_times_stay_aware() -> None:
    assert crawl_run("qzwb", T0, T0.astimezone(UTC), None, 0).duration == 0


def test_crawls_across_sites_wait_for_a_free_slot(tmp_path: Path) -> None:
    """``MONITOR_CONCURRENCY``: never more crawls at once than slots, and every site gets its turn."""
    sites = ["qzwb", "mnw", "cri", "lnd"]
    config = MonitorConfig(sites, dict.fromkeys(sites, 60.0), concurrency=2, status_file=None)
    monitor = Monitor(config, MonitorStore(f"sqlite:///{tmp_path / 'news.db'}"), feed_builder(tmp_path))
    running, most, done = set(), [0], []

    async def run_child(name: str) -> CrawlRun:
        running.add(name)
        most[0] = max(most[0], len(running))
        await asyncio.sleep(0.05)
        running.discard(name)
        return run()

    async def record(crawl: CrawlRun) -> None:
        done.append(crawl)

    monitor.run_child, monitor.record = run_child, record

    async def main() -> None:
        await asyncio.gather(*(monitor.crawl(name) for name in sites))

    asyncio.run(main())
    assert most[0] == 2 and len(done) == 4
