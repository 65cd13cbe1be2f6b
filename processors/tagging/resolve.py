"""From place mentions to accepted divisions: disambiguation, evidence rules and roll-up.

Rules, in order:

* a name several divisions share (鼓楼, 朝阳区) is read from a parent named right before it
  (福州鼓楼区), else from the ``prefer`` line of ``ambiguous.csv``, else from the other places of
  the article (鼓楼区 in an article naming 福州); when none decides it is left out, never guessed;
* a bare name that is also a common word (``strict`` in ``ambiguous.csv``: 公安, 和平, 合作) needs
  strong evidence: its full name, a parent right before it, or a list of places (in a title too,
  合作协议 is no place);
* a short name right after a place that contains none of its readings is something inside that
  place (晋江龙湖: the town of 晋江, not 汕头's 龙湖区) and no evidence at all;
* a bare county-level name needs strong evidence or a second mention: a county named once in
  passing (龙岩至武平段) is not what the article is about;
* every accepted county tags its prefecture and province, every prefecture its province.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .gazetteer import Gazetteer
from .matcher import Mention, joined_in_list


@dataclass
class PlaceEvidence:
    """What the article says about one division: surface forms and where they first appear."""

    surfaces: Counter[str] = field(default_factory=Counter)
    positions: list[int] = field(default_factory=list)
    direct: bool = False
    """Named itself, not only through a county or city inside it."""

    def add(self, surface: str, position: int) -> None:
        self.surfaces[surface] += 1
        self.positions.append(position)

    @property
    def first(self) -> int:
        return min(self.positions)

    @property
    def count(self) -> int:
        return sum(self.surfaces.values())


class Resolver:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._ancestors = {code: tuple(gazetteer.ancestors(code)) for code in gazetteer.divisions}

    def resolve(self, text: str, mentions: list[Mention], title_end: int = 0) -> dict[str, PlaceEvidence]:
        """Accepted division code -> evidence, roll-ups included."""
        candidates = [
            () if self._under_other_place(mentions, i) else self._prune(m.codes)
            for i, m in enumerate(mentions)
        ]
        assigned: dict[int, tuple[str, ...]] = {}
        for i, (mention, codes) in enumerate(zip(mentions, candidates, strict=True)):
            if mention.is_abbreviation or len(codes) == 1:
                assigned[i] = codes
        accepted = self._accept(text, mentions, assigned, title_end)
        context = {a for code in accepted for a in (code, *self._ancestors[code])}
        for i, codes in enumerate(candidates):
            if i not in assigned and codes:
                choice = self._choose(mentions, i, codes, context)
                if choice is not None:
                    assigned[i] = (choice,)
        accepted = self._accept(text, mentions, assigned, title_end)
        return self._roll_up(mentions, assigned, accepted)

    def _under_other_place(self, mentions: list[Mention], i: int) -> bool:
        """A short name right after a place that contains none of its readings names something inside
        that place: 晋江龙湖 is 龙湖 of 晋江, not 汕头's 龙湖区."""
        parent = _preceding(mentions, i)
        mention = mentions[i]
        if parent is None or mention.is_abbreviation or any(mention.is_full(code) for code in mention.codes):
            return False
        return not any(set(parent.codes) & set(self._ancestors[code]) for code in mention.codes)

    def _parents(self, code: str, surface: str) -> tuple[str, ...]:
        """Divisions that may lead *code* (福建晋江): any ancestor, only the parent for a common word."""
        ancestors = self._ancestors[code]
        return ancestors[:1] if surface in self.gazetteer.strict else ancestors

    def _prune(self, codes: tuple[str, ...]) -> tuple[str, ...]:
        """Drop candidates inside another candidate: bare 抚顺 is the city, not 抚顺县."""
        return tuple(c for c in codes if not any(a in codes for a in self._ancestors[c]))

    def _choose(
        self, mentions: list[Mention], i: int, codes: tuple[str, ...], context: set[str]
    ) -> str | None:
        mention = mentions[i]
        parent = _preceding(mentions, i)
        if parent is not None:
            led = [c for c in codes if set(parent.codes) & set(self._parents(c, mention.surface))]
            if len(led) == 1:
                return led[0]
        preferred = self.gazetteer.prefer.get(mention.surface)
        if preferred in codes:
            return preferred
        ranked = []
        for code in codes:
            depth = next((d for d, a in enumerate(self._ancestors[code]) if a in context), None)
            if depth is not None:
                ranked.append((depth, code))
        ranked.sort()
        if ranked and (len(ranked) == 1 or ranked[0][0] < ranked[1][0]):
            return ranked[0][1]
        return None

    def _accept(
        self, text: str, mentions: list[Mention], assigned: dict[int, tuple[str, ...]], title_end: int
    ) -> set[str]:
        by_code: dict[str, list[int]] = defaultdict(list)
        for i, codes in assigned.items():
            for code in codes:
                by_code[code].append(i)
        return {
            code for code, idx in by_code.items() if self._is_supported(text, mentions, code, idx, title_end)
        }

    def _is_supported(
        self, text: str, mentions: list[Mention], code: str, idx: list[int], title_end: int
    ) -> bool:
        plain = [i for i in idx if mentions[i].surface not in self.gazetteer.strict]
        if any(mentions[i].is_full(code) or mentions[i].is_abbreviation for i in plain):
            return True
        if plain and (len(plain) >= 2 or self.gazetteer.divisions[code].level != "county"):
            return True
        return any(self._is_strong(text, mentions, i, code, title_end) for i in idx)

    def _is_strong(self, text: str, mentions: list[Mention], i: int, code: str, title_end: int) -> bool:
        mention = mentions[i]
        if mention.start < title_end and mention.surface not in self.gazetteer.strict:
            return True
        parent = _preceding(mentions, i)
        if parent is not None and set(parent.codes) & set(self._parents(code, mention.surface)):
            return True
        neighbours = [
            (mentions[j], mention) if j < i else (mention, mentions[j])
            for j in (i - 1, i + 1)
            if 0 <= j < len(mentions)
        ]
        return any(
            joined_in_list(text, left, right)
            and (left if right is mention else right).surface not in self.gazetteer.strict
            for left, right in neighbours
        )

    def _roll_up(
        self, mentions: list[Mention], assigned: dict[int, tuple[str, ...]], accepted: set[str]
    ) -> dict[str, PlaceEvidence]:
        evidence: dict[str, PlaceEvidence] = defaultdict(PlaceEvidence)
        for i, codes in assigned.items():
            mention = mentions[i]
            for code in codes:
                if code not in accepted:
                    continue
                evidence[code].add(mention.surface, mention.start)
                evidence[code].direct = True
                for ancestor in self._ancestors[code]:
                    evidence[ancestor].add(mention.surface, mention.start)
        return dict(evidence)


def _preceding(mentions: list[Mention], i: int) -> Mention | None:
    """The mention that ends exactly where mention *i* starts (福建|泉州, 泉州市|晋江市)."""
    if i > 0 and mentions[i - 1].end == mentions[i].start:
        return mentions[i - 1]
    return None
