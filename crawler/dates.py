"""Dates as Chinese news pages write them, read as Asia/Shanghai and returned timezone-aware."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

_DATETIME = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})(?:\s*[:：分]\s*(?P<S>\d{1,2}))?)?"
)


def parse_datetime(text: str | None) -> datetime | None:
    """The first full date (with its time, if one follows) in *text*, as Asia/Shanghai time.

    >>> parse_datetime("2017-08-30 14:50:08").isoformat()
    '2017-08-30T14:50:08+08:00'
    >>> parse_datetime("2018年03月20日 10:22 来源：济宁新闻网").isoformat()
    '2018-03-20T10:22:00+08:00'
    """
    if not text:
        return None
    for match in _DATETIME.finditer(text):
        parts = match.groupdict()
        try:
            return datetime(
                int(parts["y"]),
                int(parts["m"]),
                int(parts["d"]),
                int(parts["H"] or 0),
                int(parts["M"] or 0),
                int(parts["S"] or 0),
                tzinfo=SHANGHAI,
            )
        except ValueError:
            continue
    return None
