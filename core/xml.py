"""Text that XML 1.0 can carry: what every feed, the OPML file, the catalogue and the web pages write.

XML 1.0 (§2.2, ``Char``) forbids the C0 controls but tab, newline and carriage return, the
surrogates (in a Python ``str`` every surrogate is an unpaired one: a pair is one code point) and
U+FFFE and U+FFFF; a parser refuses a document holding one, raw or as a character reference
(``&#xFFFE;``). DEL and the C1 controls (U+007F–U+009F) are allowed but discouraged (§2.2's note)
and in a news text they are mojibake of a wrong decoding, never meaning: they go too.
"""

from __future__ import annotations

import re

CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff"
"""The C0 controls but tab and line breaks, DEL, the C1 controls and the noncharacters U+FFFE and
U+FFFF, as the inside of a regular expression's character class: never text."""
XML_FORBIDDEN = re.compile(f"[{CONTROLS}\ud800-\udfff]")
CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def xml_safe(text: str) -> str:
    """*text* without the characters XML 1.0 forbids (and the discouraged controls), and without
    the character references to them (``&#xFFFE;``, ``&#0;``), which would be those characters once
    a page or a reader decodes the text as HTML."""
    text = XML_FORBIDDEN.sub("", text)
    if "&#" in text:
        text = CHARACTER_REFERENCE.sub(_allowed_reference, text)
    return text


def unreadable_share(text: str) -> float:
    """The share of *text* that is controls, surrogates, non-characters or U+FFFD (bytes no
    encoding could read): what a binary body decoded as text is made of, never a news text."""
    if not text:
        return 0.0
    return (len(XML_FORBIDDEN.findall(text)) + text.count("\ufffd")) / len(text)


def _allowed_reference(match: re.Match[str]) -> str:
    hexadecimal, decimal = match.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    if code > 0x10FFFF or XML_FORBIDDEN.match(chr(code)):
        return ""
    return match.group()
