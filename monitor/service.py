"""The monitor: every site on its own schedule, each crawl a child process, the feeds kept fresh.

APScheduler 3.x (on the event loop the Twisted reactor runs on) has one job per site, every
``interval`` seconds of the site's catalogue entry (default ``MONITOR_INTERVAL``), with up to
``MONITOR_JITTER`` seconds of jitter, ``max_instances=1``, ``coalesce`` and a misfire grace time
(``MONITOR_MISFIRE_GRACE``); at most ``MONITOR_CONCURRENCY`` crawls run at once across sites. A
site's first run after a restart comes one interval after its last recorded start, so a restart
crawls nothing again at once. Each run is recorded in the store and judged with the site's last
runs (``monitor.health``); ``/healthz`` and the status file say where every site stands.

A SIGTERM (or SIGINT) stops the scheduling, lets the running crawls finish for
``MONITOR_SHUTDOWN_GRACE`` seconds, kills those still running, and ends the process with status 0;
a second one kills them at once.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, EVENT_JOB_SUBMITTED, JobEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from apscheduler.triggers.interval import IntervalTrigger
from scrapy.settings import BaseSettings

from core.dates import SHANGHAI
from core.files import write_atomically
from core.sites import load_sites
from feeds.build import FeedBuilder
from feeds.health import HEALTH_FEED, write_health_feed
from feeds.websub import announce_in_thread
from monitor import health
from monitor.child import Child, crawl_command, passed_on, prune, read_stats
from monitor.health import HealthRules
from monitor.metrics import Metrics
from monitor.outcome import CrawlRun, crawl_run
from monitor.rebuild import FeedRebuilder
from monitor.store import MonitorStore
from storage import runs
from storage.runs import HealthEvent
from storage.store import ArticleStore

logger = logging.getLogger(__name__)
# APScheduler's own lines repeat what the monitor logs of each job in its own words (one line each).
logging.getLogger("apscheduler").setLevel(logging.ERROR)

KEPT_RUNS = 30
"""Runs of each site kept in memory (and read back at start) for the health checks and /healthz."""
CRAWL_DEFAULTS = {"LOG_LEVEL": "INFO"}
"""Settings of the child crawls that the monitor's command line may change."""


@dataclass(frozen=True)
class MonitorConfig:
    """What the monitor runs and how (settings: :meth:`from_settings`)."""

    spiders: list[str]
    intervals: dict[str, float]
    jitter: float = 0
    concurrency: int = 2
    misfire_grace: int = 300
    crawl_timeout: float = 3600
    shutdown_grace: float = 30
    crawls_dir: Path = Path("var/crawls")
    logs_kept: int = 5
    status_file: Path | None = None
    feeds_poll: float = 0.25
    feeds_debounce: float = 1.0
    rules: HealthRules = field(default_factory=HealthRules)
    crawl_settings: dict[str, str] = field(default_factory=dict)
    """Settings every crawl gets (the monitor's own command line's, ``MIRROR_URL`` with --mirror)."""

    @classmethod
    def from_settings(
        cls, settings: BaseSettings, spiders: list[str], crawl_settings: Mapping[str, str] = ()
    ) -> MonitorConfig:
        sites = load_sites(settings.getlist("SITES_FILES"))
        default = settings.getfloat("MONITOR_INTERVAL")
        status = settings.get("MONITOR_STATUS_FILE")
        return cls(
            spiders=spiders,
            intervals={
                name: float(getattr(sites.get(name), "interval", None) or default) for name in spiders
            },
            jitter=settings.getfloat("MONITOR_JITTER"),
            concurrency=max(1, settings.getint("MONITOR_CONCURRENCY")),
            misfire_grace=settings.getint("MONITOR_MISFIRE_GRACE"),
            crawl_timeout=settings.getfloat("MONITOR_CRAWL_TIMEOUT"),
            shutdown_grace=settings.getfloat("MONITOR_SHUTDOWN_GRACE"),
            crawls_dir=Path(settings["MONITOR_CRAWLS_DIR"]),
            logs_kept=max(1, settings.getint("MONITOR_LOGS_KEPT")),
            status_file=Path(status) if status else None,
            feeds_poll=settings.getfloat("MONITOR_FEEDS_POLL"),
            feeds_debounce=settings.getfloat("MONITOR_FEEDS_DEBOUNCE"),
            rules=HealthRules(settings.getint("MONITOR_EMPTY_RUNS"), settings.getint("MONITOR_HISTORY_RUNS")),
            crawl_settings={**passed_on(settings), **dict(crawl_settings)},
        )


@dataclass
class SiteStatus:
    """Where a site stands: its last runs (newest first) and its open problems."""

    interval: float
    runs: list[CrawlRun] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)
    next_run: datetime | None = None

    @property
    def failing(self) -> bool:
        return health.failing(self.runs) > 0

    def summary(self) -> dict[str, Any]:
        last = self.runs[0] if self.runs else None
        success = next((run for run in self.runs if run.ok), None)
        error = next((run for run in self.runs if not run.ok), None)
        return {
            "interval": self.interval,
            "next_run": iso(self.next_run),
            "last_run": last
            and {
                "started": iso(last.started),
                "duration": round(last.duration, 2),
                "outcome": last.outcome,
                "finish_reason": last.finish_reason,
                "new": last.new,
                "updated": last.updated,
                "request_errors": last.request_errors,
                "checks_failed": last.checks_failed,
            },
            "last_success": success and iso(success.finished),
            "last_error": error
            and {
                "time": iso(error.finished),
                "outcome": error.outcome,
                "message": error.message,
            },
            "articles_found": last.articles if last else None,
            "consecutive_empty_runs": health.consecutive_empty(self.runs),
            "problems": self.problems,
        }


def problems_of(open_problems: Mapping[tuple[str, str], HealthEvent], site: str) -> dict[str, str]:
    """The open problems of *site* (check → message) among *open_problems* (by site and check)."""
    return {check: event.message for (name, check), event in open_problems.items() if name == site}


def iso(time: datetime | None) -> str | None:
    return time.astimezone(SHANGHAI).isoformat(timespec="seconds") if time else None


def now() -> datetime:
    return datetime.now(SHANGHAI)


class Monitor:
    def __init__(self, config: MonitorConfig, store: MonitorStore, builder: FeedBuilder) -> None:
        self.config = config
        self.store = store
        self.builder = builder
        self.metrics = Metrics()
        self.sites = {name: SiteStatus(config.intervals[name]) for name in config.spiders}
        self.scheduler = AsyncIOScheduler(timezone=SHANGHAI)
        self.rebuilder = FeedRebuilder(store, builder, self.metrics, config.feeds_poll, config.feeds_debounce)
        self.slots = asyncio.Semaphore(config.concurrency)
        self.children: dict[str, Child] = {}
        self.crawls: set[asyncio.Task] = set()
        self.scheduled: dict[str, datetime] = {}
        self.stopping = False
        self.started = now()
        self.watcher: asyncio.Task | None = None

    # -- starting ----------------------------------------------------------------------------------

    async def start(self, once: bool = False) -> None:
        """Read where every site stood, list the health feed, and start the schedule (*once*:
        crawl every site once, rebuild, and return)."""
        last_started = await self.store.run(runs.last_started)
        recent = await self.store.run(self.recent_runs)
        open_problems = await self.store.run(runs.open_problems)
        for name, status in self.sites.items():
            status.runs = recent.get(name, [])
            status.problems = problems_of(open_problems, name)
            self.metrics.site_problems(name, set(), set(status.problems))
        await self.store.run(write_health_feed, self.builder)
        if once:
            await asyncio.gather(*(self.crawl(name) for name in self.sites))
            await self.rebuilder.build()
            return
        self.watcher = asyncio.ensure_future(self.rebuilder.run())
        self.scheduler.add_listener(
            self.job_event, EVENT_JOB_SUBMITTED | EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED
        )
        for name, status in self.sites.items():
            first = self.first_run(last_started.get(name), status.interval)
            trigger = IntervalTrigger(
                seconds=status.interval,
                start_date=first,
                jitter=self.config.jitter or None,
                timezone=SHANGHAI,
            )
            self.scheduler.add_job(
                self.crawl,
                trigger,
                args=[name],
                id=name,
                name=f"crawl {name}",
                next_run_time=first,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=self.config.misfire_grace,
            )
            status.next_run = first
            logger.info("schedule site=%s interval=%gs first_run=%s", name, status.interval, iso(first))
        self.scheduler.start()
        self.write_status()

    @staticmethod
    def first_run(last_started: datetime | None, interval: float) -> datetime:
        """Now, or one interval after the site's last recorded crawl if that is later."""
        if last_started is None:
            return now()
        return max(now(), last_started.astimezone(SHANGHAI) + timedelta(seconds=interval))

    def recent_runs(self, store: ArticleStore) -> dict[str, list[CrawlRun]]:
        return {
            name: [CrawlRun.from_stored(run) for run in runs.last_runs(store, name, KEPT_RUNS)]
            for name in self.sites
        }

    def job_event(self, event: JobEvent) -> None:
        """APScheduler's word on a job: when a run was due (for the lag), or that one was skipped."""
        if event.code == EVENT_JOB_SUBMITTED:
            self.scheduled[event.job_id] = event.scheduled_run_times[-1]
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            logger.info("crawl skipped site=%s: its previous crawl is still running", event.job_id)
        elif event.code == EVENT_JOB_MISSED:
            logger.warning(
                "crawl missed site=%s: due at %s, past the misfire grace time",
                event.job_id,
                iso(event.scheduled_run_time),
            )

    # -- crawling ----------------------------------------------------------------------------------

    async def crawl(self, name: str) -> None:
        """One crawl of *name* in a child process, when a slot is free; its run recorded and judged."""
        task = asyncio.current_task()
        if task is not None:
            self.crawls.add(task)
        try:
            async with self.slots:
                if self.stopping:
                    return
                run = await self.run_child(name)
            await self.record(run)
        except Exception as error:  # never lost in APScheduler's log: one line, and the next run goes ahead
            logger.error("crawl of %s went wrong in the monitor: %s", name, " ".join(repr(error).split()))
        finally:
            self.crawls.discard(task)
            job = self.scheduler.get_job(name) if self.scheduler.running else None
            self.sites[name].next_run = job.next_run_time if job else None
            self.write_status()

    async def run_child(self, name: str) -> CrawlRun:
        started = now()
        due = self.scheduled.pop(name, None)
        if due is not None:
            self.metrics.lag.observe(max(0.0, (started - due).total_seconds()))
        folder = self.config.crawls_dir / name
        stamp = started.strftime("%Y%m%dT%H%M%S%f")
        log, stats_file = folder / f"{stamp}.log", folder / f"{stamp}.json"
        settings = {
            **CRAWL_DEFAULTS,
            "CLOSESPIDER_TIMEOUT": str(int(self.config.crawl_timeout)),
            **self.config.crawl_settings,
            "STATS_FILE": str(stats_file),
            "FEEDS_BUILD_ON_CRAWL_END": "False",
        }
        try:
            child = await Child.start(crawl_command(name, settings), log)
        except OSError as error:
            logger.error("crawl not started site=%s: %s", name, error)
            return crawl_run(name, started, now(), None, None, log=str(log))
        logger.info("crawl started site=%s pid=%d log=%s", name, child.pid, log)
        self.children[name] = child
        self.metrics.running.inc()
        try:
            ended = await child.wait(self.config.crawl_timeout + self.config.shutdown_grace)
        except asyncio.CancelledError:
            child.kill(stopped=True)
            raise
        finally:
            del self.children[name]
            self.metrics.running.dec()
        run = crawl_run(
            name,
            started,
            now(),
            read_stats(stats_file),
            ended.exit_code,
            timed_out=ended.timed_out,
            stopped=ended.stopped,
            log=str(log),
        )
        prune(folder, self.config.logs_kept)
        return run

    async def record(self, run: CrawlRun) -> None:
        """Log and count *run*, store it, and judge the site's health with it."""
        logger.log(
            logging.INFO if run.ok else logging.WARNING,
            "crawl ended site=%s outcome=%s reason=%s exit=%s duration=%.1fs new=%d updated=%d articles=%d "
            "article_links=%d request_errors=%d checks_failed=%d peak_memory=%s%s",
            run.site,
            run.outcome,
            run.finish_reason,
            run.exit_code,
            run.duration,
            run.new,
            run.updated,
            run.articles,
            run.article_links,
            run.request_errors,
            len(run.checks_failed),
            run.peak_memory,
            f" message={run.message!r}" if run.message else "",
        )
        if run.checks_failed:
            logger.warning("crawl checks failed site=%s: %s", run.site, " | ".join(run.checks_failed))
        self.metrics.crawled(run)
        status = self.sites[run.site]
        status.runs = [run, *status.runs][:KEPT_RUNS]
        before = dict(status.problems)
        status.problems = health.problems(status.runs, self.config.rules)
        self.metrics.site_problems(run.site, set(before), set(status.problems))
        try:
            events = await self.store.run(self.judge, run, status.problems)
        except Exception:
            return  # the store said why; the run is counted, and the next one goes ahead
        for event in events:
            logger.warning(
                "health %s site=%s check=%s: %s", event.state, event.site, event.check, event.message
            )
        if events:
            await announce_in_thread(self.builder.hub, [self.builder.url(self.builder.out_dir / HEALTH_FEED)])

    def judge(self, store: ArticleStore, run: CrawlRun, problems: dict[str, str]) -> list[HealthEvent]:
        """Store *run* and the health events that take its site to *problems*; rewrite the health
        feed if there are any (in the store's thread)."""
        runs.record_run(store, run.stored())
        before = problems_of(runs.open_problems(store), run.site)
        changes = health.changes(run.site, before, problems, run.finished)
        added = [runs.add_event(store, event) for event in changes]
        if added:
            write_health_feed(store, self.builder)
        return added

    # -- health ------------------------------------------------------------------------------------

    def health(self) -> tuple[int, dict[str, Any]]:
        """``/healthz``: 200 while the monitor works, with failing sites named; 503 when it is
        unwell itself (scheduler stopped, store unreachable, every site failing)."""
        unwell = []
        if not self.scheduling:
            unwell.append("the scheduler is stopped")
        if self.store.error:
            unwell.append(f"the store is unreachable: {self.store.error}")
        failing = sorted(name for name, status in self.sites.items() if status.failing)
        if failing and len(failing) == len(self.sites):
            unwell.append("every site is failing")
        body = {
            "status": "unwell" if unwell else "ok",
            "unwell": unwell,
            "time": iso(now()),
            "started": iso(self.started),
            "scheduler": "running" if self.scheduling else "stopped",
            "store": "unreachable" if self.store.error else "ok",
            "crawls_running": sorted(self.children),
            "failing": failing,
            "problems": sorted(name for name, status in self.sites.items() if status.problems),
            "sites": {name: status.summary() for name, status in self.sites.items()},
        }
        return (503 if unwell else 200), body

    @property
    def scheduling(self) -> bool:
        return self.scheduler.state == STATE_RUNNING

    def write_status(self) -> None:
        if self.config.status_file is not None:
            _, body = self.health()
            write_atomically(self.config.status_file, json.dumps(body, ensure_ascii=False, indent=1).encode())

    # -- stopping ----------------------------------------------------------------------------------

    async def stop(self) -> None:
        """Stop scheduling; give running crawls the grace period, then kill them; wait for the
        feed build in progress. A second call kills the running crawls at once."""
        if self.stopping:
            logger.warning("stopping now: killing %d running crawls", len(self.children))
            self.kill_all()
            return
        self.stopping = True
        if self.scheduler.running:
            self.scheduler.pause()  # shutdown() would cancel the running crawls' tasks
        running = set(self.crawls)
        if running:
            logger.info(
                "stopping: no crawl is started any more; %d running (%s) get %gs to finish",
                len(self.children),
                ", ".join(sorted(self.children)),
                self.config.shutdown_grace,
            )
            _, late = await asyncio.wait(running, timeout=self.config.shutdown_grace)
            if late:
                logger.warning("stopping: killing %d crawls still running after the grace period", len(late))
                self.kill_all()
                await asyncio.wait(late)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.rebuilder.stop()
        if self.watcher is not None:
            await self.watcher
        self.write_status()
        await self.store.close()
        logger.info("stopped")

    def kill_all(self) -> None:
        for child in self.children.values():
            child.kill(stopped=True)
