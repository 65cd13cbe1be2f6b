"""Which lines of a page are boilerplate and which are metadata: rules from data/boilerplate.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from crawler.dates import parse_datetime
from processors.chinese import to_simplified

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "boilerplate.yaml"
META_SEPARATOR = re.compile(r"\s*\|\s*|\s{2,}|\s+(?=[\u4e00-\u9fff]{1,6}[:：])")
DATE_ONLY = re.compile(r"^(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
MAX_META_LINE = 80


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

        Labels are compared in simplified Chinese; values keep the line's own script.
        """
        if len(line) > MAX_META_LINE:
            return None
        meta = Meta()
        for part in filter(None, META_SEPARATOR.split(line.strip())):
            if DATE_ONLY.match(part) and parse_datetime(part):
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


@cache
def load_rules(path: Path = DATA_FILE) -> Rules:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = tuple(
        Rule(kind=entry["kind"], pattern=re.compile(entry["pattern"]), ends=bool(entry["ends"]))
        for entry in data["rules"]
    )
    return Rules(boilerplate=rules, meta_labels=dict(data["meta_labels"]))
