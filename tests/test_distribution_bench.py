"""`make bench-distribution` keeps working: the benchmark, run small, sends its release to each subscriber once.

The demo gained a second company (issue 13) after the benchmark was written: it then failed to pick its
release (two English ones), and once picked would have sent both demo releases to every subscriber."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def test_the_distribution_benchmark_sends_one_release_to_each_subscriber_once():
    run = subprocess.run(
        [sys.executable, "bench/bench_distribution.py", "--subscribers", "25"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "messages accepted: 25 " in run.stdout
    assert "every subscriber exactly once: True" in run.stdout
    assert "messages/s" in run.stdout and "peak memory" in run.stdout
