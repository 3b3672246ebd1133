"""Every notebook in JupyterLab in a real browser: it runs clean, its widgets answer the keyboard; the README picture.

Tests that use the same notebook run one after the other (the ``notebook``
fixture is module-scoped and parametrised indirectly, so pytest groups them),
so each notebook is opened and run once, then closed without saving and its
kernel shut down before the next one opens.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
from dataclasses import dataclass

import pytest
from lab_driver import (
    ARTIFACTS,
    INSTALL_PROBE,
    MOVE_TIMEOUT,
    PROBE_DONE,
    README_IMAGE,
    STEMS,
    NotebookInLab,
    playwright_timeout_error,
)

pytestmark = pytest.mark.browser

SLIDER_LABEL = "learning rate"
MOVES = 10


@dataclass(frozen=True)
class Widget:
    name: str
    text: str  # CSS selector, from the widget's outer box, of the line that must change at every move
    plot: bool  # whether the widget shows a plot (an <img> in an Output widget) that must change too


WIDGETS = {
    "00-contents": Widget("setup-check slider (00)", ":scope > .widget-label", plot=False),
    "06-rising-cost": Widget("divergence lab (06)", ":scope > .widget-html", plot=True),
    "07-why-it-rises": Widget("quadratic explorer (07)", ":scope > .widget-html", plot=True),
}


@pytest.fixture(scope="module")
def notebook(request, browser, lab_server, report):
    """The notebook ``request.param``, opened in JupyterLab with every cell run; closed unsaved afterwards."""
    opened = NotebookInLab(browser, lab_server, request.param)
    try:
        opened.open()
        opened.run_all()
        report["run"][opened.stem] = opened.run_seconds
        yield opened
    finally:
        opened.close()


@pytest.mark.parametrize("notebook", STEMS, indirect=True)
def test_notebook_runs_in_jupyterlab_without_errors(notebook):
    problems = notebook.problems() + [f"uncaught error in the page: {error}" for error in notebook.page_errors]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    notebook.page.screenshot(path=ARTIFACTS / f"{notebook.stem}.png")
    assert notebook.run_ok, f"'Run all cells' stopped early in {notebook.path}: {problems}"
    assert not problems, "\n".join(problems)


def fresh_widget(notebook: NotebookInLab):
    """Re-run the widget's cell and return (outer box, learning-rate slider handle, readout) of the new widget."""
    page = notebook.page
    cell = notebook.widget_cell(SLIDER_LABEL)
    widget = WIDGETS[notebook.stem]
    label = page.locator("label.widget-label", has_text=re.compile(rf"^\s*{SLIDER_LABEL}\s*$"))
    slider = cell.locator(".jp-OutputArea-output .widget-slider").filter(has=label)
    assert slider.count() == 1, f"{notebook.path}: {slider.count()} sliders labelled {SLIDER_LABEL!r}"
    box = cell.locator(".jp-OutputArea-output > .jupyter-widgets").filter(
        has=page.locator(".widget-slider").filter(has=label)
    )
    page.wait_for_function(
        """([box, selector, plot]) => {
             const text = box.querySelector(selector);
             const img = box.querySelector('.widget-output img');
             return text && text.textContent.trim() && (!plot || (img && img.complete && img.naturalWidth > 0));
           }""",
        arg=[box.element_handle(), widget.text, widget.plot],
        timeout=MOVE_TIMEOUT,
    )
    return box, slider.locator(".noUi-handle"), slider.locator(".widget-readout")


@pytest.mark.parametrize("notebook", ["06-rising-cost"], indirect=True)
def test_readme_screenshot_of_the_divergence_lab(notebook):
    page = notebook.page
    box, _, _ = fresh_widget(notebook)
    page.mouse.move(0, 0)  # no hover highlight in the picture
    # A white margin inside the widget's own box, so that the picture shows nothing of JupyterLab around it.
    box.evaluate("(el) => { el.dataset.style = el.getAttribute('style') || ''; el.style.padding = '14px'; }")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    picture = ARTIFACTS / "divergence-lab.png"
    try:
        box.screenshot(path=picture, animations="disabled")
    finally:
        box.evaluate("(el) => el.setAttribute('style', el.dataset.style)")
    assert picture.stat().st_size > 20_000, "the screenshot of the lab looks empty"
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        README_IMAGE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(picture, README_IMAGE)


@pytest.mark.parametrize("notebook", ["06-rising-cost"], indirect=True)
def test_divergence_lab_opens_on_the_questions_settings(notebook):
    from course_lib.widgets import run_divergence_lab

    box, _, readout = fresh_widget(notebook)
    # The slider's readout uses d3's ".3g", which writes 1.2 as "1.20".
    assert float(readout.inner_text().strip()) == pytest.approx(1.2)
    assert box.locator(":scope > .widget-html").inner_text().strip() == run_divergence_lab().verdict()


@pytest.mark.parametrize("notebook", list(WIDGETS), indirect=True)
def test_learning_rate_slider_updates_the_widget_at_every_key_press(notebook, report):
    widget = WIDGETS[notebook.stem]
    page = notebook.page
    box, handle, readout = fresh_widget(notebook)
    page.evaluate(INSTALL_PROBE, [box.element_handle(), widget.text])
    times, readouts = [], [readout.inner_text().strip()]
    for move in range(1, MOVES + 1):
        handle.press("ArrowRight")
        try:
            page.wait_for_function(PROBE_DONE, arg=widget.plot, timeout=MOVE_TIMEOUT)
        except playwright_timeout_error():
            probe = page.evaluate("() => window.__probe")
            pytest.fail(
                f"{widget.name}, move {move} ({readouts[-1]} -> {readout.inner_text().strip()}): "
                f"plot changed: {probe['imgAt'] is not None}, text changed: {probe['textAt'] is not None}"
            )
        probe = page.evaluate("() => window.__probe")
        times.append((probe["imgAt"] if widget.plot else probe["textAt"]) - probe["keyAt"])
        readouts.append(readout.inner_text().strip())
        assert readouts[-1] != readouts[-2], f"{widget.name}: move {move} did not change the learning rate"
    what = "new plot" if widget.plot else "new text"
    report["latencies"][f"{widget.name}, key press to {what}"] = times
    box.screenshot(path=ARTIFACTS / f"widget-{notebook.stem}.png", animations="disabled")
    problems = notebook.problems()
    assert not problems, "\n".join(problems)
    print(f"{widget.name}: learning rate {' -> '.join(readouts)}; median {statistics.median(times):.0f} ms")
