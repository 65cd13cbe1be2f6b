"""Benchmark: building and serving the feeds of a store of 100,000 articles, beside a plain static server.

Builds (once, then reuses) a SQLite store of 100,000 articles from 50 sites tagged with 300 cities
(``benchmarks/store.py``'s bulk builder), then, in one run:

- **all feeds**: every feed built from scratch into an empty folder (what ``scrapy feeds build``
  does the first time, or after the configuration changes);
- **all feeds again**: ``scrapy feeds build`` on feeds that exist (entries kept, nothing changed);
- **one crawl**: 200 new articles stored, then the rebuild a crawl's end makes (only the feeds
  those articles touch; entries already rendered are kept, only the new ones rendered);
- each build in seconds and in CPU seconds of the process (which other work on the machine
  hardly moves);
- **requests per second** on loopback, a new connection per request (as a reader polling), one
  client process: our server (``scrapy feeds serve``'s ``FeedServer``) for a full feed, a ``304``
  (``If-None-Match``), a filtered query (``?filter=…&limit=5``, answered from the server's cache
  after the first time) and filtered queries that are each new (filtered every time from the
  parsed feed the server keeps), beside
  Python's ``http.server`` serving the same file (a full answer and a ``304`` to
  ``If-Modified-Since``) in the same run.

    python benchmarks/feeds.py [--articles 100000] [--seconds 3]
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scrapy.settings import Settings  # noqa: E402

from benchmarks.store import CITIES, SITES, city_name, populate, province_of, template  # noqa: E402
from feeds.build import FeedBuilder, load_config  # noqa: E402
from processors.vocabulary import tag_vocabulary  # noqa: E402
from storage.store import ArticleStore  # noqa: E402

CRAWL = 200


def timed(action) -> tuple[tuple[float, float], object]:
    """(seconds, CPU seconds of this process) that *action* took, and its result. The CPU time
    hardly moves with other work on the machine; the seconds do. What earlier steps left to write
    to disk is written first: a build's ``os.sync()`` would otherwise wait for it."""
    os.sync()
    began, cpu = time.perf_counter(), time.process_time()
    result = action()
    return (time.perf_counter() - began, time.process_time() - cpu), result


def crawl_articles(count: int, first: int) -> list:
    base, now = template(), datetime.now(UTC)
    articles = []
    for offset in range(count):
        number = first + offset
        site, city = f"site{number % SITES:02d}", number * 7 % CITIES
        articles.append(
            replace(
                base,
                url=f"http://news.{site}.example.cn/{number}.html",
                site=site,
                id=f"{site}/{number}",
                title=f"第{number}篇 {city_name(city)}新闻",
                published=now - timedelta(minutes=offset),
                cities=[city_name(city)],
                provinces=[province_of(city)],
            )
        )
    return articles


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def per_second(port: int, paths, headers: dict[str, str], seconds: float) -> tuple[float, int]:
    """Requests per second over *seconds*, a new connection each; and the status of the last."""
    done, status, began = 0, 0, time.perf_counter()
    paths = iter(paths)
    while time.perf_counter() - began < seconds:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", next(paths), headers={**headers, "Connection": "close"})
        response = connection.getresponse()
        response.read()
        status = response.status
        connection.close()
        done += 1
    return done / (time.perf_counter() - began), status


def forever(*items):
    while True:
        yield from items


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--database", type=Path, help="default: var/bench/feeds-<articles>.db (reused)")
    args = parser.parse_args(argv)
    database = args.database or ROOT / "var" / "bench" / f"feeds-{args.articles}.db"
    if not database.exists():
        database.parent.mkdir(parents=True, exist_ok=True)
        print(f"building {database} ({args.articles:,} articles)…", flush=True)
        populate(f"sqlite:///{database}", args.articles)
    work = Path(tempfile.mkdtemp(prefix="feeds-bench-"))
    try:
        shutil.copy(database, work / "news.db")
        store = ArticleStore(f"sqlite:///{work / 'news.db'}")
        out = work / "feeds"
        builder = FeedBuilder(
            out, "http://127.0.0.1:8080/", load_config(), vocabulary=tag_vocabulary(Settings())
        )
        full, written = timed(lambda: builder.build(store, every=True))
        again, _ = timed(lambda: builder.build(store, every=True))
        for article in crawl_articles(CRAWL, args.articles):
            store.save(article)
        crawl, touched = timed(lambda: builder.build(store))
        store.close()
        size = sum(path.stat().st_size for path in out.rglob("*.xml")) / 1e6
        print(f"store: {args.articles:,} articles, {SITES} sites, {CITIES} cities")
        print(f"feeds: {len(written)}, {size:.0f} MB of Atom")
        print(f"{'build':<58}{'seconds':>9}{'CPU s':>9}")
        for name, (seconds, cpu) in (
            ("all feeds, from scratch", full),
            ("all feeds again (scrapy feeds build, entries kept)", again),
            (f"one crawl of {CRAWL} new articles: the {len(touched)} feeds it touches", crawl),
        ):
            print(f"{name:<58}{seconds:>9.2f}{cpu:>9.2f}")
        serve_benchmark(out, args.seconds)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def serve_benchmark(out: Path, seconds: float) -> None:
    ours, plain = free_port(), free_port()
    code = (
        "import sys; from scrapy.settings import Settings; from twisted.internet import reactor;"
        "from feeds.serve import listen;"
        "listen(Settings({'FEEDS_DIR': sys.argv[1]}), int(sys.argv[2])); reactor.run()"
    )
    servers = [
        subprocess.Popen([sys.executable, "-c", code, str(out), str(ours)], cwd=ROOT),
        subprocess.Popen(
            [sys.executable, "-m", "http.server", str(plain), "--bind", "127.0.0.1", "--directory", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        wait_for(ours)
        wait_for(plain)
        feed = "/city/" + quote(next(p.name for p in (out / "city").iterdir()))
        connection = http.client.HTTPConnection("127.0.0.1", ours)
        connection.request("GET", feed)
        response = connection.getresponse()
        etag, size = response.getheader("ETag"), len(response.read())
        connection.close()
        connection = http.client.HTTPConnection("127.0.0.1", plain)
        connection.request("GET", feed)
        response = connection.getresponse()
        modified = response.getheader("Last-Modified")
        response.read()
        connection.close()
        pattern = quote("新闻|项目")
        cases = [
            (f"full feed ({size // 1000} KB)", ours, [feed], {}, plain, {}),
            ("304 (If-None-Match; http.server: If-Modified-Since)", ours, [feed], {"If-None-Match": etag},
             plain, {"If-Modified-Since": modified}),
            ("?filter=…&limit=5 (the same query again)", ours, [f"{feed}?filter={pattern}&limit=5"],
             {}, None, {}),
            ("?filter=…&limit=N (each query new)", ours,
             [f"{feed}?filter={pattern}&limit={n}" for n in range(1, 1000)], {}, None, {}),
        ]  # fmt: skip
        print(f"{'requests per second, loopback, new connection each':<58}{'ours':>9}{'http.server':>13}")
        for name, port, paths, headers, peer, peer_headers in cases:
            rate, status = per_second(port, forever(*paths), headers, seconds)
            peer_rate = (
                f"{per_second(peer, forever(*paths), peer_headers, seconds)[0]:>13,.0f}"
                if peer
                else f"{'—':>13}"
            )
            print(f"{name + f' [{status}]':<58}{rate:>9,.0f}{peer_rate}")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
