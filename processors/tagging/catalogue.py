"""The initiative catalogue, ``data/initiatives.yaml``: adding an initiative is an edit of that file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Initiative:
    id: str
    name: str
    name_hant: str
    aliases: tuple[str, ...] = ()
    context_aliases: tuple[str, ...] = ()
    """Short forms that count only when the article also names :attr:`region` (沿海经济带 -> 辽宁)."""
    region: str | None = None

    @property
    def surfaces(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def load_catalogue(path: Path) -> list[Initiative]:
    with path.open(encoding="utf-8") as handle:
        entries = yaml.safe_load(handle)
    initiatives = [
        Initiative(
            id=entry["id"],
            name=entry["name"],
            name_hant=entry["name_hant"],
            aliases=tuple(str(a) for a in entry.get("aliases") or ()),
            context_aliases=tuple(str(a) for a in entry.get("context_aliases") or ()),
            region=entry.get("region"),
        )
        for entry in entries
    ]
    ids = [i.id for i in initiatives]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"{path}: duplicate initiative ids {sorted(duplicates)}")
    return initiatives
