"""Crawls of the fault-injecting mirror (crawler/faults.py): what each fault comes to.

One crawl of qzwb and one of mnw (at once) meet every fault of issue 11, each on an article of its
own; each case then checks that its page was retried or dropped, logged at INFO or above with its URL
and the reason, counted under a stats key, and that nothing but a real article was stored. Other
tests crawl the same mirror with other faults: a site down, requests failing, a rejected page tried
again by the next crawls and then given up.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from crawler import settings
from crawler.faults import Fault
from crawler.mirror import MirrorServer, mirror_path, server_url
from storage.schema import RejectionRow
from storage.store import ArticleStore
from tests.conftest import REPO, Workspace
from tests.feeds_checks import assert_valid_atom, feed_files
from tests.mirror_stories import mirror_articles

SETTINGS = {
    "DOWNLOAD_TIMEOUT": "2",
    "RETRY_TIMES": "1",
    "RETRY_AFTER_MAX": "1",
    "MAX_PAGE_BYTES": "4000000",
    "MAX_BODY_CHARS": "5000",
    "LOG_LEVEL": "INFO",
}
QZWB = "http://www.qzwb.com/gb/content/"
MNW = "http://www.mnw.cn/"
MULTI_PAGE = MNW + "quanzhou/news/1962238.html"
"""An article of three pages (``-2``, ``-3``): its second is made too deep to read."""


@dataclass(frozen=True)
class Case:
    """One fault on one article, and what the crawl must make of it."""

    name: str
    url: str
    fault: Fault
    stored: bool
    """Whether the article is stored (the page is a real article despite the fault)."""
    log: str | None
    """A regular expression the log line naming the URL must match (INFO or above); None: a page
    that is right after all (a UTF-16 one) and is stored without a word."""
    stat: str
    """The stats key that counts it."""
    requests: int = 1
    """How many times the crawl asks for the page (2: retried once, RETRY_TIMES = 1)."""


def case(
    name: str, url: str, kind: str, stored: bool, log: str, stat: str, requests: int = 1, **fault
) -> Case:
    return Case(
        name, url, Fault(match=re.escape(mirror_path(url)), kind=kind, **fault), stored, log, stat, requests
    )


CASES = [
    case(
        "404",
        QZWB + "2015-10/23/content_5213417.htm",
        "status",
        False,
        r"INFO: Ignoring response <404 ",
        "httperror/response_ignored_status_count/404",
        status=404,
    ),
    case(
        "410",
        QZWB + "2015-11/06/content_5231580.htm",
        "status",
        False,
        r"INFO: Ignoring response <410 ",
        "httperror/response_ignored_status_count/410",
        status=410,
    ),
    case(
        "500",
        QZWB + "2016-05/12/content_5400123.htm",
        "status",
        False,
        r"ERROR: Gave up retrying .* 500 Internal Server Error",
        "retry/reason_count/500 Internal Server Error",
        requests=2,
        status=500,
    ),
    case(
        "503",
        QZWB + "2016-09/20/content_5487265.htm",
        "status",
        False,
        r"ERROR: Gave up retrying .* 503 Service Unavailable",
        "retry/reason_count/503 Service Unavailable",
        requests=2,
        status=503,
    ),
    case(
        "429_retry_after",
        QZWB + "2017-03/15/content_5612890.htm",
        "status",
        True,  # answered 429 once, then the page: stored after the wait
        r"INFO: .* answered 429 with Retry-After 30 s: retrying in 1 s",
        "retry/retry_after_capped",
        requests=2,
        status=429,
        retry_after="30",
        times=1,
    ),
    case(
        "hang",
        QZWB + "2017-11/06/content_5745318.htm",
        "hang",
        False,
        r"ERROR: Gave up retrying .* took longer than 2.0 seconds",
        "retry/reason_count/scrapy.exceptions.DownloadTimeoutError",
        requests=2,
        seconds=10,
    ),
    case(
        "truncated",
        QZWB + "2018-04/18/content_6003418.htm",
        "truncate",
        False,
        r"WARNING: Got data loss in ",
        "retry/reason_count/scrapy.exceptions.ResponseDataLossError",
        requests=2,
    ),
    case(
        "reset",
        QZWB + "2018-08/06/content_6089512.htm",
        "reset",
        False,
        r"ERROR: Gave up retrying .*Connection",
        "retry/max_reached",
        requests=2,
    ),
    case(
        "empty",
        QZWB + "2019-03/22/content_6270145.htm",
        "empty",
        False,
        r"WARNING: Dropped: no article text \(an empty page, .*\) \(crawl 1 of 3\)",
        "admit/rejected/empty",
    ),
    case(
        "redirect_loop",
        QZWB + "2019-11/14/content_6454307.htm",
        "redirect_loop",
        False,
        r"INFO: Redirect loop from ",
        "redirect/loop",
        requests=2,  # the page, then the page?loop=1, which points back
    ),
    case(
        "meta_refresh_offsite",
        QZWB + "2020-06/30/content_6712809.htm",
        "meta_refresh_offsite",
        True,
        r"INFO: Not following the meta refresh of .* off-site",
        "metarefresh/offsite_kept",
    ),
    case(
        "lying_charset",
        QZWB + "2021-01/09/content_6857201.htm",
        "lying_charset",
        True,
        r"INFO: .* says charset utf-8 but its bytes are gb18030",
        "encoding/header_contradicted",
    ),
    case(
        "lying_gzip",
        QZWB + "2022-03/18/content_7224561.htm",
        "lying_gzip",
        True,
        r"INFO: .* says Content-Encoding gzip but is not",
        "httpcompression/not_compressed",
    ),
    case(
        "huge",
        QZWB + "2023-05/10/content_7563021.htm",
        "huge",
        True,  # stored, its body cut at MAX_BODY_CHARS
        r"INFO: body of .* cut to \d+ of \d+ characters",
        "admit/truncated",
        size=2_000_000,
    ),
    case(
        "too_big",
        QZWB + "2024-09/12/content_7986120.htm",
        "huge",
        False,
        r"WARNING: Expected to receive \d+ bytes which is larger than download max size",
        "downloader/exception_type_count/scrapy.exceptions.DownloadCancelledError",
        size=5_000_000,
    ),
    case(
        "binary",
        MNW + "jinjiang/news/1587321.html",
        "binary",
        False,
        r"WARNING: Dropped: not text: .* replacement or control characters \(crawl 1 of 3\)",
        "admit/rejected/not_text",
    ),
    case("utf16", MNW + "jinjiang/news/1978514.html", "utf16", True, None, "store/new"),
    case(
        "deep_within_limit",
        MNW + "jinjiang/news/2008731.html",
        "deep",
        True,
        None,
        "store/new",
        depth=1000,
    ),
    case(
        "deep_beyond_limit",
        MNW + "jinjiang/news/2294467.html",
        "deep",
        False,
        r"WARNING: Dropped: no article text: markup nested deeper than the parser can read \(crawl 1 of 3\)",
        "admit/rejected/too_deep",
        depth=3000,
    ),
    case("nonxml", MNW + "jinjiang/news/2701836.html", "nonxml", True, None, "store/new"),
]


@dataclass
class Crawl:
    """A crawl's exit status, stats, log, stored articles and rejected pages (by URL)."""

    returncode: int
    stats: dict
    log: str
    stored: dict
    """Host-and-path (``mirror_path``: the site links some pages by http, some by https) -> article."""
    rejected: dict
    """Host-and-path -> (attempts, reason) of its row in the store's ``rejections``."""

    def lines(self, url: str) -> list[str]:
        return [line for line in self.log.splitlines() if url in line or mirror_path(url) in line]


def start_crawl(workspace: Workspace, spider: str, **settings: str) -> subprocess.Popen:
    options = [
        option
        for name, value in {**SETTINGS, **settings, "STATS_FILE": workspace.root / "stats.json"}.items()
        for option in ("-s", f"{name}={value}")
    ]
    command = workspace.command("crawl", spider, *options)
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def finish(workspace: Workspace, process: subprocess.Popen) -> Crawl:
    _, log = process.communicate(timeout=300)
    stats = json.loads((workspace.root / "stats.json").read_text(encoding="utf-8"))
    store = ArticleStore(workspace.database_url)
    try:
        stored = {mirror_path(entry.article.url): entry.article for entry in store.latest(1000)}
        with store.transaction() as session:
            rows = session.execute(select(RejectionRow.url, RejectionRow.attempts, RejectionRow.reason))
            rejected = {mirror_path(url): (attempts, reason) for url, attempts, reason in rows}
    finally:
        store.close()
    return Crawl(process.returncode, stats, log, stored, rejected)


def crawl(workspace: Workspace, spider: str, **settings: str) -> Crawl:
    return finish(workspace, start_crawl(workspace, spider, **settings))


@contextmanager
def injected(mirror: MirrorServer, *faults: Fault) -> Iterator[None]:
    """*mirror* serving *faults* for the time of the block, then none again."""
    mirror.faults.set(list(faults))
    try:
        yield
    finally:
        mirror.faults.set([])


@pytest.fixture(scope="module")
def faulty_crawls(fault_mirror: MirrorServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Crawl]:
    """One crawl of qzwb and one of mnw with every case's fault injected, run at once (and the second
    page of :data:`MULTI_PAGE` too deep to read)."""
    later_page_too_deep = Fault(
        match=re.escape(mirror_path(MULTI_PAGE.replace(".html", "-2.html"))), kind="deep", depth=3000
    )
    workspaces = {
        spider: Workspace(tmp_path_factory.mktemp(spider), server_url(fault_mirror))
        for spider in ("qzwb", "mnw")
    }
    with injected(fault_mirror, *(case.fault for case in CASES), later_page_too_deep):
        processes = {spider: start_crawl(workspace, spider) for spider, workspace in workspaces.items()}
        crawls = {spider: finish(workspaces[spider], process) for spider, process in processes.items()}
        crawls["served"] = fault_mirror.faults.served  # type: ignore[assignment]
    return crawls


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_fault(faulty_crawls: dict[str, Crawl], case: Case) -> None:
    result = faulty_crawls["qzwb" if case.url.startswith(QZWB) else "mnw"]
    assert result.stats.get(case.stat, 0) > 0, case.stat
    if case.log is not None:
        assert any(re.search(case.log, line) for line in result.lines(case.url)), result.lines(case.url)
    served = [entry for entry in faulty_crawls["served"] if mirror_path(case.url) in entry.path]
    assert len(served) == case.requests
    if case.name == "429_retry_after":  # the retry waited RETRY_AFTER_MAX (1 s), not Scrapy's none
        assert served[1].time - served[0].time >= float(SETTINGS["RETRY_AFTER_MAX"])
    assert (mirror_path(case.url) in result.stored) == case.stored
    if case.stat.startswith("admit/rejected/"):  # recorded: tried again by the next crawls
        attempts, reason = result.rejected[mirror_path(case.url)]
        assert attempts == 1 and any(reason in line for line in result.lines(case.url))
    else:
        assert mirror_path(case.url) not in result.rejected
    if case.stored:
        article = result.stored[mirror_path(case.url)]
        assert article.title and re.search(r"[\u4e00-\u9fff]{2}", article.title)
        assert re.search(r"[\u4e00-\u9fff]{10}", article.body)
        assert "\ufffd" not in article.body
        assert article.truncated == (case.name == "huge")
        assert len(article.body) <= int(SETTINGS["MAX_BODY_CHARS"])


@pytest.mark.slow
def test_an_article_whose_later_page_is_too_deep_is_stored_short_and_marked(
    faulty_crawls: dict[str, Crawl],
) -> None:
    """Page 2 of 3 gave no text, nor a link to page 3: page 1 is stored, marked ``truncated``, never
    as if it were the whole article, and not rejected as a page with no text."""
    result = faulty_crawls["mnw"]
    article = result.stored[mirror_path(MULTI_PAGE)]
    assert article.truncated and "too_deep" in article.quality and article.pages == 2
    page_one = " ".join(mirror_articles()[MULTI_PAGE].article.body.split())
    assert " ".join(article.body.split()) == page_one
    assert mirror_path(MULTI_PAGE) not in result.rejected
    assert result.stats["admit/truncated/too_deep"] == 1
    assert any(
        re.search(r"INFO: .*: page 2 is nested deeper .*: stored as far as it reads, marked truncated", line)
        for line in result.lines(MULTI_PAGE)
    )
    served = faulty_crawls["served"]
    assert not [
        entry for entry in served if mirror_path(MULTI_PAGE).replace(".html", "-3.html") in entry.path
    ]


@pytest.mark.slow
def test_an_article_whose_later_page_cannot_be_fetched_is_stored_short_and_marked(
    fault_mirror: MirrorServer, workspace_factory
) -> None:
    """Page 2 of 3 answers 404: page 1 is stored, marked ``truncated``, instead of the article being
    lost and its list read again on every crawl; the next crawl asks for neither again."""
    page_two = MULTI_PAGE.replace(".html", "-2.html")
    workspace = workspace_factory(fault_mirror)
    with injected(fault_mirror, Fault(match=re.escape(mirror_path(page_two)), kind="status", status=404)):
        result = crawl(workspace, "mnw")
        article = result.stored[mirror_path(MULTI_PAGE)]
        assert article.truncated and "page_failed" in article.quality and article.pages == 1
        assert " ".join(article.body.split()) == " ".join(mirror_articles()[MULTI_PAGE].article.body.split())
        assert result.stats["admit/truncated/page_failed"] == 1
        assert any(
            re.search(r"INFO: .*: page 2 could not be fetched: stored up to page 1, marked truncated", line)
            for line in result.lines(MULTI_PAGE)
        )
        assert any(
            re.search(r"INFO: page 2 of .* not fetched: HttpError", line) for line in result.lines(MULTI_PAGE)
        )
        before = len(fault_mirror.faults.requests(re.escape(mirror_path(page_two))))
        crawl(workspace, "mnw")
        assert len(fault_mirror.faults.requests(re.escape(mirror_path(page_two)))) == before


@pytest.mark.slow
def test_faulty_crawls_store_only_real_articles_and_finish(faulty_crawls: dict[str, Crawl]) -> None:
    for spider in ("qzwb", "mnw"):
        result = faulty_crawls[spider]
        assert result.stats["finish_reason"] == "finished" and result.returncode == 0, result.log[-2000:]
        for article in result.stored.values():
            assert article.title and "\ufffd" not in article.body, article.url


@pytest.mark.slow
@pytest.mark.parametrize(
    ("url", "fault", "reason"),
    [
        (MNW + "jinjiang/news/1587321.html", {"kind": "binary"}, "not text: "),
        (
            MNW + "jinjiang/news/2294467.html",
            {"kind": "deep", "depth": 3000},
            "no article text: markup nested deeper than the parser can read",
        ),
    ],
    ids=["binary", "too_deep"],
)
def test_a_rejected_page_is_tried_again_then_given_up(
    fault_mirror: MirrorServer, workspace_factory, url: str, fault: dict, reason: str
) -> None:
    workspace = workspace_factory(fault_mirror)
    logged_url = rf"https?://{re.escape(mirror_path(url))}"  # the site links some pages by https
    with injected(fault_mirror, Fault(match=re.escape(mirror_path(url)), **fault)):
        for attempt in (1, 2):
            result = crawl(workspace, "mnw")
            assert re.search(rf"\(crawl {attempt} of 3\): {logged_url}", result.log)
            attempts, recorded = result.rejected[mirror_path(url)]
            assert attempts == attempt and recorded.startswith(reason)
        result = crawl(workspace, "mnw")
        assert re.search(rf"given up after 3 crawls: {logged_url}", result.log)
        assert result.stats["admit/given_up"] == 1
        assert result.rejected[mirror_path(url)][0] == 3
        before = len(fault_mirror.faults.requests(re.escape(mirror_path(url))))
        result = crawl(workspace, "mnw")
        assert result.stats["known_articles/given_up"] == 1
        assert len(fault_mirror.faults.requests(re.escape(mirror_path(url)))) == before  # not asked for again
        assert mirror_path(url) not in result.stored


@pytest.mark.slow
def test_a_site_that_answers_nothing_ends_site_down_and_exits_nonzero(
    fault_mirror: MirrorServer, workspace_factory
) -> None:
    with injected(
        fault_mirror, Fault(match=r"^www\.qzwb\.com/|^news\.qzwb\.com/", kind="status", status=503)
    ):
        result = crawl(workspace_factory(fault_mirror), "qzwb", RETRY_TIMES="0")
    assert result.stats["finish_reason"] == "site_down"
    assert result.returncode == 1
    assert "ERROR: site_down: no page of the site was answered" in result.log


@pytest.mark.slow
def test_a_crawl_whose_article_requests_failed_ends_requests_failed(
    fault_mirror: MirrorServer, workspace_factory
) -> None:
    with injected(fault_mirror, Fault(match=r"/content/", kind="reset")):
        result = crawl(workspace_factory(fault_mirror), "qzwb", RETRY_TIMES="0")
    assert result.stats["finish_reason"] == "requests_failed"
    assert result.returncode == 1
    assert not result.stored


@pytest.mark.slow
def test_a_crawl_whose_feed_build_failed_ends_feeds_failed_and_the_other_feeds_are_written(
    fault_mirror: MirrorServer, workspace_factory
) -> None:
    workspace = workspace_factory(fault_mirror)
    (workspace.feeds_dir / "all.xml").mkdir(parents=True)  # no file can be renamed over it
    result = crawl(workspace, "qzwb")
    assert result.stats["finish_reason"] == "feeds_failed"
    assert result.returncode == 1
    assert result.stats["feeds/failed"] == 1
    assert "ERROR: feeds_failed: 1 feeds could not be written" in result.log
    feeds = [path for path in feed_files(workspace.feeds_dir) if path.is_file()]
    assert workspace.feeds_dir / "site" / "qzwb.xml" in feeds
    for feed in feeds:
        assert_valid_atom(feed.read_bytes(), feed.name)


@pytest.mark.slow
def test_a_20_mb_article_is_stored_capped_and_every_feed_and_the_opml_are_written(
    fault_mirror: MirrorServer, workspace_factory
) -> None:
    url = QZWB + "2021-01/09/content_6857201.htm"
    workspace = workspace_factory(fault_mirror)
    with injected(fault_mirror, Fault(match=re.escape(mirror_path(url)), kind="huge", size=20_000_000)):
        # the project's default limits, not this module's smaller ones
        result = crawl(workspace, "qzwb", MAX_PAGE_BYTES=str(settings.MAX_PAGE_BYTES))
    article = result.stored[mirror_path(url)]
    assert article.truncated and len(article.body) <= 100_000
    assert result.returncode == 0 and result.stats["finish_reason"] == "finished"
    feeds = feed_files(workspace.feeds_dir)
    assert len(feeds) == result.stats["feeds/rebuilt"]
    for feed in feeds:
        assert_valid_atom(feed.read_bytes(), feed.name)
    assert etree.parse(str(workspace.feeds_dir / "feeds.opml")).findall(".//outline")


@pytest.fixture
def workspace_factory(tmp_path: Path):
    def make(fault_mirror: MirrorServer) -> Workspace:
        return Workspace(tmp_path, server_url(fault_mirror))

    return make
