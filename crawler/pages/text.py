"""Plain-text articles (a copy-pasted or scraped text, not a page): the first line is the title
when it looks like one; every other line is raw body, left to the cleaning step."""

from __future__ import annotations

import re

from crawler.pages.base import RawArticle
from processors.boilerplate import load_rules
from processors.chinese import to_simplified
from processors.normalize import normalize_line

MAX_TITLE_LENGTH = 60
SENTENCE_END = re.compile(r"[。！？!?；;：:，,]$")
DATELINE = re.compile(r"讯\s*[（(]|^[（(]?(?:本报|本网)?记者")


def looks_like_title(line: str) -> bool:
    """A headline: short, no sentence punctuation at its end, no dateline, no meta label."""
    line = normalize_line(line)
    if not line or len(line) > MAX_TITLE_LENGTH or SENTENCE_END.search(line) or DATELINE.search(line):
        return False
    simplified = to_simplified(line)
    rules = load_rules()
    return rules.parse_meta(line) is None and rules.match(simplified) is None


def raw_from_text(text: str, url: str = "") -> RawArticle:
    lines = text.splitlines()
    nonblank = [index for index, line in enumerate(lines) if line.strip()]
    title = None
    if len(nonblank) > 1 and looks_like_title(lines[nonblank[0]]):
        title = lines[nonblank[0]].strip()
        lines = lines[nonblank[0] + 1 :]
    return RawArticle(url=url, title=title, body_lines=lines, extractor="text")
