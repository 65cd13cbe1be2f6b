"""The initiative catalogue, ``data/initiatives.yaml``: adding an initiative is an edit of that file,
or an entry in a file of your own named by the ``INITIATIVES_FILES`` setting (same format; an entry
with the id of a packaged one replaces it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from core.data import DataFileError, layered_yaml


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


CATALOGUE_FILE = "initiatives.yaml"


def load_catalogue(extra_files: Iterable[str | Path] = ()) -> list[Initiative]:
    """The packaged catalogue with the entries of *extra_files* added or replacing by id."""
    entries: dict[str, Initiative] = {}
    for source, document in layered_yaml(CATALOGUE_FILE, extra_files):
        ids: list[str] = []
        for entry in document or ():
            try:
                initiative = _initiative(entry)
            except (KeyError, TypeError) as error:
                raise DataFileError(f"{source}: an initiative without {error}: {entry!r}") from error
            ids.append(initiative.id)
            entries[initiative.id] = initiative
        if duplicates := sorted({i for i in ids if ids.count(i) > 1}):
            raise DataFileError(f"{source}: duplicate initiative ids {duplicates}")
    return list(entries.values())


def _initiative(entry: dict) -> Initiative:
    return Initiative(
        id=entry["id"],
        name=entry["name"],
        name_hant=entry["name_hant"],
        aliases=tuple(str(a) for a in entry.get("aliases") or ()),
        context_aliases=tuple(str(a) for a in entry.get("context_aliases") or ()),
        region=entry.get("region"),
    )
