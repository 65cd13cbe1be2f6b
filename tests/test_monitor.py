"""`scrapy monitor` end to end: real monitor processes, real child crawls, real mirrors.

The first tests share one monitor (`--mirror` on a copy of two sites' mirrors, short intervals, a
tiny WebSub hub): it comes up with /healthz and /metrics; a broken site is reported while the other
goes on; an article added to a mirror reaches exactly its feeds; SIGTERM stops it cleanly. Then a
monitor is SIGKILLed mid-crawl and restarted: nothing is stored twice or lost.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import feedparser
import pytest

from tests.conftest import REPO, Workspace
from tests.feeds_checks import assert_valid_atom
from tests.test_monitor_parts import Hub

MIRROR = REPO / "mirror"
INTERVAL = 3
GRACE = 20
NEW_ARTICLE = "http://www.qzwb.com/gb/content/2026-11/30/content_8000001.htm"
NEW_TITLE = "泉州海丝先行区建设推进会召开"
PAGES = Path(__file__).parent / "data" / "monitor"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, timeout: float = 120, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what or predicate}"
        time.sleep(0.2)


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@dataclass
class RunningMonitor:
    root: Path
    port: int
    process: subprocess.Popen
    hub: list[dict] = field(default_factory=list)
    output: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def feeds_dir(self) -> Path:
        return self.root / "feeds"

    def health(self) -> tuple[int, dict]:
        code, _, body = get(self.base + "healthz")
        return code, json.loads(body)

    def site(self, name: str) -> dict:
        return self.health()[1]["sites"][name]

    def finished_runs(self, name: str) -> int:
        _, _, body = get(self.base + "metrics")
        match = re.search(rf'news_crawls_total{{outcome="finished",site="{name}"}} (\d+)', body.decode())
        return int(match.group(1)) if match else 0

    def read_output(self) -> None:
        for line in self.process.stdout:
            self.output.append(line)


def monitor_command(root: Path, *args: str, **settings: object) -> list[str]:
    values = {
        "DATABASE_URL": f"sqlite:///{root / 'news.db'}",
        "FEEDS_DIR": str(root / "feeds"),
        "MONITOR_STATUS_FILE": str(root / "monitor.json"),
        "MONITOR_CRAWLS_DIR": str(root / "crawls"),
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "MONITOR_INTERVAL": INTERVAL,
        "MONITOR_JITTER": 0.5,
        "MONITOR_SHUTDOWN_GRACE": GRACE,
        **settings,
    }
    options = [option for name, value in values.items() for option in ("-s", f"{name}={value}")]
    return [sys.executable, "-m", "scrapy", "monitor", *options, *args]


def start(command: list[str], root: Path, port: int) -> RunningMonitor:
    process = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    monitor = RunningMonitor(root, port, process)
    threading.Thread(target=monitor.read_output, daemon=True).start()
    return monitor


@pytest.fixture(scope="module")
def hub() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Hub.received = []
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def monitor(tmp_path_factory: pytest.TempPathFactory, hub: str) -> Iterator[RunningMonitor]:
    """`scrapy monitor qzwb fjsen --mirror --serve PORT` on a copy of their mirrors, where fjsen's
    article pages have changed their layout so that nothing can be read from them."""
    root = tmp_path_factory.mktemp("monitor")
    for site in ("qzwb", "fjsen"):
        shutil.copytree(MIRROR / site, root / "mirror" / site)
    for page in (root / "mirror" / "fjsen").rglob("content_*.htm"):
        shutil.copyfile(PAGES / "changed_layout.htm", page)
    (root / "sites.yaml").write_text(f"fjsen:\n  interval: {INTERVAL}\n", encoding="utf-8")
    port = free_port()
    command = monitor_command(
        root,
        "qzwb",
        "fjsen",
        "--mirror",
        "--serve",
        str(port),
        MIRROR_DIR=root / "mirror",
        SITES_FILES=root / "sites.yaml",
        MONITOR_EMPTY_RUNS=2,
        WEBSUB_HUB=hub,
        FEEDS_BASE_URL=f"http://127.0.0.1:{port}/",
    )
    running = start(command, root, port)
    try:
        wait_for(lambda: any("Serving the feeds at" in line for line in running.output), 60, "the server")
        yield running
    finally:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()


@pytest.mark.slow
def test_the_monitor_comes_up_with_healthz_and_metrics(monitor: RunningMonitor) -> None:
    assert any(f"Serving the feeds at {monitor.base}" in line for line in monitor.output)
    wait_for(lambda: monitor.finished_runs("qzwb") >= 1 and monitor.site("fjsen")["last_run"], what="crawls")
    code, body = monitor.health()
    assert code == 200 and body["status"] == "ok" and body["scheduler"] == "running" and body["store"] == "ok"
    qzwb = body["sites"]["qzwb"]
    assert qzwb["last_run"]["outcome"] == "finished" and qzwb["last_run"]["new"] >= 16
    assert qzwb["last_success"] and qzwb["last_error"] is None
    assert qzwb["last_run"]["checks_failed"] == []
    assert {"articles_found", "consecutive_empty_runs", "problems", "next_run"} <= set(qzwb)
    _, headers, metrics = get(monitor.base + "metrics")
    assert headers["Content-Type"].startswith("text/plain")
    text = metrics.decode()
    assert 'news_crawls_total{outcome="finished",site="qzwb"}' in text
    assert 'news_articles_total{result="new",site="qzwb"}' in text
    for name in (
        "news_crawl_duration_seconds_count",
        "news_feed_rebuilds_total",
        "news_scheduler_lag_seconds",
    ):
        assert name in text
    wait_for(lambda: len(feedparser.parse(get(monitor.base + "all.xml")[2]).entries) >= 16, 10, "the feed")


@pytest.mark.slow
def test_a_broken_site_is_reported_and_the_other_goes_on(monitor: RunningMonitor, hub: str) -> None:
    def reported() -> bool:
        code, _, body = get(monitor.base + "monitor-health.xml")
        return code == 200 and any("fjsen" in entry.title for entry in feedparser.parse(body).entries)

    wait_for(reported, what="the health feed's entry")
    feed = assert_valid_atom(get(monitor.base + "monitor-health.xml")[2], "monitor-health.xml")
    entry = feed.entries[0]
    assert "fjsen" in entry.title and "no articles in 2 crawls in a row" in entry.title
    code, body = monitor.health()
    assert code == 200  # one site failing is the site's problem, not the monitor's
    assert body["problems"] == ["fjsen"]
    assert "empty" in body["sites"]["fjsen"]["problems"]
    assert body["sites"]["fjsen"]["consecutive_empty_runs"] >= 2
    checks = body["sites"]["fjsen"]["last_run"]["checks_failed"]  # the crawl's own Spidermon checks
    assert any(check.startswith("Pages: ") and "gave 0 articles" in check for check in checks), checks
    assert body["sites"]["qzwb"]["problems"] == {}
    finished = monitor.finished_runs("qzwb")
    wait_for(lambda: monitor.finished_runs("qzwb") > finished, what="qzwb crawled again")
    assert "monitor-health.xml" in get(monitor.base + "feeds.opml")[2].decode()
    assert "monitor-health.html" in get(monitor.base)[2].decode()
    assert monitor.base + "monitor-health.xml" in [r["hub.url"][0] for r in Hub.received]


def utc(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def stored_by(database: Path, article_id: str) -> tuple[float, tuple[float, float]] | None:
    """When *article_id* was stored, and the start and end of the crawl that stored it (None until
    that crawl has ended: the article is in its feeds before)."""
    with sqlite3.connect(database) as connection:
        (first_seen,) = connection.execute(
            "SELECT first_seen FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        runs = connection.execute("SELECT started, finished FROM crawl_runs WHERE site = 'qzwb'").fetchall()
    stored = utc(first_seen)
    crawl = next(((utc(a), utc(b)) for a, b in runs if utc(a) <= stored <= utc(b)), None)
    return (stored, crawl) if crawl else None


def feed_files(feeds_dir: Path) -> dict[str, bytes]:
    return {path.relative_to(feeds_dir).as_posix(): path.read_bytes() for path in feeds_dir.rglob("*.xml")}


def etags(monitor: RunningMonitor, paths: list[str]) -> dict[str, str]:
    return {path: get(monitor.base + quote(path))[1]["ETag"] for path in paths}


HEALTH_FEED = "monitor-health.xml"


@pytest.mark.slow
def test_a_new_article_reaches_exactly_its_feeds(monitor: RunningMonitor) -> None:
    """Within interval + crawl + 2 s: its city and initiative feeds (and the others it belongs to)
    change, with new ETags; every other feed of articles keeps its bytes."""
    wait_for(lambda: monitor.site("qzwb")["last_run"]["new"] == 0, what="a crawl with nothing new")
    time.sleep(2)  # the last rebuild is done
    before = feed_files(monitor.feeds_dir)
    tags_before = etags(monitor, sorted(before))
    mirror = monitor.root / "mirror" / "qzwb" / "www.qzwb.com" / "gb"
    page = mirror / "content" / "2026-11" / "30" / "content_8000001.htm"
    page.parent.mkdir(parents=True)
    shutil.copyfile(PAGES / "new_article.htm", page)
    listing = mirror / "node" / "node_1467.htm"
    link = f'<li><a href="../content/2026-11/30/content_8000001.htm" target="_blank">{NEW_TITLE}</a></li>\n'
    text = listing.read_text(encoding="utf-8")
    first = text.index("<li><a href=")
    listing.write_text(text[:first] + link + text[first:], encoding="utf-8")
    added = time.time()

    def in_feed(path: str) -> bool:
        target = monitor.feeds_dir / path
        return target.exists() and NEW_ARTICLE.encode() in target.read_bytes()

    holding_paths = ("city/泉州.xml", "initiative/maritime-silk-road-pilot-zone.xml")
    wait_for(lambda: all(in_feed(path) for path in holding_paths), INTERVAL + 90, "the article in its feeds")
    appeared = max((monitor.feeds_dir / p).stat().st_mtime for p in holding_paths)
    database = monitor.root / "news.db"
    wait_for(lambda: stored_by(database, "qzwb/8000001") is not None, 60, "the crawl's end")
    stored, (started, ended) = stored_by(database, "qzwb/8000001")
    assert started <= stored <= ended  # (a crawl running when the page was added may be the one)
    assert appeared <= ended + 2 + 0.5  # 2 s after the crawl (half a second for the file system's clock)
    assert appeared - added <= INTERVAL + 0.5 + (ended - started) + 2 + 0.5  # interval + jitter + crawl + 2 s
    after = feed_files(monitor.feeds_dir)
    after.pop(HEALTH_FEED, None)  # the sites' health, not articles: a slow crawl on a busy machine moves it
    changed = {path for path in after if after[path] != before.get(path)}
    holding = {path for path, data in after.items() if NEW_ARTICLE.encode() in data}
    assert {
        "all.xml",
        "city/泉州.xml",
        "initiative/maritime-silk-road-pilot-zone.xml",
        "site/qzwb.xml",
    } <= holding
    assert changed == holding
    tags_after = etags(monitor, sorted(after))
    assert all(tags_after[path] != tags_before.get(path) for path in changed)
    assert all(tags_after[path] == tags_before[path] for path in set(after) - changed)
    for path in changed:
        assert_valid_atom(after[path], path)


@pytest.mark.slow
def test_sigterm_stops_the_monitor_cleanly_within_the_grace_period(monitor: RunningMonitor) -> None:
    monitor.process.send_signal(signal.SIGTERM)
    assert monitor.process.wait(timeout=GRACE + 30) == 0
    time.sleep(0.5)
    log = [line for line in monitor.output if line.strip()]
    assert not any("Traceback" in line for line in log)
    stamped = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} \[[\w.]+\] [A-Z]+: ")
    printed = ("Mirrors of the sites at", "Serving the feeds at")
    assert all(stamped.match(line) or line.startswith(printed) for line in log), [
        line for line in log if not stamped.match(line) and not line.startswith(printed)
    ][:5]
    assert any("[monitor.service] INFO: stopped" in line for line in log)
    assert json.loads((monitor.root / "monitor.json").read_text(encoding="utf-8"))["scheduler"] == "stopped"


# -- a monitor killed mid-crawl -----------------------------------------------------------------


def articles_in(database: Path) -> list[str]:
    if not database.exists():
        return []
    with sqlite3.connect(database) as connection:
        try:
            return [row[0] for row in connection.execute("SELECT id FROM articles")]
        except sqlite3.OperationalError:
            return []


def child_pids(output: list[str]) -> list[int]:
    return [
        int(match.group(1)) for line in output if (match := re.search(r"crawl started .* pid=(\d+)", line))
    ]


def wait_for_exit(pid: int, timeout: float = 60) -> None:
    def gone() -> bool:
        try:
            return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
        except OSError:
            return True

    wait_for(gone, timeout, f"crawl {pid} to end")


@pytest.mark.slow
def test_a_monitor_killed_mid_crawl_resumes_with_no_duplicate_and_no_lost_article(
    workspace: Workspace,
) -> None:
    root = workspace.root
    expected = 16  # every article of the qzwb mirror
    port = free_port()
    settings = {"MIRROR_URL": workspace.mirror_url, "DOWNLOAD_DELAY": 0.3}  # a crawl of some seconds
    first = start(monitor_command(root, "qzwb", "--serve", str(port), **settings), root, port)
    try:
        wait_for(lambda: 0 < len(articles_in(root / "news.db")) < expected, what="a crawl half done")
        first.process.kill()
        first.process.wait()
    finally:
        if first.process.poll() is None:
            first.process.kill()
    stored_at_kill = len(articles_in(root / "news.db"))
    assert stored_at_kill < expected
    for pid in child_pids(first.output):  # the orphaned crawl goes on storing, then ends
        wait_for_exit(pid)
    second = start(monitor_command(root, "qzwb", "--serve", str(port), **settings), root, port)
    try:
        wait_for(lambda: any("Serving" in line for line in second.output), 60, "the restart")
        wait_for(lambda: second.finished_runs("qzwb") >= 1, what="a crawl after the restart")
        time.sleep(2)  # its last articles in the feeds
        ids = articles_in(root / "news.db")
        assert len(ids) == len(set(ids)) == expected
        files = list((root / "feeds").rglob("*.xml"))
        assert files
        for path in files:
            feed = assert_valid_atom(path.read_bytes(), str(path))
            entry_ids = [entry.id for entry in feed.entries]
            assert len(entry_ids) == len(set(entry_ids))
        all_ids = {
            entry.id.rpartition(":")[2]
            for entry in feedparser.parse((root / "feeds" / "all.xml").read_bytes()).entries
        }
        assert all_ids == set(ids)
        second.process.send_signal(signal.SIGTERM)
        assert second.process.wait(timeout=GRACE + 30) == 0
    finally:
        if second.process.poll() is None:
            second.process.kill()
            second.process.wait()


# -- the command line --------------------------------------------------------------------------


@pytest.mark.slow
def test_monitor_once_crawls_each_site_once_and_exits(workspace: Workspace) -> None:
    result = subprocess.run(
        workspace.command("monitor", "qzwb", "--once"), cwd=REPO, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr[-3000:]
    status = json.loads((workspace.root / "monitor.json").read_text(encoding="utf-8"))
    assert status["sites"]["qzwb"]["last_run"]["outcome"] == "finished"
    assert (workspace.feeds_dir / "all.xml").exists()
    assert (workspace.feeds_dir / "monitor-health.xml").exists()


def test_monitor_refuses_an_unknown_spider(workspace: Workspace) -> None:
    result = subprocess.run(
        workspace.command("monitor", "nosuch"), cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "unknown spider(s): nosuch" in result.stderr


def test_a_port_in_use_is_one_clear_line(workspace: Workspace) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            workspace.command("monitor", "qzwb", "--serve", str(port)),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"cannot serve on 127.0.0.1:{port}: Address already in use (choose another with --port, or --bind)"
    ]
