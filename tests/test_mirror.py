"""The local mirror server: files by host and path, header overrides, gzip, nothing outside its root."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request

import pytest

from crawler.mirror import mirror_path, mirrored_url, server_url, start_in_thread


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_real_url_maps_to_host_and_path() -> None:
    assert mirror_path("http://www.qzwb.com/gb/node/node_538.htm") == "www.qzwb.com/gb/node/node_538.htm"
    assert (
        mirrored_url("http://127.0.0.1:9/", "https://news.qzwb.com/a?b=1")
        == "http://127.0.0.1:9/news.qzwb.com/a?b=1"
    )


def test_serves_a_list_page(mirror_url: str) -> None:
    status, headers, body = fetch(f"{mirror_url}/news.qzwb.com/gb/node/node_538.htm")
    assert status == 200
    assert headers["Content-Type"] == "text/html"
    assert b"news_c_2" in body


def test_header_override_reproduces_a_wrong_charset(mirror_url: str) -> None:
    _, headers, body = fetch(f"{mirror_url}/www.qzwb.com/gb/content/2016-05/12/content_5400123.htm")
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


@pytest.mark.parametrize(
    "path",
    [
        "/www.qzwb.com/gb/content/2099-01/01/content_1.htm",
        "/../pyproject.toml",
        "/www.qzwb.com/%2e%2e/%2e%2e/pyproject.toml",
    ],
)
def test_missing_and_escaping_paths_are_404(mirror_url: str, path: str) -> None:
    assert fetch(mirror_url + path)[0] == 404


def test_headers_file_can_send_a_file_gzipped(mirror_url: str) -> None:
    request = urllib.request.Request(f"{mirror_url}/www.qzwb.com/gb/content/2016-09/20/content_5487265.htm")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        page = gzip.decompress(response.read())
    assert "石狮服装城".encode("gb18030") in page


def test_gzip_option_compresses_for_clients_that_accept_it() -> None:
    server = start_in_thread(gzip_all=True)
    url = f"{server_url(server)}/news.qzwb.com/gb/node/node_538.htm"
    try:
        asked = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, deflate"})
        with urllib.request.urlopen(asked, timeout=10) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert b"news_c_2" in gzip.decompress(response.read())
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.headers["Content-Encoding"] is None
            assert b"news_c_2" in response.read()
    finally:
        server.shutdown()
        server.server_close()


def test_validators_are_sent_and_an_unchanged_file_is_answered_304(mirror_url: str) -> None:
    url = f"{mirror_url}/news.qzwb.com/gb/node/node_538.htm"
    status, headers, body = fetch(url)
    assert status == 200 and body and headers["ETag"].startswith('"') and headers["Last-Modified"]
    for validator in ({"If-None-Match": headers["ETag"]}, {"If-Modified-Since": headers["Last-Modified"]}):
        request = urllib.request.Request(url, headers=validator)
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(request, timeout=10)
        assert answer.value.code == 304 and answer.value.read() == b""
    stale = urllib.request.Request(url, headers={"If-None-Match": '"something-else"'})
    with urllib.request.urlopen(stale, timeout=10) as response:
        assert response.status == 200
