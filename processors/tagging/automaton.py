"""Multi-pattern search over text: the fast path that finds candidates before any segmentation.

``ahocorasick_rs`` (Rust) scans a 2,000-character article in about 0.1 ms even with jieba's whole
dictionary loaded.
"""

from __future__ import annotations

from collections.abc import Sequence

import ahocorasick_rs

Match = tuple[int, int, int]
"""(pattern index, start, end) in characters, end exclusive."""


class Automaton:
    """All patterns of *patterns* found in a text, either every overlapping match or leftmost-longest."""

    def __init__(self, patterns: Sequence[str], *, longest: bool = False) -> None:
        if any(not pattern for pattern in patterns):
            raise ValueError("empty pattern")
        self.patterns = list(patterns)
        self.longest = longest
        kind = ahocorasick_rs.MatchKind.LeftmostLongest if longest else ahocorasick_rs.MatchKind.Standard
        self._search = ahocorasick_rs.AhoCorasick(self.patterns, matchkind=kind) if self.patterns else None

    def find(self, text: str) -> list[Match]:
        if self._search is None or not text:
            return []
        return self._search.find_matches_as_indexes(text, overlapping=not self.longest)
