"""`scrapy monitor`: rounds of crawls on a schedule, feeds served, a clean stop on SIGTERM."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
import urllib.request

import feedparser

from tests.conftest import REPO, Workspace


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.3)


def status(workspace: Workspace) -> dict:
    path = workspace.root / "monitor.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"rounds": 0}


def test_monitor_crawls_on_schedule_serves_feeds_and_stops_cleanly(workspace: Workspace) -> None:
    port = free_port()
    command = workspace.command(
        "monitor", "qzwb", "-s", "MONITOR_INTERVAL=2", "-s", "MONITOR_JITTER=0", "--serve", str(port)
    )
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(
            lambda: status(workspace)["rounds"] >= 2 and status(workspace)["spiders"]["qzwb"]["runs"] >= 2
        )
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/all.xml", timeout=10) as response:
            assert response.headers["Content-Type"].startswith("application/atom+xml")
            feed = feedparser.parse(response.read())
        assert not feed.bozo and len(feed.entries) >= 16
        qzwb = status(workspace)["spiders"]["qzwb"]
        assert qzwb["failures"] == 0
        assert qzwb["last_stats"]["spider/article_pages"] == 0  # later rounds fetch list pages only
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output[-3000:]
    assert "Traceback" not in output


def test_monitor_once_runs_one_round_and_exits(workspace: Workspace) -> None:
    result = subprocess.run(
        workspace.command("monitor", "qzwb", "--once"), cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert status(workspace)["rounds"] == 1
    assert (workspace.feeds_dir / "all.xml").exists()


def test_monitor_refuses_an_unknown_spider(workspace: Workspace) -> None:
    result = subprocess.run(
        workspace.command("monitor", "nosuch"), cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "unknown spider(s): nosuch" in result.stderr
