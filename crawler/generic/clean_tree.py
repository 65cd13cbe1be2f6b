"""Parse a page and remove the parts that are never article text."""

from __future__ import annotations

import re

from lxml import etree, html

from crawler.generic.text_lines import visible_chars

# huge_tree: pages nested deeper than libxml2's default limit (256 elements) are parsed up to 2,048.
_PARSER = html.HTMLParser(
    remove_comments=True, remove_pis=True, encoding="utf-8", default_doctype=False, huge_tree=True
)
# Every element an HtmlElement, chosen in C: lxml.html's own lookup (a Python call per element
# touched, to give forms and inputs classes of their own) cost a millisecond a page.
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(element=html.HtmlElement))

NEVER_TEXT = (
    "script",
    "style",
    "noscript",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "canvas",
    "template",
    "select",
    "option",
    "textarea",
    "button",
    "input",
    "audio",
    "video",
    "map",
    "figcaption",
    "head",
    "title",
    "link",
    "meta",
    "base",
)
"""Elements whose content is never article text. ``form`` is not among them: ASP.NET pages wrap
the whole page in one."""

BOILERPLATE_TAGS = ("nav", "aside", "footer")

BOILERPLATE_WORDS = frozenset(
    {
        "comment",
        "comments",
        "commentlist",
        "commentform",
        "reply",
        "respond",
        "trackback",
        "share",
        "shares",
        "sharing",
        "bdshare",
        "social",
        "footer",
        "copyright",
        "breadcrumb",
        "breadcrumbs",
        "crumb",
        "crumbs",
        "sidebar",
        "related",
        "recommend",
        "nav",
        "navbar",
        "menu",
        "toolbar",
        "login",
        "ad",
        "ads",
        "advert",
        "advertisement",
        "promo",
        "newsletter",
        "qrcode",
    }
)
"""Words in a class or id that mark page furniture (split on spaces, ``-``, ``_`` and camelCase)."""
FURNITURE_PREFIXES = ("bdshare", "bshare")
"""Prefixes of one-word class names of share widgets (``bdsharebuttonbox``, ``bshare-custom``)."""
CAPTION_NAMES = re.compile(
    r"caption|pic[-_]?te?xt|img[-_]?(?:desc|note|txt)|pic[-_]?(?:desc|note)|photo[-_]?desc", re.IGNORECASE
)
"""Class or id names of image captions: text about a picture, not the story."""
AUTHOR_CARD_NAMES = re.compile(
    r"author[-_]?(?:card|bio|intro|desc|profile)|(?:user|profile)[-_]?card", re.IGNORECASE
)
"""Class or id names of an author's card (name, bio, follow button, counts); not ``author`` alone,
which often marks the byline the metadata is read from."""
MAX_BOILERPLATE_SHARE = 0.5
"""A marked element holding more than this share of the page's text is a wrapper, and stays."""

_WORD_SPLIT = re.compile(r"[\s_-]+|(?<=[a-z])(?=[A-Z])")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def parse_html(text: str) -> html.HtmlElement:
    """Parse decoded HTML text leniently; an empty or unparsable page gives an empty ``<html>``."""
    try:
        root = html.document_fromstring(text.encode("utf-8", errors="replace"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        root = None
    return root if root is not None else html.Element("html")


def is_hidden(element: html.HtmlElement) -> bool:
    return bool(element.get("hidden") is not None or _HIDDEN.search(element.get("style") or ""))


def is_marked_boilerplate(element: html.HtmlElement) -> bool:
    """True if the element's class or id names page furniture (comments, share bar, footer, an
    image caption…)."""
    names = f"{element.get('class') or ''} {element.get('id') or ''}".strip()
    if not names:
        return False
    words = {word.lower() for word in _WORD_SPLIT.split(names) if word}
    return (
        not BOILERPLATE_WORDS.isdisjoint(words)
        or any(word.startswith(FURNITURE_PREFIXES) for word in words)
        or bool(CAPTION_NAMES.search(names) or AUTHOR_CARD_NAMES.search(names))
    )


def clean_tree(root: html.HtmlElement) -> html.HtmlElement:
    """Remove, in place, elements that never hold article text; returns *root*.

    Tails (the text after an element) are kept: ``drop_tree`` joins them to the previous text.
    """
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    _drop([element for element in root.iter(*NEVER_TEXT, *BOILERPLATE_TAGS) if element is not root])
    _drop([element for element in root.iter(*_CONTAINERS) if is_hidden(element)])
    marked = [element for element in root.iter(*_CONTAINERS) if is_marked_boilerplate(element)]
    if marked:
        limit = MAX_BOILERPLATE_SHARE * visible_chars(root.text_content())
        _drop([element for element in marked if visible_chars(element.text_content()) <= limit])
    return root


_CONTAINERS = ("div", "span", "p", "ul", "ol", "li", "table", "tr", "td", "section", "dl", "h3", "h4", "form")


def _drop(elements: list[html.HtmlElement]) -> None:
    for element in elements:
        if element.getparent() is not None:
            element.drop_tree()
