"""Script conversion (OpenCC), shared by extraction, cleaning and tagging."""

from __future__ import annotations

from functools import cache

import opencc


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """*text* in simplified Chinese (OpenCC ``t2s``: 瀋陽 → 沈阳); other characters unchanged."""
    return _converter("t2s").convert(text) if text else text


def to_traditional(text: str) -> str:
    """*text* in traditional Chinese (OpenCC ``s2t``: 沈阳 → 瀋陽); other characters unchanged."""
    return _converter("s2t").convert(text) if text else text
