"""Issue 3's gold: every seed text through `extract_document`, field by field."""

from __future__ import annotations

import json

import pytest

from core.chinese import to_simplified
from crawler.commands._documents import extract_document
from processors.normalize import strip_pinyin_annotations
from tests.conftest import DATA

SEEDS = json.loads((DATA / "seeds" / "gold.json").read_text(encoding="utf-8"))["seeds"]


def gold_lines(seed: dict, key: str) -> list[str]:
    text = (DATA / "seeds" / seed["file"]).read_text(encoding="utf-8")
    lines = strip_pinyin_annotations(text).split("\n")
    first, last = seed[key]
    return [" ".join(line.split()) for line in lines[first : last + 1] if line.strip()]


@pytest.fixture(scope="module", params=SEEDS, ids=lambda seed: seed["file"][:3])
def extracted(request: pytest.FixtureRequest):
    seed = request.param
    return seed, extract_document((DATA / "seeds" / seed["file"]).read_bytes())


def test_body_is_exactly_the_gold_lines(extracted) -> None:
    seed, article = extracted
    body = article.body.split("\n")
    assert body == gold_lines(seed, "body_lines")
    assert body[0].startswith(seed["body_first_chars"])
    assert body[-1].endswith(seed["body_last_chars"])


def test_no_boilerplate_line_is_left(extracted) -> None:
    seed, article = extracted
    boilerplate = gold_lines(seed, "boilerplate_lines") if seed.get("boilerplate_lines") else []
    assert not set(boilerplate) & set(article.body.split("\n"))
    for word in ("责任编辑", "本网站所登载", "已有0人", "想爆料", "版权", "频道推荐"):
        assert word not in to_simplified(article.body)


def test_title(extracted) -> None:
    seed, article = extracted
    assert article.title == seed["title"]
    if seed.get("title_note", "").startswith("given as 原標題"):
        assert article.original_title == seed["title"]


def test_people_and_outlet(extracted) -> None:
    seed, article = extracted
    assert article.reporters == seed["reporters"]
    assert article.editors == seed["editors"]
    assert article.outlet == seed["outlet"]


def test_published(extracted) -> None:
    seed, article = extracted
    if seed["published"] is None:
        assert article.published is None
        assert "no_date" in article.quality
    elif "T" in seed["published"]:
        assert article.published.isoformat() == seed["published"]
    else:
        assert article.published.date().isoformat() == seed["published"]
        assert article.published.utcoffset().total_seconds() == 8 * 3600


def test_mojibake_is_flagged_not_dropped(extracted) -> None:
    seed, article = extracted
    assert ("mojibake" in article.quality) == bool(seed["mojibake"])


def test_body_keeps_its_script_and_simplified_copy_is_kept(extracted) -> None:
    seed, article = extracted
    assert article.body_simplified == to_simplified(f"{article.title or ''}\n{article.body}")
    if seed["file"].startswith("000"):
        assert "泉州網" in article.body and "泉州网" in article.body_simplified
