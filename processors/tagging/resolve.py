"""From place mentions to accepted divisions: disambiguation, evidence rules and roll-up.

Rules, in order:

* a name read once as a person's (吴江主持) or as a place abroad is read so in the whole text, unless
  a mention is written in full or led by its parent (one sense per discourse): abroad means right
  after a foreign place (首尔龙山区, 大韩民国 安阳), or, for a name that is also a foreign place's
  (黄石, 大田) or a county's, in a list with foreign places or in a text that names more foreign
  places than Chinese ones;
* a name several divisions share (鼓楼, 朝阳区) is read from a parent named right before it
  (福州鼓楼区), else from the ``prefer`` line of ``ambiguous.csv``, else from the other places of
  the article (鼓楼区 in an article naming 福州); when none decides it is left out, never guessed;
* a bare name that is also a common word (``strict`` in ``ambiguous.csv``: 公安, 和平, 合作) needs
  strong evidence: its full name, a parent right before it, a list of places (in a title too,
  合作协议 is no place), or the dateline (新华社海口1月23日电);
* a short name right after a place of another province that contains none of its readings is
  something inside that place (晋江龙湖: the town of 晋江, not 汕头's 龙湖区) and no evidence at all;
* a bare county-level name needs support: strong evidence, a place of its province right before it
  (湘西隆回), a place word after it (隆回人), or a second mention; a county named once in passing
  (龙岩至武平段) is not what the article is about, even beside its city;
* every accepted county tags its prefecture and province, every prefecture its province.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .gazetteer import Gazetteer
from .matcher import Mention, joined_in_list

FOREIGN_GAP = re.compile(r"(?:特别市|广域市|市|都|道|府|县|州)?\s*")
"""What may stand between a foreign place and a place inside it: 首尔特别市龙山区, 大韩民国 安阳."""
PLACE_WORDS_AFTER = ("人", "籍", "一带", "境内", "当地", "县城", "城区", "老乡")
"""Words after a bare county name that show it is the place meant (隆回人, 隆回一带)."""


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


@dataclass(frozen=True)
class Text:
    """One text being resolved: the simplified text, its mentions in order, and where its title and
    dateline end (the dateline, 新华社海口1月23日电, starts after the title's line break)."""

    text: str
    mentions: list[Mention]
    title_end: int = 0
    dateline_end: int = 0

    def preceding(self, i: int, gap: re.Pattern[str] | None = None) -> Mention | None:
        """The mention that ends where mention *i* starts (福建|泉州), or that only *gap* separates."""
        if i == 0:
            return None
        before, mention = self.mentions[i - 1], self.mentions[i]
        between = self.text[before.end : mention.start]
        return before if between == "" or (gap is not None and gap.fullmatch(between)) else None

    def neighbours(self, i: int) -> list[Mention]:
        """The mentions standing beside mention *i* in a list (晋江、石狮; 釜山、大田)."""
        mention = self.mentions[i]
        out = []
        if i > 0 and joined_in_list(self.text, self.mentions[i - 1], mention):
            out.append(self.mentions[i - 1])
        if i + 1 < len(self.mentions) and joined_in_list(self.text, mention, self.mentions[i + 1]):
            out.append(self.mentions[i + 1])
        return out


class Resolver:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._ancestors = {code: tuple(gazetteer.ancestors(code)) for code in gazetteer.divisions}
        self._province = {code: (ancestors or (code,))[-1] for code, ancestors in self._ancestors.items()}

    def resolve(
        self, text: str, mentions: list[Mention], title_end: int = 0, dateline_end: int = 0
    ) -> dict[str, PlaceEvidence]:
        """Accepted division code -> evidence, roll-ups included."""
        article = Text(text, mentions, title_end, dateline_end)
        elsewhere = self._read_elsewhere(article)
        candidates = [
            () if i in elsewhere or self._under_other_place(article, i) else self._prune(m.codes)
            for i, m in enumerate(mentions)
        ]
        assigned: dict[int, tuple[str, ...]] = {}
        for i, (mention, codes) in enumerate(zip(mentions, candidates, strict=True)):
            if codes and (mention.is_abbreviation or len(codes) == 1):
                assigned[i] = codes
        accepted = self._accept(article, assigned)
        context = {a for code in accepted for a in (code, *self._ancestors[code])}
        for i, codes in enumerate(candidates):
            if i not in assigned and codes:
                choice = self._choose(article, i, codes, context)
                if choice is not None:
                    assigned[i] = (choice,)
        accepted = self._accept(article, assigned)
        return self._roll_up(mentions, assigned, accepted)

    def _read_elsewhere(self, article: Text) -> set[int]:
        """Mentions that name a person or a place abroad, spread to every mention of the same name
        that is not written in full or led by its parent."""
        mentions = article.mentions
        foreign = sum(1 for m in mentions if m.foreign and not m.codes)
        chinese = sum(1 for m in mentions if m.codes and not m.foreign and not m.person)
        abroad_text = foreign > chinese
        elsewhere = {
            i
            for i, m in enumerate(mentions)
            if m.codes and (m.person or self._abroad(article, i, abroad_text))
        }
        names = {mentions[i].surface for i in elsewhere}
        return elsewhere | {
            i
            for i, m in enumerate(mentions)
            if m.surface in names
            and not any(m.is_full(c) for c in m.codes)
            and not self._led_by_parent(article, i)
        }

    def _abroad(self, article: Text, i: int, abroad_text: bool) -> bool:
        mention = article.mentions[i]
        before = article.preceding(i, FOREIGN_GAP)
        if before is not None and before.foreign and not before.codes:
            return True
        if not (mention.foreign or all(self.gazetteer.divisions[c].level == "county" for c in mention.codes)):
            return False
        if any(other.foreign and not other.codes for other in article.neighbours(i)):
            return True
        return mention.foreign and abroad_text

    def _led_by_parent(self, article: Text, i: int) -> bool:
        parent = article.preceding(i)
        mention = article.mentions[i]
        return parent is not None and any(
            self._leads(parent, code, mention.surface) for code in mention.codes
        )

    def _under_other_place(self, article: Text, i: int) -> bool:
        """A short name right after a place of another province that contains none of its readings
        names something inside that place: 晋江龙湖 is 龙湖 of 晋江, not 汕头's 龙湖区."""
        parent = article.preceding(i)
        mention = article.mentions[i]
        if parent is None or mention.is_abbreviation or any(mention.is_full(code) for code in mention.codes):
            return False
        if self._same_province(parent, mention.codes):
            return False
        return not any(set(parent.codes) & set(self._ancestors[code]) for code in mention.codes)

    def _same_province(self, other: Mention, codes: tuple[str, ...]) -> bool:
        provinces = {self._province[code] for code in other.codes}
        return any(self._province[code] in provinces for code in codes)

    def _leads(self, parent: Mention, code: str, surface: str) -> bool:
        """Whether *parent* may lead *code* named *surface* (福建晋江): any ancestor of it, only its
        parent for a common word."""
        ancestors = self._ancestors[code]
        may_lead = ancestors[:1] if surface in self.gazetteer.strict else ancestors
        return not set(parent.codes).isdisjoint(may_lead)

    def _prune(self, codes: tuple[str, ...]) -> tuple[str, ...]:
        """Drop candidates inside another candidate: bare 抚顺 is the city, not 抚顺县."""
        return tuple(c for c in codes if not any(a in codes for a in self._ancestors[c]))

    def _choose(self, article: Text, i: int, codes: tuple[str, ...], context: set[str]) -> str | None:
        mention = article.mentions[i]
        parent = article.preceding(i)
        if parent is not None:
            led = [c for c in codes if self._leads(parent, c, mention.surface)]
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

    def _accept(self, article: Text, assigned: dict[int, tuple[str, ...]]) -> set[str]:
        by_code: dict[str, list[int]] = defaultdict(list)
        for i, codes in assigned.items():
            for code in codes:
                by_code[code].append(i)
        return {code for code, idx in by_code.items() if self._is_supported(article, code, idx)}

    def _is_supported(self, article: Text, code: str, idx: list[int]) -> bool:
        mentions = article.mentions
        plain = [i for i in idx if mentions[i].surface not in self.gazetteer.strict]
        if any(mentions[i].is_full(code) or mentions[i].is_abbreviation for i in plain):
            return True
        if plain and (len(plain) >= 2 or self.gazetteer.divisions[code].level != "county"):
            return True
        return any(self._is_strong(article, i, code) for i in idx)

    def _is_strong(self, article: Text, i: int, code: str) -> bool:
        mention = article.mentions[i]
        strict = mention.surface in self.gazetteer.strict
        if mention.start < article.title_end and not strict:
            return True
        if article.title_end < mention.start < article.dateline_end:
            return True
        parent = article.preceding(i)
        if parent is not None and self._leads(parent, code, mention.surface):
            return True
        if not strict and parent is not None and self._same_province(parent, (code,)):
            return True
        if not strict and article.text.startswith(PLACE_WORDS_AFTER, mention.end):
            return True
        return any(
            other.codes and other.surface not in self.gazetteer.strict for other in article.neighbours(i)
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
