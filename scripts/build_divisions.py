"""Rebuild ``divisions.csv`` from the ``adcodes.csv`` table shipped in the ``cpca`` wheel (MIT).

Run once by hand when the source changes; the tagger never runs it::

    pip download cpca==0.5.5 --no-deps -d /tmp/cpca && unzip -o /tmp/cpca/cpca-*.whl -d /tmp/cpca
    python scripts/build_divisions.py /tmp/cpca/cpca/resources/adcodes.csv > data/places/divisions.csv

Short names drop the administrative suffix (省 市 区 县 旗 地区 盟 自治州 …) and any ethnic-group
names before 自治…; a stem shorter than two characters keeps no short name (沙县, 赵县).
"""

from __future__ import annotations

import csv
import re
import sys

ETHNIC_GROUPS = (
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
    "高山",
    "各",
)
ETHNIC_TAIL = re.compile(
    "(?:(?:" + "|".join(sorted(ETHNIC_GROUPS, key=len, reverse=True)) + ")族|蒙古|柯尔克孜|哈萨克)+$"
)
SUFFIXES = {
    "province": ("特别行政区", "自治区", "省", "市"),
    "prefecture": ("自治州", "地区", "盟", "市"),
    "county": ("自治县", "自治旗", "林区", "特区", "新区", "市", "区", "县", "旗"),
}
PSEUDO = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
ALSO_CITY = {"11", "12", "31", "50", "81", "82"}
HEADER = [
    "# Administrative divisions of the People's Republic of China, province, prefecture and county level.",
    "# Source: adcodes.csv of the cpca 0.5.5 wheel (MIT licence, see SOURCE.md),",
    "# converted by scripts/build_divisions.py.",
    "# code: 6-digit division code; level: province|prefecture|county; name: full name;",
    "# short_name: name without its administrative suffix ('' when the stem is one character);",
    "# parent_code: the nearest real parent (a county directly under a province or municipality has the",
    "# province's code); also_city: 1 for the municipalities and SARs, which are provinces and cities.",
]


def short_name(name: str, level: str) -> str:
    """泉州市 -> 泉州, 延边朝鲜族自治州 -> 延边, 碑林区 -> 碑林, 沙县 -> '' (too short to stand alone)."""
    for suffix in SUFFIXES[level]:
        if not name.endswith(suffix):
            continue
        stem = name[: -len(suffix)]
        if suffix.startswith("自治"):
            bare = ETHNIC_TAIL.sub("", stem)
            stem = bare if len(bare) >= 2 else stem
        if len(stem) >= 2:
            return stem
    return ""


def level_of(code: str) -> str:
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "prefecture"
    return "county"


def build(rows: list[dict[str, str]]) -> list[list[str]]:
    names = {row["adcode"][:6]: row["name"] for row in rows}
    out = []
    for code, name in sorted(names.items()):
        if name in PSEUDO:
            continue
        level = level_of(code)
        if level == "province":
            parent = ""
        elif level == "prefecture":
            parent = code[:2] + "0000"
        else:
            parent = code[:4] + "00"
            if names.get(parent, "市辖区") in PSEUDO:
                parent = code[:2] + "0000"
        also_city = "1" if level == "province" and code[:2] in ALSO_CITY else "0"
        out.append([code, level, name, short_name(name, level), parent, also_city])
    return out


def main(path: str) -> None:
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    writer = csv.writer(sys.stdout, lineterminator="\n")
    print("\n".join(HEADER))
    writer.writerow(["code", "level", "name", "short_name", "parent_code", "also_city"])
    writer.writerows(build(rows))


if __name__ == "__main__":
    main(sys.argv[1])
