"""The systemd units of deploy/: systemd's own checks pass, the hardening is there, and the settings
module they run with works from outside the source tree."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

DEPLOY = REPO / "deploy"
UNITS = sorted([*DEPLOY.glob("*.service"), *DEPLOY.glob("*.timer")])
INSTALLED_SCRAPY = "/opt/news-monitor/bin/scrapy"
"""Where deploy/README.md installs the project; the tests put this environment's scrapy there."""
SCRAPY = Path(sys.executable).with_name("scrapy")


def directives(unit: Path) -> dict[str, list[str]]:
    """Each key of *unit* and its values, in order (a key may be given several times)."""
    found: dict[str, list[str]] = {}
    text = unit.read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


@pytest.fixture
def units(tmp_path: Path) -> list[Path]:
    """The units as installed: their ExecStart programs where deploy/README.md puts them."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is missing (Debian's systemd package; `make test` installs it as root)")
    copies = []
    for unit in UNITS:
        copy = tmp_path / unit.name
        copy.write_text(
            unit.read_text(encoding="utf-8").replace(INSTALLED_SCRAPY, str(SCRAPY)), encoding="utf-8"
        )
        copies.append(copy)
    return copies


def test_systemd_finds_nothing_wrong_with_the_units(units: list[Path]) -> None:
    result = subprocess.run(
        ["systemd-analyze", "verify", *map(str, units)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and not result.stdout + result.stderr, result.stdout + result.stderr


def test_the_service_runs_hardened_as_its_own_user(units: list[Path]) -> None:
    service = DEPLOY / "news-monitor.service"
    found = directives(service)
    expected = {
        "Restart": "on-failure",
        "User": "news-monitor",
        "StateDirectory": "news-monitor",
        "ProtectSystem": "strict",
        "NoNewPrivileges": "yes",
        "PrivateTmp": "yes",
        "ProtectHome": "yes",
    }
    assert {key: found.get(key, [None])[-1] for key in expected} == expected
    (copy,) = [unit for unit in units if unit.name == service.name]
    result = subprocess.run(
        ["systemd-analyze", "security", "--offline=true", str(copy)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    exposure = re.search(r"Overall exposure level for news-monitor\.service: ([\d.]+) (\w+)", result.stdout)
    assert exposure, result.stdout + result.stderr
    assert float(exposure[1]) <= 2.0, result.stdout  # systemd calls up to 3.9 "OK"


def test_the_units_settings_module_runs_scrapy_outside_the_source_tree(tmp_path: Path) -> None:
    environment = {
        **os.environ,
        **dict(
            value.split("=", 1)
            for value in directives(DEPLOY / "news-monitor.service")["Environment"][0].split()
        ),
    }
    assert environment["PYTHONPATH"] == "/etc/news-monitor"
    environment["PYTHONPATH"] = str(DEPLOY)  # where the tests find the settings module

    def run(*command: str | Path) -> str:
        result = subprocess.run(
            command, cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    names = ["DATABASE_URL", "FEEDS_DIR", "STORE_RETENTION_DAYS", "MAX_LIST_PAGES"]
    read = (
        "import json; from scrapy.utils.project import get_project_settings as s; "
        f"print(json.dumps({{n: s()[n] for n in {names!r}}}))"
    )
    assert json.loads(run(sys.executable, "-c", read)) == {
        "DATABASE_URL": "sqlite:////var/lib/news-monitor/news.db",
        "FEEDS_DIR": "/var/lib/news-monitor/feeds",
        "STORE_RETENTION_DAYS": 365,
        "MAX_LIST_PAGES": 3,  # the project's own, kept
    }
    assert "qzwb" in run(SCRAPY, "list").split()
    (exec_start,) = directives(DEPLOY / "news-monitor.service")["ExecStart"]
    program, command, *options = exec_start.split()
    assert program == INSTALLED_SCRAPY
    usage = run(SCRAPY, command, "--help")
    assert all(option in usage for option in options if option.startswith("--"))
