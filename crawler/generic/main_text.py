"""Find the article text: give every line a value, keep the best contiguous run of lines.

Prose — text with sentence punctuation and little link text — is worth its length; link lists,
short unpunctuated fragments (menus, labels) and furniture lines (toolbars, share bars, app
prompts, 更多) cost; section breaks (责任编辑, 相关新闻, 上一篇, a pager, copyright lines, a heading
repeating an earlier one) are walls the article never crosses; what furniture looks like is
``crawler.generic.furniture``'s. The article is the run of consecutive lines, in reading order,
with the largest total (Kadane's maximum subarray, as in Finn's Body Text Extraction): it takes in every
paragraph however the page splits them (``<p>``s, ``<br>`` runs, nested ``<div>``s, table cells)
and the short subheads and captions between them, and stops where menus and link lists outweigh
what lies beyond. This is the text-density / link-density idea of trafilatura, GNE and readability,
applied to lines; no site-specific rule is involved.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from core.bylines import AUTHOR_LABELS, REPORTER_ROLES, names_after
from core.dates import has_date, is_date
from crawler.generic.furniture import is_furniture, is_section_break, starts_with_furniture
from crawler.generic.text_lines import Line

SENTENCE_PUNCTUATION = frozenset("，。！？；：、“”…,!?;")
SHORT_LINE = 20
"""Lines shorter than this without sentence punctuation look like menu items, labels or captions."""
SHORT_LINE_COST = 4.0
LINK_COST = 1.0
"""Cost per character of link text, against a gain of one per character of prose."""
UNPUNCTUATED_WEIGHT = 0.3
"""Long lines without punctuation (keyword strips, tag clouds) count for less than prose."""

FURNITURE_COST = 30.0
"""What a furniture line (a toolbar, a prompt, a "more" link) costs: enough to part two runs of
text, too little to stop one at a single stray line."""


def punctuation_count(text: str) -> int:
    return sum(map(text.count, SENTENCE_PUNCTUATION))


def line_value(line: Line) -> float:
    """How much *line* looks like article text (positive) or page furniture (negative)."""
    if is_section_break(line):
        return -math.inf
    plain = line.chars - line.link_chars
    if line.link_chars > plain:
        return -LINK_COST * line.chars
    if is_furniture(line) or starts_with_furniture(line):
        return -FURNITURE_COST
    punctuation = punctuation_count(line.text)
    if not punctuation and plain < SHORT_LINE:
        return -SHORT_LINE_COST
    weight = 1.0 if punctuation else UNPUNCTUATED_WEIGHT
    return weight * plain - LINK_COST * line.link_chars


def repeated_headings(lines: list[Line]) -> list[int]:
    """Indexes of headings that repeat an earlier heading: a teaser box restating the title."""
    seen: set[str] = set()
    repeated = []
    for index, line in enumerate(lines):
        if line.heading:
            if line.text in seen:
                repeated.append(index)
            seen.add(line.text)
    return repeated


def best_span(values: list[float]) -> tuple[int, int]:
    """``(start, stop)`` of the contiguous run with the largest sum (Kadane); empty if none is positive."""
    best, best_range = 0.0, (0, 0)
    running, start = 0.0, 0
    for index, value in enumerate(values):
        if running <= 0:
            running, start = 0.0, index
        running += value
        if running > best:
            best, best_range = running, (start, index + 1)
    return best_range


@dataclass
class MainText:
    lines: list[Line]
    start: int = 0
    """Where the text's run of the page's lines starts (an index among all the page's lines)."""
    stop: int = 0
    """Where it stops. ``lines`` are those of the run that are text: the run itself once chosen,
    then without its header and the furniture inside it."""


def find_main_text(lines: list[Line]) -> MainText:
    """The article's lines: the best contiguous run."""
    values = [line_value(line) for line in lines]
    for index in repeated_headings(lines):
        values[index] = -math.inf
    start, stop = best_span(values)
    if start == stop:
        return MainText([])
    return MainText(lines[start:stop], start, stop)


HEADER_LINES = 6
"""How many of the text's first lines may still be title, breadcrumb or byline."""
HEADER_MAX_CHARS = 100
_BREADCRUMB = re.compile(r"^\W{0,2}(?:当前位置|您的位置|你的位置|您现在的位置|位置)\s*[:：]")
_BYLINE_LABEL = re.compile(r"来源|來源|稿源|作者|记者|記者|发布|發布|时间|時間|日期|编辑|編輯|点击|浏览|阅读")
_NAMED_BYLINE = names_after(REPORTER_ROLES, AUTHOR_LABELS)
LABEL_MAX_CHARS = 60


def is_header_line(line: Line, title: str | None) -> bool:
    """Whether *line* is the headline, a breadcrumb or a dated byline rather than article text."""
    if line.chars > HEADER_MAX_CHARS:
        return False
    if title and shows_title(line, title):
        return True
    if _BREADCRUMB.search(line.text):
        return True
    if has_date(line.text) and (_BYLINE_LABEL.search(line.text) or is_label(line)):
        return True
    return bool(is_date(line.text.split(" ")[0]) and line.chars <= 40)


def is_label(line: Line) -> bool:
    """A short line that is no sentence: a byline, or a dateline with no label when it holds a date
    (``http://www.sina.net 2005年03月21日 11:21 《理财周刊》``)."""
    return line.chars <= LABEL_MAX_CHARS and not any(char in "，。！？；" for char in line.text)


def shows_title(line: Line, title: str) -> bool:
    """Whether *line* is the headline (or the headline with little around it: 原标题：…)."""
    return line.text == title or (title in line.text and line.chars < 2 * len(title))


def start_after_headline(main: MainText, lines: list[Line], title: str | None) -> MainText:
    """*main* starting after the headline when the headline lies inside it with less text above it
    than below: what precedes a headline is page chrome (a slogan banner, a menu, a breadcrumb)
    that the run took in, never the article."""
    if not title:
        return main
    for index in range(main.start, main.stop - 1):
        if shows_title(lines[index], title):
            above = sum(line.chars for line in lines[main.start : index])
            below = sum(line.chars for line in lines[index + 1 : main.stop])
            if index > main.start and above < below:
                return MainText(lines[index + 1 : main.stop], index + 1, main.stop)
            return main
    return main


def drop_header(main: MainText, title: str | None) -> MainText:
    """*main* without the headline, breadcrumb and byline lines its block starts with, nor the
    labels and buttons left between them and the text (音频 04:29, 7 分钟): the run took those in
    only to reach the header.

    Bylines with names (本报记者 张三) stay: they are part of the text, and the cleaner reads them.
    """
    header = []
    for index, line in enumerate(main.lines[:HEADER_LINES]):
        if line.chars > HEADER_MAX_CHARS:
            break  # a paragraph: what follows it is no header
        if is_header_line(line, title):
            header.append(index)
    if not header or header[-1] + 1 >= len(main.lines):
        return main
    cut = header[-1] + 1
    lead = cut
    while lead + 1 < len(main.lines) and (line_value(main.lines[lead]) <= 0 or is_byline(main.lines[lead])):
        lead += 1
    bylines = [line for line in main.lines[cut:lead] if is_byline(line)]
    return MainText(bylines + main.lines[lead:], main.start + cut, main.stop)


def is_byline(line: Line) -> bool:
    """A short line naming the reporters or the author (本报记者 张三, 作者：李四), not a sentence."""
    return is_label(line) and bool(_NAMED_BYLINE.search(line.text))


def drop_furniture(main: MainText) -> MainText:
    """*main* without the furniture lines inside it (a share bar or an app prompt between two
    paragraphs); its span stays, so the byline and date are still looked for around it."""
    return MainText([line for line in main.lines if not is_furniture(line)], main.start, main.stop)
