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


@dataclass
class Gazetteer:
    divisions: dict[str, Division]
    former: dict[str, str] = field(default_factory=dict)
    """Code of a superseded division -> code of the one that replaced it (长乐市 -> 长乐区)."""
    abbreviations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    strict: frozenset[str] = frozenset()
    never: frozenset[str] = frozenset()
    prefer: dict[str, str] = field(default_factory=dict)
    not_places: tuple[str, ...] = ()
    institution_suffixes: frozenset[str] = frozenset()
    person_cues: PersonCues = PersonCues((), (), frozenset())

    def current(self, code: str) -> Division:
        """The division *code* names today (following renames and mergers)."""
        seen = set()
        while code in self.former and code not in seen:
            seen.add(code)
            code = self.former[code]
        return self.divisions[code]

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

        Names of superseded divisions are kept and point at their successors, so an article from
        2016 that says 长乐市 still tags 长乐.
        """
        table: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for division in self.divisions.values():
            target = self.current(division.code).code
            for form, surface in (("full", division.name), ("short", division.short_name)):
                if surface and surface not in self.never:
                    table[surface].add((target, form))
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
        tuple(fields["before"].split()), tuple(fields["after"].split()), frozenset(fields["surnames"].split())
    )


def load_gazetteer(places_dir: Traversable) -> Gazetteer:
    divisions = {row["code"]: _division(row) for row in _rows(places_dir / "divisions.csv")}
    former: dict[str, str] = {}
    for row in _rows(places_dir / "additions.csv"):
        divisions[row["code"]] = _division(row)
        for old in row["replaces"].split():
            former[old] = row["code"]
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
        former=former,
        abbreviations=abbreviations,
        strict=frozenset(row["name"] for row in policies if row["policy"] == "strict"),
        never=frozenset(row["name"] for row in policies if row["policy"] == "never"),
        prefer={row["name"]: row["code"] for row in policies if row["policy"] == "prefer"},
        not_places=tuple(_lines(places_dir / "not_places.txt")),
        institution_suffixes=frozenset(_lines(places_dir / "institution_suffixes.txt")),
        person_cues=_person_cues(places_dir / "person_cues.txt"),
    )
