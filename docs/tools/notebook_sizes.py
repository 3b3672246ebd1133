"""Measure the course notebooks part by part, and estimate a careful first-time walkthrough of each.

    python docs/tools/notebook_sizes.py      # print the table: cells, words, exercises, minutes per notebook

A *part* is a ``## `` section of a built notebook (``notebooks/<stem>.ipynb``);
the text before the first ``## `` heading is the part "Introduction". For every
part this counts the words of its text cells, its code cells (and their lines),
its figures (PNG outputs), its exercises (cells tagged ``solution``, each
following the exercise it solves) and its "questions to think about" (numbered
lines). Navigation and solution cells are not counted as reading, nor a figure's
description ("*Figure, in words:*"), which is read instead of looking at the figure.

The walkthrough estimate is a model, not a stopwatch (see WALKTHROUGH_MODEL):
it is what the workshop plans in docs/workshop_plan.py are computed from, so
that they follow the notebooks when the notebooks change.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
sys.path.insert(0, str(ROOT / "scripts"))
from outline import OUTLINE  # noqa: E402

HEADING = re.compile(r"^## +(.+?)\s*$")
FIGURE_IN_WORDS = "*Figure, in words:*"  # opens the text cell that describes the figure above it
QUESTION = re.compile(r"^\d+\. ")
WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")

# A careful first-time walkthrough, per unit of notebook. Silent reading of English
# non-fiction averages about 238 words a minute (Brysbaert 2019, "How many words do we
# read per minute?", Journal of Memory and Language 109, 104047); prose with formulas,
# shapes and code read for understanding goes at well under half that.
WALKTHROUGH_MODEL = {
    "words_per_minute": 100,  # text cells, formulas included
    "minutes_per_code_cell": 0.5,  # run it, read the code and what it printed
    "minutes_per_figure": 1.0,  # look at a figure until its message is clear
    "minutes_per_exercise": 10.0,  # write, run the check, fix once or twice
}


@dataclass
class Part:
    """One ``## `` section of a notebook and what it holds."""

    stem: str
    title: str
    words: int = 0
    code_cells: int = 0
    code_lines: int = 0
    figures: int = 0
    exercises: int = 0
    questions: int = 0
    cells: int = 0

    def reading_minutes(self) -> float:
        """Reading, running and looking, without the exercises."""
        model = WALKTHROUGH_MODEL
        return (
            self.words / model["words_per_minute"]
            + self.code_cells * model["minutes_per_code_cell"]
            + self.figures * model["minutes_per_figure"]
        )

    def exercise_minutes(self) -> float:
        return self.exercises * WALKTHROUGH_MODEL["minutes_per_exercise"]

    def walkthrough_minutes(self) -> float:
        return self.reading_minutes() + self.exercise_minutes()


@dataclass
class NotebookSize:
    """A notebook's parts, in order, and its totals."""

    stem: str
    cells: int
    parts: list[Part] = field(default_factory=list)

    def total(self, attribute: str) -> float:
        return sum(getattr(part, attribute) for part in self.parts)

    def walkthrough_minutes(self) -> float:
        return sum(part.walkthrough_minutes() for part in self.parts)

    def matching(self, title_start: str) -> list[Part]:
        """Every part whose title starts with ``title_start`` (a notebook may have two "Your turn" parts).

        KeyError, naming the parts there are, when there is none.
        """
        found = [part for part in self.parts if part.title.startswith(title_start)]
        if not found:
            titles = [part.title for part in self.parts]
            raise KeyError(f"{self.stem} has no part starting with {title_start!r}; its parts: {titles}")
        return found

    def part(self, title_start: str) -> Part:
        """The one part whose title starts with ``title_start``."""
        found = self.matching(title_start)
        if len(found) != 1:
            raise KeyError(f"{self.stem} has {len(found)} parts starting with {title_start!r}")
        return found[0]


def tags(cell: nbformat.NotebookNode) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def figure_count(cell: nbformat.NotebookNode) -> int:
    return sum("image/png" in output.get("data", {}) for output in cell.get("outputs", []))


def add_markdown(parts: list[Part], stem: str, text: str) -> None:
    """Add the words of a text cell to the current part, opening a new part at each ``## `` heading."""
    for line in text.splitlines():
        heading = HEADING.match(line)
        if heading:
            parts.append(Part(stem, heading.group(1).strip()))
            continue
        parts[-1].words += len(WORD.findall(line))
        parts[-1].questions += parts[-1].title.startswith("Questions") and bool(QUESTION.match(line))


def measure(stem: str, notebook: nbformat.NotebookNode | None = None) -> NotebookSize:
    """Split notebook ``stem`` (read from notebooks/ unless given) into parts and count what each holds."""
    notebook = notebook or nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    parts = [Part(stem, "Introduction")]
    for cell in notebook.cells:
        if "navigation" in tags(cell):
            continue
        if "solution" in tags(cell):
            parts[-1].exercises += 1  # the solution follows its exercise, in the same part
            continue
        if cell.cell_type == "markdown":
            if not cell.source.lstrip().startswith(FIGURE_IN_WORDS):  # a figure's text alternative: timed as the figure
                add_markdown(parts, stem, cell.source)
        else:
            parts[-1].code_cells += 1
            parts[-1].code_lines += len([line for line in cell.source.splitlines() if line.strip()])
            parts[-1].figures += figure_count(cell)
        parts[-1].cells += 1
    return NotebookSize(stem, len(notebook.cells), [part for part in parts if part.cells or part.words])


def measure_all() -> dict[str, NotebookSize]:
    return {lesson.stem: measure(lesson.stem) for lesson in OUTLINE}


def size_table(sizes: dict[str, NotebookSize]) -> str:
    """Markdown table: per notebook its size, the README's estimate and the walkthrough estimate."""
    readme_minutes = {lesson.stem: lesson.minutes for lesson in OUTLINE}
    rows = [
        "| Notebook | Cells | Words | Code cells | Figures | Exercises | Questions | README (min) "
        "| Walkthrough (min) |",
        "| --- | --: | --: | --: | --: | --: | --: | --: | --: |",
    ]
    for stem, size in sizes.items():
        rows.append(
            f"| {stem} | {size.cells} | {size.total('words'):,} | {size.total('code_cells')} | "
            f"{size.total('figures')} | {size.total('exercises')} | {size.total('questions')} | "
            f"{readme_minutes[stem]} | {round(size.walkthrough_minutes())} |"
        )
    total = {name: sum(s.total(name) for s in sizes.values()) for name in ("words", "code_cells", "figures")}
    rows.append(
        f"| **all** | {sum(s.cells for s in sizes.values())} | {total['words']:,} | {total['code_cells']} | "
        f"{total['figures']} | {sum(s.total('exercises') for s in sizes.values())} | "
        f"{sum(s.total('questions') for s in sizes.values())} | {sum(readme_minutes.values())} | "
        f"{round(sum(s.walkthrough_minutes() for s in sizes.values()))} |"
    )
    return "\n".join(rows)


if __name__ == "__main__":
    print(size_table(measure_all()))
