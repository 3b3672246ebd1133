"""One JupyterLab server and one chromium for the whole browser session, and what they must leave behind: nothing.

The tests skip, with the reason, when chromium or Playwright is missing.
Set COURSE_CHROMIUM to use another chromium binary (an empty value or a
missing file means "no chromium": the tests then skip).
"""

from __future__ import annotations

import hashlib
import os
import statistics

import pytest
from lab_driver import (
    ARTIFACTS,
    CHROMIUM_ENV,
    CHROMIUM_FLAGS,
    CHROMIUM_MISSING,
    NOTEBOOKS,
    VIEWPORT,
    LabServer,
    find_chromium,
)

REPORT = pytest.StashKey[dict]()


@pytest.fixture(scope="session", autouse=True)
def chromium_path() -> str:
    """Debian's chromium, or a skip with the reason; also skips when Playwright cannot be imported."""
    path = find_chromium()
    if path is None:
        override = os.environ.get(CHROMIUM_ENV)
        detail = f" ({CHROMIUM_ENV}={override!r} is not an executable file)" if override is not None else ""
        pytest.skip(CHROMIUM_MISSING + detail)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        pytest.skip(f"playwright cannot be imported ({error}): pip install -r requirements-test.txt")
    return path


def notebook_bytes() -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(NOTEBOOKS.glob("*.ipynb"))}


@pytest.fixture(scope="session")
def notebooks_untouched(chromium_path):
    """Fails the session if anything under test wrote a notebook or left a checkpoint folder beside them."""
    before = notebook_bytes()
    had_checkpoints = (NOTEBOOKS / ".ipynb_checkpoints").exists()
    yield
    assert notebook_bytes() == before, "the browser tests changed a notebook on disk"
    if not had_checkpoints:
        assert not (NOTEBOOKS / ".ipynb_checkpoints").exists(), "the browser tests left notebooks/.ipynb_checkpoints"


@pytest.fixture(scope="session")
def lab_server(chromium_path, notebooks_untouched, tmp_path_factory):
    """JupyterLab on 127.0.0.1, a free port and a random token, with every Jupyter dir in a temporary folder."""
    server = LabServer(home=tmp_path_factory.mktemp("jupyter-home"))
    server.start()
    try:
        yield server
    finally:
        try:
            left = server.sessions() + server.kernels()
            server.shut_down_all_kernels()
            remaining = server.wait_until_no_kernels()
        finally:
            server.stop_process()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            (ARTIFACTS / "jupyterlab.log").write_text(server.log_text(), encoding="utf-8")
        assert not remaining, f"kernels still running after shutting them down: {remaining}"
        assert not left, f"a test left sessions or kernels running: {left}"
        leftover = server.leftover_processes()
        assert not leftover, f"JupyterLab or its kernels are still running after the session: pids {leftover}"


@pytest.fixture(scope="session")
def browser(chromium_path, lab_server, tmp_path_factory):
    """A headless chromium with a fresh profile, shared by every test."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=chromium_path,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport=VIEWPORT,
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="session")
def report(request) -> dict[str, dict[str, object]]:
    """What the terminal summary prints: "latencies" (widget -> ms per key press) and "run" (notebook -> s)."""
    return request.config.stash.setdefault(REPORT, {"latencies": {}, "run": {}})


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    report = config.stash.get(REPORT, None)
    if not report:
        return
    write = terminalreporter.write_line
    terminalreporter.write_sep("-", "browser tests")
    if report["run"]:
        write("'Run all cells' in JupyterLab: " + ", ".join(f"{stem} {s:.1f} s" for stem, s in report["run"].items()))
    for name, times in report["latencies"].items():
        write(
            f"{name}: median {statistics.median(times):.0f} ms "
            f"(min {min(times):.0f}, max {max(times):.0f}, {len(times)} moves)"
        )
    write(f"screenshots and the server log: {ARTIFACTS}")
