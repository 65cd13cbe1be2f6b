"""Initiative mentions: the catalogue's names and aliases, longest match first.

Matching runs on the simplified text with quotation marks removed, because the press quotes the
short forms: 福建“海丝”核心区, “十三五”规划, 深化“放管服”改革.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from .automaton import Automaton
from .catalogue import Initiative

QUOTES = re.compile("[“”‘’\"'「」『』]")


@dataclass(frozen=True)
class InitiativeTag:
    initiative: Initiative
    evidence: Counter[str]
    first: int

    def to_dict(self) -> dict:
        return {"id": self.initiative.id, "name": self.initiative.name, "evidence": dict(self.evidence)}


class InitiativeMatcher:
    def __init__(self, catalogue: list[Initiative]) -> None:
        self.catalogue = catalogue
        self.surfaces: dict[str, tuple[Initiative, bool]] = {}
        for initiative in catalogue:
            for surface in initiative.surfaces:
                self.surfaces.setdefault(surface, (initiative, False))
            for surface in initiative.context_aliases:
                self.surfaces.setdefault(surface, (initiative, True))
        self.automaton = Automaton(list(self.surfaces), longest=True)

    def words(self) -> list[tuple[str, str]]:
        return [(surface, "nz") for surface in self.surfaces if len(surface) >= 2]

    def find(self, text: str, places: Collection[str]) -> list[InitiativeTag]:
        """Initiatives named in *text*; a context alias counts only if its region is in *places*."""
        unquoted = QUOTES.sub("", text)
        found: dict[str, tuple[Initiative, Counter[str], int]] = {}
        for index, start, _ in self.automaton.find(unquoted):
            surface = self.automaton.patterns[index]
            initiative, needs_region = self.surfaces[surface]
            if needs_region and initiative.region not in places:
                continue
            entry = found.setdefault(initiative.id, (initiative, Counter(), start))
            entry[1][surface] += 1
        tags = [InitiativeTag(i, evidence, first) for i, evidence, first in found.values()]
        return sorted(tags, key=lambda t: (-sum(t.evidence.values()), t.first))
