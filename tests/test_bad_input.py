"""`scrapy extract` and `scrapy tag` on what is not a page or a text: one line per file saying what
is wrong, a nonzero exit, the other files still read, and never more than MAX_PAGE_BYTES in memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.commands._documents import CUT, InputError, checked_text, read_input
from crawler.encoding import decode_html
from crawler.mirror import DEFAULT_ROOT
from tests.conftest import DATA, REPO

PNG = DATA / "bad_input" / "icon.png"
GBK_PAGE = DEFAULT_ROOT / "qzwb/www.qzwb.com/gb/content/2016-05/12/content_5400123.htm"
SEED = DATA / "seeds" / "004_30c06082d0510420.txt"
MAX_PAGE_BYTES = 32 * 1024 * 1024


def utf16_page(tmp_path: Path) -> Path:
    """The GBK mirror page saved again as UTF-16 with its BOM (its meta tag still says gb2312)."""
    text, _ = decode_html(GBK_PAGE.read_bytes())
    path = tmp_path / "utf16.htm"
    path.write_bytes(text.encode("utf-16"))
    return path


@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Each bad input and the words its line must hold."""
    empty, blank, big = tmp_path / "empty.html", tmp_path / "blank.txt", tmp_path / "big.html"
    deep = tmp_path / "deep.html"
    deep.write_bytes(b"<html><body>" + b"<div>" * 3000 + "<p>文字在深处。</p>".encode() + b"</div>" * 3000)
    empty.write_bytes(b"")
    blank.write_bytes(b" \n\t\r\n")
    page = GBK_PAGE.read_bytes()
    with open(big, "wb") as handle:  # 40 MB of a real page's text
        handle.write(page * (40 * 1024 * 1024 // len(page) + 1))
    return {
        "png": (PNG, "not text: binary data"),
        "elf": (Path(sys.executable).resolve(), "not text: binary data"),
        "empty": (empty, "empty file"),
        "deep": (deep, "no text: markup nested deeper than the parser can read"),
        "blank": (blank, "only white space"),
        "zero": (Path("/dev/zero"), "larger than 33,554,432 bytes (MAX_PAGE_BYTES)"),
        "big": (big, "larger than 33,554,432 bytes (MAX_PAGE_BYTES)"),
        "missing": (tmp_path / "missing.html", "No such file"),
    }


def scrapy(command: str, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", command, "--jsonl", *map(str, files)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("command", ["extract", "tag"])
def test_each_bad_file_is_one_line_and_the_good_ones_are_read(command, bad_files, tmp_path) -> None:
    page = utf16_page(tmp_path)
    files = [SEED, *(path for path, _ in bad_files.values()), page]
    run = scrapy(command, *files)
    assert run.returncode == 1
    objects = [json.loads(line) for line in run.stdout.splitlines()]
    assert [item["file"] for item in objects] == [str(path) for path in files]
    errors = run.stderr.splitlines()
    assert len(errors) == len(bad_files), run.stderr
    for (path, words), line, item in zip(bad_files.values(), errors, objects[1:-1], strict=True):
        assert line.startswith(f"scrapy {command}: {path}: ") and words in line
        assert words in item["error"]
    assert "error" not in objects[0] and "error" not in objects[-1]
    assert objects[-1]["title"].startswith("南安水头石材产业转型升级")
    if command == "extract":
        assert objects[-1]["published"] == "2016-05-12T10:05:00+08:00"
        assert "\ufffd" not in objects[-1]["body"] and len(objects[-1]["body"]) > 200
    else:
        assert "泉州" in objects[-1]["cities"]


@pytest.mark.parametrize("command", ["extract", "tag"])
def test_a_20_mb_article_is_read_cut_at_max_body_chars_and_said_so(command, tmp_path) -> None:
    paragraph = "<p>晋江鞋服产业转型升级，泉州制造走向世界。</p>\n".encode("gbk")
    text = paragraph * (20 * 1024 * 1024 // len(paragraph))
    page = GBK_PAGE.read_bytes().replace(b"</p>", b"</p>\n" + text, 1)
    path = tmp_path / "long.htm"
    path.write_bytes(page)
    run = scrapy(command, path)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [f"scrapy {command}: {path}: {CUT}"]
    item = json.loads(run.stdout)
    assert item["truncated"] is True and "error" not in item
    if command == "extract":
        assert 90_000 < len(item["body"]) <= 100_000
    else:
        assert "泉州" in item["cities"]


def test_a_utf16_page_reads_as_the_same_page(tmp_path) -> None:
    run = scrapy("extract", GBK_PAGE, utf16_page(tmp_path))
    assert run.returncode == 0, run.stderr
    decoder = json.JSONDecoder()
    first, end = decoder.raw_decode(run.stdout)
    second, _ = decoder.raw_decode(run.stdout[end:].lstrip())
    for key in ("title", "published", "outlet", "reporters", "body"):
        assert first[key] == second[key]


def test_at_most_the_limit_and_one_byte_is_read(tmp_path) -> None:
    assert read_input(str(SEED), SEED.stat().st_size) == SEED.read_bytes()
    with pytest.raises(InputError, match="larger than 9 bytes"):
        read_input("/dev/zero", 9)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"\n \n", "only white space"),
        (bytes(range(256)) * 4, "not text: binary data"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" * 50, "not text: binary data"),
    ],
)
def test_what_is_not_a_text_is_named(data, message) -> None:
    with pytest.raises(InputError, match=message):
        checked_text(data)


def test_a_text_with_a_few_stray_controls_is_still_a_text() -> None:
    text = "泉州晚报讯 今天上午，" * 50 + "\x07"
    assert checked_text(text.encode("utf-16")) == text
