"""Who wrote an article and for which outlet, read from its bylines and dateline.

Chinese news names its reporters in a dateline (``闽南网2月17日讯(闽南网记者 陈玉玲)``), at the
end of the text (``(厦门日报记者 蔡镇金 泉州晚报记者 陈林森)``) or in an author field
(``作者：记者 张三 通讯员 李四``). Functions here take simplified text and return simplified names;
the byline itself stays in the paragraph it belongs to.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from core.bylines import (
    AUTHOR_LABELS,
    DATELINE,
    EDITOR_ROLES,
    NON_REPORTER_ROLES,
    REPORTER_ROLES,
    split_names,
)
from core.dates import SHANGHAI, full_dates

ROLE = re.compile("(" + "|".join((*REPORTER_ROLES, *NON_REPORTER_ROLES, r"(?<=\S)台")) + ")")
"""A role word; 台 after an outlet's name (济宁台 吴钟亮) is the broadcaster's reporter."""
OUTLET_SUFFIX = re.compile(r"(?:报|网|台|社|电视台|广播电台|新闻网|日报|晚报|时报|杂志)$")
TRAILING_BYLINE = re.compile(r"[（(](?P<byline>[^（）()]*记者[^（）()]*)[）)]\s*$")
CREDIT = r"(?:(?:文|图|摄影|视频)(?:\s*[/／、]\s*(?:文|图|摄影|视频))*\s*[:：]?\s*)?"
"""A credit before a byline: ``文/图 闽南网记者 郑巧玲`` (text and pictures by)."""
STANDALONE_BYLINE = re.compile(
    rf"^[（(]?{CREDIT}(?P<byline>(?:[\u4e00-\u9fff]{{1,8}}?(?:报|网|台|社|新闻))?(?:特约|见习|首席)?记者"
    r"[\s\u4e00-\u9fff、，]{2,40})[）)]?$"
)
"""A line that is nothing but a byline: ``本报记者 王海涛``, ``（闽南网记者 庄晓敏 通讯员 丰公宣）``,
``文/图 闽南网记者 郑巧玲``, ``闪电新闻记者 张宁 济宁报道``."""
FIELD_LABEL = re.compile(
    "^(?:" + "|".join(sorted((*EDITOR_ROLES, *AUTHOR_LABELS), key=len, reverse=True)) + r")\s*[:：]\s*"
)
"""The label an author or editor element may print before its names (``责任编辑：``, ``作者：``)."""
MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})日")


def parse_byline(byline: str) -> tuple[list[str], list[str]]:
    """(names, outlets) of a byline such as ``厦门日报记者 蔡镇金 泉州晚报记者 陈林森``.

    A token glued to a role word (``厦门日报记者``) names the outlet the next names write for.
    Correspondents (通讯员, often press officers of the bodies reported on) are not reporters.
    """
    parts = ROLE.split(byline)
    names: list[str] = []
    outlets: list[str] = []
    for index in range(1, len(parts), 2):
        before, after = parts[index - 1], parts[index + 1]
        organisation = before.split()[-1] if before and not before[-1].isspace() and before.split() else ""
        role = parts[index]
        if organisation and (role == "台" or OUTLET_SUFFIX.search(organisation)):
            outlets.append(organisation + ("台" if role == "台" else ""))
        followed_by_role = index + 2 < len(parts)
        tokens = after.split()
        if followed_by_role and tokens and not after[-1].isspace():
            tokens = tokens[:-1]
        if role not in NON_REPORTER_ROLES:
            names.extend(split_names(" ".join(tokens)))
    if len(parts) == 1:
        names = split_names(byline)
    return _unique(names), _unique(outlets)


def author_field_names(text: str) -> list[str]:
    """Names in an author or editor element's text (``记者 张三 通讯员 李四``, ``责任编辑：张三`` or
    just ``张三``)."""
    return parse_byline(FIELD_LABEL.sub("", text))[0]


def dateline_outlet(first_line: str) -> str | None:
    """The outlet a dateline names: ``泉州网-泉州晚报讯`` → 泉州晚报, ``闽南网2月17日讯`` → 闽南网."""
    match = DATELINE.match(first_line)
    if not match:
        return None
    prefix = MONTH_DAY.sub("", match["prefix"]).strip(" -—")
    prefix = re.split(r"[-—]", prefix)[-1].strip()
    if not prefix or prefix in ("本报", "本网", "本台"):
        return None
    return prefix if OUTLET_SUFFIX.search(prefix) else None


def bylines(lines: list[str]) -> tuple[list[str], list[str], set[int]]:
    """(reporters, outlets, indexes of lines that are nothing but a byline) of an article's lines."""
    names: list[str] = []
    outlets: list[str] = []
    standalone: set[int] = set()
    candidates: list[tuple[int, str]] = []
    if lines:
        dateline = DATELINE.match(lines[0])
        if dateline and dateline["byline"]:
            candidates.append((0, dateline["byline"]))
    for index in {0, len(lines) - 1} & set(range(len(lines))):
        line = lines[index]
        if match := STANDALONE_BYLINE.match(line):
            candidates.append((index, match["byline"]))
            standalone.add(index)
        elif index == len(lines) - 1 and (match := TRAILING_BYLINE.search(line)):
            candidates.append((index, match["byline"]))
    for _, byline in candidates:
        found_names, found_outlets = parse_byline(byline)
        names.extend(found_names)
        outlets.extend(found_outlets)
    return _unique(names), _unique(outlets), standalone


def dateline_date(first_line: str, reference_text: str) -> datetime | None:
    """The date of a dateline that gives only month and day (``2月17日讯``).

    The year is that of the latest full date anywhere on the page (related-news lists carry
    them), moved back a year if the result would lie more than a month after that date.
    """
    match = DATELINE.match(first_line)
    if not match or not (month_day := MONTH_DAY.search(match["prefix"])):
        return None
    latest = max((value for _, value in full_dates(reference_text)), default=None)
    if latest is None:
        return None
    month, day = int(month_day[1]), int(month_day[2])
    try:
        candidate = datetime(latest.year, month, day, tzinfo=SHANGHAI)
        if candidate - latest > timedelta(days=31):
            candidate = candidate.replace(year=latest.year - 1)
    except ValueError:
        return None
    return candidate


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
