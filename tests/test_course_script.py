"""course.py, the README's commands: what they install, what they run, and how they stop."""

from __future__ import annotations

import importlib.util
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from notebook_tools import ROOT

# What a learner needs (the design card's four, plus the classic Notebook and the kernel)
# and the widget packages that must match JupyterLab.
LEARNER_PACKAGES = {
    "numpy", "matplotlib", "ipywidgets", "jupyterlab", "notebook", "ipykernel", "jupyterlab_widgets",
    "widgetsnbextension",
}  # fmt: skip
TEST_TOOLS = {"pytest", "nbval", "nbclient", "nbformat", "hypothesis", "ruff", "jupytext", "playwright"}


def load_course_script():
    spec = importlib.util.spec_from_file_location("course_script", ROOT / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pinned_names(path) -> set[str]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {line.split("==")[0].strip().lower().replace("-", "_") for line in lines if "==" in line}


def recorded_calls(monkeypatch, course, status=0) -> list[list[str]]:
    calls = []
    monkeypatch.setattr(course, "run", lambda command: calls.append([str(part) for part in command]) or status)
    return calls


# What each command installs -------------------------------------------------------------------


def test_requirements_txt_holds_the_learner_set_and_nothing_else():
    assert pinned_names(ROOT / "requirements.txt") == LEARNER_PACKAGES


def test_requirements_test_txt_adds_the_test_tools_on_top_of_the_learner_set():
    text = (ROOT / "requirements-test.txt").read_text(encoding="utf-8")
    assert "-r requirements.txt" in text.splitlines()
    names = pinned_names(ROOT / "requirements-test.txt")
    assert TEST_TOOLS | {"jupyter_repo2docker"} <= names
    assert not names & LEARNER_PACKAGES, "a learner package pinned twice can drift apart"


@pytest.fixture
def course_in(tmp_path, monkeypatch):
    """course.py pointed at a copy of the requirement files in tmp_path, with an existing .venv and no pip."""
    course = load_course_script()
    for name in ("requirements.txt", "requirements-test.txt", "pyproject.toml"):
        (tmp_path / name).write_bytes((ROOT / name).read_bytes())
    (tmp_path / ".venv").mkdir()
    monkeypatch.setattr(course, "ROOT", tmp_path)
    monkeypatch.setattr(course, "STAMP", tmp_path / ".venv" / "stamp")
    monkeypatch.setattr(course, "PYTHON", Path(sys.executable))
    return course


def pip_installs(calls: list[list[str]]) -> list[list[str]]:
    return [[call[i + 1] for i, part in enumerate(call) if part == "-r"] for call in calls if "pip" in call]


def test_lab_installs_only_the_learner_set_and_test_both_each_once(course_in, monkeypatch):
    calls = recorded_calls(monkeypatch, course_in)
    course_in.ensure_environment(course_in.LEARNER)
    course_in.ensure_environment(course_in.LEARNER)
    assert pip_installs(calls) == [["requirements.txt"]]
    course_in.ensure_environment(course_in.TESTING)
    course_in.ensure_environment(course_in.TESTING)
    course_in.ensure_environment(course_in.LEARNER)  # the test install covered the learner set
    assert pip_installs(calls) == [["requirements.txt"], ["requirements.txt", "requirements-test.txt"]]
    assert all(call[-2:] == ["-e", "."] for call in calls)


def test_a_changed_requirement_file_reinstalls_exactly_what_depends_on_it(course_in, monkeypatch):
    calls = recorded_calls(monkeypatch, course_in)
    course_in.ensure_environment(course_in.TESTING)
    with open(course_in.ROOT / "requirements-test.txt", "a", encoding="utf-8") as file:
        file.write("# changed\n")
    assert course_in.is_installed(course_in.LEARNER) and not course_in.is_installed(course_in.TESTING)
    with open(course_in.ROOT / "requirements.txt", "a", encoding="utf-8") as file:
        file.write("# changed\n")
    course_in.ensure_environment(course_in.LEARNER)
    # The learner install may have replaced packages the old test install chose: it no longer counts.
    assert not course_in.is_installed(course_in.TESTING)
    assert len(pip_installs(calls)) == 2


def test_a_failed_install_is_not_recorded(course_in, monkeypatch):
    recorded_calls(monkeypatch, course_in, status=1)
    with pytest.raises(SystemExit, match="Installing the packages failed"):
        course_in.ensure_environment(course_in.LEARNER)
    assert not course_in.is_installed(course_in.LEARNER)


def test_each_command_asks_for_its_requirement_set(monkeypatch):
    course = load_course_script()
    asked = []
    monkeypatch.setattr(course, "ensure_environment", asked.append)
    for name in ("lab", "test", "bench"):
        _, files = course.COMMANDS[name]
        monkeypatch.setitem(course.COMMANDS, name, (lambda arguments: 0, files))
        assert course.main([name]) == 0
    learner, both = ("requirements.txt",), ("requirements.txt", "requirements-test.txt")
    assert asked == [learner, both, both]  # bench times the test suite too


# What each command runs ----------------------------------------------------------------------


def test_lab_opens_jupyterlab_at_the_contents_notebook(monkeypatch):
    course = load_course_script()
    monkeypatch.setattr(course, "is_root", lambda: False)
    calls = recorded_calls(monkeypatch, course)
    assert course.lab(["--no-browser"]) == 0
    (command,) = calls
    assert command[1:3] == ["-m", "jupyterlab"] and command[-1] == "--no-browser"
    assert "--allow-root" not in command
    url = next(part for part in command if part.startswith("--LabApp.default_url="))
    notebook = url.split("/lab/tree/", 1)[1]
    assert (ROOT / notebook).is_file() and notebook.endswith("00-contents.ipynb")


@pytest.mark.parametrize("given", [[], ["--allow-root"]])
def test_lab_as_root_allows_root_once_and_says_so(monkeypatch, capsys, given):
    course = load_course_script()
    monkeypatch.setattr(course, "is_root", lambda: True)
    calls = recorded_calls(monkeypatch, course)
    course.lab(["--no-browser", *given])
    assert calls[0].count("--allow-root") == 1
    assert ("--allow-root" in capsys.readouterr().out) == (not given)


@pytest.mark.parametrize("extra", [[], ["-m", "not browser and not binder and not slow"], ["-k", "gradient"]])
def test_test_command_runs_pytest_then_ruff_with_or_without_extra_arguments(monkeypatch, extra):
    course = load_course_script()
    calls = recorded_calls(monkeypatch, course)
    assert course.test(extra) == 0
    assert [command[1:3] for command in calls] == [["-m", "pytest"], ["-m", "ruff"]]
    assert calls[0][3:] == extra


@pytest.mark.parametrize(("pytest_status", "ruff_status"), [(1, 0), (0, 1), (5, 1)])
def test_test_command_fails_when_either_pytest_or_ruff_fails(monkeypatch, pytest_status, ruff_status):
    course = load_course_script()
    statuses = iter([pytest_status, ruff_status])
    monkeypatch.setattr(course, "run", lambda command: next(statuses))
    status = course.test([])
    assert status != 0 and status == (pytest_status or ruff_status)


# The command line ------------------------------------------------------------------------------


def course_py(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "course.py"), *arguments], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("flag", ["--help", "-h", "help"])
def test_help_prints_the_usage_and_succeeds(flag):
    completed = course_py(flag)
    assert completed.returncode == 0
    for command in ("course.py lab", "course.py test", "course.py bench"):
        assert command in completed.stdout


def test_an_unknown_command_is_named_and_is_a_usage_error():
    completed = course_py("labb")
    assert completed.returncode == 2
    assert "unknown command 'labb'" in completed.stderr and "lab, test, bench" in completed.stderr


def test_no_command_is_a_usage_error():
    completed = course_py()
    assert completed.returncode == 2 and "no command given" in completed.stderr


def test_the_echoed_command_can_be_pasted_back(capfd):
    course = load_course_script()
    command = [sys.executable, "-c", "import sys; sys.exit(len(sys.argv))", "not browser and not slow", "it's"]
    assert course.run(command) == 3
    echoed = capfd.readouterr().out.splitlines()[0]
    assert echoed.startswith("$ ") and shlex.split(echoed[2:]) == command


# Stopping the launcher stops what it started ------------------------------------------------------

LAUNCHER = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("course_script", sys.argv[1])
course = importlib.util.module_from_spec(spec)
spec.loader.exec_module(course)
sys.exit(course.run([sys.executable, "-c", sys.argv[2]]))
"""
SLEEPER = "import os, time; open({pid_file!r}, 'w').write(str(os.getpid())); time.sleep(120)"


def as_from_a_terminal():
    """Start with SIGINT at its default, as in a terminal, even when the tests run as a shell's background job
    (which starts everything with SIGINT ignored, and the launcher rightly keeps it so)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 128 + 15), (signal.SIGINT, 128 + 2)])
def test_stopping_the_launcher_stops_its_child(tmp_path, signum, status):
    pid_file = tmp_path / "child.pid"
    launcher = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, str(ROOT / "course.py"), SLEEPER.format(pid_file=str(pid_file))],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        preexec_fn=as_from_a_terminal,
    )
    try:
        assert wait_for(lambda: pid_file.exists() and pid_file.read_text(), 30), "the child never started"
        child = int(pid_file.read_text())
        launcher.send_signal(signum)
        assert launcher.wait(timeout=30) == status
        assert wait_for(lambda: not is_running(child), 10), "the child outlived its launcher"
    finally:
        launcher.kill()
        launcher.wait()


# The launcher above, signalled by itself just before it starts the child (as a learner's `kill` might be).
EARLY_SIGNAL = LAUNCHER.replace("sys.exit(course.run(", """import os, signal
real_popen = course.subprocess.Popen
def popen_after_a_signal(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGTERM)
    return real_popen(*args, **kwargs)
course.subprocess.Popen = popen_after_a_signal
sys.exit(course.run(""")


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
def test_a_signal_that_comes_before_the_child_exists_still_stops_it(tmp_path):
    """The launcher takes over the signals before it starts the child: stopping it at any moment stops both."""
    pid_file = tmp_path / "child.pid"
    launcher = subprocess.Popen([sys.executable, "-c", EARLY_SIGNAL, str(ROOT / "course.py"),
                                 SLEEPER.format(pid_file=str(pid_file))], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        assert launcher.wait(timeout=30) == 128 + signal.SIGTERM
        child = int(pid_file.read_text()) if pid_file.exists() and pid_file.read_text() else None
        assert child is None or wait_for(lambda: not is_running(child), 10), "the child outlived its launcher"
    finally:
        launcher.kill()
        launcher.wait()


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
def test_a_signal_the_launcher_was_started_ignoring_stays_ignored():
    course = load_course_script()
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        replaced = course.SignalForwarder().install()
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN and signal.SIGINT not in replaced
        assert signal.SIGTERM in replaced
    finally:
        for signum, handler in {**replaced, signal.SIGINT: before}.items():
            signal.signal(signum, handler)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
def test_lab_answers_on_localhost_as_whoever_runs_it_and_stops_with_its_launcher(tmp_path):
    course = load_course_script()
    if not course.PYTHON.exists():
        pytest.skip("no .venv yet: `python3 course.py lab` creates it")
    port = free_port()
    options = ["--no-browser", f"--port={port}", "--ServerApp.port_retries=0", f"--notebook-dir={ROOT}"]
    script = f"import sys; sys.path.insert(0, {str(ROOT)!r}); import course; sys.exit(course.lab({options!r}))"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path), "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}
    launcher = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.DEVNULL, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}/api"
    try:
        assert wait_for(lambda: answers(url), 90), "JupyterLab did not answer on 127.0.0.1"
        launcher.send_signal(signal.SIGTERM)
        launcher.wait(timeout=30)
        assert wait_for(lambda: not answers(url), 15), "JupyterLab still answers after its launcher stopped"
    finally:
        launcher.kill()
        output = launcher.communicate()[0]
    assert "Running as root is not recommended" not in output


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False
