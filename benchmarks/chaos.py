"""Chaos: crawls of the mirrors with faults injected at random, and SIGKILLs of the crawl, the feed
build and the monitor at random moments; then one clean crawl of each site, compared with a crawl
that met neither (issue 11).

    python benchmarks/chaos.py [--seed 11] [--kills 30] [--sites qzwb cri mnw] [-s NAME=VALUE ...]

One mirror server runs in this process with a :class:`crawler.faults.FaultPlan`. First each site is
crawled once with no fault into a reference workspace: the articles and feeds expected. Then, in
the chaos workspace, each round draws faults (:func:`random_faults`: kinds, pages and how many
requests each hits, from the seed) and one process to kill, the three kinds in turn: a ``scrapy
crawl`` of a random site, a ``scrapy feeds build``, or a ``scrapy monitor`` of the sites at a 2 s
interval (its orphaned child crawls are left to end, as after a real crash), started and SIGKILLed
after a random delay. A process that ends before its moment is no kill: rounds go on until
``--kills`` processes were killed.
Last, the faults are cleared and each site is crawled once, which rebuilds the feeds.

It prints the faults injected, the kills, the articles expected / stored / duplicated / lost (and
those stored with other text than the reference's: a fault's page kept as an article), the feeds
expected / present / parseable (and with the reference's entries), and the ``.tmp`` files left.
The goal: 0 lost, 0 duplicated, every feed present and parseable, 0 ``.tmp`` left.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import feedparser
from lxml import etree

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawler.faults import Fault, FaultPlan  # noqa: E402
from crawler.mirror import DEFAULT_ROOT, server_url, start_in_thread  # noqa: E402

DOWNLOAD_TIMEOUT = 4
"""Seconds a crawl waits for an answer here: a ``hang`` costs this, not Scrapy's 180."""
FAULT_KINDS = {
    "status": [{"status": code} for code in (404, 410, 500, 503)] + [{"status": 429, "retry_after": "1"}],
    "hang": [{"seconds": DOWNLOAD_TIMEOUT + 2}],
    "truncate": [{}],
    "reset": [{}],
    "empty": [{}],
    "redirect_loop": [{}],
    "meta_refresh_offsite": [{}],
    "lying_charset": [{"charset": "utf-8"}],
    "lying_gzip": [{}],
    "huge": [{"size": 20_000_000}],
    "binary": [{}],
    "utf16": [{}],
    "deep": [{"depth": 5000}],
    "nonxml": [{}],
}
"""Each kind of fault the rounds draw from, with the parameters it may take."""
KILL_DELAYS = {"crawl": (2.0, 14.0), "build": (1.0, 4.0), "monitor": (3.0, 25.0)}
"""Seconds after its start at which each kind of process is killed, a uniform draw in this range
(a process takes 2–5 s to start: Scrapy, the tag vocabulary; a crawl of a mirror 6–10 s in all)."""
ORPHAN_WAIT = 180


EXTRA_SETTINGS: dict[str, str] = {}
"""``-s NAME=VALUE`` of the command line: given to every process, reference crawls included."""


def settings(root: Path, mirror: str, **extra: object) -> list[str]:
    values = {
        "MIRROR_URL": mirror,
        "DATABASE_URL": f"sqlite:///{root / 'news.db'}",
        "FEEDS_DIR": str(root / "feeds"),
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_TIMEOUT": DOWNLOAD_TIMEOUT,
        "RETRY_TIMES": 1,
        "LOG_LEVEL": "INFO",
        "MONITOR_STATUS_FILE": root / "monitor.json",
        "MONITOR_CRAWLS_DIR": root / "crawls",
        **EXTRA_SETTINGS,
        **extra,
    }
    return [option for name, value in values.items() for option in ("-s", f"{name}={value}")]


def scrapy(root: Path, mirror: str, *args: str, **extra: object) -> list[str]:
    command, *rest = args
    return [sys.executable, "-m", "scrapy", command, *settings(root, mirror, **extra), *rest]


def mirror_pages(sites: list[str]) -> dict[str, list[str]]:
    """Each site's pages as the fault plan sees a request: ``<host>/<path>``."""
    pages = {}
    for site in sites:
        folder = DEFAULT_ROOT / site
        pages[site] = sorted(
            path.relative_to(folder).as_posix()
            for path in folder.rglob("*.htm*")
            if path.is_file() and "/" in path.relative_to(folder).as_posix()
        )
    return pages


def random_faults(rng: random.Random, pages: dict[str, list[str]]) -> list[Fault]:
    """One to four faults, each on one page of a site or on all of a host's pages, for the first one
    to three requests (or every one) that match."""
    faults = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(sorted(FAULT_KINDS))
        page = rng.choice(pages[rng.choice(sorted(pages))])
        match = re.escape(page) if rng.random() < 0.5 else re.escape(page.split("/", 1)[0] + "/")
        times = rng.choice([1, 2, 3, None])
        faults.append(Fault(match=match, kind=kind, times=times, **rng.choice(FAULT_KINDS[kind])))
    return faults


@dataclass
class Kills:
    delivered: Counter[str] = field(default_factory=Counter)
    ended_first: Counter[str] = field(default_factory=Counter)
    """Processes that ended before their moment came."""
    orphans_ended: int = 0
    orphans_killed: int = 0


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except (OSError, IndexError):
        return False


def run_and_kill(command: list[str], delay: float, log: Path) -> tuple[bool, str]:
    """Start *command*, SIGKILL it after *delay* seconds; whether it was still running then, and its log."""
    with open(log, "w", encoding="utf-8") as output:
        process = subprocess.Popen(command, cwd=REPO, stdout=output, stderr=subprocess.STDOUT)
        try:
            process.wait(timeout=delay)
            killed = False
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            killed = True
    return killed, log.read_text(encoding="utf-8", errors="replace")


def wait_for_orphans(text: str, kills: Kills) -> None:
    """The child crawls a killed monitor started go on to their end (as after a real crash); one
    still running after ``ORPHAN_WAIT`` seconds is killed."""
    pids = [int(pid) for pid in re.findall(r"crawl started .* pid=(\d+)", text)]
    deadline = time.monotonic() + ORPHAN_WAIT
    for pid in pids:
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
            kills.orphans_killed += 1
        else:
            kills.orphans_ended += 1


def articles(root: Path) -> list[tuple[str, str, str]]:
    """(id, url, title + body) of each stored article."""
    database = root / "news.db"
    if not database.exists():
        return []
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT id, url, data FROM articles").fetchall()
    return [(id_, url, f"{json.loads(data)['title']}\n{json.loads(data)['body']}") for id_, url, data in rows]


def parsed_feed(path: Path) -> list[str] | None:
    """The entry ids of a feed file, None if lxml (as the feed server parses) or feedparser refuses it."""
    data = path.read_bytes()
    try:
        etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
    parsed = feedparser.parse(data)
    return None if parsed.bozo else [entry.id for entry in parsed.entries]


def feeds(root: Path) -> dict[str, list[str] | None]:
    folder = root / "feeds"
    return {path.relative_to(folder).as_posix(): parsed_feed(path) for path in sorted(folder.rglob("*.xml"))}


def crawl(root: Path, mirror: str, site: str, name: str) -> None:
    log = root / f"{name}.log"
    with open(log, "w", encoding="utf-8") as output:
        subprocess.run(scrapy(root, mirror, "crawl", site), cwd=REPO, stdout=output, stderr=subprocess.STDOUT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--sites", nargs="+", default=["qzwb", "cri", "mnw"])
    parser.add_argument("--keep", action="store_true", help="keep the workspaces (their paths are printed)")
    parser.add_argument(
        "-s", dest="set", action="append", default=[], help="NAME=VALUE: a setting for every process"
    )
    args = parser.parse_args()
    EXTRA_SETTINGS.update(setting.split("=", 1) for setting in args.set)
    rng = random.Random(args.seed)
    plan = FaultPlan()
    server = start_in_thread(faults=plan)
    mirror = server_url(server)
    base = Path(tempfile.mkdtemp(prefix="chaos-"))
    reference, chaos = base / "reference", base / "chaos"
    reference.mkdir()
    chaos.mkdir()
    started = time.monotonic()
    for site in args.sites:
        crawl(reference, mirror, site, f"reference-{site}")
    expected_articles = {id_: text for id_, _, text in articles(reference)}
    expected_feeds = feeds(reference)
    sites = ", ".join(args.sites)
    print(f"reference: {len(expected_articles)} articles, {len(expected_feeds)} feeds of {sites}")

    pages = mirror_pages(args.sites)
    kills = Kills()
    number = 0
    while sum(kills.delivered.values()) < args.kills and number < 3 * args.kills:
        number += 1
        target = min(KILL_DELAYS, key=lambda kind: (kills.delivered[kind], rng.random()))
        faults = random_faults(rng, pages) if target != "build" else []
        plan.set(faults)
        delay = rng.uniform(*KILL_DELAYS[target])
        if target == "crawl":
            command = scrapy(chaos, mirror, "crawl", rng.choice(args.sites))
        elif target == "build":
            command = scrapy(chaos, mirror, "feeds", "build")
        else:
            command = scrapy(chaos, mirror, "monitor", *args.sites, MONITOR_INTERVAL=2, MONITOR_JITTER=0.5)
        killed, text = run_and_kill(command, delay, chaos / f"round-{number:02}-{target}.log")
        (kills.delivered if killed else kills.ended_first)[target] += 1
        if target == "monitor":
            wait_for_orphans(text, kills)
        shown = ", ".join(f"{fault.kind}×{fault.times or 'all'}" for fault in faults) or "none"
        outcome = f"killed at {delay:.1f}s" if killed else f"ended before {delay:.1f}s"
        print(f"round {number:2}: {target:7} {outcome:20} faults: {shown}", flush=True)
    injected = Counter(plan.injected)
    plan.set([])
    for site in args.sites:
        crawl(chaos, mirror, site, f"clean-{site}")

    stored = articles(chaos)
    ids = [id_ for id_, _, _ in stored]
    urls = [url for _, url, _ in stored]
    texts = {id_: text for id_, _, text in stored}
    duplicated = (len(ids) - len(set(ids))) + (len(urls) - len(set(urls)))
    lost = sorted(set(expected_articles) - set(ids))
    unexpected = sorted(set(ids) - set(expected_articles))
    other_text = sorted(
        id_ for id_ in set(ids) & set(expected_articles) if texts[id_] != expected_articles[id_]
    )
    written = feeds(chaos)
    present = [path for path in expected_feeds if path in written]
    parseable = [path for path in present if written[path] is not None]
    same = [path for path in parseable if written[path] == expected_feeds[path]]
    temporaries = sorted((chaos / "feeds").rglob("*.tmp"))
    server.shutdown()

    given = f", {' '.join(args.set)}" if args.set else ""
    print(f"\nChaos of {', '.join(args.sites)}, seed {args.seed}{given}, {time.monotonic() - started:.0f} s")
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(injected.items()))
    print(f"faults injected: {sum(injected.values())} ({kinds})")
    print(
        f"kills: {sum(kills.delivered.values())} in {number} rounds "
        f"({', '.join(f'{k} {n}' for k, n in sorted(kills.delivered.items()))}); "
        f"ended before their moment: {dict(kills.ended_first) or 0}; the killed monitors' orphaned "
        f"crawls: {kills.orphans_ended} ended, {kills.orphans_killed} killed"
    )
    print(
        f"articles: expected {len(expected_articles)}, stored {len(set(ids))}, duplicated {duplicated}, "
        f"lost {len(lost)} {lost or ''}; "
        f"stored with other text than the reference {len(other_text)} {other_text or ''}, "
        f"not in the reference {len(unexpected)}"
    )
    print(
        f"feeds: expected {len(expected_feeds)}, present {len(present)}, parseable {len(parseable)}, "
        f"with the reference's entries {len(same)}"
    )
    print(f".tmp files left: {len(temporaries)}")
    if args.keep:
        print(f"workspaces: {reference} {chaos}")
    else:
        shutil.rmtree(base)


if __name__ == "__main__":
    main()
