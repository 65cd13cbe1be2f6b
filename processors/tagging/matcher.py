"""Place mentions in a text: candidates from the automaton, kept only where they are real words.

A candidate survives when jieba cuts it out whole (上海口岸 -> 上海 / 口岸, so no 海口), when it
begins a word that names an institution of the place (北京大学, 泉州晚报), or when it stands right
after or before a place it belongs to or that belongs to it, whatever the segmentation (江西南昌,
where jieba may cut 西南); it is dropped inside a stop-listed word (长城汽车, 北京时间, 粤港澳),
before 路/街 (南京路 is a road in 上海) or a village word (常州沟 is a place in 蓟县). A name that
looks like a person's (市委书记邵玉龙 holds no 玉龙县; 吴江主持) is kept, marked ``person``, for the
resolver to read the text's other mentions of it the same way. Places outside China (``foreign.txt``)
are found the same way, as mentions with no division.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.bylines import AUTHOR_LABELS, EDITOR_ROLES, NON_REPORTER_ROLES, REPORTER_ROLES, names_after

from .automaton import Automaton
from .gazetteer import Gazetteer
from .segment import Boundaries

ROAD_NEXT = ("路", "街", "巷", "大道", "大街")
TOWN_NEXT = ("镇", "乡", "街道", "村", "沟", "屯", "寨", "峪", "坳", "洼")
"""A name right before these names a township or village (晋江龙湖镇, 蓟县常州沟), not the division."""
BYLINE_NAMES = names_after((*REPORTER_ROLES, *NON_REPORTER_ROLES), (*EDITOR_ROLES, *AUTHOR_LABELS))
"""People named in a byline (记者 吴清河 通讯员 黄南石): their names hold no places."""
LIST_JOINERS = ("、", "和", "及", "与")


@dataclass(frozen=True)
class Surface:
    """What one name can stand for, worked out once per name rather than once per mention."""

    entries: frozenset[tuple[str, str]]
    """(division code, form) pairs; form is ``full``, ``short`` or ``abbr``."""
    codes: tuple[str, ...]
    is_abbreviation: bool
    foreign: bool = False
    """Also (or only, when there are no codes) the name of a place outside China."""

    @classmethod
    def of(cls, entries: frozenset[tuple[str, str]], foreign: bool = False) -> Surface:
        codes = tuple(sorted({code for code, _ in entries}))
        return cls(entries, codes, any(form == "abbr" for _, form in entries), foreign)


@dataclass(frozen=True)
class Mention:
    surface: str
    start: int
    end: int
    meaning: Surface
    person: bool = False
    """Stands where a person's name would (市委书记邵玉龙, 吴江主持): not the place."""

    @property
    def foreign(self) -> bool:
        return self.meaning.foreign

    @property
    def codes(self) -> tuple[str, ...]:
        return self.meaning.codes

    @property
    def is_abbreviation(self) -> bool:
        return self.meaning.is_abbreviation

    def is_full(self, code: str) -> bool:
        return (code, "full") in self.meaning.entries


class PlaceMatcher:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        table = {surface: set(entries) for surface, entries in gazetteer.surfaces().items()}
        for abbreviation, codes in gazetteer.abbreviations.items():
            table.setdefault(abbreviation, set()).update((code, "abbr") for code in codes)
        for name in gazetteer.foreign:
            table.setdefault(name, set())
        foreign = gazetteer.foreign
        self.surfaces = {name: Surface.of(frozenset(codes), name in foreign) for name, codes in table.items()}
        self.stops = frozenset(gazetteer.not_places) - set(self.surfaces)
        self.automaton = Automaton([*self.surfaces, *self.stops])
        self._long_suffixes = tuple(s for s in gazetteer.institution_suffixes if len(s) > 1)
        self._ancestors = {code: frozenset(gazetteer.ancestors(code)) for code in gazetteer.divisions}

    def words(self) -> list[tuple[str, str]]:
        """(word, part-of-speech tag) pairs for jieba's user dictionary."""
        return [(w, "ns") for w in self.surfaces] + [(w, "nz") for w in self.stops]

    def find(self, text: str, boundaries: Boundaries) -> list[Mention]:
        places = []
        stop_reach: dict[int, int] = {}
        """Character position -> furthest end of a stop-listed word or byline over it."""
        stop_spans = [match.span() for match in BYLINE_NAMES.finditer(text)]
        for index, start, end in self.automaton.find(text):
            surface = self.automaton.patterns[index]
            if surface in self.stops:
                stop_spans.append((start, end))
            else:
                places.append(Mention(surface, start, end, self.surfaces[surface]))
        for start, end in stop_spans:
            for position in range(start, end):
                stop_reach[position] = max(stop_reach.get(position, 0), end)
        nested = self._nested(places)
        kept: list[Mention] = []
        covered: dict[int, tuple[int, int]] = {}
        """Character position -> span of the longest kept mention over it."""
        for mention in sorted(places, key=lambda m: m.start - m.end):
            span = covered.get(mention.start)
            if span is not None and span[1] >= mention.end:
                continue
            inside_stop = stop_reach.get(mention.start, 0) >= mention.end
            if inside_stop or not self._is_place_word(text, mention, boundaries, mention in nested):
                continue
            if _looks_like_person(text, mention, self.gazetteer):
                mention = replace(mention, person=True)
            kept.append(mention)
            for position in range(mention.start, mention.end):
                covered.setdefault(position, (mention.start, mention.end))
        return sorted(kept, key=lambda m: (m.start, m.end))

    def _nested(self, places: list[Mention]) -> set[Mention]:
        """Candidates side by side with a place they belong to or that belongs to them (江西|南昌)."""
        by_start: dict[int, list[Mention]] = {}
        for mention in places:
            by_start.setdefault(mention.start, []).append(mention)
        nested = set()
        for left in places:
            for right in by_start.get(left.end, ()):
                if any(a in self._ancestors[code] for code in right.codes for a in left.codes):
                    nested.update((left, right))
        return nested

    def _is_place_word(self, text: str, mention: Mention, boundaries: Boundaries, nested: bool) -> bool:
        if text.startswith(ROAD_NEXT, mention.end) or text.startswith(TOWN_NEXT, mention.end):
            return False
        if nested or boundaries.is_word(mention.start, mention.end):
            return True
        return self._starts_institution(text, mention, boundaries)

    def _starts_institution(self, text: str, mention: Mention, boundaries: Boundaries) -> bool:
        """北京大学 is one jieba word, yet it names 北京: the place begins a word ending in 大学."""
        token = boundaries.token_at(mention.start)
        if token is None or token[0] != mention.start or token[1] <= mention.end:
            return False
        rest = text[mention.end : token[1]].lstrip("省市县区")
        return rest in self.gazetteer.institution_suffixes or rest.endswith(self._long_suffixes)


def _looks_like_person(text: str, mention: Mention, gazetteer: Gazetteer) -> bool:
    """A two-character name after a surname, with a title before or a speech verb after, or one
    that begins with a surname and is followed by what only a person does (吴江主持): a person."""
    if mention.end - mention.start != 2 or mention.is_abbreviation:
        return False
    cues = gazetteer.person_cues
    if text[mention.start] in cues.surnames and text.startswith(cues.speech, mention.end):
        return True
    if mention.start >= 1 and text[mention.start - 1] in cues.surnames:
        surname_start = mention.start - 1
    elif mention.start >= 2 and text[mention.start - 2 : mention.start] in cues.surnames:
        surname_start = mention.start - 2
    else:
        return False
    before = text[max(0, surname_start - 5) : surname_start]
    return before.endswith(cues.titles) or text.startswith(cues.after, mention.end)


def joined_in_list(text: str, left: Mention, right: Mention) -> bool:
    """Whether two mentions stand side by side in a list: 晋江、石狮 or 晋江和石狮."""
    return text[left.end : right.start] in LIST_JOINERS
