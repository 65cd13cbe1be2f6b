"""Which lines of a page are boilerplate and which are metadata: rules from data/boilerplate.yaml."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from core.chinese import to_simplified
from core.data import DataFileError, layered_yaml
from core.dates import is_date, parse_datetime

DATA_FILE = "boilerplate.yaml"
META_SEPARATOR = re.compile(r"\s*\|\s*|\s{2,}|\s+(?=[\u4e00-\u9fff]{1,6}[:：])")
MAX_META_LINE = 80
BRACKETED = re.compile(r"^[(（\[【](.*)[)）\]】]$")


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: re.Pattern[str]
    ends: bool


@dataclass
class Meta:
    """Fields read from meta lines (label:value parts)."""

    outlet: str | None = None
    original_title: str | None = None
    published: str | None = None
    reporters: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Rules:
    boilerplate: tuple[Rule, ...]
    meta_labels: dict[str, str]

    def match(self, line: str) -> Rule | None:
        """The first boilerplate rule that matches the (simplified) *line*."""
        return next((rule for rule in self.boilerplate if rule.pattern.search(line)), None)

    def parse_meta(self, line: str) -> Meta | None:
        """The fields of a meta line, or None if *line* is not made only of meta parts.

        Labels are compared in simplified Chinese; values keep the line's own script. A meta line
        may stand in brackets: ``(责编：张敏)``.
        """
        if len(line) > MAX_META_LINE:
            return None
        meta = Meta()
        for part in filter(None, META_SEPARATOR.split(BRACKETED.sub(r"\1", line.strip()))):
            if is_date(part) and parse_datetime(part):
                meta.published = part
                continue
            label, colon, value = part.partition(":") if ":" in part else part.partition("：")
            target = self.meta_labels.get(to_simplified(label.strip()))
            if not colon or target is None:
                return None
            _assign(meta, target, value.strip())
        return meta


def _assign(meta: Meta, target: str, value: str) -> None:
    if not value:
        return
    if target in ("reporters", "editors"):
        getattr(meta, target).append(value)
    elif getattr(meta, target) is None:
        setattr(meta, target, value)


def load_rules(extra_files: Iterable[str | Path] = ()) -> Rules:
    """The rules of ``data/boilerplate.yaml`` and, after them, those of *extra_files*
    (``BOILERPLATE_FILES``: more rules, and meta labels added or replaced)."""
    return _load_rules(tuple(str(path) for path in extra_files))


@cache
def _load_rules(extra_files: tuple[str, ...]) -> Rules:
    rules: list[Rule] = []
    meta_labels: dict[str, str] = {}
    for source, data in layered_yaml(DATA_FILE, extra_files):
        try:
            rules.extend(
                Rule(kind=entry["kind"], pattern=re.compile(entry["pattern"]), ends=bool(entry["ends"]))
                for entry in (data or {}).get("rules") or ()
            )
            meta_labels.update((data or {}).get("meta_labels") or {})
        except (KeyError, TypeError, AttributeError, re.error) as error:
            raise DataFileError(f"{source}: not a boilerplate rules file: {error!r}") from error
    return Rules(boilerplate=tuple(rules), meta_labels=meta_labels)
