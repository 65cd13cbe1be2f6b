"""Feeds heal after any crash (issue 11, item 5): a `scrapy crawl` or a `scrapy feeds build` killed
with SIGKILL at several moments, then the next crawl or build leaves every feed a clean crawl would
write, each parseable and with the same entries, and no temporary file behind. And a crawl of
articles holding what XML forbids, or of a 20 MB article, writes every feed and the OPML file."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from crawler.faults import Fault
from crawler.mirror import server_url
from feeds.catalog import OPML_FILE
from tests.conftest import REPO, Workspace
from tests.feeds_checks import assert_valid_atom

SPIDER = "qzwb"
FEED_REWRITTEN = "] INFO: feed "


def feeds_state(feeds_dir: Path) -> dict[str, list[str]]:
    """Each feed file of *feeds_dir* (checked valid) and its entries' ids, in order."""
    return {
        path.relative_to(feeds_dir).as_posix(): [
            entry.id for entry in assert_valid_atom(path.read_bytes(), str(path)).entries
        ]
        for path in sorted(feeds_dir.rglob("*.xml"))
    }


def temporaries(feeds_dir: Path) -> list[Path]:
    return sorted(feeds_dir.rglob("*.tmp"))


def kill_after(command: list[str], moment: tuple[str, int]) -> str:
    """Run *command*, SIGKILL it at the *moment* (text, n): when the n-th line of its log holding
    the text is written; and return the log up to then. A run that ends before is a failed test."""
    text, count = moment
    process = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, bufsize=1
    )
    lines = []
    try:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line)
            count -= text in line
            if count <= 0:
                process.send_signal(signal.SIGKILL)
                break
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    assert process.returncode == -signal.SIGKILL, "".join(lines[-30:])
    return "".join(lines)


@pytest.fixture(scope="module")
def clean_feeds(tmp_path_factory: pytest.TempPathFactory, mirror_url: str) -> dict[str, list[str]]:
    """The feeds one clean crawl writes."""
    workspace = Workspace(tmp_path_factory.mktemp("clean"), mirror_url)
    workspace.crawl(SPIDER)
    return feeds_state(workspace.feeds_dir)


def debug_crawl(workspace: Workspace, *settings: str) -> list[str]:
    options = [option for setting in settings for option in ("-s", setting)]
    return workspace.command("crawl", SPIDER, "-s", "LOG_LEVEL=DEBUG", *options)


CRAWL_MOMENTS = [
    ("", 40),  # list pages fetched, the first articles on their way
    ("] INFO: new article ", 2),  # some articles stored
    (FEED_REWRITTEN, 5),  # its feed build under way: feeds staged, none renamed
]
BUILD_MOMENTS = [("", 1), (FEED_REWRITTEN, 1), (FEED_REWRITTEN, 12)]
"""Starting; at its first feed staged; at its twelfth."""


@pytest.mark.slow
def test_crawls_killed_at_any_moment_are_healed_by_the_next(workspace, clean_feeds) -> None:
    for moment in CRAWL_MOMENTS:  # each crawl killed later than the one before, on what it left
        kill_after(debug_crawl(workspace), moment)
    assert temporaries(workspace.feeds_dir)  # the last one was killed while writing feeds
    workspace.crawl(SPIDER, "after")
    assert feeds_state(workspace.feeds_dir) == clean_feeds
    assert temporaries(workspace.feeds_dir) == []


@pytest.mark.slow
def test_feed_builds_killed_at_any_moment_are_healed_by_the_next(workspace, clean_feeds) -> None:
    workspace.scrapy("crawl", SPIDER, "-s", "FEEDS_BUILD_ON_CRAWL_END=False")
    for moment in BUILD_MOMENTS:
        build = workspace.command("feeds", "build", "-s", "LOG_ENABLED=True", "-s", "LOG_LEVEL=DEBUG")
        kill_after(build, moment)
    assert temporaries(workspace.feeds_dir)
    workspace.scrapy("feeds", "build")
    assert feeds_state(workspace.feeds_dir) == clean_feeds
    assert temporaries(workspace.feeds_dir) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "fault",
    [
        Fault(match=r"/content/", kind="nonxml"),  # U+FFFE, U+FFFF, controls: raw and as references
        Fault(match=r"content_5213417", kind="huge", size=20_000_000),  # a 20 MB article
    ],
)
def test_a_crawl_of_hostile_articles_writes_every_feed_and_the_opml(
    tmp_path, fault_mirror, clean_feeds, fault
) -> None:
    mirror, plan = server_url(fault_mirror), fault_mirror.faults
    plan.set([fault])
    workspace = Workspace(tmp_path, mirror)
    stats = workspace.crawl(SPIDER)
    assert plan.injected[fault.kind] > 0
    assert "feeds/failed" not in stats
    feeds = feeds_state(workspace.feeds_dir).keys()
    if fault.kind == "huge":  # stored cut at MAX_BODY_CHARS: tags of the text past the cut are lost
        assert stats["admit/truncated"] == 1
        assert feeds < clean_feeds.keys()
    else:
        assert feeds == clean_feeds.keys()
    for path in workspace.feeds_dir.rglob("*.xml"):
        assert path.stat().st_size < 2_000_000
    etree.parse(str(workspace.feeds_dir / OPML_FILE))


@pytest.mark.slow
def test_the_articles_of_a_list_page_that_failed_are_fetched_by_the_next_crawl(
    tmp_path, fault_mirror
) -> None:
    mirror, plan = server_url(fault_mirror), fault_mirror.faults
    plan.set([Fault(match=r"news\.qzwb\.com/gb/node/node_538_3", kind="status", status=500)])
    workspace = Workspace(tmp_path, mirror)
    workspace.crawl(SPIDER)
    plan.set([])
    workspace.crawl(SPIDER, "after")
    assert "qzwb/5213417" in {
        entry.rpartition(":")[2] for entry in feeds_state(workspace.feeds_dir)["all.xml"]
    }
