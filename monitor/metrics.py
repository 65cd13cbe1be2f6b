"""The monitor's Prometheus metrics (``/metrics``), in a registry of its own.

Crawls by site and outcome, articles new and updated, request errors, crawl durations and the
children's peak memory, feed rebuilds, the share of each site's articles read by the generic
extractor, how late scheduled crawls start, and the open health problems.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics

from monitor.outcome import CrawlRun

DURATION_BUCKETS = (1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600)
disable_created_metrics()  # no *_created series: a scrape shows the counts, not when each began

LAG_BUCKETS = (0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self.crawls = Counter(
            "news_crawls", "Crawls run, by site and outcome", ["site", "outcome"], registry=registry
        )
        self.articles = Counter(
            "news_articles",
            "Articles stored by the crawls, by site and result",
            ["site", "result"],
            registry=registry,
        )
        self.request_errors = Counter(
            "news_request_errors",
            "Requests of the crawls that failed (download errors, 5xx)",
            ["site"],
            registry=registry,
        )
        self.duration = Histogram(
            "news_crawl_duration_seconds",
            "How long the crawls took",
            ["site"],
            buckets=DURATION_BUCKETS,
            registry=registry,
        )
        self.peak_memory = Gauge(
            "news_crawl_peak_memory_bytes",
            "Peak resident memory of the site's last crawl",
            ["site"],
            registry=registry,
        )
        self.generic_share = Gauge(
            "news_generic_extraction_share",
            "Share of the site's articles of its last crawl with articles read by the generic extractor",
            ["site"],
            registry=registry,
        )
        self.rebuilds = Counter("news_feed_rebuilds", "Feed builds run by the monitor", registry=registry)
        self.feeds_rewritten = Counter(
            "news_feeds_rewritten", "Feed files rewritten by the builds", registry=registry
        )
        self.build_duration = Histogram(
            "news_feed_build_duration_seconds", "How long the feed builds took", registry=registry
        )
        self.lag = Histogram(
            "news_scheduler_lag_seconds",
            "How late scheduled crawls started (a wait for a free slot too)",
            buckets=LAG_BUCKETS,
            registry=registry,
        )
        self.running = Gauge("news_crawls_running", "Crawls running now", registry=registry)
        self.problems = Gauge(
            "news_health_problems",
            "Open health problems, by site and check (1: open)",
            ["site", "check"],
            registry=registry,
        )

    def crawled(self, run: CrawlRun) -> None:
        self.crawls.labels(run.site, run.outcome).inc()
        self.articles.labels(run.site, "new").inc(run.new)
        self.articles.labels(run.site, "updated").inc(run.updated)
        self.request_errors.labels(run.site).inc(run.request_errors)
        self.duration.labels(run.site).observe(run.duration)
        if run.peak_memory:
            self.peak_memory.labels(run.site).set(run.peak_memory)
        if "site_specific" in run.shares:
            self.generic_share.labels(run.site).set(round(1 - run.shares["site_specific"], 4))

    def site_problems(self, site: str, before: set[str], now: set[str]) -> None:
        for check in now:
            self.problems.labels(site, check).set(1)
        for check in before - now:
            self.problems.labels(site, check).set(0)
