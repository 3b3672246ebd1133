"""The contents notebook opens in Notebook 7's interface (the classic-style one) as well as in JupyterLab."""

from __future__ import annotations

import time

import pytest
from lab_driver import ARTIFACTS, OPEN_TIMEOUT, notebook_title

pytestmark = pytest.mark.browser

PATH = "notebooks/00-contents.ipynb"


def test_contents_notebook_renders_in_notebook7(browser, lab_server):
    from playwright.sync_api import expect

    page = browser.new_page()
    try:
        page.goto(f"{lab_server.url}/notebooks/{PATH}?token={lab_server.token}")
        heading = page.locator(".jp-Notebook .jp-MarkdownCell h1").filter(has_text=notebook_title("00-contents"))
        expect(heading).to_be_visible(timeout=OPEN_TIMEOUT)
        assert "/lab" not in page.url, f"Notebook 7 redirected to JupyterLab: {page.url}"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / "notebook7-00-contents.png")
        # Notebook 7 starts a kernel for the notebook it opens: wait for it, so that it can be shut down below.
        deadline = time.monotonic() + OPEN_TIMEOUT / 1000
        while not any(s["path"] == PATH for s in lab_server.sessions()) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        page.close()
        for session in lab_server.sessions():
            if session["path"] == PATH:
                lab_server.api("DELETE", f"/api/sessions/{session['id']}")
    assert not lab_server.wait_until_no_kernels(), "the Notebook 7 page left a kernel running"
