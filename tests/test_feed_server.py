"""The feeds of a real crawl of the mirror, and `scrapy feeds serve` answering for them as readers need:
valid feeds, conditional GETs, gzip, HEAD, filters, formats, the web index, nothing outside the
feed folder; a real reader (newsboat) and a real browser (headless Chromium) against it."""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import feedparser
import pytest

from core.chinese import to_simplified
from tests.conftest import REPO, Workspace
from tests.feeds_checks import assert_valid_atom, feed_files

pytestmark = pytest.mark.slow

OLD_ARTICLE = "http://www.qzwb.com/gb/content/2015-11/06/content_5231580.htm"


@dataclass
class Crawled:
    workspace: Workspace
    stats: dict


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    feeds_dir: Path

    def get(self, path: str, headers: dict[str, str] | None = None, method: str = "GET"):
        request = urllib.request.Request(
            self.url + path.removeprefix("/"), headers=headers or {}, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory, mirror_url: str) -> Crawled:
    workspace = Workspace(tmp_path_factory.mktemp("crawl"), mirror_url)
    return Crawled(workspace, workspace.crawl("qzwb"))


def serve(workspace: Workspace, *settings: str) -> Server:
    options = [option for setting in settings for option in ("-s", setting)]
    process = subprocess.Popen(
        workspace.command("feeds", "serve", "--port", "0", *options),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
    assert match, line + process.stderr.read()
    return Server(match.group(1), process, workspace.feeds_dir)


@pytest.fixture(scope="module")
def server(crawled: Crawled) -> Iterator[Server]:
    running = serve(crawled.workspace)
    yield running
    running.process.terminate()
    running.process.wait(timeout=10)


def test_every_feed_of_the_crawl_is_valid_atom_that_feedparser_reads(crawled: Crawled) -> None:
    paths = feed_files(crawled.workspace.feeds_dir)
    assert len(paths) > 10
    kinds = {path.relative_to(crawled.workspace.feeds_dir).parts[0] for path in paths}
    assert kinds >= {"all.xml", "city", "province", "initiative", "site", "topic"}
    for path in paths:
        assert_valid_atom(path.read_bytes(), str(path))


def test_an_old_articles_entry_is_updated_when_it_was_published_not_when_crawled(crawled: Crawled) -> None:
    feed = feedparser.parse((crawled.workspace.feeds_dir / "all.xml").read_bytes())
    (entry,) = [entry for entry in feed.entries if entry.link == OLD_ARTICLE]
    assert entry.updated == entry.published == "2015-11-06T09:12:00+08:00"
    assert feed.feed.updated == feed.entries[0].published


def test_index_page_links_every_feed_and_the_opml(server: Server) -> None:
    status, headers, body = server.get("/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    page = body.decode("utf-8")
    catalogue = json.loads((server.feeds_dir / "index.json").read_bytes())["feeds"]
    for feed in catalogue:
        assert f'href="{server.url}{quote(feed["path"])}"' in page, feed["path"]
    assert 'rel="alternate" type="application/atom+xml"' in page and "feeds.opml" in page
    assert "<svg" in page


def test_a_second_get_with_the_etag_is_answered_304(server: Server) -> None:
    status, headers, body = server.get("/all.xml")
    assert status == 200 and headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert (
        headers["ETag"].startswith('"')
        and headers["Last-Modified"]
        and "max-age=1800" in headers["Cache-Control"]
    )
    status, again, body = server.get("/all.xml", {"If-None-Match": headers["ETag"]})
    assert (status, body, again["ETag"]) == (304, b"", headers["ETag"])
    status, _, _ = server.get("/all.xml", {"If-Modified-Since": headers["Last-Modified"]})
    assert status == 304


def test_gzip_when_asked_and_head(server: Server) -> None:
    _, _, plain = server.get("/all.xml")
    status, headers, body = server.get("/all.xml", {"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == plain
    assert headers["Vary"] == "Accept-Encoding"
    status, headers, body = server.get("/all.xml", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) == len(plain)


def test_self_links_follow_the_address_served(server: Server) -> None:
    _, _, body = server.get("/all.xml")
    assert f'href="{server.url}all.xml" rel="self"'.encode() in body
    _, _, opml = server.get("/feeds.opml")
    assert f'xmlUrl="{server.url}all.xml"'.encode() in opml and b"8080" not in opml


def test_filter_and_limit_keep_at_most_that_many_matching_entries(server: Server) -> None:
    status, headers, body = server.get("/all.xml?filter=" + quote("海丝") + "&limit=5")
    assert status == 200
    feed = assert_valid_atom(body)
    assert 0 < len(feed.entries) <= 5
    for entry in feed.entries:
        assert "海丝" in to_simplified(entry.title + entry.summary + entry.content[0].value)
    _, plain, _ = server.get("/all.xml")
    assert headers["ETag"] != plain["ETag"]


def test_opencc_s2t_returns_traditional_text(server: Server) -> None:
    status, _, body = server.get("/all.xml?opencc=s2t")
    assert status == 200
    feed = assert_valid_atom(body)
    titles = "".join(entry.title for entry in feed.entries)
    assert "海絲先行區建設紮實推進" in titles and "海丝先行区" not in titles


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("filter=(", "filter: not a regular expression"),
        ("limit=-1", "limit must be a whole number"),
        ("city=" + quote("火星"), "unknown city"),
        ("opencc=x2y", "opencc must be one of"),
        ("format=pdf", "format must be one of"),
    ],
)
def test_bad_parameters_get_a_400_with_a_one_line_reason(server: Server, query: str, reason: str) -> None:
    status, headers, body = server.get("/all.xml?" + query)
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert reason in body.decode() and body.decode().count("\n") == 1


def test_tag_parameters_and_other_formats(server: Server) -> None:
    _, _, body = server.get("/all.xml?city=" + quote("厦门"))
    assert all(any(t.term == "厦门" for t in e.tags) for e in assert_valid_atom(body).entries)
    status, headers, body = server.get("/all.rss")
    assert status == 200 and headers["Content-Type"].startswith("application/rss+xml")
    rss = feedparser.parse(body)
    assert rss.version == "rss20" and not rss.bozo and len(rss.entries) == 16
    status, headers, body = server.get("/all.xml?format=json&limit=2")
    data = json.loads(body)
    assert data["version"] == "https://jsonfeed.org/version/1.1" and len(data["items"]) == 2
    assert data["feed_url"] == server.url + "all.json"
    status, headers, body = server.get("/city/" + quote("泉州") + ".html")
    assert status == 200 and "地方新闻 · 泉州" in body.decode()


REFUSED = (
    "/city/", "/city", "/%00", "/..%2f..%2fetc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/../../etc/passwd",
    "//etc/passwd", "/index.json", "/.all.xml.tmp", "/favicon.ico", "/all.xml/", "/etc/passwd",
    "/all.xml%00",
)  # fmt: skip


@pytest.mark.parametrize("path", REFUSED)
def test_nothing_outside_the_feeds_is_served(server: Server, path: str) -> None:
    with socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1].strip("/")))) as sock:
        sock.sendall(f"GET {path} HTTP/1.0\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status = answer.split(b" ", 2)[1]
    assert status in (b"404", b"400"), (path, answer[:200])
    assert b"root:" not in answer and b"Traceback" not in answer and b"Index of" not in answer


def test_a_symlink_in_the_feed_folder_is_not_followed(server: Server, tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_text("<secret/>")
    catalogue = server.feeds_dir / "index.json"
    data = json.loads(catalogue.read_bytes())
    link = server.feeds_dir / "city" / "链接.xml"
    link.symlink_to(secret)
    entry = dict(data["feeds"][0], path="city/链接.xml")
    original = catalogue.read_bytes()
    catalogue.write_text(json.dumps({"feeds": [*data["feeds"], entry]}, ensure_ascii=False))
    try:
        status, _, body = server.get("/city/" + quote("链接") + ".xml")
        assert status == 404 and b"secret" not in body
    finally:
        catalogue.write_bytes(original)
        link.unlink()


def test_404_is_a_page_of_our_own(server: Server) -> None:
    status, headers, body = server.get("/no/such.xml")
    assert (
        status == 404
        and "没有这个订阅源" in body.decode()
        and headers["Content-Type"].startswith("text/html")
    )


def test_every_request_is_logged(crawled: Crawled) -> None:
    running = serve(crawled.workspace)
    running.get("/all.xml?limit=1")
    time.sleep(0.5)
    running.process.terminate()
    _, errors = running.process.communicate(timeout=10)
    assert re.search(r'"GET /all.xml\?limit=1 HTTP/1.1" 200 \d+', errors), errors[-2000:]


def test_idle_connections_are_closed_within_seconds(crawled: Crawled) -> None:
    running = serve(crawled.workspace)
    try:
        port = int(running.url.rsplit(":", 1)[1].strip("/"))
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.settimeout(30)
            began = time.monotonic()
            assert sock.recv(1) == b""
            assert time.monotonic() - began < 20
    finally:
        running.process.terminate()
        running.process.wait(timeout=10)


def test_feeds_base_url_names_the_public_address(crawled: Crawled) -> None:
    running = serve(crawled.workspace, "FEEDS_BASE_URL=https://news.example.org/feeds/")
    try:
        _, _, body = running.get("/all.xml")
        assert b'href="https://news.example.org/feeds/all.xml" rel="self"' in body
    finally:
        running.process.terminate()
        running.process.wait(timeout=10)


def test_a_port_in_use_is_one_clear_line(crawled: Crawled) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = crawled.workspace.scrapy("feeds", "serve", "--port", str(port), check=False)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and f"cannot serve on 127.0.0.1:{port}" in result.stderr


def test_feeds_list_tells_what_there_is(crawled: Crawled, tmp_path: Path) -> None:
    listing = crawled.workspace.scrapy("feeds", "list").stdout
    assert "地方新闻 · 全部\n  http://127.0.0.1:8080/all.xml  16 entries  newest: " in listing
    empty = Workspace(tmp_path, crawled.workspace.mirror_url).scrapy("feeds", "list").stdout
    assert empty.startswith("No feeds yet") and ".xml" not in empty


def test_a_custom_topic_naming_an_unknown_city_stops_the_build(crawled: Crawled, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "topics:\n  mars:\n    title: 火星\n    include:\n      cities: [火星]\n", encoding="utf-8"
    )
    result = crawled.workspace.scrapy("feeds", "build", "-s", f"FEEDS_FILES={mine}", check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == "feeds.yaml: topic 'mars': include: unknown city '火星'"


# -- a real reader and a real browser ---------------------------------------------------------


def newsboat_reload(home: Path, urls: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["newsboat", "-u", str(urls), "-c", str(cache), "-C", str(home / "config"), "-x", "reload"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(home)},
    )  # fmt: skip


@pytest.mark.skipif(
    shutil.which("newsboat") is None, reason="newsboat is not installed (scripts/test-deps.sh)"
)
def test_newsboat_imports_the_opml_reloads_twice_and_shows_the_articles(
    crawled: Crawled, tmp_path: Path
) -> None:
    running = serve(crawled.workspace)
    try:
        _, _, opml = running.get("/feeds.opml")
        (tmp_path / "feeds.opml").write_bytes(opml)
        (tmp_path / "config").write_text("", encoding="utf-8")
        urls, cache = tmp_path / "urls", tmp_path / "cache.db"
        imported = subprocess.run(
            ["newsboat", "-u", str(urls), "-C", str(tmp_path / "config"), "-i", str(tmp_path / "feeds.opml")],
            capture_output=True, text=True, timeout=60, env={**os.environ, "HOME": str(tmp_path)},
        )  # fmt: skip
        assert imported.returncode == 0, imported.stderr
        assert f"{running.url}all.xml" in urls.read_text(encoding="utf-8")
        urls.write_text(f"{running.url}all.xml\n{running.url}city/{quote('泉州')}.xml\n", encoding="utf-8")
        # Debian's newsboat 2.21 stores a feed's ETag only from its second reload on (newsboat
        # issue #2734): one reload to make the feed known, then the two that count.
        for _ in range(3):
            result = newsboat_reload(tmp_path, urls, cache)
            assert result.returncode == 0, result.stderr
        running.process.terminate()
        _, log = running.process.communicate(timeout=10)
    finally:
        if running.process.poll() is None:
            running.process.terminate()
    requests = re.findall(r'"GET /all.xml HTTP/1.1" (\d{3})', log)
    assert requests == ["200", "200", "304"], log[-2000:]
    titles = {row[0] for row in sqlite3.connect(cache).execute("SELECT title FROM rss_item")}
    assert "晋江鞋企抱团开拓“海丝”沿线市场" in titles and len(titles) == 16


def chromium_driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    profile = tempfile.mkdtemp(prefix="chromium-")
    for argument in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--window-size=375,800",
    ):  # fmt: skip
        options.add_argument(argument)
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver")), profile


def browser_missing() -> str | None:
    """Why the browser test cannot run here, if it cannot."""
    if not Path("/usr/bin/chromium").exists():
        return "chromium is not installed (scripts/test-deps.sh)"
    if not Path("/usr/bin/chromedriver").exists():
        return "chromium-driver is not installed (scripts/test-deps.sh)"
    if importlib.util.find_spec("selenium") is None:
        return "selenium is not installed (pip install -e .[dev])"
    return None


BROWSER_MISSING = browser_missing()


@pytest.mark.skipif(BROWSER_MISSING is not None, reason=BROWSER_MISSING or "")
def test_a_person_on_a_phone_sees_the_feeds_a_chart_and_a_working_subscribe_link(server: Server) -> None:
    from selenium.webdriver.common.by import By

    driver, profile = chromium_driver()
    try:
        driver.get(server.url)
        assert driver.title == "地方新闻 · 订阅源"
        titles = [link.text for link in driver.find_elements(By.CSS_SELECTOR, ".feeds li > a:first-child")]
        assert "地方新闻 · 全部" in titles and "地方新闻 · 泉州" in titles and "泉州 · 海丝先行区" in titles
        charts = driver.find_elements(By.CSS_SELECTOR, ".chart svg")
        assert charts and charts[0].is_displayed() and charts[0].size["width"] > 100
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= driver.execute_script("return window.innerWidth"), "horizontal scroll on a phone"
        subscribe = driver.find_element(By.CSS_SELECTOR, ".feeds li a.subscribe")
        href = subscribe.get_attribute("href")
        assert href == server.url + "all.xml"
        status, headers, _ = server.get(href.removeprefix(server.url))
        assert status == 200 and headers["Content-Type"].startswith("application/atom+xml")
        autodiscovered = driver.find_elements(
            By.CSS_SELECTOR, 'link[rel="alternate"][type="application/atom+xml"]'
        )
        assert autodiscovered[0].get_attribute("href") == server.url + "all.xml"
        driver.find_element(By.LINK_TEXT, "地方新闻 · 泉州").click()
        assert driver.find_elements(By.CSS_SELECTOR, "article.entry h3 a")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
