"""Character-level clean-up of scraped Chinese text: pinyin annotations, control characters,
white space, and detection of mojibake runs (which are flagged, never silently removed)."""

from __future__ import annotations

import re

from core.xml import CONTROLS

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
TONED_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"

# 區(qū) → 區: a parenthesised pinyin syllable with a tone mark right after a CJK character.
# Only after a CJK character: in 勇?lián)?dāng) the syllables are the debris of mojibake and stay.
PINYIN_ANNOTATION = re.compile(rf"(?<=[{CJK}])\([a-zü]*[{TONED_VOWELS}][a-zü]*\)")
# C0 and C1 controls (tab and line breaks aside), zero-width and direction marks, the noncharacters
# U+FFFE and U+FFFF: never text.
CONTROL = re.compile(rf"[{CONTROLS}\u200b-\u200f\u2028\u2029\u2060\ufeff]")
SPACE = re.compile(r"[ \t\r\f\v\u3000\xa0\u2002\u2003\u2009]+")
MOJIBAKE = re.compile(
    rf"\?[a-zü]*[{TONED_VOWELS}][a-zü]*\)"  # 勇?lián)?dāng): a lost character and its pinyin
    rf"|[{CJK}]\?{{2,3}}(?=[{CJK}])"  # 山??叼: question marks standing for characters (one is punctuation)
    r"|\ufffd"  # replacement character from undecodable bytes
)


def strip_pinyin_annotations(text: str) -> str:
    return PINYIN_ANNOTATION.sub("", text)


def normalize_line(line: str) -> str:
    """One line without control characters or pinyin annotations, white space folded and trimmed."""
    line = CONTROL.sub("", line)
    line = strip_pinyin_annotations(line)
    return SPACE.sub(" ", line).strip()


def normalize_lines(text: str) -> list[str]:
    """The non-empty lines of *text*, each as :func:`normalize_line` makes it (one pass per rule
    over the whole text: per-line calls cost more than the work)."""
    text = SPACE.sub(" ", strip_pinyin_annotations(CONTROL.sub("", text)))
    return [stripped for line in text.split("\n") if (stripped := line.strip())]


def has_mojibake(text: str) -> bool:
    return MOJIBAKE.search(text) is not None
