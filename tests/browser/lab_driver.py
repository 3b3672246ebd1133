"""Drive JupyterLab in Debian's chromium for the browser tests (a helper, not a test module).

Playwright is imported lazily, so that this module imports (and the tests
skip with their reason) when it is missing.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
STEMS = sorted(path.stem for path in NOTEBOOKS.glob("*.ipynb"))
ARTIFACTS = ROOT / "test-artifacts" / "browser"
README_IMAGE = ROOT / "docs" / "images" / "divergence-lab.png"

CHROMIUM_ENV = "COURSE_CHROMIUM"
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = "chromium not found: install Debian's chromium (apt-get install chromium) to run the browser tests"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}

# Timeouts in milliseconds (Playwright's unit). Generous: a 2-core CI machine
# can be slow to start a kernel while chromium is busy.
OPEN_TIMEOUT = 90_000
RUN_TIMEOUT = 240_000
MOVE_TIMEOUT = 30_000
CLOSE_TIMEOUT = 30_000
SERVER_START_TIMEOUT = 60.0  # seconds

# Lab settings for the tests: no news or update checks, no autosave (the tests
# must never write a notebook), and every cell attached to the page so that
# what the DOM checks see is the whole notebook.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


def find_chromium() -> str | None:
    """The chromium to drive: $COURSE_CHROMIUM if set (an empty or missing file means none), else Debian's."""
    override = os.environ.get(CHROMIUM_ENV)
    if override is not None:
        return override if override and os.access(override, os.X_OK) and Path(override).is_file() else None
    if os.access(DEFAULT_CHROMIUM, os.X_OK):
        return str(DEFAULT_CHROMIUM)
    return shutil.which("chromium")


def notebook_title(stem: str) -> str:
    """The text of the first level-1 heading of a notebook, as stored on disk."""
    notebook = json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            match = re.search(r"^# (.+)$", "".join(cell["source"]), re.M)
            if match:
                return match.group(1).strip()
    raise LookupError(f"{stem}.ipynb has no level-1 heading")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def processes_with_env(name: str, value: str) -> list[int]:
    """Pids of the live processes whose environment has name=value (Linux /proc; [] elsewhere)."""
    wanted = f"{name}={value}".encode()
    pids = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and wanted in environ.split(b"\0"):
            pids.append(int(entry.name))
    return pids


@dataclass
class LabServer:
    """A JupyterLab server started by the tests, with its own config, runtime and settings dirs."""

    home: Path
    token: str = field(default_factory=lambda: secrets.token_hex(24))
    port: int = 0
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("MPLBACKEND", None)  # the kernel must draw inline, whatever the caller's shell says
        dirs = {
            "JUPYTER_CONFIG_DIR": "config",
            "JUPYTER_DATA_DIR": "data",
            "JUPYTER_RUNTIME_DIR": "runtime",
            "IPYTHONDIR": "ipython",
            "MPLCONFIGDIR": "matplotlib",
            "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
            "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces",
        }
        for name, sub in dirs.items():
            path = self.home / sub
            path.mkdir(parents=True, exist_ok=True)
            env[name] = str(path)
        for plugin, settings in LAB_SETTINGS.items():
            path = self.home / "lab-settings" / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(settings, indent=2), encoding="utf-8")
        return env

    def command(self) -> list[str]:
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip",
            "127.0.0.1",
            "--port",
            str(self.port),
            # ServerApp.token still works but is deprecated in jupyter_server 2; this is its successor.
            f"--IdentityProvider.token={self.token}",
            "--ServerApp.port_retries=0",
            "--LabApp.expose_app_in_browser=True",
            f"--ServerApp.root_dir={ROOT}",
            # Lab makes a checkpoint when it opens a notebook: keep it out of the repository.
            f"--FileCheckpoints.checkpoint_dir={self.home / 'checkpoints'}",
            # The default extension manager asks PyPI for extensions; the tests need none.
            "--LabApp.extension_manager=readonly",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        return command

    def start(self) -> None:
        env = self.environment()
        for attempt in range(3):
            self.port = free_port()
            self.log_path = self.home / f"jupyterlab-{attempt}.log"
            with open(self.log_path, "wb") as log:
                self.process = subprocess.Popen(
                    self.command(),
                    cwd=ROOT,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group, stopped as one at the end
                )
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    break
                try:
                    self.api("GET", "/api/status", timeout=2)
                    return
                except (OSError, urllib.error.URLError):
                    time.sleep(0.2)  # polling an explicit condition: the server answering
            log_text = self.log_text()
            self.stop_process()
            if "already in use" not in log_text:
                raise RuntimeError(f"JupyterLab did not start; its log:\n{log_text[-4000:]}")
        raise RuntimeError("JupyterLab could not get a free port in three tries")

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""

    def api(self, method: str, path: str, timeout: float = 10):
        request = urllib.request.Request(
            self.url + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def kernels(self) -> list[dict]:
        return self.api("GET", "/api/kernels")

    def sessions(self) -> list[dict]:
        return self.api("GET", "/api/sessions")

    def wait_until_no_kernels(self, timeout: float = 15) -> list[dict]:
        """Poll the REST API until no session and no kernel is left; return what is left at the deadline."""
        deadline = time.monotonic() + timeout
        while True:
            left = self.sessions() + self.kernels()
            if not left or time.monotonic() > deadline:
                return left
            time.sleep(0.2)

    def shut_down_all_kernels(self) -> None:
        for session in self.sessions():
            self.api("DELETE", f"/api/sessions/{session['id']}")
        for kernel in self.kernels():
            self.api("DELETE", f"/api/kernels/{kernel['id']}")

    def stop_process(self) -> None:
        """Terminate the server's process group (SIGKILL if it has not gone after 20 s) and reap it."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def leftover_processes(self, timeout: float = 10) -> list[int]:
        """Processes of this server (itself, kernels, anything they started) still alive after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        runtime = str(self.home / "runtime")
        while True:
            left = processes_with_env("JUPYTER_RUNTIME_DIR", runtime)
            try:
                os.killpg(self.process.pid, 0)
                left.append(self.process.pid)
            except ProcessLookupError:
                pass
            if not left or time.monotonic() > deadline:
                return sorted(set(left))
            time.sleep(0.2)


def playwright_timeout_error():
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    return PlaywrightTimeoutError


# An async job in the page, awaited with an explicit timeout (page.evaluate itself has none).
JOB = """() => {
  window.__job = {done: false};
  (async () => { BODY })().then(
    (value) => { window.__job = {done: true, value: value === undefined ? null : value}; },
    (error) => { window.__job = {done: true, error: String((error && error.stack) || error)}; },
  );
}"""

FIND_PANEL = """(path) => {
  const app = window.jupyterapp;
  if (!app || !app.shell || !app.shell.widgets) return false;
  for (const widget of app.shell.widgets('main')) {
    if (widget.context && widget.context.path === path && widget.sessionContext && widget.content) {
      window.__panel = widget;
      return true;
    }
  }
  return false;
}"""

# Idle kernel, every code cell run (unless "Run all" stopped at an error), every widget view rendered
# (or visibly failed to).
SETTLED = """(allRun) => {
  const panel = window.__panel;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  for (const cell of panel.content.widgets) {
    if (cell.model.type !== 'code') continue;
    if (allRun && cell.model.sharedModel.getSource().trim() && cell.model.executionCount === null) return false;
    if (cell.node.querySelector('.jp-InputArea-prompt') &&
        cell.node.querySelector('.jp-InputArea-prompt').textContent.includes('*')) return false;
    const views = cell.model.outputs.toJSON()
      .filter((o) => o.data && o.data['application/vnd.jupyter.widget-view+json']).length;
    if (views && !cell.node.querySelector('.jupyter-widgets') &&
        !cell.node.textContent.includes('Error displaying widget')) return false;
  }
  return true;
}"""

PROBLEMS = """() => {
  const panel = window.__panel;
  const problems = [];
  panel.content.widgets.forEach((cell, i) => {
    if (cell.model.type !== 'code') return;
    if (cell.model.sharedModel.getSource().trim() && cell.model.executionCount === null)
      problems.push(`cell ${i} did not run`);
    for (const o of cell.model.outputs.toJSON()) {
      if (o.output_type === 'error') problems.push(`cell ${i} raised ${o.ename}: ${o.evalue}`);
      if (o.output_type === 'stream' && o.name === 'stderr') {
        const text = Array.isArray(o.text) ? o.text.join('') : o.text;
        if (/Traceback|Warning:/.test(text)) problems.push(`cell ${i} wrote to stderr: ${text.slice(0, 1500)}`);
      }
    }
  });
  panel.node.querySelectorAll('.jp-OutputArea-output').forEach((output) => {
    const cell = output.closest('.jp-Cell');
    const i = cell ? [...panel.content.widgets].findIndex((c) => c.node === cell) : -1;
    const text = output.textContent;
    if (output.dataset.mimeType === 'application/vnd.jupyter.stderr' && text.includes('Traceback'))
      problems.push(`cell ${i} shows a traceback: ${text.slice(0, 1500)}`);
    if (text.includes('Error displaying widget')) problems.push(`cell ${i} shows: ${text.slice(0, 300)}`);
  });
  return [...new Set(problems)];
}"""

# Mark the code cell whose output holds a slider with this description; return its index or -1.
MARK_WIDGET_CELL = """(label) => {
  const panel = window.__panel;
  let found = -1;
  panel.content.widgets.forEach((cell, i) => {
    delete cell.node.dataset.browserTest;
    const labels = cell.node.querySelectorAll('.jp-OutputArea .widget-slider label.widget-label');
    if (found < 0 && [...labels].some((l) => l.textContent.trim() === label)) {
      cell.node.dataset.browserTest = 'widget';
      found = i;
    }
  });
  return found;
}"""

# Records, for each key press on the widget, when its plot image and its text line first change.
INSTALL_PROBE = """([root, textSelector]) => {
  const probe = {keyAt: null, imgAt: null, textAt: null, src: null, text: null};
  const src = () => {
    const img = root.querySelector('.widget-output img');
    return img ? img.getAttribute('src') : null;
  };
  const text = () => { const el = root.querySelector(textSelector); return el ? el.textContent : null; };
  root.addEventListener('keydown', () => {
    Object.assign(probe, {keyAt: performance.now(), imgAt: null, textAt: null, src: src(), text: text()});
  }, true);
  new MutationObserver(() => {
    if (probe.keyAt === null) return;
    const now = performance.now();
    const s = src();
    const t = text();
    if (probe.imgAt === null && s !== null && s !== probe.src) probe.imgAt = now;
    if (probe.textAt === null && t !== null && t !== probe.text) probe.textAt = now;
  }).observe(root, {subtree: true, childList: true, attributes: true, characterData: true});
  window.__probe = probe;
}"""

# The last key press has changed the text line, and the plot if the widget has one, and the kernel is
# idle again (so that nothing of this move can arrive after the next key press).
PROBE_DONE = """(plot) => {
  const probe = window.__probe;
  const kernel = window.__panel.sessionContext.session.kernel;
  return probe.keyAt !== null && probe.textAt !== null && (!plot || probe.imgAt !== null) &&
    kernel.status === 'idle';
}"""


class NotebookInLab:
    """One notebook opened in its own JupyterLab tab, with its kernel."""

    def __init__(self, context, server: LabServer, stem: str):
        self.context = context
        self.server = server
        self.stem = stem
        self.path = f"notebooks/{stem}.ipynb"
        self.page_errors: list[str] = []
        self.page = context.new_page()
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.run_ok: bool | None = None
        self.run_seconds: float | None = None
        self.closed = False

    # -- opening and running -------------------------------------------------------------------
    def open(self) -> None:
        self.page.goto(f"{self.server.url}/lab/tree/{self.path}?reset&token={self.server.token}")
        self.page.wait_for_function(FIND_PANEL, arg=self.path, timeout=OPEN_TIMEOUT)
        kernel = self.job(
            """const panel = window.__panel;
               await panel.context.ready;
               await panel.sessionContext.ready;
               const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
               return kernel ? kernel.name : null;""",
            OPEN_TIMEOUT,
        )
        assert kernel, f"{self.path}: JupyterLab started no kernel"

    def run_all(self) -> None:
        start = time.monotonic()
        self.run_ok = self.job(
            "return await window.jupyterapp.commands.execute('notebook:run-all-cells');", RUN_TIMEOUT
        )
        self.wait_until_settled(RUN_TIMEOUT, all_run=bool(self.run_ok))
        self.run_seconds = time.monotonic() - start

    def wait_until_settled(self, timeout: int, all_run: bool = True) -> None:
        self.page.wait_for_function(SETTLED, arg=all_run, timeout=timeout)

    def problems(self) -> list[str]:
        return self.page.evaluate(PROBLEMS)

    def job(self, body: str, timeout: int):
        """Run an async snippet in the page and return its value, failing after ``timeout`` ms."""
        self.page.evaluate(JOB.replace("BODY", body))
        self.page.wait_for_function("() => window.__job.done", timeout=timeout)
        outcome = self.page.evaluate("() => window.__job")
        if "error" in outcome:
            raise RuntimeError(f"{self.path}: in the page: {outcome['error']}")
        return outcome["value"]

    # -- widgets -------------------------------------------------------------------------------
    def widget_cell(self, slider_label: str):
        """The cell whose output has a slider described as ``slider_label``; re-run it for a fresh widget."""
        index = self.page.evaluate(MARK_WIDGET_CELL, slider_label)
        assert index >= 0, f"{self.path}: no slider labelled {slider_label!r} after running the notebook"
        count = self.page.evaluate(f"() => window.__panel.content.widgets[{index}].model.executionCount")
        self.job(
            f"""const panel = window.__panel;
                panel.content.activeCellIndex = {index};
                panel.content.deselectAll();
                await window.jupyterapp.commands.execute('notebook:run-cell');""",
            RUN_TIMEOUT,
        )
        self.page.wait_for_function(
            f"() => window.__panel.content.widgets[{index}].model.executionCount !== {count}", timeout=RUN_TIMEOUT
        )
        self.wait_until_settled(RUN_TIMEOUT)
        return self.page.locator('[data-browser-test="widget"]')

    # -- closing -------------------------------------------------------------------------------
    def close(self) -> None:
        """Shut the kernel down, close the notebook without saving, close the tab; check no kernel is left."""
        if self.closed:
            return
        self.closed = True
        try:
            if self.page.evaluate("() => Boolean(window.__panel)"):
                self.job(
                    """const panel = window.__panel;
                       await panel.sessionContext.shutdown();
                       panel.context.model.dirty = false;  // so that closing asks nothing and saves nothing
                       panel.close();""",
                    CLOSE_TIMEOUT,
                )
                self.page.wait_for_function("() => window.__panel.isDisposed", timeout=CLOSE_TIMEOUT)
        finally:
            self.page.close()
        left = self.server.wait_until_no_kernels()
        assert not left, f"{self.path}: closing the notebook left {left}"
