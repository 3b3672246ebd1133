"""course.py, the README's two commands: what they run."""

from __future__ import annotations

import importlib.util

from notebook_tools import ROOT


def load_course_script():
    spec = importlib.util.spec_from_file_location("course_script", ROOT / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lab_opens_jupyterlab_at_the_contents_notebook(monkeypatch):
    course = load_course_script()
    calls = []
    monkeypatch.setattr(course, "run", lambda command, **kwargs: calls.append(command) or 0)
    assert course.lab(["--no-browser"]) == 0
    (command,) = calls
    assert command[1:3] == ["-m", "jupyterlab"] and command[-1] == "--no-browser"
    url = next(str(part) for part in command if str(part).startswith("--LabApp.default_url="))
    notebook = url.split("/lab/tree/", 1)[1]
    assert (ROOT / notebook).is_file() and notebook.endswith("00-contents.ipynb")


def test_test_command_runs_pytest_then_ruff(monkeypatch):
    course = load_course_script()
    calls = []
    monkeypatch.setattr(course, "run", lambda command, **kwargs: calls.append(command) or 0)
    assert course.test([]) == 0
    assert [command[1:3] for command in calls] == [["-m", "pytest"], ["-m", "ruff"]]


def test_install_is_skipped_only_while_requirements_are_unchanged():
    course = load_course_script()
    assert course.install_fingerprint() == course.install_fingerprint()
    assert len(course.install_fingerprint()) == 64
