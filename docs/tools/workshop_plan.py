"""The workshop plans of docs/instructor-guide.md, computed from the notebooks' real sizes.

    python docs/tools/workshop_plan.py           # print both plans (and the size table)
    python docs/tools/workshop_plan.py --write   # rewrite the generated blocks of the instructor guide
    python docs/tools/workshop_plan.py --check   # exit 1 if the guide's blocks are out of date

Each plan is a list of rows. A teaching row names notebook parts (``## ``
sections, see notebook_sizes.py) and how each is taught:

- ``live``: learners run it with you; it takes its walkthrough reading time;
- ``exercise``: a "Your turn" part done live: its reading plus the exercise time;
- ``demo``: you run it on the projector while learners watch: DEMO_SHARE of its reading time;
- ``lab``: the divergence lab in pairs: a fixed LAB_MINUTES.

Every part a plan does not name is homework. A row's minutes are rounded up to
a multiple of 5, the clock is laid out from the plan's start, and whatever is
left before the end goes to the last row (wrap-up and buffer). The plan fails
(ValueError) when it does not fit, when a part it names does not exist, or when
learners would sit more than MAX_STRETCH minutes without a break.
tests/test_instructor_guide.py checks all of that and that the guide shows what
this script computes, so a change to the notebooks that breaks a plan fails a test.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from notebook_sizes import ROOT, WALKTHROUGH_MODEL, NotebookSize, measure_all, size_table  # noqa: E402

GUIDE = ROOT / "docs" / "instructor-guide.md"
DEMO_SHARE = 0.4  # the instructor runs and explains it; learners watch instead of reading
LAB_MINUTES = 15  # pairs try the lab's experiments and report back
MAX_STRETCH = 90  # minutes of teaching in a row before a break
ROUND_TO = 5
MODES = ("live", "exercise", "demo", "lab")
NOT_HOMEWORK = ("Introduction", "Summary", "Questions to think about", "Where to go next", "The numbers of")


@dataclass(frozen=True)
class Row:
    """One row of a plan: fixed minutes (welcome, break, lunch) or notebook parts with their modes."""

    what: str
    how: str = ""
    parts: tuple[tuple[str, str, str], ...] = ()  # (stem, title start, mode)
    minutes: int = 0  # fixed minutes, added to those of the parts (at least this, for the wrap-up)
    kind: str = "teach"  # "teach", "break" or "wrap-up" (takes what is left, at least ``minutes``)


@dataclass(frozen=True)
class Plan:
    name: str
    start: str  # "HH:MM"
    end: str
    rows: tuple[Row, ...]
    marker: str  # the guide's generated block is between <!-- {marker} --> and <!-- /{marker} -->


@dataclass
class Scheduled:
    row: Row
    minutes: int
    start: int  # minutes after midnight
    parts: list[str] = field(default_factory=list)  # "06 · 1. The original question (live)"


def part_minutes(size: NotebookSize, title_start: str, mode: str) -> float:
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; use one of {MODES}")
    parts = size.matching(title_start)
    if mode == "lab":
        return LAB_MINUTES
    reading = sum(part.reading_minutes() for part in parts)
    if mode == "demo":
        return DEMO_SHARE * reading
    exercises = sum(part.exercises for part in parts)
    if mode == "exercise" and not exercises:
        raise ValueError(f"{size.stem} part {title_start!r} is taught as an exercise but has none")
    return reading + (exercises * WALKTHROUGH_MODEL["minutes_per_exercise"] if mode == "exercise" else 0)


def row_minutes(row: Row, sizes: dict[str, NotebookSize]) -> int:
    if not row.parts:
        return row.minutes
    estimate = row.minutes + sum(part_minutes(sizes[stem], title, mode) for stem, title, mode in row.parts)
    return max(ROUND_TO, ROUND_TO * math.ceil(estimate / ROUND_TO - 1e-9))


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_clock(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def schedule(plan: Plan, sizes: dict[str, NotebookSize]) -> list[Scheduled]:
    """Lay the plan out on the clock; ValueError when it does not fit or runs too long without a break."""
    now, end, laid = parse_clock(plan.start), parse_clock(plan.end), []
    for row in plan.rows:
        minutes = row_minutes(row, sizes)
        if row.kind == "wrap-up":
            minutes = end - now - sum(row_minutes(later, sizes) for later in plan.rows[plan.rows.index(row) + 1 :])
            if minutes < row.minutes:
                raise ValueError(f"the {plan.name} plan runs {row.minutes - minutes} minutes over its {plan.end} end")
        names = [
            f"{stem[:2]} · {part.title} ({mode})"
            for stem, title, mode in row.parts
            for part in sizes[stem].matching(title)
        ]
        laid.append(Scheduled(row, minutes, now, names))
        now += minutes
    if now != end:
        raise ValueError(f"the {plan.name} plan ends at {clock(now)}, not {plan.end}: give it a wrap-up row")
    check_stretches(plan, laid)
    return laid


def check_stretches(plan: Plan, laid: list[Scheduled]) -> None:
    stretch = 0
    for item in laid:
        stretch = 0 if item.row.kind == "break" else stretch + item.minutes
        if stretch > MAX_STRETCH:
            raise ValueError(
                f"the {plan.name} plan teaches {stretch} minutes without a break (at most {MAX_STRETCH}), "
                f"up to {clock(item.start + item.minutes)}"
            )


def homework(plan: Plan, sizes: dict[str, NotebookSize]) -> dict[str, list[str]]:
    """Per notebook, the parts (and exercises) the plan does not teach."""
    taught = {
        (stem, part.title) for row in plan.rows for stem, title, _ in row.parts for part in sizes[stem].matching(title)
    }
    left = {}
    for stem, size in sizes.items():
        parts = [
            part.title + (" (exercise)" if part.exercises else "")
            for part in size.parts
            if (stem, part.title) not in taught and not part.title.startswith(NOT_HOMEWORK)
        ]
        if parts:
            left[stem] = parts
    return left


def render(plan: Plan, sizes: dict[str, NotebookSize]) -> str:
    laid = schedule(plan, sizes)
    lines = ["| Clock | Min | What | Parts (how) | How to run it |", "| --- | --: | --- | --- | --- |"]
    for item in laid:
        span = f"{clock(item.start)}–{clock(item.start + item.minutes)}"
        parts = "; ".join(item.parts) or "—"
        what = f"**{item.row.what}**" if item.row.kind == "break" else item.row.what
        lines.append(f"| {span} | {item.minutes} | {what} | {parts} | {item.row.how} |")
    teaching = sum(item.minutes for item in laid if item.row.kind != "break")
    exercises = sum(
        part.exercises
        for row in plan.rows
        for stem, title, mode in row.parts
        if mode == "exercise"
        for part in sizes[stem].matching(title)
    )
    lines += [
        "",
        f"Teaching time {teaching} minutes, breaks {sum(i.minutes for i in laid) - teaching} minutes; "
        f"{exercises} exercises done in the room.",
    ]
    left = homework(plan, sizes)
    if left:
        lines += ["", "**Homework (or pre-work)** — every part not taught above:", ""]
        lines += [f"- {stem}: " + "; ".join(parts) for stem, parts in left.items()]
    return "\n".join(lines)


def lab_row(stem: str = "06-rising-cost") -> tuple[str, str, str]:
    return (stem, "4. The divergence lab", "lab")


THREE_HOURS = Plan(
    name="3-hour",
    start="13:00",
    end="16:00",
    marker="plan:3-hour",
    rows=(
        Row(
            "Welcome, the two questions, set-up check (00)",
            "Everyone runs 00: the packages line and the slider. Helpers fix kernels and widgets (section 4(f)).",
            minutes=5,
            parts=(
                ("00-contents", "Contents", "demo"),
                ("00-contents", "Check your setup", "live"),
                ("00-contents", "How the course is organised", "demo"),
            ),
        ),
        Row(
            "Tour of the building blocks (01–04)",
            "You run these parts on the projector and stop at the 1-D bias (02), 0 × log 0 = `nan` (03), "
            "the check catching a missing 1/m (04); 01 (initialisation) is pre-work.",
            parts=(
                ("02-forward", "The code", "demo"),
                ("03-cost", "Where the formula breaks", "demo"),
                ("04-backprop", "Gradient checking", "demo"),
            ),
        ),
        Row(
            "05 Update and train",
            "Learners write `update_parameters` (exercise 1); then the original run at "
            "1.2: lowest at 60, rises at 61, 60% right. Breast cancer on the projector.",
            parts=(
                ("05-update-and-train", "The original question", "demo"),
                ("05-update-and-train", "A real data set", "demo"),
                ("05-update-and-train", "Your turn", "exercise"),
            ),
        ),
        Row(
            "Break",
            "Binder: keep the JupyterLab tab in the foreground or download your notebooks first.",
            minutes=15,
            kind="break",
        ),
        Row(
            "06 The rising cost, reproduced",
            "Sections 1–3 on the projector; the lab in pairs (experiments 1 and 2, slides deck 06); "
            "`first_rise` (exercise 2) is homework.",
            parts=(
                ("06-rising-cost", "1.", "demo"),
                ("06-rising-cost", "2.", "demo"),
                ("06-rising-cost", "3.", "demo"),
                lab_row(),
            ),
        ),
        Row(
            "07 Why it rises",
            "Part 1 live; Parts 2–4 on the projector (the crossing at 27, the rise at 61: slides deck 07); "
            "Part 5 (where `inf` and `nan` come from) is homework.",
            parts=(
                ("07-why-it-rises", "Part 1", "live"),
                ("07-why-it-rises", "Part 2", "demo"),
                ("07-why-it-rises", "Part 3", "demo"),
                ("07-why-it-rises", "Part 4", "demo"),
            ),
        ),
        Row(
            "Short break",
            "Stand up, stretch; helpers check who is stuck before the fixes.",
            minutes=5,
            kind="break",
        ),
        Row(
            "08 Fixing it",
            "Part 1's table on the projector; part 3 (the 60% ceiling, cos(πx)) and the "
            "checklist live; `standardize` (exercise 3).",
            parts=(
                ("08-fixing-it", "1.", "demo"),
                ("08-fixing-it", "3.", "live"),
                ("08-fixing-it", "4.", "live"),
                ("08-fixing-it", "Your turn", "exercise"),
            ),
        ),
        Row(
            "Wrap-up and buffer",
            "The two-part answer to question 1, the factor 1 − αλ for question 2; homework; "
            "the feedback form (section 4(g)).",
            minutes=5,
            kind="wrap-up",
        ),
    ),
)

FULL_DAY = Plan(
    name="full-day",
    start="09:00",
    end="17:30",
    marker="plan:full-day",
    rows=(
        Row(
            "Welcome, set-up check (00), how a notebook reads",
            "The contents page on the projector; everyone runs the set-up check. How a notebook reads: "
            "goal, maths, code, *your turn*, check, solution, questions.",
            minutes=5,
            parts=(
                ("00-contents", "Contents", "demo"),
                ("00-contents", "Check your setup", "live"),
                ("00-contents", "How the course is organised", "demo"),
            ),
        ),
        Row(
            "01 Initialise",
            "Shapes, the three scales, the seed-3 numbers.",
            parts=(
                ("01-initialize", "The maths", "demo"),
                ("01-initialize", "The code", "live"),
                ("01-initialize", "Your turn", "exercise"),
            ),
        ),
        Row(
            "02 Forward",
            "Broadcasting, the overflowing sigmoid, caches; both exercises.",
            parts=(
                ("02-forward", "The maths", "demo"),
                ("02-forward", "The code", "demo"),
                ("02-forward", "Example 1", "demo"),
                ("02-forward", "Example 2", "demo"),
                ("02-forward", "Your turn", "exercise"),
            ),
        ),
        Row("Break", "", minutes=15, kind="break"),
        Row(
            "03 The cost",
            "Maximum likelihood, where `inf`/`nan` appear, the stable form; both exercises.",
            parts=(
                ("03-cost", "The maths", "demo"),
                ("03-cost", "The code", "demo"),
                ("03-cost", "What one example costs", "demo"),
                ("03-cost", "The original network", "demo"),
                ("03-cost", "Where the formula breaks", "demo"),
                ("03-cost", "Your turn", "exercise"),
            ),
        ),
        Row(
            "Short break",
            "Stand up, stretch; helpers check who is stuck before backprop.",
            minutes=5,
            kind="break",
        ),
        Row(
            "04 Backprop",
            "The four formulas with shapes on the board; the planted bugs of the gradient check on the projector.",
            parts=(
                ("04-backprop", "The maths", "demo"),
                ("04-backprop", "The code", "demo"),
                ("04-backprop", "Gradient checking", "demo"),
                ("04-backprop", "Your turn", "exercise"),
            ),
        ),
        Row(
            "Lunch", "Binder sessions do not survive lunch: download changed notebooks first.", minutes=55, kind="break"
        ),
        Row(
            "05 Update and train",
            "Exercise first, then the original run and the `History`.",
            parts=(
                ("05-update-and-train", "The maths", "demo"),
                ("05-update-and-train", "The code", "demo"),
                ("05-update-and-train", "Your turn", "exercise"),
                ("05-update-and-train", "The original question", "demo"),
                ("05-update-and-train", "A real data set", "demo"),
            ),
        ),
        Row(
            "06 Reproduce",
            "Sections 1–3; the lab in pairs (all four experiments, two pairs each, report back); `first_rise`.",
            parts=(
                ("06-rising-cost", "The maths", "demo"),
                ("06-rising-cost", "1.", "demo"),
                ("06-rising-cost", "2.", "demo"),
                ("06-rising-cost", "3.", "demo"),
                lab_row(),
                ("06-rising-cost", "Your turn", "exercise"),
            ),
        ),
        Row("Break", "", minutes=10, kind="break"),
        Row(
            "07 Explain",
            "The parabola, the Taylor prediction, the sharpness crossing 2/α; power iteration.",
            parts=(
                ("07-why-it-rises", "The maths", "demo"),
                ("07-why-it-rises", "Part 1", "demo"),
                ("07-why-it-rises", "Part 2", "demo"),
                ("07-why-it-rises", "Part 3", "demo"),
                ("07-why-it-rises", "Part 4", "demo"),
                ("07-why-it-rises", "Part 5", "demo"),
                ("07-why-it-rises", "Your turn", "exercise"),
            ),
        ),
        Row("Break", "", minutes=10, kind="break"),
        Row(
            "08 Fix",
            "Each fix alone and together, the learning-rate limit, the representation problem, "
            "the checklist; `standardize`.",
            parts=(
                ("08-fixing-it", "The maths", "demo"),
                ("08-fixing-it", "1.", "demo"),
                ("08-fixing-it", "2.", "demo"),
                ("08-fixing-it", "3.", "demo"),
                ("08-fixing-it", "4.", "demo"),
                ("08-fixing-it", "Your turn", "exercise"),
            ),
        ),
        Row(
            "09 Beyond",
            "On the projector: momentum and Adam on the original question, He initialisation in "
            "the deep net; learners write `momentum_step`; the range test (part 3) is reading.",
            parts=(
                ("09-beyond", "1 ·", "demo"),
                ("09-beyond", "2 ·", "demo"),
                ("09-beyond", "Your turn", "exercise"),
            ),
        ),
        Row(
            "Short break",
            "Stand up; helpers check that every learner's kernel still runs before the last notebook.",
            minutes=5,
            kind="break",
        ),
        Row(
            "10 The second question",
            "On the projector: the first epoch at 1e-3 step by step, float32 against float64, the Taylor terms; "
            "learners find a scaling that makes 1e-3 stable (`scale_inputs`).",
            parts=(
                ("10-second-question", "Part 1", "demo"),
                ("10-second-question", "Part 2", "demo"),
                ("10-second-question", "Part 5", "demo"),
                ("10-second-question", "Your turn", "exercise"),
                ("10-second-question", "The second question, answered", "demo"),
            ),
        ),
        Row(
            "Wrap-up and buffer",
            "The two answers; where to go next (end of 09); the feedback form.",
            minutes=5,
            kind="wrap-up",
        ),
    ),
)

PLANS = (THREE_HOURS, FULL_DAY)
SIZES_MARKER = "plan:sizes"


def blocks(sizes: dict[str, NotebookSize] | None = None) -> dict[str, str]:
    """The guide's generated blocks: marker -> Markdown."""
    sizes = sizes or measure_all()
    generated = {plan.marker: render(plan, sizes) for plan in PLANS}
    generated[SIZES_MARKER] = size_table(sizes)
    return generated


def replace_block(text: str, marker: str, content: str) -> str:
    start, end = f"<!-- {marker} -->", f"<!-- /{marker} -->"
    if text.count(start) != 1 or text.count(end) != 1:
        raise ValueError(f"the guide needs exactly one {start} ... {end} block")
    head, rest = text.split(start)
    _, tail = rest.split(end)
    return f"{head}{start}\n{content}\n{end}{tail}"


def updated_guide(text: str, generated: dict[str, str]) -> str:
    for marker, content in generated.items():
        text = replace_block(text, marker, content)
    return text


def main(argv: list[str]) -> int:
    generated = blocks()
    if not argv:
        print("\n\n".join(generated.values()))
        return 0
    text = GUIDE.read_text(encoding="utf-8")
    new = updated_guide(text, generated)
    if argv == ["--check"]:
        if new != text:
            print("docs/instructor-guide.md: the plans are out of date; run python docs/tools/workshop_plan.py --write")
            return 1
        print("the guide's plans match the notebooks")
        return 0
    if argv == ["--write"]:
        GUIDE.write_text(new, encoding="utf-8")
        print("wrote the plans into docs/instructor-guide.md" if new != text else "the plans were up to date")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
