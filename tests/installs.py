"""The project installed elsewhere: a copy of its source to build from, and virtual environments
that hold its dependencies but not the project itself."""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "storage", "crawler", "processors", "feeds", "monitor", "data")
BUILD_FILES = ("pyproject.toml", "setup.py", "README.md", "scrapy.cfg")


def source_copy(target: Path) -> Path:
    """The files a build reads, copied to *target*: builds there leave nothing in (and read nothing
    else from) the repository."""
    target.mkdir(parents=True)
    for name in BUILD_FILES:
        shutil.copy(ROOT / name, target / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def dependencies_venv(folder: Path) -> Path:
    """A new venv at *folder* that sees the test environment's packages through a path file, but
    not the project: that path file's own path files, such as the project's editable install, are
    not read, so the project's code can come only from what the test installs or deploys. Its python.
    """
    subprocess.run([sys.executable, "-m", "venv", folder], check=True, capture_output=True, timeout=300)
    python = folder / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    dependencies = [sysconfig.get_paths()["purelib"], *site.getsitepackages()]
    (Path(purelib) / "dependencies.pth").write_text("\n".join(dependencies) + "\n")
    return python
