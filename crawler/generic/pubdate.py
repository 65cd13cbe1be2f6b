"""Find an article's publication date: meta tags first, then the byline by the title, then the URL.

Pages show many dates — related-news lists, archives, footers, dates inside the story — so where
a date sits matters more than what it looks like. In order of trust:

0. a government document's own date (成文日期, the date signed at its foot): 政府信息公开 pages list
   it beside the later web 发布日期 and their meta tags, and it is the document's date of record;
1. a publication-date meta tag (``article:published_time``, ``PubDate``, ``publishdate``…) or
   ``<time datetime>`` / ``itemprop="datePublished"``;
2. a short line between the title and the first paragraphs (the 发布时间 / 来源 byline);
3. a short line just after the text (blogs: ``发表于 2005-9-15 11:46``);
4. a date in the URL (``/2022-02/13/``, ``/20220213/``, ``t20220213_``);
5. a line anywhere labelled 发布时间 / 发布日期 / 发表于.

Every date is returned as ``DateText``: the text as found, or — when ``core.dates.parse_datetime``
could not read it as written (``9/17/2004 5:54 AM``) — the same
moment rewritten as ``YYYY-MM-DD HH:MM:SS`` in Asia/Shanghai time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from lxml import html

from core.dates import SHANGHAI, SLASHED_DATE, full_dates, parse_datetime
from crawler.generic.text_lines import Line

META_NAMES = frozenset(
    {
        "article:published_time",
        "og:article:published_time",
        "og:published_time",
        "published_time",
        "og:release_date",
        "release_date",
        "pubdate",
        "publishdate",
        "publish_date",
        "publishtime",
        "publish-date",
        "datepublished",
        "dc.date.issued",
        "dc.date",
        "dcterms.issued",
        "dcterms.created",
        "sailthru.date",
        "weibo:article:create_at",
        "firstpublishedtime",
        "ptime",
        "apub:time",
        "article.published",
        "published-date",
        "created",
        "date",
    }
)
"""Meta names/properties/itemprops that carry the publication date (compared in lower case)."""

_URL_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/_]?(?P<m>[01]\d)[-/_]?(?P<d>[0-3]\d)(?!\d)"
    r"|(?<!\d)(?P<y2>(?:19|20)\d{2})[-/_](?P<m2>[01]?\d)/(?P<d2>[0-3]?\d)/"
)
DATE_LABELS = re.compile(r"发布|發布|时间|時間|日期|发表|發表|更新|来源|來源|稿源|编辑|作者|记者")
DOCUMENT_DATE_LABEL = re.compile(r"成文日期|成文时间|成文時間|发文日期|發文日期")
LABELLED_ANYWHERE = re.compile(r"发布时间|发布日期|發布時間|发表时间|发表于|發表於|发文日期|发稿时间")
BYLINE_MAX_CHARS = 100
"""Longer lines are prose: a date there is something the story tells, not when it was published."""
HEADER_LINES = 12
"""How far before the text's first line to look for the byline when no title line is found."""
FIRST_TEXT_LINES = 3
"""Bylines often sit in the text's first lines (the text's block starts with them)."""
AFTER_TEXT_LINES = 4


class DateText(str):
    """A date as text that ``parse_datetime`` reads correctly; ``value`` is the parsed datetime."""

    value: datetime

    def __new__(cls, text: str, value: datetime) -> DateText:
        found = super().__new__(cls, text)
        found.value = value
        return found


def _plausible(value: datetime, now: datetime) -> bool:
    return value.year >= 1990 and value <= now + timedelta(days=2)


def _as_text(raw: str, value: datetime) -> DateText:
    """*raw* if ``parse_datetime`` reads it as *value*, otherwise *value* written out."""
    parsed = parse_datetime(raw)
    if parsed is not None and parsed == value:
        return DateText(raw.strip(), value)
    return DateText(value.strftime("%Y-%m-%d %H:%M:%S"), value)


def dates_in(text: str) -> Iterable[DateText]:
    """Every full date in *text*, in order of appearance, in Asia/Shanghai time."""
    found: list[tuple[int, DateText]] = []
    for match, value in full_dates(text):
        found.append((match.start(), _as_text(match.group(0), value)))
    for match in SLASHED_DATE.finditer(text):
        value = _slashed_date_value(match)
        if value is not None:
            found.append((match.start(), _as_text(match.group(0), value)))
    return [date for _, date in sorted(found, key=lambda item: item[0])]


def _slashed_date_value(match: re.Match[str]) -> datetime | None:
    parts = match.groupdict()
    first, second = int(parts["a"]), int(parts["b"])
    month_first = bool(parts["ampm"]) or second > 12
    month, day = (first, second) if month_first else (second, first)
    hour = int(parts["H"] or 0)
    if parts["ampm"] and parts["ampm"].lower() == "pm" and hour < 12:
        hour += 12
    if parts["ampm"] and parts["ampm"].lower() == "am" and hour == 12:
        hour = 0
    try:
        return datetime(
            int(parts["y"]), month, day, hour, int(parts["M"] or 0), int(parts["S"] or 0), tzinfo=SHANGHAI
        )
    except ValueError:
        return None


def first_date(texts: Iterable[str], now: datetime | None = None) -> DateText | None:
    """The first plausible date in *texts*."""
    now = now or datetime.now(SHANGHAI)
    for text in texts:
        for date in dates_in(text):
            if _plausible(date.value, now):
                return date
    return None


def meta_date(root: html.HtmlElement) -> DateText | None:
    """The publication date from ``<meta>``, ``<time datetime>`` or ``itemprop="datePublished"``."""
    candidates = []
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key in META_NAMES and meta.get("content"):
            candidates.append(meta.get("content"))
    for element in root.iter("time"):
        candidates.append(element.get("datetime") or element.text_content())
    for element in root.xpath('//*[@itemprop="datePublished"]'):
        candidates.append(element.get("content") or element.get("datetime") or element.text_content())
    return first_date(candidate for candidate in candidates if candidate)


def url_date(url: str | None) -> DateText | None:
    """A date written in the URL's path, such as ``/2022-02/13/`` or ``/t20220213_``."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url)
    for match in _URL_DATE.finditer(path):
        year, month, day = (match.group("y"), match.group("m"), match.group("d"))
        if year is None:
            year, month, day = match.group("y2"), match.group("m2"), match.group("d2")
        try:
            value = datetime(int(year), int(month), int(day), tzinfo=SHANGHAI)
        except ValueError:
            continue
        if _plausible(value, datetime.now(SHANGHAI)):
            return DateText(value.strftime("%Y-%m-%d"), value)
    return None


def is_byline(line: Line) -> bool:
    """A short line that is not a sentence of the story, or one that starts with a date label."""
    if DATE_LABELS.search(line.text[:30]):
        return True
    return line.chars <= BYLINE_MAX_CHARS and "。" not in line.text


def _byline_texts(lines: Iterable[Line]) -> list[str]:
    return [line.text for line in lines if is_byline(line)]


def byline_date(
    lines: list[Line], title_index: int | None, text_start: int, text_stop: int
) -> DateText | None:
    """A date on a short line near the title: between it and the text, then above it, then just
    after the text."""
    if title_index is not None and title_index <= text_start:
        start = title_index
    else:
        start = max(text_start - HEADER_LINES, 0)
    header = lines[start : min(text_start + FIRST_TEXT_LINES, text_stop)]
    labelled = [line for line in header if DATE_LABELS.search(line.text)]
    above = list(reversed(lines[max(start - HEADER_LINES, 0) : start]))
    return (
        first_date(_byline_texts(labelled))
        or first_date(_byline_texts(header))
        or first_date(_byline_texts(above))
        or first_date(_byline_texts(lines[text_stop : text_stop + AFTER_TEXT_LINES]))
    )


def document_date(lines: list[Line]) -> DateText | None:
    """A government document's own date, on a short line labelled 成文日期 or 发文日期, or on the
    line after such a label (a table cell or ``<span>`` of its own)."""
    texts = [
        " ".join(line.text for line in lines[index : index + 2])
        for index, line in enumerate(lines)
        if line.chars <= BYLINE_MAX_CHARS and DOCUMENT_DATE_LABEL.search(line.text)
    ]
    return first_date(texts)


def labelled_date(lines: list[Line]) -> DateText | None:
    """A date on any line that says it is the publication date (发布时间…)."""
    return first_date(line.text for line in lines if LABELLED_ANYWHERE.search(line.text))


def find_date(
    meta: DateText | None,
    lines: list[Line],
    title_index: int | None,
    text_span: tuple[int, int],
    url: str | None,
) -> DateText | None:
    """The publication date by the order of trust in this module's docstring.

    *meta* is ``meta_date`` of the uncleaned tree, *lines* the page's lines, *title_index* the
    title's line (if found) and *text_span* the main text's ``(start, stop)`` in *lines*.
    """
    start, stop = text_span
    return (
        document_date(lines)
        or meta
        or byline_date(lines, title_index, start, stop)
        or url_date(url)
        or labelled_date(lines)
    )
