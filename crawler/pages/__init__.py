"""Page objects: one per site, each mapping an article page to its raw fields (web-poet).

A page object is a web-poet ``WebPage[RawArticle]`` whose ``@field`` methods each read one field
from the response and nothing else: it fetches nothing and cleans nothing. ``@handle_urls`` rules
register each site's page object for the site's URLs, and the generic extractor for every other
URL; scrapy-poet reads the rules and injects the right one into the spider's callback. Tests run
the page objects on saved pages (``tests/fixtures/<page object>/<case>/``, web-poet's fixture format,
written by ``scrapy savefixture``).
"""

from tldextract import tldextract

# web-poet's URL rules find a URL's registered domain with tldextract, whose default extractor
# downloads the Public Suffix List on first use (and logs a traceback for each failed try on a
# machine without internet). The list bundled with tldextract is enough for matching our sites.
tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
