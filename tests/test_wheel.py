"""An installed wheel works with no source tree: `scrapy extract` and `scrapy tag` in a venv elsewhere.

The wheel is built from the repository and installed without its dependencies in a fresh venv
outside it; the dependencies come from the test's own environment through a path file (whose own
path files, such as the editable install of this project, are not read), so the project's code
and data can come only from the wheel.
"""

from __future__ import annotations

import json
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "storage", "crawler", "processors", "feeds", "monitor", "data")
SEED = ROOT / "tests" / "data" / "seeds" / "004_30c06082d0510420.txt"
PAGE = ROOT / "mirror" / "qzwb" / "www.qzwb.com" / "gb" / "content" / "2016-05" / "12" / "content_5400123.htm"


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a venv holding only the wheel (and, by a path file, the dependencies)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # built from a copy, so no build/ is left in (or read from) the repository
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    pip = (sys.executable, "-m", "pip")
    built = run(*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", work / "dist", source, cwd=work)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (work / "dist").glob("regional_news_monitor-*.whl")
    assert run(sys.executable, "-m", "venv", work / "venv", cwd=work).returncode == 0
    python = work / "venv" / "bin" / "python"
    installed = run(python, "-m", "pip", "install", "--no-deps", "--no-index", wheel, cwd=work)
    assert installed.returncode == 0, installed.stderr[-3000:]
    target = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=work)
    dependencies = [sysconfig.get_paths()["purelib"], *site.getsitepackages()]
    (Path(target.stdout.strip()) / "dependencies.pth").write_text("\n".join(dependencies) + "\n")
    return python


def test_project_code_comes_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    where = run(installed, "-c", "import crawler, regional_news_data; print(crawler.__file__)", cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    assert str(installed.parent.parent) in where.stdout and str(ROOT) not in where.stdout


def test_scrapy_extract_runs_from_the_installed_package(installed: Path, tmp_path: Path) -> None:
    result = run(installed, "-m", "scrapy", "extract", "--jsonl", "--site", "qzwb", PAGE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    article = json.loads(result.stdout)
    assert article["title"].startswith("南安水头石材产业转型升级")
    assert article["extractor"] == "qzwb" and article["outlet"] == "泉州晚报"


def test_scrapy_tag_runs_from_the_installed_package(installed: Path, tmp_path: Path) -> None:
    result = run(installed, "-m", "scrapy", "tag", "--jsonl", SEED, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    tags = json.loads(result.stdout)
    assert tags["provinces"] == ["辽宁"]
    assert tags["initiatives"][0]["id"] == "liaoning-coastal-economic-belt"
