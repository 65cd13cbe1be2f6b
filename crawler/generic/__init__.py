"""Generic extraction for Chinese news pages of unknown layout: small pure functions over lxml trees.

- ``clean_tree``: parse, and drop what is never article text (scripts, forms' widgets, nav, hidden);
- ``text_lines``: the page as lines of text in reading order, each knowing its element and link text;
- ``main_text``: score lines, pick the element holding the article, trim its edges;
- ``pubdate``: the publication date, from meta tags, ``<time>``, the byline near the title, the URL;
- ``metadata``: title, 来源 (outlet), reporters and editors.

``crawler.pages.generic.GenericArticlePage`` puts them together behind the page-object contract.
"""
