"""RFC 4151's grammar of a tag URI, for checking the ids the feeds carry."""

from __future__ import annotations

import re

_ALNUM = "[A-Za-z0-9]"
_DNS_COMP = f"{_ALNUM}(?:[A-Za-z0-9-]*{_ALNUM})?"
_DNS_NAME = rf"{_DNS_COMP}(?:\.{_DNS_COMP})*"
_EMAIL = rf"[A-Za-z0-9\-._@]+@{_DNS_NAME}"  # RFC 2822 addr-spec, restricted to what feeds use
_DATE = r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?"
_PCHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})"
TAG_URI = re.compile(rf"tag:(?:{_DNS_NAME}|{_EMAIL}),{_DATE}:(?:{_PCHAR}|[/?])*(?:#(?:{_PCHAR}|[/?])*)?")


def is_tag_uri(text: str) -> bool:
    """Whether *text* is a tag URI as RFC 4151 defines it (ASCII only, by its grammar)."""
    return TAG_URI.fullmatch(text) is not None
