"""The committed notebooks match their sources, link to each other correctly and were saved cleanly."""

from __future__ import annotations

import pytest
from notebook_tools import NOTEBOOKS, STEMS, expected_cells, markdown_links, read


def test_every_notebook_in_the_outline_exists_and_no_other():
    on_disk = sorted(path.stem for path in NOTEBOOKS.glob("*.ipynb"))
    assert on_disk == sorted(STEMS)
    assert sorted(path.stem for path in (NOTEBOOKS / "src").glob("*.py")) == sorted(STEMS)


@pytest.mark.parametrize("stem", STEMS)
def test_notebook_is_built_from_its_current_source(stem):
    cells = read(stem).cells
    expected = expected_cells(stem)
    hint = f"notebooks/{stem}.ipynb is out of date: run `python scripts/build_notebooks.py {stem}`"
    assert len(cells) == len(expected), hint
    for cell, wanted in zip(cells, expected):
        assert cell.cell_type == wanted["type"], hint
        assert cell.source == wanted["source"], hint
        assert cell.metadata.get("tags", []) == wanted["tags"], hint


@pytest.mark.parametrize("stem", STEMS)
def test_navigation_cells_open_and_close_the_notebook(stem):
    cells = read(stem).cells
    for cell in (cells[0], cells[-1]):
        assert "navigation" in cell.metadata.get("tags", [])
    index = STEMS.index(stem)
    links = markdown_links(cells[0].source)
    wanted = []
    if index > 0:
        wanted += [f"{STEMS[index - 1]}.ipynb", f"{STEMS[0]}.ipynb"]
    if index + 1 < len(STEMS):
        wanted.append(f"{STEMS[index + 1]}.ipynb")
    assert links == wanted


@pytest.mark.parametrize("stem", STEMS)
def test_every_relative_link_resolves(stem):
    for cell in read(stem).cells:
        if cell.cell_type != "markdown":
            continue
        for link in markdown_links(cell.source):
            if "://" in link:
                continue
            assert (NOTEBOOKS / link).exists(), f"{stem}: broken link {link}"


@pytest.mark.parametrize("stem", STEMS)
def test_saved_after_a_clean_run(stem):
    code = [cell for cell in read(stem).cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1)), "re-run it from a fresh kernel"
    for cell in code:
        tags = cell.metadata.get("tags", [])
        for output in cell.outputs:
            if output.output_type == "error":
                assert "raises-exception" in tags, f"{stem}: an unexpected error is stored"
            assert "application/vnd.jupyter.widget-view+json" not in output.get("data", {}), (
                f"{stem}: a saved widget view shows 'model not found' when the notebook is reopened"
            )
            if output.output_type == "stream":
                assert output.name == "stdout", f"{stem}: a warning or error reached the learner:\n{output.text}"


@pytest.mark.parametrize("stem", STEMS)
def test_printed_text_is_saved_in_one_piece_so_rebuilds_are_identical(stem):
    for cell in read(stem).cells:
        if cell.cell_type == "code":
            kinds = [(o.output_type, o.get("name")) for o in cell.outputs]
            assert all(a != b or a[0] != "stream" for a, b in zip(kinds, kinds[1:])), f"{stem}: rebuild it"


@pytest.mark.parametrize("stem", STEMS)
def test_only_widget_cells_ignore_their_output(stem):
    for cell in read(stem).cells:
        if cell.cell_type == "code" and "NBVAL_IGNORE_OUTPUT" in cell.source:
            assert "widget" in cell.source.lower(), f"{stem}: a non-widget cell ignores its output:\n{cell.source}"


def _anchors(stem: str) -> set[str]:
    """The anchors JupyterLab gives a notebook: each heading's text with spaces as hyphens, and every <a id>."""
    import re

    anchors = set()
    for cell in read(stem).cells:
        if cell.cell_type != "markdown":
            continue
        for heading in re.findall(r"^#{1,6}\s+(.+?)\s*$", cell.source, flags=re.MULTILINE):
            anchors.add(re.sub(r"[`*_]", "", heading).replace(" ", "-"))
        anchors.update(re.findall(r"<a id=\"([^\"]+)\"", cell.source))
    return anchors


@pytest.mark.parametrize("stem", STEMS)
def test_every_link_to_a_part_of_a_notebook_finds_its_heading(stem):
    import re

    broken = []
    for cell in read(stem).cells:
        if cell.cell_type != "markdown":
            continue
        for target, anchor in re.findall(r"\]\(((?:\d\d-[\w-]+\.ipynb)?)#([^)\s]+)\)", cell.source):
            if anchor not in _anchors(target[: -len(".ipynb")] if target else stem):
                broken.append(f"{target or stem}#{anchor}")
    assert not broken, f"{stem}: links to headings that do not exist: {broken}"
