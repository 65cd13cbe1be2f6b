"""Dates as Chinese news pages write them, read as Asia/Shanghai and returned timezone-aware."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

FULL_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)\s*日?"
    r"(?:\s*T?\s*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})(?:\s*[:：分]\s*(?P<S>\d{1,2}))?)?"
    r"(?:\.\d+)?(?P<tz>Z|[+-]\d{2}:?\d{2})?"
)
"""A date with year, month and day (2017-08-30, 2018年03月20日, 2022/2/13), its time if one
follows, and an ISO time-zone offset if one is given."""
SLASHED_DATE = re.compile(
    r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)\d{2})"
    r"(?:\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>[AaPp][Mm])?)?"
)
"""``9/17/2004 5:54:13 AM`` or ``06/02/2022``: day and month in an order only the context tells
(month first when it says AM/PM or the day is over 12); read by the generic date finder."""


def has_date(text: str) -> bool:
    """Whether *text* holds a full date in either form."""
    return bool(FULL_DATE.search(text) or SLASHED_DATE.search(text))


def is_date(text: str) -> bool:
    """Whether *text* is nothing but a full date (with its time, if any)."""
    return bool(FULL_DATE.fullmatch(text) or SLASHED_DATE.fullmatch(text))


def full_dates(text: str) -> Iterator[tuple[re.Match[str], datetime]]:
    """Every valid full date in *text* with its match, in order, as Asia/Shanghai time."""
    for match in FULL_DATE.finditer(text):
        value = _value(match)
        if value is not None:
            yield match, value


def parse_datetime(text: str | None) -> datetime | None:
    """The first full date (with its time, if one follows) in *text*, as Asia/Shanghai time.

    Times without an offset are Beijing time, as the sites print them; an offset is honoured.

    >>> parse_datetime("2017-08-30 14:50:08").isoformat()
    '2017-08-30T14:50:08+08:00'
    >>> parse_datetime("2018年03月20日 10:22 来源：济宁新闻网").isoformat()
    '2018-03-20T10:22:00+08:00'
    >>> parse_datetime("2022-02-12T23:30:00Z").isoformat()
    '2022-02-13T07:30:00+08:00'
    """
    return next((value for _, value in full_dates(text)), None) if text else None


def _value(match: re.Match[str]) -> datetime | None:
    parts = match.groupdict()
    offset = parts["tz"]
    try:
        zone = SHANGHAI if not offset else timezone(_offset(offset))
        value = datetime(
            int(parts["y"]),
            int(parts["m"]),
            int(parts["d"]),
            int(parts["H"] or 0),
            int(parts["M"] or 0),
            int(parts["S"] or 0),
            tzinfo=zone,
        )
    except ValueError:
        return None
    return value.astimezone(SHANGHAI)


def _offset(text: str) -> timedelta:
    if text == "Z":
        return timedelta(0)
    digits = text[1:].replace(":", "")
    sign = -1 if text[0] == "-" else 1
    return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
