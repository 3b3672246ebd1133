#!/usr/bin/env python3
"""Set up the course in a folder-local environment, then open it or test it.

    python3 course.py lab     # install what is needed (first time only) and open JupyterLab at the contents
    python3 course.py test    # install what is needed (first time only) and run the whole test suite
    python3 course.py bench   # the speed benchmark: writes docs/benchmarks.md

Everything goes into ./.venv, created with the standard library's venv module,
so nothing is installed system-wide. The install step is skipped when
requirements.txt and pyproject.toml have not changed since the last one.
Extra arguments are passed on: `python3 course.py lab --no-browser`,
`python3 course.py test -k gradient`.
"""

from __future__ import annotations

import hashlib
import os
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


def install_fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("requirements.txt", "pyproject.toml"):
        digest.update((ROOT / name).read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def run(command: list, **kwargs) -> int:
    print("$", " ".join(str(part) for part in command), flush=True)
    return subprocess.call([str(part) for part in command], cwd=ROOT, **kwargs)


def ensure_environment() -> None:
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
    fingerprint = install_fingerprint()
    if STAMP.exists() and STAMP.read_text() == fingerprint:
        return
    print("Installing the course's packages (a few minutes the first time) ...", flush=True)
    pip = [PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    if run([*pip, "-r", "requirements.txt", "-e", "."]) != 0:
        sys.exit("Installing the packages failed; the lines above say why (often: no network, or a proxy).")
    STAMP.write_text(fingerprint)


def lab(arguments: list[str]) -> int:
    # Serve the whole course folder (so the file browser shows course_lib too) and open the contents.
    return run([PYTHON, "-m", "jupyterlab", f"--LabApp.default_url=/lab/tree/{CONTENTS}", *arguments])


def test(arguments: list[str]) -> int:
    # pytest's options (nbval in strict mode, the sanitize file, test paths) live in pyproject.toml.
    status = run([PYTHON, "-m", "pytest", *arguments])
    if arguments:
        return status
    lint = run([PYTHON, "-m", "ruff", "check", "."])
    return status or lint


def bench(arguments: list[str]) -> int:
    return run([PYTHON, "benchmarks/run.py", *arguments])


COMMANDS = {"lab": lab, "test": test, "bench": bench}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        return 2
    ensure_environment()
    return COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
