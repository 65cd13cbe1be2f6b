"""Scrapy settings of the regional news monitor.

Every component reads its configuration from here through ``crawler.settings``; override any of
them per run with ``scrapy crawl qzwb -s NAME=value`` or in the environment as ``SCRAPY_NAME``.
"""

BOT_NAME = "regional-news-monitor"

SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"

# Polite by default: these are small regional newsrooms.
USER_AGENT = "regional-news-monitor/0.1 (+https://github.com/regional-news-monitor; Scrapy)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
HTTPCACHE_ENABLED = False

TELNETCONSOLE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
