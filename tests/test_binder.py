"""Binder: repo2docker accepts binder/, and an environment built from it runs every notebook."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import venv

import pytest
from notebook_tools import ROOT

WIDGET_PINS = ("jupyterlab==", "ipywidgets==", "jupyterlab_widgets==", "widgetsnbextension==")


def test_repo2docker_accepts_the_binder_folder_and_installs_course_lib_after_copying_the_repo():
    completed = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--no-run", "--debug", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    dockerfile = completed.stdout + completed.stderr
    assert "conda environment for python=3.11" in dockerfile, "binder/runtime.txt should select Python 3.11"
    install = dockerfile.index('pip install --no-cache-dir -r "binder/requirements.txt"')
    # `-e .` and `-r ../requirements.txt` need the whole repository in place before pip runs.
    assert dockerfile.index("COPY --chown=0:0 src/ ${REPO_DIR}/") < install


def test_the_widget_packages_are_pinned_together():
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    for pin in WIDGET_PINS:
        assert sum(line.startswith(pin) for line in lines) == 1, f"requirements.txt must pin {pin}<version> once"


@pytest.mark.binder
@pytest.mark.slow
def test_a_fresh_environment_from_binder_requirements_passes_nbval(tmp_path, capsys):
    environment = tmp_path / "binder-venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    start = time.perf_counter()
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", "binder/requirements.txt"],
        cwd=ROOT,
        check=True,
        timeout=1800,
    )
    install_seconds = time.perf_counter() - start
    size = sum(path.stat().st_size for path in environment.rglob("*") if path.is_file() and not path.is_symlink())
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")}
    completed = subprocess.run(
        [python, "-m", "pytest", "notebooks", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
        env=env,
    )
    assert completed.returncode == 0, completed.stdout[-3000:]
    with capsys.disabled():
        print(
            f"\nBinder-equivalent environment: install {install_seconds:.0f} s, {size / 2**20:.0f} MiB; "
            f"nbval: {completed.stdout.strip().splitlines()[-1]}"
        )
