"""The project's data files: the ones shipped with the package, and the user's own merged over them.

The repository's ``data/`` folder is installed as the package ``regional_news_data`` and read with
``importlib.resources``, so an installed wheel needs no source tree. Settings such as
``SITES_FILES`` or ``FEEDS_FILES`` name extra files of the same format; each owner of a data file
merges them over the packaged one (a site, a topic or an initiative added or replaced by key).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

PACKAGE = "regional_news_data"


class DataFileError(ValueError):
    """A data file that cannot be read or does not say what its format requires."""


def packaged(*parts: str) -> Traversable:
    """A file or folder of the packaged data (``packaged("places", "divisions.csv")``)."""
    return files(PACKAGE).joinpath(*parts)


def read_yaml(source: Traversable | Path) -> Any:
    """The parsed YAML document of *source*; a missing or malformed file is a :class:`DataFileError`."""
    try:
        return yaml.safe_load(source.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise DataFileError(f"{source}: no such file") from error
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise DataFileError(f"{source}: {error}") from error


def layered_yaml(name: str, extra: Iterable[str | Path] = ()) -> Iterator[tuple[str, Any]]:
    """(source name, document) of the packaged file *name*, then of each extra file in order."""
    yield name, read_yaml(packaged(name))
    for path in extra:
        yield str(path), read_yaml(Path(path))


def merge_by_key(layers: Iterable[tuple[str, Any]]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Entries keyed by name across mapping documents: a later entry is merged over an earlier one
    of the same key (its fields replace the earlier fields). Maps key -> (source, entry)."""
    merged: dict[str, tuple[str, dict[str, Any]]] = {}
    for source, document in layers:
        if document is None:
            continue
        if not isinstance(document, dict):
            raise DataFileError(f"{source}: expected a mapping of entries, got {type(document).__name__}")
        for key, entry in document.items():
            if not isinstance(entry, dict):
                raise DataFileError(f"{source}: {key}: expected a mapping, got {type(entry).__name__}")
            previous = merged.get(str(key), (source, {}))[1]
            merged[str(key)] = (source, {**previous, **entry})
    return merged
