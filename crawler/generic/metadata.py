"""Title, 来源 (outlet), reporters and editors of a Chinese news page."""

from __future__ import annotations

import re

from lxml import html

from core.bylines import AUTHOR_LABELS, EDITOR_ROLES, REPORTER_ROLES, names_after, split_names
from core.chinese import to_simplified
from crawler.generic.text_lines import Line

TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜|--|—|–|::|\s-\s|-(?=[^-]*$))\s*")
"""``标题_频道_网站``, ``标题 - 网站``, ``标题|网站``; a lone ``-`` splits only at its last occurrence."""
MIN_TITLE_CHARS = 2
MAX_TITLE_CHARS = 60
HEADER_WINDOW = 6
"""How many of the text's first lines may still show the headline (its block starts with it)."""

HEADLINE_TAGS = ("h1", "h2", "h3")

_OUTLET = re.compile(
    r"(?:来源|來源|稿源|出处|出處)\s*[:：]\s*[【\[]?\s*([\u4e00-\u9fa5A-Za-z0-9·.（）()]{2,30})(?=$|[\s|｜,，。；;】\]])"
)
_REPORTERS = names_after(REPORTER_ROLES, (*AUTHOR_LABELS, r"(?<![\u4e00-\u9fff])文"))
_EDITORS = names_after(separated=EDITOR_ROLES)
_PLACE_REPORTED = re.compile(r"\S+报道$")
BYLINE_MAX_CHARS = 80


def clean_text(text: str | None) -> str:
    return " ".join((text or "").split())


def title_tag(root: html.HtmlElement) -> str:
    element = root.find(".//title")
    return clean_text(element.text_content()) if element is not None else ""


def meta_content(root: html.HtmlElement, *keys: str) -> str:
    """The first non-empty ``content`` of a meta tag whose name or property is one of *keys*."""
    wanted = {key.lower() for key in keys}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        if key in wanted and clean_text(meta.get("content")):
            return clean_text(meta.get("content"))
    return ""


def title_segments(text: str) -> list[str]:
    """``标题_频道_网站`` → ``["标题", "频道", "网站"]``."""
    return [segment for segment in TITLE_SEPARATORS.split(text) if segment]


def _overlap(candidate: str, reference: str) -> float:
    """Share of *candidate*'s characters found, in order, at the start of *reference* (prefix match)."""
    if not candidate or not reference:
        return 0.0
    if candidate in reference:
        return 1.0
    common = 0
    for a, b in zip(candidate, reference, strict=False):
        if a != b:
            break
        common += 1
    return common / len(candidate)


def headline_candidates(root: html.HtmlElement) -> list[str]:
    texts = (clean_text(element.text_content()) for element in root.iter(*HEADLINE_TAGS))
    return [text for text in texts if len(text) >= MIN_TITLE_CHARS]


def reference_title(root: html.HtmlElement) -> str:
    """What the page says its title is: ``og:title`` (or ``twitter:title``), else ``<title>``."""
    return meta_content(root, "og:title", "twitter:title") or title_tag(root)


def find_title(root: html.HtmlElement) -> str | None:
    """The headline: the ``h1``–``h3`` that best matches ``<title>``/``og:title``, else their first part.

    The ``<title>`` carries channel and site names; a heading alone may be the site's logo. A heading
    that is (almost) contained in the ``<title>`` is the headline; the longest such wins.
    """
    reference = reference_title(root)
    best, best_score = None, 0.0
    for candidate in headline_candidates(root):
        score = _overlap(candidate, reference)
        if score >= 0.6 and (score, len(candidate)) > (best_score, len(best or "")):
            best, best_score = candidate, score
    if best:
        return best
    segments = title_segments(reference)
    if segments:
        return segments[0] if len(segments[0]) >= MIN_TITLE_CHARS else max(segments, key=len)
    headlines = headline_candidates(root)
    return headlines[0] if headlines else None


def is_title_like(line: Line) -> bool:
    short = MIN_TITLE_CHARS + 2 <= line.chars <= MAX_TITLE_CHARS
    return short and not re.search(r"[。；;:：]|\d{4}", line.text)


def title_from_lines(
    lines: list[Line], text_start: int, title: str | None, reference: str = ""
) -> str | None:
    """*title* if the page shows it above the text or among its first lines; otherwise — the
    ``<title>`` is a site name, ``显示`` — the short line that looks like a headline just above the
    text or at its top, one that agrees with the page's *reference* title first (a slogan banner
    looks like a headline too)."""
    if title and any(title in line.text for line in lines[: text_start + HEADER_WINDOW]):
        return title
    above = lines[max(text_start - 5, 0) : text_start]
    top: list[Line] = []
    for line in lines[text_start : text_start + 3]:
        if line.chars > MAX_TITLE_CHARS:
            break
        top.append(line)
    candidates = [line for line in [*top, *reversed(above)] if is_title_like(line) and line.link_chars == 0]
    agreeing = [line for line in candidates if _overlap(line.text, reference) >= 0.6]
    return next((line.text for line in agreeing or candidates), title)


def title_line_index(lines: list[Line], title: str | None, before: int) -> int | None:
    """The last line before index *before* that shows the title."""
    if not title:
        return None
    for index in range(min(before, len(lines) - 1), -1, -1):
        text = lines[index].text
        if title in text or (len(text) >= MIN_TITLE_CHARS and text in title):
            return index
    return None


def byline_lines(lines: list[Line], start: int, stop: int) -> list[str]:
    return [line.text for line in lines[max(start, 0) : stop] if line.chars <= BYLINE_MAX_CHARS]


def find_outlet(texts: list[str]) -> str | None:
    """来源 as the byline shows it, without its label."""
    for text in texts:
        match = _OUTLET.search(text)
        if match:
            return match.group(1)
    return None


def _names(pattern: re.Pattern[str], texts: list[str]) -> list[str]:
    """The names *pattern* finds in the byline *texts*, in simplified Chinese."""
    names: list[str] = []
    for text in texts:
        text = _PLACE_REPORTED.sub("", to_simplified(text))  # 记者 张三 山东冠县报道: no name in the place
        for match in pattern.finditer(text):
            names.extend(name for name in split_names(match.group("names")) if name not in names)
    return names


def find_reporters(root: html.HtmlElement, texts: list[str]) -> list[str]:
    """Names after 记者/作者/文 in the byline texts (simplified), else a meta ``author`` that is not a URL."""
    names = _names(_REPORTERS, texts)
    if names:
        return names
    author = meta_content(root, "author", "article:author", "dc.creator")
    return [author] if author and "/" not in author and "." not in author and len(author) <= 20 else []


def find_editors(texts: list[str]) -> list[str]:
    return _names(_EDITORS, texts)
