"""Benchmark: the monitor as a service, on the local mirrors.

- **latency**: an article is added to a copy of the qzwb mirror (its page, and a link on a list
  page) while ``scrapy monitor`` runs; the time until it is in its city feed, printed beside the
  time of the crawl that found it and the time from its storing to the feed (goal: in the feed at
  most 2 s after that crawl ended, so ≤ crawl time + 2 s once the crawl began). Beside it, in the
  same run, the peer: ``scrapy crawl`` alone (what the monitor did before: the feeds rebuilt when
  the crawl ends).
- **memory**: the monitor process's resident memory (``VmRSS``) over many crawl cycles of small
  sites at a short interval (goal: the mean of the last 50 cycles within 10 % of cycles 50–100),
  and each child crawl's peak memory (its ``ru_maxrss`` when its engine stopped, from its stats file).

    python benchmarks/monitor.py [--cycles 300] [--trials 5] [--interval 1]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.mirror import server_url, start_in_thread  # noqa: E402

MIRROR = ROOT / "mirror"
LIST_PAGE = Path("www.qzwb.com/gb/node/node_1467.htm")
PAGE = (ROOT / "tests" / "data" / "monitor" / "new_article.htm").read_text(encoding="utf-8")
CITY_FEED = "city/泉州.xml"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def settings(root: Path, **extra: object) -> list[str]:
    values = {
        "DATABASE_URL": f"sqlite:///{root / 'news.db'}",
        "FEEDS_DIR": root / "feeds",
        "MONITOR_STATUS_FILE": root / "monitor.json",
        "MONITOR_CRAWLS_DIR": root / "crawls",
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "MIRROR_DIR": root / "mirror",
        **extra,
    }
    return [option for name, value in values.items() for option in ("-s", f"{name}={value}")]


def copy_mirror(root: Path, sites: list[str]) -> None:
    for site in sites:
        shutil.copytree(MIRROR / site, root / "mirror" / site)


def add_article(root: Path, number: int) -> str:
    """Put a new article on the qzwb mirror copy and link it from a list page; its URL."""
    host = root / "mirror" / "qzwb" / "www.qzwb.com"
    path = f"gb/content/2026-12/01/content_{9000000 + number}.htm"
    title = f"泉州海丝先行区建设推进会召开（第{number}次）"
    (host / path).parent.mkdir(parents=True, exist_ok=True)
    (host / path).write_text(PAGE.replace("泉州海丝先行区建设推进会召开", title), encoding="utf-8")
    listing = root / "mirror" / "qzwb" / LIST_PAGE
    text = listing.read_text(encoding="utf-8")
    first = text.index("<li><a href=")
    link = f'<li><a href="../content/2026-12/01/content_{9000000 + number}.htm">{title}</a></li>\n'
    listing.write_text(text[:first] + link + text[first:], encoding="utf-8")
    return f"http://www.qzwb.com/{path}"


def in_feed(root: Path, url: str) -> bool:
    feed = root / "feeds" / CITY_FEED
    return feed.exists() and url.encode() in feed.read_bytes()


def wait(predicate, timeout: float = 300, step: float = 0.05) -> float:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError
        time.sleep(step)
    return time.time()


def utc(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def crawl_of(root: Path, url: str) -> tuple[float, float, float] | None:
    """When the article at *url* was stored, and the start and end of the monitor's crawl that did
    (None until that crawl is recorded: the article is in its feeds before the crawl ends)."""
    with sqlite3.connect(root / "news.db") as connection:
        (seen,) = connection.execute("SELECT first_seen FROM articles WHERE url = ?", (url,)).fetchone()
        runs = connection.execute("SELECT started, finished FROM crawl_runs").fetchall()
    stored = utc(seen)
    found = next(((utc(a), utc(b)) for a, b in runs if utc(a) <= stored <= utc(b)), None)
    return (stored, *found) if found else None


def start_monitor(root: Path, port: int, sites: list[str], **extra: object) -> subprocess.Popen:
    command = [sys.executable, "-m", "scrapy", "monitor", *sites, "--mirror", "--serve", str(port)]
    log = (root / "monitor.log").open("ab")
    process = subprocess.Popen([*command, *settings(root, **extra)], cwd=ROOT, stdout=log, stderr=log)
    wait(lambda: metric(port, "news_crawls_total") is not None, 120, 0.2)
    return process


def metric(port: int, name: str) -> float | None:
    """The sum of the samples of *name* on the monitor's /metrics (None: not answering yet)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            text = response.read().decode()
    except OSError:
        return None
    return sum(float(value) for value in re.findall(rf"^{name}(?:{{[^}}]*}})? (\S+)$", text, re.M))


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=120)


def latency(trials: int, interval: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        copy_mirror(root, ["qzwb"])
        port = free_port()
        process = start_monitor(root, port, ["qzwb"], MONITOR_INTERVAL=interval, MONITOR_JITTER=0)
        try:
            wait(lambda: (metric(port, "news_crawls_total") or 0) >= 2, 300, 0.2)
            rows = []
            for trial in range(trials):
                time.sleep(interval * (trial % 3) / 3)  # added at different points of the schedule
                added = time.time()
                url = add_article(root, trial)
                seen = wait(lambda url=url: in_feed(root, url))
                wait(lambda url=url: crawl_of(root, url) is not None)
                stored, started, ended = crawl_of(root, url)
                rows.append((seen - added, ended - started, seen - stored, seen - ended))
        finally:
            stop(process)
        peer = crawl_alone(root, trials)
    print(f"\nLatency, mirror → feed ({trials} articles added one at a time; interval {interval:g} s)")
    print(f"{'':44} {'median':>8} {'range':>15}")
    labels = (
        "monitor: added → in its city feed",
        "  the crawl that found it: its duration",
        "  stored → in the feed",
        "  in the feed, after that crawl ended",
    )
    for label, values in zip(labels, zip(*rows, strict=True), strict=True):
        print(f"{label:44} {statistics.median(values):7.2f}s {min(values):6.2f}–{max(values):6.2f}s")
    goal = all(after <= 2 for *_, after in rows)
    print(
        f"goal: in the feed ≤ 2 s after the crawl ended (≤ crawl time + 2 s): {'met' if goal else 'missed'}"
    )
    print(f"{'peer: scrapy crawl (feeds rebuilt at its end)':44} {peer[0]:7.2f}s   crawl {peer[1]:.2f}s")


def crawl_alone(root: Path, trials: int) -> tuple[float, float]:
    """The peer: one article added, then ``scrapy crawl qzwb`` run alone: added → in the feed,
    and the crawl's duration."""
    mirror = start_in_thread(root / "mirror")
    try:
        url = add_article(root, trials + 1)
        added = time.time()
        stats = root / "peer-stats.json"
        command = [sys.executable, "-m", "scrapy", "crawl", "qzwb", "-s", f"STATS_FILE={stats}"]
        command += settings(root, MIRROR_URL=server_url(mirror), LOG_LEVEL="WARNING")
        started = time.time()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        ended = time.time()
        assert in_feed(root, url), "the peer's crawl did not put the article in the feed"
        return ended - added, ended - started
    finally:
        mirror.shutdown()
        mirror.server_close()


def rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise ValueError("no VmRSS")


def memory(cycles: int, interval: float, sites: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        copy_mirror(root, sites)
        port = free_port()
        began = time.monotonic()
        process = start_monitor(
            root,
            port,
            sites,
            MONITOR_INTERVAL=interval,
            MONITOR_JITTER=0,
            MONITOR_CONCURRENCY=2,
            MONITOR_LOGS_KEPT=2,
        )
        by_cycle: dict[int, int] = {}
        peaks: list[int] = []
        try:
            while len(by_cycle) < cycles:
                done = int(metric(port, "news_crawls_total") or 0)
                if done and done not in by_cycle:
                    by_cycle[done] = rss(process.pid)
                    if done % 25 == 0:
                        print(f"  {done} crawls, monitor RSS {by_cycle[done] / 2**20:.1f} MiB", flush=True)
                time.sleep(0.2)
            with sqlite3.connect(root / "news.db") as connection:
                for (data,) in connection.execute("SELECT data FROM crawl_runs"):
                    if peak := json.loads(data).get("peak_memory"):
                        peaks.append(peak)
        finally:
            stop(process)
        minutes = (time.monotonic() - began) / 60
    samples = sorted(by_cycle.items())

    def mean(first: int, last: int) -> float:
        values = [value for cycle, value in samples if first <= cycle <= last]
        return statistics.mean(values) / 2**20

    early, late = mean(50, 100), mean(cycles - 49, cycles)
    print(
        f"\nMemory over {cycles} crawls of {', '.join(sites)}, interval {interval:g} s: {minutes:.1f} minutes"
    )
    print(f"monitor RSS, cycles 50–100:          {early:7.1f} MiB")
    print(f"monitor RSS, cycles {cycles - 49}–{cycles}:        {late:7.1f} MiB  ({(late / early - 1):+.1%})")
    met = abs(late / early - 1) <= 0.10
    print(f"goal: the last 50 within 10 % of cycles 50–100: {'met' if met else 'missed'}")
    print(
        f"child crawls' peak memory ({len(peaks)} crawls): median "
        f"{statistics.median(peaks) / 2**20:.0f} MiB, {min(peaks) / 2**20:.0f}–{max(peaks) / 2**20:.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--cycles", type=int, default=300)
    parser.add_argument("--interval", type=int, default=1)
    parser.add_argument("--sites", nargs="+", default=["qzwb", "cri"])
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    if not args.skip_latency:
        latency(args.trials, max(args.interval, 3))
    if not args.skip_memory:
        memory(args.cycles, args.interval, args.sites)


if __name__ == "__main__":
    main()
