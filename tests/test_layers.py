"""The packages' layering, read from the source: who may import whom, and what the wheel ships.

core is the shared vocabulary and imports no other package of the project; storage builds on core;
crawler, processors and feeds build on core and storage and never import each other: they meet only
through Scrapy settings, and in the commands (crawler.commands), where the packages are wired. The
monitor builds on feeds; the crawls it runs are child processes, so it imports no crawler.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("core", "storage", "crawler", "processors", "feeds", "monitor")
ALLOWED = {
    "core": {"core"},
    "storage": {"core", "storage"},
    "crawler": {"core", "storage", "crawler"},
    "processors": {"core", "storage", "processors"},
    "feeds": {"core", "storage", "feeds"},
    "monitor": {"core", "storage", "feeds", "monitor"},
}
WIRING = "crawler.commands"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_packages(path: Path) -> set[str]:
    """The project's top-level packages that *path* imports, anywhere in it (function-level too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & set(PROJECT)
    return found


SOURCES = sorted(path for package in PROJECT for path in (ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: module_name(path))
def test_module_imports_only_the_layers_below_it(path: Path) -> None:
    module = module_name(path)
    if module == WIRING or module.startswith(WIRING + "."):
        return
    package = module.split(".")[0]
    assert imported_packages(path) <= ALLOWED[package], f"{module} imports {imported_packages(path)}"


def test_the_checker_sees_an_import_across_layers(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from processors.clean import clean_article\n", encoding="utf-8")
    assert imported_packages(probe) == {"processors"}


def test_every_package_of_the_tree_is_in_the_wheel() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    )
    found = {module_name(init) for package in PROJECT for init in (ROOT / package).rglob("__init__.py")}
    data = {"regional_news_data"} | {
        f"regional_news_data.{folder.name}"
        for folder in (ROOT / "data").iterdir()
        if folder.is_dir() and not folder.name.startswith("__")
    }
    assert listed == found | data


def test_the_file_commands_import_no_store() -> None:
    """`scrapy extract` / `scrapy tag` read a file: the admission rules they share with the crawl come
    without the store (SQLAlchemy, the migrations) that only the crawl's pipeline needs."""
    probe = "import sys, crawler.commands._documents; print(*sorted(sys.modules), sep='\\n')"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert not [name for name in loaded if name.split(".")[0] in {"storage", "sqlalchemy", "alembic"}]
