"""The fault-injecting mirror: each fault is answered as crawler/faults.py describes it."""

from __future__ import annotations

import http.client
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from crawler.faults import Fault, FaultError, load_faults
from crawler.mirror import MirrorServer
from tests.conftest import REPO

PAGE = "/www.qzwb.com/gb/content/2017-11/06/content_5745318.htm"


def fetch(fault_mirror: MirrorServer, fault: Fault, path: str = PAGE) -> http.client.HTTPResponse:
    fault_mirror.faults.set([fault])
    host, port = fault_mirror.server_address[:2]
    connection = http.client.HTTPConnection(str(host), port, timeout=5)
    connection.request("GET", path)
    return connection.getresponse()


def test_status_with_retry_after(fault_mirror: MirrorServer) -> None:
    response = fetch(fault_mirror, Fault(match="content_", kind="status", status=429, retry_after="2"))
    assert (response.status, response.getheader("Retry-After")) == (429, "2")


def test_times_limits_a_fault_then_the_page_is_served(fault_mirror: MirrorServer) -> None:
    fault_mirror.faults.set([Fault(match="content_", kind="status", status=500, times=1)])
    host, port = fault_mirror.server_address[:2]
    statuses = []
    for _ in range(2):
        connection = http.client.HTTPConnection(str(host), port, timeout=5)
        connection.request("GET", PAGE)
        statuses.append(connection.getresponse().status)
    assert statuses == [500, 200]


def test_redirect_loop_points_back_and_forth(fault_mirror: MirrorServer) -> None:
    first = fetch(fault_mirror, Fault(match="content_", kind="redirect_loop"))
    assert first.status == 302 and first.getheader("Location").endswith("content_5745318.htm?loop=1")
    second = fetch(fault_mirror, Fault(match="content_", kind="redirect_loop"), PAGE + "?loop=1")
    assert second.getheader("Location").endswith("content_5745318.htm")


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("reset", ConnectionResetError),
        ("truncate", http.client.IncompleteRead),
        ("hang", http.client.HTTPException),
    ],
)
def test_connection_faults(fault_mirror: MirrorServer, kind: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        fetch(fault_mirror, Fault(match="content_", kind=kind, seconds=0.5)).read()


@pytest.mark.parametrize(
    ("fault", "check"),
    [
        (Fault(match="content_", kind="empty"), lambda body: body == b""),
        (Fault(match="content_", kind="binary"), lambda body: body.startswith(b"\x89PNG")),
        (Fault(match="content_", kind="utf16"), lambda body: body.startswith(b"\xff\xfe")),
        (Fault(match="content_", kind="huge", size=300_000), lambda body: len(body) >= 300_000),
        (Fault(match="content_", kind="deep", depth=100), lambda body: b"<div>" * 100 in body),
        (Fault(match="content_", kind="nonxml"), lambda body: "\ufffe".encode() in body),
        (Fault(match="content_", kind="meta_refresh_offsite"), lambda body: b'http-equiv="refresh"' in body),
        (Fault(match="content_", kind="lying_charset"), lambda body: body.decode("gb18030")),
    ],
    ids=lambda value: value.kind if isinstance(value, Fault) else "",
)
def test_content_faults(fault_mirror: MirrorServer, fault: Fault, check) -> None:
    response = fetch(fault_mirror, fault)
    assert response.status == 200 and check(response.read())


def test_lying_gzip_claims_gzip_on_plain_bytes(fault_mirror: MirrorServer) -> None:
    response = fetch(fault_mirror, Fault(match="content_", kind="lying_gzip"))
    assert response.getheader("Content-Encoding") == "gzip"
    assert response.read().startswith(b"<!--")


def test_faults_are_counted(fault_mirror: MirrorServer) -> None:
    fetch(fault_mirror, Fault(match="content_", kind="empty")).read()
    assert fault_mirror.faults.injected["empty"] >= 1
    assert fault_mirror.faults.requests("content_5745318")


def test_yaml_faults_load_and_bad_ones_say_why(tmp_path: Path) -> None:
    good = tmp_path / "faults.yaml"
    good.write_text("- {match: 'content_', kind: status, status: 429, retry_after: '2', times: 1}\n")
    assert load_faults(good) == [Fault(match="content_", kind="status", status=429, retry_after="2", times=1)]
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {match: 'content_', kind: explode}\n")
    with pytest.raises(FaultError, match="fault 1: unknown fault kind 'explode'"):
        load_faults(bad)


def test_scrapy_mirror_serves_the_faults_of_a_yaml_file(tmp_path: Path) -> None:
    faults, url_file = tmp_path / "faults.yaml", tmp_path / "url"
    faults.write_text("- {match: 'content_5745318', kind: status, status: 410}\n", encoding="utf-8")
    command = [sys.executable, "-m", "scrapy", "mirror", "--port", "0", "--url-file", str(url_file)]
    process = subprocess.Popen(
        [*command, "--faults", str(faults)], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    try:
        assert (
            "Injecting 1 faults: status on content_5745318"
            in process.stdout.readline() + process.stdout.readline()
        )
        url = url_file.read_text(encoding="utf-8").strip()
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(url + PAGE, timeout=5)
        assert answer.value.code == 410
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_scrapy_mirror_refuses_a_bad_faults_file_in_one_line(tmp_path: Path) -> None:
    faults = tmp_path / "faults.yaml"
    faults.write_text("- {match: '(', kind: hang}\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "mirror", "--faults", str(faults)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"scrapy mirror: {faults}: fault 1: match '(' is not a regular expression "
        "(missing ), unterminated subpattern at position 0)"
    ]
