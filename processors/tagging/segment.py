"""Word boundaries from jieba, computed only around candidate matches, and only when in doubt.

Two facts make this exact and cheap:

* jieba segments each run of Han characters, letters and digits on its own (its ``re_han_default``):
  punctuation and spaces always separate words, so segmenting the run that holds a candidate gives
  the boundaries a segmentation of the whole text would;
* without HMM, every jieba token is a dictionary word or a single character, so when no dictionary
  word straddles a position, every segmentation cuts there. Most candidates are settled by this
  dictionary look-up alone; only the rest pay for segmenting their run.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections.abc import Iterable

import jieba

BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")
"""jieba's own ``re_han_default``: the runs it segments independently."""

HAN_FIRST, HAN_LAST = "\u4e00", "\u9fd5"
"""The Han characters of jieba's ``re_han_default``."""
ALL_HAN = re.compile(f"[{HAN_FIRST}-{HAN_LAST}]+")
LONGEST_WORD = 8
"""Dictionary words looked for across a position are at most this long: of jieba's longer words
(0.2 % of them) most are numerals written out, and the initiative names are split anyway."""
_installed: set[str] = set()


def install_words(words: Iterable[tuple[str, str]]) -> None:
    """Add (word, part-of-speech tag) pairs to jieba's global tokenizer, once per process.

    Words jieba already knows keep their frequency; new ones get jieba's suggested frequency, just
    enough to be cut whole when they stand alone, so they never swallow the words around them
    (上海口岸 stays 上海 / 口岸 although 海口 is a word).
    """
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.dt
    tokenizer.check_initialized()
    for word, tag in words:
        if word in _installed:
            continue
        _installed.add(word)
        if tokenizer.FREQ.get(word):
            continue
        jieba.add_word(word, tag=tag)


def cut_inside(word: str) -> list[tuple[int, int]]:
    """jieba's best segmentation of *word* as if *word* itself were not in the dictionary.

    Initiative names are user words (so ``jieba.analyse`` keeps 厦漳泉都市圈 whole), yet the places
    inside them count: 厦漳泉 | 都市圈, 海南 | 自由贸易港.
    """
    dag = jieba.dt.get_DAG(word)
    dag[0] = [end for end in dag[0] if end != len(word) - 1] or [0]
    return _route(word, dag)


def cut_han(text: str) -> list[tuple[int, int]]:
    """jieba's segmentation without HMM (``cut(text, HMM=False)``) of a run of Han characters, as
    spans: its own dictionary graph and best route, without the generator and regular expressions
    around them that cost more than the work on a few characters."""
    return _route(text, jieba.dt.get_DAG(text))


def _route(text: str, dag: dict[int, list[int]]) -> list[tuple[int, int]]:
    route: dict[int, tuple[float, int]] = {}
    jieba.dt.calc(text, dag, route)
    spans, start = [], 0
    while start < len(text):
        end = route[start][1] + 1
        spans.append((start, end))
        start = end
    return spans


class Boundaries:
    """Token boundaries of one text: a dictionary look-up first, a segmentation when in doubt.

    Only the stretch around a doubtful word is segmented, between the nearest positions where no
    dictionary word crosses and Han characters stand on both sides: every segmentation cuts there
    (jieba's route is a sum over words and none can cross), so the stretch segments alone as it
    would within its run. Tokens listed in *transparent* (the catalogue's initiative names) are
    split further with :func:`cut_inside`.
    """

    def __init__(self, text: str, transparent: frozenset[str] = frozenset()) -> None:
        self.text = text
        self.transparent = transparent
        self._blocks = [(m.start(), m.end()) for m in BLOCK.finditer(text)]
        self._starts = [start for start, _ in self._blocks]
        self._straddles: dict[int, bool] = {}
        self._segments: dict[tuple[int, int], list[tuple[int, int]]] = {}

    def _block(self, position: int) -> tuple[int, int] | None:
        index = bisect_right(self._starts, position) - 1
        if index >= 0 and self._blocks[index][0] <= position < self._blocks[index][1]:
            return self._blocks[index]
        return None

    def is_word(self, start: int, end: int) -> bool:
        """Whether text[start:end] starts and ends on token boundaries."""
        block = self._block(start)
        if block is None or end > block[1]:
            return False
        if not self._straddled(start, block) and not self._straddled(end, block):
            return True
        spans = self._segment(self._stretch(start, end, block))
        return any(a == start for a, _ in spans) and any(b == end for _, b in spans)

    def token_at(self, position: int) -> tuple[int, int] | None:
        """The token holding *position*, or None outside any run of words."""
        block = self._block(position)
        if block is None:
            return None
        spans = self._segment(self._stretch(position, position + 1, block))
        return next(span for span in spans if span[0] <= position < span[1])

    def _stretch(self, start: int, end: int, block: tuple[int, int]) -> tuple[int, int]:
        """The smallest span of *block* around [start, end) at whose ends every segmentation cuts."""
        while start > block[0] and not self._always_cut(start, block):
            start -= 1
        while end < block[1] and not self._always_cut(end, block):
            end += 1
        return start, end

    def _always_cut(self, position: int, block: tuple[int, int]) -> bool:
        """Han on both sides (jieba glues runs of letters and digits) and no dictionary word across."""
        text = self.text
        return (
            HAN_FIRST <= text[position - 1] <= HAN_LAST
            and HAN_FIRST <= text[position] <= HAN_LAST
            and not self._straddled(position, block)
        )

    def _segment(self, span: tuple[int, int]) -> list[tuple[int, int]]:
        if span in self._segments:
            return self._segments[span]
        stretch, offset = self.text[span[0] : span[1]], span[0]
        if ALL_HAN.fullmatch(stretch):
            tokens = cut_han(stretch)
        else:  # jieba glues letters and digits: its own cut
            tokens, start = [], 0
            for token in jieba.dt.cut(stretch, HMM=False):
                tokens.append((start, start + len(token)))
                start += len(token)
        spans = []
        for a, b in tokens:
            if b - a > 2 and stretch[a:b] in self.transparent:
                spans.extend((offset + a + c, offset + a + d) for c, d in cut_inside(stretch[a:b]))
            else:
                spans.append((offset + a, offset + b))
        self._segments[span] = spans
        return spans

    def _straddled(self, position: int, block: tuple[int, int], longest: int = LONGEST_WORD) -> bool:
        """Whether a dictionary word of the block runs across *position* (jieba's prefix dict)."""
        if position <= block[0] or position >= block[1]:
            return False
        if position in self._straddles:
            return self._straddles[position]
        freq = jieba.dt.FREQ
        text = self.text
        found = False
        for left in range(position - 1, max(block[0], position - longest) - 1, -1):
            if text[left:position] not in freq:
                continue
            for right in range(position + 1, min(block[1], left + longest) + 1):
                word = text[left:right]
                if word not in freq:
                    break
                if freq[word]:
                    found = True
                    break
            if found:
                break
        self._straddles[position] = found
        return found
