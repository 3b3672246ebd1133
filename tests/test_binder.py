"""Binder: repo2docker installs the learner pins before it copies the repository, and the result runs every notebook."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import venv

import pytest
from notebook_tools import ROOT

WIDGET_PINS = ("jupyterlab==", "ipywidgets==", "jupyterlab_widgets==", "widgetsnbextension==")
BINDER = ROOT / "binder"


def requirement_lines(path) -> list[str]:
    """The requirement lines of a pip requirements file, comments and blank lines left out."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def pinned(name: str, path=ROOT / "requirements-test.txt") -> list[str]:
    """The pin line(s) of ``name`` in ``path``."""
    return [line for line in requirement_lines(path) if line.split("==")[0].strip() == name]


def test_binder_lists_the_learner_pins_themselves():
    assert requirement_lines(BINDER / "requirements.txt") == requirement_lines(ROOT / "requirements.txt")


def test_binder_requirements_have_no_local_reference_and_no_test_tool():
    # repo2docker defers the install until the whole repository is copied when any line is local
    # (repo2docker/utils.py, is_local_pip_requirement: -r, -c, -e and paths).
    for line in requirement_lines(BINDER / "requirements.txt"):
        assert not line.startswith(("-", ".", "/")), f"binder/requirements.txt: local reference {line!r}"
    test_tools = {line.split("==")[0] for line in requirement_lines(ROOT / "requirements-test.txt") if "==" in line}
    listed = {line.split("==")[0] for line in requirement_lines(BINDER / "requirements.txt")}
    assert not listed & test_tools


def test_post_build_installs_course_lib_from_the_copied_repository():
    post_build = BINDER / "postBuild"
    assert os.access(post_build, os.X_OK), "repo2docker runs binder/postBuild as a program: chmod +x it"
    commands = requirement_lines(post_build)  # the shell lines, comments left out
    assert commands[0] == "set -euo pipefail"
    assert any("pip install" in line and line.endswith(" -e .") and "--no-deps" in line for line in commands)


def test_repo2docker_installs_the_pins_before_copying_the_repository_then_course_lib():
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
    copy_repository = dockerfile.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    post_build = dockerfile.index("RUN ./binder/postBuild")
    # The package layer comes first, so a change to a notebook reuses it from the cache.
    assert install < copy_repository < post_build


def test_the_widget_packages_are_pinned_together():
    lines = requirement_lines(ROOT / "requirements.txt")
    for pin in WIDGET_PINS:
        assert sum(line.startswith(pin) for line in lines) == 1, f"requirements.txt must pin {pin}<version> once"


def tree_size(folder) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


@pytest.mark.binder
@pytest.mark.slow
def test_a_fresh_environment_built_as_binder_builds_it_passes_nbval(tmp_path, capsys):
    environment = tmp_path / "binder-venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    pip = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = f"{environment / 'bin'}{os.pathsep}{env['PATH']}"  # what `python` means in postBuild
    start = time.perf_counter()
    subprocess.run([*pip, "-r", "binder/requirements.txt"], cwd=ROOT, check=True, timeout=1800, env=env)
    subprocess.run(["binder/postBuild"], cwd=ROOT, check=True, timeout=600, env=env)
    install_seconds, size = time.perf_counter() - start, tree_size(environment)
    # The image has no test tools; this copy adds only the runner, at the tested pins.
    subprocess.run([*pip, *pinned("pytest"), *pinned("nbval")], cwd=ROOT, check=True, timeout=600, env=env)
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
