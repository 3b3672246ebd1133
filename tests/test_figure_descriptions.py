"""Every figure in the built notebooks has a text description right after it, for learners who cannot see it.

A figure is a code cell that calls ``plt.show()`` or whose stored outputs hold a PNG. The cell after it must be a
Markdown cell that starts with ``*Figure, in words:*`` and says, in two to five sentences of at least
``MIN_WORDS`` words in all, what is drawn. The interactive widgets (cells tagged ``# NBVAL_IGNORE_OUTPUT`` that build
a widget) store no PNG; the Markdown cell right before or after each of them must describe its plot the same way.
"""

from __future__ import annotations

import re

import pytest
from notebook_tools import STEMS, read

MARK = "*Figure, in words:*"
MIN_WORDS = 20
MAX_SENTENCES = 5
WIDGET_CALL = re.compile(r"\b(divergence_lab|quadratic_explorer)\(")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")  # a Markdown link counts as its text
SENTENCE_END = re.compile(r"[.!?][)\"”]?(?=\s+[A-Z(\"“*]|\s*$)")


def is_figure(cell) -> bool:
    if cell.cell_type != "code":
        return False
    images = any("image/png" in output.get("data", {}) for output in cell.get("outputs", []))
    return images or "plt.show()" in cell.source


def is_description(cell) -> bool:
    return cell is not None and cell.cell_type == "markdown" and cell.source.lstrip().startswith(MARK)


def words(text: str) -> list[str]:
    return LINK.sub(r"\1", text.replace(MARK, "")).split()


def sentences(text: str) -> int:
    return len(SENTENCE_END.findall(" ".join(words(text))))


def figure_cells(stem: str) -> list[tuple[int, object, object]]:
    """(index, figure cell, the cell after it or None) for each figure of notebook ``stem``."""
    cells = read(stem).cells
    return [(i, cell, cells[i + 1] if i + 1 < len(cells) else None) for i, cell in enumerate(cells) if is_figure(cell)]


def widget_cells(stem: str) -> list[tuple[int, object, object]]:
    """(index, cell before, cell after) for each cell of notebook ``stem`` that builds a widget with a plot."""
    cells = read(stem).cells
    return [
        (i, cells[i - 1], cells[i + 1] if i + 1 < len(cells) else None)
        for i, cell in enumerate(cells)
        if cell.cell_type == "code" and WIDGET_CALL.search(cell.source) and "NBVAL_IGNORE_OUTPUT" in cell.source
    ]


def test_the_notebooks_have_figures_to_describe():
    # If figures stopped being found (a renamed call, outputs stripped), every other test here would pass vacuously.
    assert sum(len(figure_cells(stem)) for stem in STEMS) >= 20
    assert sum(len(widget_cells(stem)) for stem in STEMS) >= 2


@pytest.mark.parametrize("stem", STEMS)
def test_every_figure_is_followed_by_its_description(stem):
    missing = [index for index, _, after in figure_cells(stem) if not is_description(after)]
    assert not missing, (
        f"notebooks/{stem}.ipynb: the figure in cell(s) {missing} is not followed by a Markdown cell that starts "
        f"with {MARK!r}; add one in notebooks/src/{stem}.py right after the figure's cell and rebuild"
    )


@pytest.mark.parametrize("stem", STEMS)
def test_every_widget_plot_is_described_beside_the_widget(stem):
    missing = [
        index for index, before, after in widget_cells(stem) if not (is_description(before) or is_description(after))
    ]
    assert not missing, f"notebooks/{stem}.ipynb: the widget in cell(s) {missing} has no {MARK!r} cell beside it"


@pytest.mark.parametrize("stem", STEMS)
def test_descriptions_are_a_few_real_sentences(stem):
    cells = read(stem).cells
    for index, cell in enumerate(cells):
        if not is_description(cell):
            continue
        text = cell.source
        assert len(words(text)) >= MIN_WORDS, f"{stem} cell {index}: a description of a few words says too little"
        assert 2 <= sentences(text) <= MAX_SENTENCES, (
            f"{stem} cell {index}: a description has two to {MAX_SENTENCES} sentences, this one {sentences(text)}"
        )
        neighbours = [near for near in cells[index - 1 : index + 2 : 2] if near.cell_type == "code"]
        described = [is_figure(cells[index - 1])] + [bool(WIDGET_CALL.search(near.source)) for near in neighbours]
        assert any(described), f"{stem} cell {index}: a figure description with no figure or widget beside it"


def test_sentence_counting_is_not_fooled_by_decimals_and_links():
    text = f"{MARK} One panel at z = 0.5 and [logit](glossary.md#logit) 1.8e-09. A blue line (rising). It ends."
    assert sentences(text) == 3
    assert words(text)[:3] == ["One", "panel", "at"]
