"""Behaviour floor of the generic extractor on tests/data/cwce (35 real pages with ground truth).

Measured with the benchmark's own metric (benchmarks/extraction.py --raw): page object alone
F1 0.940, date 0.962 (25/26). The floor sits a little below, so that a change which makes the
extractor worse fails here; timing is the benchmark's business, not the tests'.
"""

from __future__ import annotations

import importlib.util
import statistics
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
F1_FLOOR = 0.93
DATE_FLOOR = 0.92


@pytest.fixture(scope="module")
def bench():
    path = ROOT / "benchmarks" / "extraction.py"
    spec = importlib.util.spec_from_file_location("benchmark_extraction", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_generic_extractor_floor_on_cwce(bench):
    cases = bench.load_cases()
    assert len(cases) == 35
    result = bench.run("ours", bench.ours_raw, cases)
    assert statistics.mean(result.f1) >= F1_FLOOR
    assert statistics.mean(result.dates) >= DATE_FLOOR


def test_metric_matches_the_scrapinghub_method_with_characters(bench):
    assert bench.prf("甲乙丙丁戊", "甲乙 丙丁戊") == (1.0, 1.0, 1.0)
    precision, recall, _ = bench.prf("甲乙丙丁戊", "甲乙丙丁")
    assert (precision, recall) == (1.0, 0.5)
    assert bench.prf("甲乙丙丁", "") == (0.0, 0.0, 0.0)


def test_ground_truth_without_a_full_date_is_not_scored(bench):
    assert bench.day_of("UNKNOWN") is None
    assert bench.day_of("UNKNWON") is None
    assert bench.day_of("1998-3") is None
    assert bench.day_of("2005-9-15 11:46:00").isoformat() == "2005-09-15"
