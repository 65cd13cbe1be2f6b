"""The project under Scrapyd, the field's own daemon for running spiders: `scrapyd-deploy` builds its
egg and uploads it to a real Scrapyd, which crawls one site against the local mirror.

Scrapyd runs in a venv that holds the dependencies but not the project, so the crawl's code, data
files, page objects and migrations can come only from the egg (read from the zip, as Scrapyd does).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest
import yaml

from storage.store import ArticleStore
from tests.conftest import DATA
from tests.installs import dependencies_venv, source_copy

pytestmark = pytest.mark.slow

PROJECT = "regional-news-monitor"
SITE = "qzwb"
DEADLINE = 180.0
"""Seconds to wait for Scrapyd to come up, or for the crawl to finish, before the test fails."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(url: str, data: list[tuple[str, str]] | None = None) -> dict:
    """A Scrapyd API call: GET, or POST *data*; its JSON answer."""
    body = urlencode(data).encode() if data is not None else None
    with urlopen(url, body, timeout=30) as response:
        return json.load(response)


def wait_for(condition, what: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert process.poll() is None, f"scrapyd exited while waiting for {what}"
        assert time.monotonic() < deadline, f"no {what} within {DEADLINE:.0f} s"
        time.sleep(0.2)


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """A Scrapyd on a free port, in a folder of its own, run by a python without the project."""
    python = dependencies_venv(tmp_path / "venv")
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\npoll_interval = 0.2\nmax_proc = 1\n"
    )
    log = (tmp_path / "scrapyd.log").open("w")
    process = subprocess.Popen([python, "-m", "scrapyd"], cwd=home, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"

    def up() -> bool:
        try:
            return call(url + "daemonstatus.json")["status"] == "ok"
        except OSError:
            return False

    try:
        wait_for(up, "answer from scrapyd", process)
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_a_crawl_scheduled_on_scrapyd_runs_from_the_deployed_egg(
    scrapyd: tuple[str, subprocess.Popen], mirror_url: str, tmp_path: Path
) -> None:
    url, process = scrapyd
    source = source_copy(tmp_path / "source")
    with (source / "scrapy.cfg").open("a") as config:
        config.write(f"\n[deploy:test]\nurl = {url}\nproject = {PROJECT}\n")
    deploy = Path(sys.executable).with_name("scrapyd-deploy")
    deployed = subprocess.run(
        [deploy, "test", "--version", "1"], cwd=source, capture_output=True, text=True, timeout=300
    )
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert SITE in call(f"{url}listspiders.json?project={PROJECT}")["spiders"]  # listed from the egg

    database, feeds, stats = tmp_path / "news.db", tmp_path / "feeds", tmp_path / "stats.json"
    settings = {
        "MIRROR_URL": mirror_url,
        "DATABASE_URL": f"sqlite:///{database}",
        "FEEDS_DIR": str(feeds),
        "STATS_FILE": str(stats),
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
    }
    job = call(
        url + "schedule.json",
        [("project", PROJECT), ("spider", SITE)] + [("setting", f"{k}={v}") for k, v in settings.items()],
    )
    assert job["status"] == "ok", job

    def finished() -> bool:
        jobs = call(f"{url}listjobs.json?project={PROJECT}")
        return any(done["id"] == job["jobid"] for done in jobs["finished"])

    wait_for(finished, "finished crawl", process)
    log = (tmp_path / "scrapyd" / "logs" / PROJECT / SITE / f"{job['jobid']}.log").read_text("utf-8")
    assert "Traceback" not in log, log[-3000:]
    outcome = json.loads(stats.read_text(encoding="utf-8"))
    assert outcome["finish_reason"] == "finished" and "log_count/ERROR" not in outcome
    store = ArticleStore(f"sqlite:///{database}")
    expected = set(yaml.safe_load((DATA / "mirror_expected" / f"{SITE}.yaml").read_text(encoding="utf-8")))
    assert {stored.article.url for stored in store.latest(100)} == expected
    assert all(stored.article.extractor == SITE for stored in store.latest(100))  # its own page object
    store.close()
    assert (feeds / "all.xml").exists() and (feeds / "city" / "泉州.xml").exists()
