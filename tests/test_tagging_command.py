"""`scrapy tag` and the TagPipeline: both clean first, then tag only the cleaned title and body."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.chinese import to_simplified
from core.items import Article
from crawler.commands.tag import tag_document
from processors.tag import TagPipeline, apply_tags
from processors.tagging import Tagger

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "data" / "seeds"
GOLD = {s["file"]: s for s in json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))["seeds"]}


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.default()


def seed_body(seed: dict) -> list[str]:
    first, last = seed["body_lines"]
    return (SEEDS / seed["file"]).read_text(encoding="utf-8").split("\n")[first : last + 1]


def without_suffix(name: str) -> str:
    return name[:-1] if len(name) > 2 and name[-1] in "市区县" else name


@pytest.mark.parametrize("name", sorted(GOLD), ids=[n[:3] for n in sorted(GOLD)])
def test_cleaned_seed_matches_gold(tagger: Tagger, name: str) -> None:
    seed = GOLD[name]
    tags = tag_document((SEEDS / name).read_bytes(), tagger)
    for kind in ("cities", "counties", "provinces", "initiatives"):
        if kind == "initiatives":
            found = {i["id"] for i in tags[kind]}
        else:
            found = {without_suffix(n) for n in tags[kind]}
        assert set(seed[kind]["required"]) <= found, kind
        assert found <= set(seed[kind]["required"]) | set(seed[kind]["allowed"]), kind


def test_removed_boilerplate_gives_no_tags(tagger: Tagger) -> None:
    """Seed 002's related-news list names 厦门, 漳州 and 金门; cleaning removes it first."""
    tags = tag_document((SEEDS / "002_f71da86f45d69cb6.txt").read_bytes(), tagger)
    assert tags["cities"] == ["泉州"]
    assert not {"厦门", "漳州", "金门"} & set(tags["cities"] + tags["counties"])


def test_pipeline_fills_the_tag_fields(tagger: Tagger) -> None:
    item = Article(
        url="http://example.com/1.htm",
        site="generic",
        title="晉江市舉行招商大會",
        body="泉州晚報訊 昨日，晉江市舉行招商大會。",
    )
    apply_tags(item, tagger)
    assert (item.cities, item.counties, item.provinces) == (["泉州"], ["晋江"], ["福建"])
    assert item.primary_city == "泉州"
    assert item.tag_evidence["晋江"] == {"晋江市": 2}
    assert len(item.keywords) > 0


def test_pipeline_prefers_body_simplified(tagger: Tagger) -> None:
    item = Article(
        url="u", site="generic", title="标题", body="这里没有地名。", body_simplified="标题\n厦门举行会议。"
    )
    assert TagPipeline(tagger).process_item(item).cities == ["厦门"]


def run_scrapy(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "scrapy.cmdline", "tag", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_scrapy_tag_command_jsonl_and_errors(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    run = run_scrapy("--jsonl", str(SEEDS / "004_30c06082d0510420.txt"), str(missing))
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(lines) == 2
    assert lines[0]["provinces"] == ["辽宁"]
    text = to_simplified(lines[0]["title"] + "\n" + "\n".join(seed_body(GOLD["004_30c06082d0510420.txt"])))
    full, short = text.count("辽宁沿海经济带"), text.count("沿海经济带")
    assert lines[0]["initiatives"][0] == {
        "id": "liaoning-coastal-economic-belt",
        "name": "辽宁沿海经济带",
        "evidence": {"辽宁沿海经济带": full, "沿海经济带": short - full},
    }
    assert {"cities", "counties", "provinces", "primary_city", "initiatives", "keywords"} <= set(lines[0])
    assert "error" in lines[1] and lines[1]["file"] == str(missing)
    assert "missing.txt" in run.stderr
    assert run.returncode == 1
