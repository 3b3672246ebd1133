"""course_lib keeps freed arrays' memory for reuse on glibc (course_lib/_memory.py), and is a no-op elsewhere."""

import ctypes
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from course_lib import _memory

ROOT = Path(__file__).resolve().parent.parent
ON_GLIBC = _memory.glibc_version() is not None

# Run in a fresh process, after `import course_lib` and nothing else: minor page faults per step of a loop that,
# like a training step, makes eight 1 MiB temporaries and frees them; and per iteration of fit on the size
# whose faults the benchmark found, [64, 32, 16, 1] x 1,800.
FAULTS_PER_STEP = """
import json, resource, sys
import numpy as np
import course_lib as cl

def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

def per_step(step, n):
    step()
    before = faults()
    for _ in range(n):
        step()
    return (faults() - before) / n

def temporaries():
    arrays = [np.ones(2**17) for _ in range(8)]
    del arrays

rng = np.random.default_rng(0)
X = rng.standard_normal((64, 1800))
Y = (rng.standard_normal(64) @ X > 0).astype(float).reshape(1, -1)
dims = [64, 32, 16, 1]
params = cl.init_params(dims, rng, "he")
fit = lambda: cl.fit(X, Y, dims, learning_rate=0.01, num_iterations=19, params=params, loss="stable")
applied = sys.modules.get("course_lib._memory") and sys.modules["course_lib._memory"].APPLIED
print(json.dumps({"temporaries": per_step(temporaries, 50), "fit": per_step(fit, 5) / 20, "applied": applied}))
"""


def faults_in_fresh_process(**settings) -> dict:
    environ = {name: value for name, value in os.environ.items() if not _memory.malloc_already_configured({name: 1})}
    environ.pop("GLIBC_TUNABLES", None)
    done = subprocess.run(
        [sys.executable, "-c", FAULTS_PER_STEP],
        env=environ | settings,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.mark.skipif(not ON_GLIBC, reason="the page faults and their fix are glibc's")
def test_importing_course_lib_stops_the_page_faults_of_a_training_loop():
    kept = faults_in_fresh_process()
    default = faults_in_fresh_process(**{_memory.OPT_OUT: "0"})
    assert kept["applied"] is True, "importing course_lib did not apply _memory (is it imported in __init__.py?)"
    assert default["applied"] is False, f"{_memory.OPT_OUT}=0 did not leave glibc's defaults"
    # glibc's defaults give the 8 MiB back and fault all 2,048 of its pages in again on every step.
    assert default["temporaries"] > 1000, default
    assert kept["temporaries"] < 1, kept
    assert kept["fit"] < 1, kept


def test_respects_an_opt_out_and_the_environments_own_malloc_settings(monkeypatch):
    def must_not_load(*args):
        raise AssertionError("keep_freed_memory loaded the C library although it had nothing to do")

    monkeypatch.setattr(ctypes, "CDLL", must_not_load)
    assert _memory.keep_freed_memory({_memory.OPT_OUT: "0"}) is False
    assert _memory.keep_freed_memory({"MALLOC_TRIM_THRESHOLD_": "1048576"}) is False
    assert _memory.keep_freed_memory({"GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=65536"}) is False
    assert not _memory.malloc_already_configured({"MALLOC_ARENA_MAX": "2", "GLIBC_TUNABLES": "glibc.cpu.x86_ibt=0"})


@pytest.mark.parametrize("platform", ["macOS or musl", "Windows"])
def test_is_a_harmless_no_op_without_glibc(monkeypatch, platform):
    def unknown_name(name):
        raise ValueError(f"unrecognized configuration name {name!r}")  # what os.confstr says on macOS and musl

    def must_not_load(*args):
        raise AssertionError("keep_freed_memory loaded the C library without glibc")

    if platform == "Windows":
        monkeypatch.delattr(os, "confstr", raising=False)
    else:
        monkeypatch.setattr(os, "confstr", unknown_name)
    monkeypatch.setattr(ctypes, "CDLL", must_not_load)
    assert _memory.glibc_version() is None
    assert _memory.keep_freed_memory({}) is False


@pytest.mark.skipif(not ON_GLIBC, reason="mallopt is glibc's")
def test_sets_both_thresholds_on_glibc():
    assert _memory.glibc_version().startswith("glibc")
    assert _memory.keep_freed_memory({}) is True
