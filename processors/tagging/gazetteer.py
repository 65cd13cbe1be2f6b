"""The divisions and place rules the tagger reads from ``data/places/`` (see ``SOURCE.md`` there).

Everything that changes with the world (new districts, abbreviations, brands) is data; this module
only reads it into plain structures.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable

LEVELS = ("province", "prefecture", "county")


@dataclass(frozen=True)
class Division:
    code: str
    level: str
    name: str
    short_name: str
    parent_code: str
    also_city: bool = False

    @property
    def label(self) -> str:
        """The name used in tags: the short name (泉州, 晋江), else the full name (沙县)."""
        return self.short_name or self.name


@dataclass(frozen=True)
class PersonCues:
    titles: tuple[str, ...]
    after: tuple[str, ...]
    surnames: frozenset[str]
    speech: tuple[str, ...] = ()
    """Words after a name that only a person does (表示, 主持): enough to read a place name that
    begins with a surname (吴江) as a person."""


@dataclass(frozen=True)
class FormerName:
    """A renamed, re-coded or merged unit's name and the division that holds it today (襄樊市 -> 襄阳)."""

    name: str
    short_name: str
    code: str


@dataclass
class Gazetteer:
    divisions: dict[str, Division]
    former_names: tuple[FormerName, ...] = ()
    abbreviations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    strict: frozenset[str] = frozenset()
    never: frozenset[str] = frozenset()
    prefer: dict[str, str] = field(default_factory=dict)
    not_places: tuple[str, ...] = ()
    foreign: frozenset[str] = frozenset()
    """Places outside China (首尔, 黄石 = Yellowstone), from ``foreign.txt``."""
    institution_suffixes: frozenset[str] = frozenset()
    person_cues: PersonCues = PersonCues((), (), frozenset())

    def ancestors(self, code: str) -> list[str]:
        """Parent codes from the nearest up, not including *code* itself."""
        out = []
        division = self.divisions[code]
        while division.parent_code and division.parent_code in self.divisions:
            out.append(division.parent_code)
            division = self.divisions[division.parent_code]
        return out

    def surfaces(self) -> dict[str, set[tuple[str, str]]]:
        """Every matchable form -> {(code, form)}, form being ``full`` or ``short``.

        Besides full and short names: former names, which point at today's unit, so an article from
        1998 that says 襄樊 tags 襄阳; and the short name of an autonomous prefecture with 州
        (黔东南州) and of any prefecture, province or SAR with 地区 (和田地区, 香港地区), read as
        full names, where no division is named so already.
        """
        table: dict[str, set[tuple[str, str]]] = defaultdict(set)
        names = [(d.code, d.name, d.short_name) for d in self.divisions.values()]
        names += [(f.code, f.name, f.short_name) for f in self.former_names]
        for code, name, short_name in names:
            for form, surface in (("full", name), ("short", short_name)):
                if surface and surface not in self.never:
                    table[surface].add((code, form))
        for division in self.divisions.values():
            if division.level == "county" or not division.short_name:
                continue
            derived = [division.short_name + "地区"]
            if division.name.endswith("自治州"):
                derived.append(division.short_name + "州")
            for surface in derived:
                table.setdefault(surface, {(division.code, "full")})
        return dict(table)


def _rows(path: Traversable) -> Iterator[dict[str, str]]:
    """CSV rows of *path*, skipping the ``#`` header that documents the columns."""
    with path.open(encoding="utf-8") as handle:
        yield from csv.DictReader(line for line in handle if not line.startswith("#"))


def _lines(path: Traversable) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [line.strip() for line in handle if line.strip() and not line.startswith("#")]


def _division(row: dict[str, str]) -> Division:
    return Division(
        row["code"], row["level"], row["name"], row["short_name"], row["parent_code"], row["also_city"] == "1"
    )


def _person_cues(path: Traversable) -> PersonCues:
    fields = dict(line.split(":", 1) for line in _lines(path))
    return PersonCues(
        tuple(fields["before"].split()),
        tuple(fields["after"].split()),
        frozenset(fields["surnames"].split()),
        tuple(fields.get("speech", "").split()),
    )


def load_gazetteer(places_dir: Traversable) -> Gazetteer:
    divisions = {row["code"]: _division(row) for row in _rows(places_dir / "divisions.csv")}
    former_names = tuple(
        FormerName(row["name"], row["short_name"], row["current_code"])
        for row in _rows(places_dir / "former_names.csv")
        if row["current_code"]  # an empty code retires the name
    )
    if unknown := sorted(f.name for f in former_names if f.code not in divisions):
        raise ValueError(f"former_names.csv: current_code not in divisions.csv for {unknown}")
    by_full_name: dict[str, list[str]] = defaultdict(list)
    for division in divisions.values():
        by_full_name[division.name].append(division.code)
    abbreviations = {}
    for row in _rows(places_dir / "abbreviations.csv"):
        codes = []
        for name in row["expands_to"].split():
            matches = [c for c in by_full_name.get(name, []) if divisions[c].level != "county"]
            if len(matches) != 1:
                raise ValueError(f"abbreviations.csv: {row['abbreviation']}: {name} is not one division")
            codes.append(matches[0])
        abbreviations[row["abbreviation"]] = tuple(codes)
    policies = list(_rows(places_dir / "ambiguous.csv"))
    return Gazetteer(
        divisions=divisions,
        former_names=former_names,
        abbreviations=abbreviations,
        strict=frozenset(row["name"] for row in policies if row["policy"] == "strict"),
        never=frozenset(row["name"] for row in policies if row["policy"] == "never"),
        prefer={row["name"]: row["code"] for row in policies if row["policy"] == "prefer"},
        not_places=tuple(_lines(places_dir / "not_places.txt")),
        foreign=frozenset(_lines(places_dir / "foreign.txt")),
        institution_suffixes=frozenset(_lines(places_dir / "institution_suffixes.txt")),
        person_cues=_person_cues(places_dir / "person_cues.txt"),
    )
