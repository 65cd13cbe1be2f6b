"""The tagger: cities, counties, provinces, primary city, initiatives and keywords of one article.

Built once per process (:meth:`Tagger.default`); :meth:`Tagger.tag` is a pure function of its input.
The path of a text: simplify (OpenCC t2s) -> find candidates with an automaton -> segment with jieba
only the runs that hold a candidate, to keep the ones that are whole words -> resolve ambiguous names
and apply the evidence rules -> roll counties up to cities and provinces.
"""

from __future__ import annotations

import gc
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from core.bylines import DATELINE
from core.chinese import to_simplified
from core.data import packaged

from .catalogue import load_catalogue
from .gazetteer import Gazetteer, load_gazetteer
from .initiatives import InitiativeMatcher
from .keywords import KeywordExtractor, exact_keywords
from .matcher import PlaceMatcher
from .resolve import PlaceEvidence, Resolver
from .segment import Boundaries, install_words


@dataclass
class TagResult:
    cities: list[str] = field(default_factory=list)
    counties: list[str] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    primary_city: str | None = None
    initiatives: list[dict[str, Any]] = field(default_factory=list)
    """[{id, name, evidence: {surface: count}}], most mentioned first."""
    keywords: list[str] = field(default_factory=list)
    evidence: dict[str, dict[str, int]] = field(default_factory=dict)
    """Place tag (as in cities/counties/provinces) -> {surface form matched: count}."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Tagger:
    """*places_dir*: a folder of gazetteer files in the format of ``data/places/`` (default: the
    packaged one); *initiatives_files*: catalogues merged over ``data/initiatives.yaml``."""

    def __init__(
        self,
        places_dir: Traversable | Path | str | None = None,
        initiatives_files: Iterable[str | Path] = (),
        *,
        exact_keywords: bool = False,
    ) -> None:
        places = Path(places_dir) if isinstance(places_dir, str) else places_dir or packaged("places")
        self.gazetteer: Gazetteer = load_gazetteer(places)
        self.places = PlaceMatcher(self.gazetteer)
        self.resolver = Resolver(self.gazetteer)
        self.initiatives = InitiativeMatcher(load_catalogue(initiatives_files))
        self.exact_keywords = exact_keywords
        install_words(self.places.words() + self.initiatives.words())
        self._transparent = frozenset(self.initiatives.surfaces)
        self._keywords: KeywordExtractor | None = None

    @classmethod
    def default(
        cls,
        places_dir: Path | str | None = None,
        initiatives_files: Iterable[str | Path] = (),
        *,
        exact_keywords: bool = False,
    ) -> Tagger:
        """The process-wide tagger for this data (loading takes a second or two; tagging is fast)."""
        places = str(Path(places_dir).resolve()) if places_dir else ""
        return _cached_tagger(places, tuple(str(path) for path in initiatives_files), exact_keywords)

    def tag(self, title: str | None, body: str, *, simplified: str | None = None) -> TagResult:
        """Tags of the article *title* + *body*.

        *simplified* is the article's ``body_simplified`` (title, newline, body, already OpenCC t2s):
        when given it is used instead of converting again.
        """
        text = unicodedata.normalize("NFKC", simplified or to_simplified(f"{title or ''}\n{body}"))
        title_end = text.find("\n") if "\n" in text else len(text)
        boundaries = Boundaries(text, self._transparent)
        mentions = sorted(self.places.find(text, boundaries), key=lambda m: (m.start, m.end))
        dateline = DATELINE.match(text, title_end + 1)
        dateline_end = dateline.end() if dateline else 0
        evidence = self.resolver.resolve(text, mentions, title_end, dateline_end)
        result = self._place_tags(evidence)
        result.primary_city = self._primary_city(title_end, dateline_end, evidence)
        labels = set(result.cities) | set(result.counties) | set(result.provinces)
        result.initiatives = [t.to_dict() for t in self.initiatives.find(text, labels)]
        result.keywords = self.keywords(text)
        return result

    def keywords(self, text: str, top: int = 8) -> list[str]:
        if self.exact_keywords:
            return exact_keywords(text, top)
        if self._keywords is None:
            self._keywords = KeywordExtractor(w for w, _ in self.places.words() + self.initiatives.words())
        return self._keywords.extract(text, top)

    def _place_tags(self, evidence: dict[str, PlaceEvidence]) -> TagResult:
        result = TagResult()
        ranked = sorted(evidence, key=lambda code: (-evidence[code].count, evidence[code].first))
        for code in ranked:
            division = self.gazetteer.divisions[code]
            label = division.label
            if division.level == "province":
                result.provinces.append(label)
            if division.level == "prefecture" or division.also_city:
                result.cities.append(label)
            if division.level == "county":
                result.counties.append(label)
            merged = result.evidence.setdefault(label, {})
            for surface, count in evidence[code].surfaces.items():
                merged[surface] = max(merged.get(surface, 0), count)
        return result

    def _primary_city(
        self, title_end: int, dateline_end: int, evidence: dict[str, PlaceEvidence]
    ) -> str | None:
        """The city of the title, else of the dateline, else the most mentioned one."""
        cities = {code: ev for code, ev in evidence.items() if self._is_city(code)}
        if not cities:
            return None
        spans = [(0, title_end)] + ([(title_end + 1, dateline_end)] if dateline_end else [])
        for start, end in spans:
            named = [code for code, ev in cities.items() if any(start <= p < end for p in ev.positions)]
            if named:
                return self._label(max(named, key=lambda c: (cities[c].count, -cities[c].first)))
        return self._label(max(cities, key=lambda c: (cities[c].count, -cities[c].first)))

    def _is_city(self, code: str) -> bool:
        division = self.gazetteer.divisions[code]
        return division.level == "prefecture" or division.also_city

    def _label(self, code: str) -> str:
        return self.gazetteer.divisions[code].label


@cache
def _cached_tagger(places_dir: str, initiatives_files: tuple[str, ...], exact: bool) -> Tagger:
    tagger = Tagger(places_dir or None, initiatives_files, exact_keywords=exact)
    tagger.keywords("预热")  # build the keyword automaton now, not on the first article
    # The gazetteer, jieba's dictionary and the automata are millions of objects that live as long
    # as the process: freezing them keeps every garbage collection from walking them again.
    gc.freeze()
    return tagger
