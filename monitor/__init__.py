"""``scrapy monitor``: the long-running service.

Per-site schedules (``service``), each crawl a child ``scrapy crawl`` process (``child``) whose
outcome is read back from its stats file (``outcome``), feeds rebuilt as articles land
(``rebuild``), health judged across crawls (``health``), and ``/healthz`` and ``/metrics``
(``web``, ``metrics``) beside the feed server. It builds on core, storage and feeds; the crawls it
runs are separate processes, so it imports nothing of the crawler.
"""
