#!/usr/bin/env python3
"""Set up the course in a folder-local environment, then open it, test it or time it.

usage: python3 course.py lab   [JupyterLab options]   open JupyterLab at the contents notebook
       python3 course.py test  [pytest options]       run the test suite, then ruff
       python3 course.py bench [--skip-tests]         the speed benchmark: writes docs/benchmarks.md
       python3 course.py --help                       this text

The first run of each command creates ./.venv with the standard library's venv
module (nothing is installed system-wide) and installs into it: `lab` the
learner's packages (requirements.txt), `test` and `bench` those plus the test
tools (requirements-test.txt). The install is skipped while those files and
pyproject.toml are unchanged.

Extra arguments go to JupyterLab or pytest, for example
`python3 course.py lab --no-browser` or `python3 course.py test -k gradient`.
`test` always runs `ruff check .` after pytest, with or without extra arguments.
Run as root (a container, many cloud machines), `lab` passes --allow-root to
JupyterLab. Stopping this script (Ctrl+C, or `kill` on its process) stops
JupyterLab or pytest too.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".course-install-stamp"
CONTENTS = "notebooks/00-contents.ipynb"
LEARNER = ("requirements.txt",)
TESTING = ("requirements.txt", "requirements-test.txt")
USAGE_ERROR = 2  # what argparse and most command-line tools return for a bad command line


def install_fingerprint(requirement_files: tuple[str, ...]) -> str:
    """Hash of what an install of ``requirement_files`` depends on: their text, pyproject.toml, the Python."""
    digest = hashlib.sha256()
    for name in (*requirement_files, "pyproject.toml"):
        digest.update(name.encode() + b"\0" + (ROOT / name).read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def is_installed(requirement_files: tuple[str, ...]) -> bool:
    return STAMP.exists() and install_fingerprint(requirement_files) in STAMP.read_text().split()


def record_install(requirement_files: tuple[str, ...]) -> None:
    # Installing the test set installs the learner set too, so both are current; any other
    # fingerprint on record may describe packages this install has just replaced.
    covered = {LEARNER, requirement_files}
    STAMP.write_text("\n".join(install_fingerprint(files) for files in sorted(covered)) + "\n")


def is_foreground_of_a_terminal() -> bool:
    try:
        return os.tcgetpgrp(sys.stdin.fileno()) == os.getpgrp()
    except (OSError, ValueError, AttributeError):  # no terminal, closed stdin, or Windows
        return False


class SignalForwarder:
    """Passes SIGTERM, SIGHUP and SIGINT on to the child process, even one that comes before the child exists."""

    def __init__(self):
        self.child: subprocess.Popen | None = None
        self.pending: list[int] = []  # signals that came before the child existed

    def __call__(self, signum, _frame):
        if self.child is None:
            self.pending.append(signum)
        # Ctrl+C in a terminal reaches every process of the foreground group, the child included:
        # sending it again would count as a second Ctrl+C.
        elif signum != signal.SIGINT or not is_foreground_of_a_terminal():
            self.child.send_signal(signum)

    def install(self) -> dict:
        """Handle the signals from now on; return the handlers this replaces.

        A signal this process was started ignoring (SIGINT in a shell's background job) stays ignored, as
        Python itself leaves it: the child ignores it too, so passing it on would do nothing.
        """
        wanted = [signal.SIGTERM, signal.SIGINT] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
        return {signum: signal.signal(signum, self) for signum in wanted if signal.getsignal(signum) != signal.SIG_IGN}

    def start(self, command: list) -> subprocess.Popen:
        child = subprocess.Popen(command, cwd=ROOT)
        self.child = child
        while self.pending:  # stopping the launcher at any moment stops what it starts
            child.send_signal(self.pending.pop(0))
        return child


def run(command: list) -> int:
    """Echo ``command`` so that it can be pasted back, run it in the course folder, return its exit code."""
    command = [str(part) for part in command]
    print("$", shlex.join(command), flush=True)
    forwarder = SignalForwarder()
    previous = forwarder.install() if os.name != "nt" else {}
    try:
        status = forwarder.start(command).wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 128 - status if status < 0 else status  # killed by signal N: 128 + N, as a shell reports it


def ensure_environment(requirement_files: tuple[str, ...]) -> None:
    if sys.version_info < (3, 10):  # noqa: UP036 - this file must also run on an old Python to say so
        sys.exit(f"The course needs Python 3.10 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        try:
            venv.create(VENV, with_pip=True)
        except Exception as error:  # noqa: BLE001 - explain the usual cause, then stop
            sys.exit(
                f"Could not create {VENV}: {error}\n"
                "On Debian or Ubuntu, install the venv module first: sudo apt install python3-venv"
            )
    if is_installed(requirement_files):
        return
    names = " and ".join(requirement_files)
    print(f"Installing the packages of {names} (a few minutes the first time) ...", flush=True)
    # --no-compile: Python compiles what it imports on first use; compiling every file up front
    # (most never imported: test suites, translations) would add about 90 MB to the learner's .venv.
    pip = [PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "--no-compile", "-q"]
    files = [argument for name in requirement_files for argument in ("-r", name)]
    if run([*pip, *files, "-e", "."]) != 0:
        sys.exit("Installing the packages failed; the lines above say why (often: no network, or a proxy).")
    record_install(requirement_files)


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab(arguments: list[str]) -> int:
    if is_root() and "--allow-root" not in arguments:
        print("Running as root (a container or a cloud machine?): passing --allow-root to JupyterLab.")
        arguments = [*arguments, "--allow-root"]
    # Serve the whole course folder (so the file browser shows course_lib too) and open the contents.
    return run([PYTHON, "-m", "jupyterlab", f"--LabApp.default_url=/lab/tree/{CONTENTS}", *arguments])


def test(arguments: list[str]) -> int:
    # pytest's options (nbval in strict mode, the sanitize file, test paths) live in pyproject.toml.
    status = run([PYTHON, "-m", "pytest", *arguments])
    lint = run([PYTHON, "-m", "ruff", "check", "."])
    return status or lint


def bench(arguments: list[str]) -> int:
    return run([PYTHON, "benchmarks/run.py", *arguments])


# Each command and the requirement files it installs.
COMMANDS = {"lab": (lab, LEARNER), "test": (test, TESTING), "bench": (bench, TESTING)}


def main(argv: list[str]) -> int:
    if argv[:1] in (["-h"], ["--help"], ["help"]):
        print(__doc__)
        return 0
    if not argv or argv[0] not in COMMANDS:
        said = f"unknown command {argv[0]!r}" if argv else "no command given"
        hint = f"the commands are {', '.join(COMMANDS)} (see: python3 course.py --help)"
        print(f"course.py: {said}; {hint}", file=sys.stderr)
        return USAGE_ERROR
    command, requirement_files = COMMANDS[argv[0]]
    ensure_environment(requirement_files)
    return command(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
