"""The speed benchmark (benchmarks/): at most 500 lines in all (issue 8), its practical limit computes fit's numbers,
and a short run writes a report with every target."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("benchmark_run", BENCHMARKS / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_code_is_at_most_500_lines():
    sizes = {path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in BENCHMARKS.rglob("*.py")}
    assert sizes, "no benchmark code found"
    assert sum(sizes.values()) <= 500, f"benchmarks/ has {sum(sizes.values())} lines: {sizes}"


def test_the_minimal_loop_and_the_scalar_helpers_compute_what_fit_computes():
    run = load_benchmark()
    for key in "ab":
        case = run.build_case(key)
        found = run.contenders(case, ("fit", "minimal", "scalar"))
        reference = found["fit"][0](5)()
        for name in ("minimal", "scalar"):
            costs, params = found[name][0](5)()
            assert max(run.difference((costs, params), reference)) < 1e-10, (key, name)
        assert np.all(np.diff(reference[0]) < 0), "a learning rate of 0.01 should lower the cost at every step"


@pytest.mark.slow
def test_a_short_run_writes_every_target(tmp_path):
    output = tmp_path / "benchmarks.md"
    command = [sys.executable, str(BENCHMARKS / "run.py"), "--skip-tests", "--skip-widgets", "--cases", "ab",
               "--repeats", "1", "--seconds", "0.01", "--output", str(output)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True, timeout=300)
    report = output.read_text(encoding="utf-8")
    for target in ("scalar helpers on (b)", "minimal NumPy loop on (b)", "PyTorch (CPU, float64) on (a)"):
        assert target in report
    assert "fit / minimal = " in report and "(b) glibc's defaults" in report
