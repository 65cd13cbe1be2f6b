"""The five seed articles: every required tag of gold.json is found and none falls outside required + allowed.

The text is the gold body (and title) line range of each seed with pinyin annotations removed, so
this file tests the tagger alone; test_tagging_command.py runs the same seeds through the cleaning.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from processors.tagging import Tagger

SEEDS = Path(__file__).parent / "data" / "seeds"
GOLD = json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))
PINYIN = re.compile(r"(?<=[\u3400-\u9fff])\([a-zA-Züāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]+\)")


def gold_text(seed: dict) -> tuple[str | None, str]:
    lines = PINYIN.sub("", (SEEDS / seed["file"]).read_text(encoding="utf-8")).split("\n")
    title = lines[seed["title_line"]] if seed["title_line"] is not None else None
    if title and title.startswith("原標題"):
        title = title.split(":", 1)[1]
    first, last = seed["body_lines"]
    return title, "\n".join(lines[first : last + 1])


def without_suffix(name: str) -> str:
    """gold.json compares county names with a trailing 市, 区 or 县 removed."""
    return name[:-1] if len(name) > 2 and name[-1] in "市区县" else name


def check_against_gold(seed: dict, result: dict) -> list[str]:
    problems = []
    for kind in ("cities", "counties", "provinces"):
        found = {without_suffix(name) for name in result[kind]}
        required, allowed = set(seed[kind]["required"]), set(seed[kind]["allowed"])
        problems += [f"{kind}: missing {name}" for name in sorted(required - found)]
        problems += [f"{kind}: wrong {name}" for name in sorted(found - required - allowed)]
    found = {initiative["id"] for initiative in result["initiatives"]}
    required, allowed = set(seed["initiatives"]["required"]), set(seed["initiatives"]["allowed"])
    problems += [f"initiatives: missing {i}" for i in sorted(required - found)]
    problems += [f"initiatives: wrong {i}" for i in sorted(found - required - allowed)]
    return problems


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.default()


@pytest.mark.parametrize("seed", GOLD["seeds"], ids=[s["file"][:3] for s in GOLD["seeds"]])
def test_seed_matches_gold(tagger: Tagger, seed: dict) -> None:
    title, body = gold_text(seed)
    assert check_against_gold(seed, tagger.tag(title, body).to_dict()) == []


def seed(number: str) -> dict:
    return next(s for s in GOLD["seeds"] if s["file"].startswith(number))


def test_001_abbreviations_tag_only_the_cities_they_stand_for(tagger: Tagger) -> None:
    result = tagger.tag(*gold_text(seed("001")))
    assert set(result.cities) == {"厦门", "漳州", "泉州", "三明", "龙岩"}
    assert "厦明" in result.evidence["三明"] and "泉三" in result.evidence["泉州"]
    assert result.counties == []  # 龙龙铁路龙岩至武平段: 龙川 not invented, 武平 named only in passing


def test_002_regions_are_not_cities_and_counties_roll_up(tagger: Tagger) -> None:
    result = tagger.tag(*gold_text(seed("002")))
    assert result.cities == ["泉州"]
    assert set(result.counties) == {"南安", "石狮", "泉港", "晋江"}
    assert result.evidence["晋江"] == {"晋江市": 1, "晋江": 1}  # 晋江经验 names it too


def test_002_related_news_boilerplate_would_tag_other_cities(tagger: Tagger) -> None:
    """The trap's premise: the removed related-news lines do name 厦门 漳州 金门."""
    lines = PINYIN.sub("", (SEEDS / seed("002")["file"]).read_text(encoding="utf-8")).split("\n")
    result = tagger.tag(None, "\n".join(lines[9:25]))
    assert {"厦门", "漳州"} <= set(result.cities)


def test_004_traditional_shenyang_is_normalised(tagger: Tagger) -> None:
    result = tagger.tag(*gold_text(seed("004")))
    assert "沈阳" in result.cities
    assert result.evidence["沈阳"] == {"沈阳": 1}
    assert result.primary_city == "大连"


def test_003_primary_city_from_dateline(tagger: Tagger) -> None:
    assert tagger.tag(*gold_text(seed("003"))).primary_city == "济宁"


def test_000_quoted_short_forms_of_initiatives(tagger: Tagger) -> None:
    result = tagger.tag(*gold_text(seed("000")))
    evidence = {i["id"]: i["evidence"] for i in result.initiatives}
    assert evidence["fujian-msr-core-zone"] == {"海丝核心区": 2}
    assert evidence["maritime-silk-road-pilot-zone"]["海丝先行区"] == 2
    assert evidence["13th-five-year-plan"] == {"十三五规划": 1}
    assert result.initiatives[0]["name"] == "21世纪海上丝绸之路先行区"
