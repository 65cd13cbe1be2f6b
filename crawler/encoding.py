"""Decode an HTML page's bytes to text, trusting declarations only as far as the bytes agree.

Chinese sites often declare ``gb2312`` while writing characters only GBK/GB18030 has, send a
``Content-Type`` charset that contradicts the page, or contain a few broken bytes. The order:

1. a byte-order mark;
2. the site's hint, the HTTP charset, then the charset the page declares (``<meta>`` or XML declaration), each
   taken only if the bytes decode cleanly with it — and never a non-UTF-8 charset for bytes that
   are valid, non-ASCII UTF-8 (that happens by chance only for a handful of bytes), nor a
   single-byte charset such as ``iso-8859-1`` (a server default, not a statement about the page);
3. UTF-8, then GB18030, strictly;
4. the declared or tried charset that needs the fewest replacements, if they are rare (a GBK
   page with a few broken bytes stays GBK);
5. charset-normalizer's guess; last, UTF-8 with replacement characters. Nothing raises.

gb2312, gbk and their aliases are decoded as gb18030, their superset.
"""

from __future__ import annotations

import codecs
import re

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_GB_FAMILY = frozenset(
    {
        "gb2312",
        "gbk",
        "gb18030",
        "cp936",
        "ms936",
        "windows-936",
        "x-gbk",
        "csgb2312",
        "gb_2312-80",
        "gb_2312",
        "euc-cn",
        "euccn",
        "x-euc-cn",
        "chinese",
        "iso-ir-58",
        "csiso58gb231280",
    }
)

_SINGLE_BYTE_PREFIXES = ("iso8859", "latin", "cp125", "ascii", "cp437", "mac")

_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

_HEAD_BYTES = 16384
_MAX_REPLACEMENT_RATIO = 0.01


def normalize_charset(label: str | None) -> str | None:
    """Python's codec name for a charset label, with the GB family widened to gb18030.

    Returns None for labels Python does not know.
    """
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _GB_FAMILY:
        return "gb18030"
    if label in {"big5", "big5-hkscs", "cn-big5", "x-x-big5", "csbig5"}:
        return "big5hkscs"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_charset(body: bytes) -> str | None:
    """The charset named by the page itself (``<meta>`` or an XML declaration), normalized."""
    head = body[:_HEAD_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return normalize_charset(match.group(1).decode("ascii", "ignore")) if match else None


def bom_encoding(body: bytes) -> tuple[str, int] | None:
    """The encoding named by a byte-order mark at the start of *body*, and the mark's length."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return encoding, len(bom)
    return None


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _is_single_byte(encoding: str) -> bool:
    return encoding.replace("_", "").replace("-", "").startswith(_SINGLE_BYTE_PREFIXES)


def _is_utf8(encoding: str) -> bool:
    return encoding in {"utf-8", "utf-8-sig"}


def _plausible_declaration(body: bytes, encoding: str, valid_utf8: bool) -> str | None:
    """The text, if *encoding* decodes *body* cleanly and nothing in the bytes contradicts it."""
    if _is_single_byte(encoding):
        return None
    if valid_utf8 and not _is_utf8(encoding) and not body.isascii():
        return None
    return _strict(body, encoding)


def _least_damaged(body: bytes, encodings: list[str]) -> tuple[str, str] | None:
    """Among *encodings*, the lenient decoding with the fewest replacement characters, if rare."""
    best: tuple[int, str, str] | None = None
    for encoding in encodings:
        try:
            text = body.decode(encoding, errors="replace")
        except LookupError:
            continue
        damage = text.count("\ufffd")
        if best is None or damage < best[0]:
            best = (damage, text, encoding)
    if best is None:
        return None
    damage, text, encoding = best
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return (text, encoding) if damage <= max(1, non_ascii * _MAX_REPLACEMENT_RATIO) else None


def _charset_normalizer_guess(body: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    try:
        match = from_bytes(body[:200_000]).best()
    except Exception:  # a detector must never take the page down with it
        return None
    if match is None or not match.encoding:
        return None
    encoding = normalize_charset(match.encoding) or match.encoding
    return body.decode(encoding, errors="replace"), encoding


def decode_html(body: bytes, http_charset: str | None = None, hint: str | None = None) -> tuple[str, str]:
    """Decode *body* to text; returns ``(text, encoding used)``. Never raises.

    *hint* is the encoding a site is known to use (its catalogue entry's ``encoding``), tried before
    the declarations and, like them, taken only if the bytes agree.
    """
    bom = bom_encoding(body)
    if bom:
        encoding, length = bom
        return body[length:].decode(encoding, errors="replace"), encoding

    valid_utf8 = _strict(body, "utf-8") is not None
    declared = [
        c for c in (normalize_charset(hint), normalize_charset(http_charset), declared_charset(body)) if c
    ]
    for encoding in dict.fromkeys(declared):
        text = _plausible_declaration(body, encoding, valid_utf8)
        if text is not None:
            return text, encoding

    for encoding in ("utf-8", "gb18030"):
        text = _strict(body, encoding)
        if text is not None:
            return text, encoding

    multi_byte = [c for c in dict.fromkeys(declared) if not _is_single_byte(c)]
    lenient = _least_damaged(body, [*multi_byte, "utf-8", "gb18030"])
    if lenient is not None:
        return lenient

    guess = _charset_normalizer_guess(body)
    if guess is not None:
        return guess
    return body.decode("utf-8", errors="replace"), "utf-8"
