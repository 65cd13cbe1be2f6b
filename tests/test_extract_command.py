"""`scrapy extract`: pages and texts in, one JSON object each out; bad input never stops the run."""

from __future__ import annotations

import json

from crawler.mirror import DEFAULT_ROOT
from tests.conftest import DATA, Workspace

SEED_000 = DATA / "seeds" / "000_e861c97a552ba356.txt"
GBK_PAGE = DEFAULT_ROOT / "qzwb/www.qzwb.com/gb/content/2016-05/12/content_5400123.htm"


def test_text_and_page_and_missing_file(workspace: Workspace, tmp_path) -> None:
    missing = tmp_path / "missing.html"
    result = workspace.scrapy(
        "extract",
        "--jsonl",
        "--url",
        "http://www.qzwb.com/gb/content/2016-05/12/content_5400123.htm",
        str(SEED_000),
        str(missing),
        str(GBK_PAGE),
        check=False,
    )
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(objects) == 3
    text, error, page = objects
    assert text["extractor"] == "text"
    assert text["title"] == "海絲先行區藍圖初步成型 在延續歷史中創造新的歷史"
    assert text["reporters"] == ["郑意凡"]
    assert "mojibake" in text["quality"] and "no_date" in text["quality"]
    assert "error" in error and str(missing) in result.stderr
    assert page["extractor"] == "qzwb"
    assert page["published"] == "2016-05-12T10:05:00+08:00"
    assert page["title"].startswith("南安水头石材产业转型升级")
    assert result.returncode == 1


def test_unknown_site_is_a_clear_error(workspace: Workspace) -> None:
    result = workspace.scrapy("extract", "--site", "nosuchsite", str(SEED_000), check=False)
    assert "unknown site 'nosuchsite'" in result.stderr
    assert json.loads(result.stdout)["error"]
