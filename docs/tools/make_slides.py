"""Build the slide decks in docs/slides/ from the built notebooks: no second source.

    python docs/tools/make_slides.py           # (re)write docs/slides/
    python docs/tools/make_slides.py --check   # list what is out of date and exit 1; writes nothing

One Markdown deck per notebook (``docs/slides/<stem>.md``), slides separated by
``---`` lines, so that GitHub renders it as one page and Markdown slide tools
(Marp, reveal.js's Markdown plugin) show it as slides. A deck has a title slide
with the notebook's goal; one slide per part (``## `` section) with the part's
first paragraph; one slide per figure, with the figure copied from the
notebook's stored output into ``docs/slides/img/`` and a text alternative (the
figure's own title and axis labels, from its code) and a description (the
notebook's paragraph that follows the figure); the summary; and the questions.
``docs/slides/README.md`` lists the decks. tests/test_instructor_guide.py fails when the
decks are out of date with the notebooks.
"""

from __future__ import annotations

import base64
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).parent))
from notebook_sizes import HEADING, NOTEBOOKS, OUTLINE, ROOT, tags  # noqa: E402

SLIDES = ROOT / "docs" / "slides"
IMAGES = SLIDES / "img"
SEPARATOR = "\n\n---\n\n"
FIRST_WORDS = 70  # a part's slide shows its first paragraph, cut at about this many words
SKIPPED_PARTS = ("Your turn", "The numbers of")  # exercises are done in the notebook, not on a slide
TEXT_CALL = re.compile(
    r"(?P<kind>suptitle|set_title|set_xlabel|set_ylabel|title|xlabel|ylabel)\s*[(=]\s*"
    r"(?P<strings>(?:r?f?r?\"[^\"\n]*\"\s*|r?f?r?'[^'\n]*'\s*)+)"
)
STRING = re.compile(r"\"([^\"\n]*)\"|'([^'\n]*)'")


@dataclass
class Figure:
    png: bytes
    code: str
    after: str  # the notebook's interpretation: the text cell after the figure (and after its description)
    printed: str = ""  # what the figure's cell printed
    description: str = ""  # the notebook's "*Figure, in words:*" cell, without its label


@dataclass
class Section:
    title: str
    text: list[str] = field(default_factory=list)  # paragraphs of its text cells
    figures: list[Figure] = field(default_factory=list)


TEX = {"lambda": "λ", "alpha": "α", "beta": "β", "Delta": "Δ", "Vert": "‖", "top": "ᵀ", "sqrt": "√", "max": "max"}


def plain(text: str) -> str:
    """One line of text without f-string fields or TeX markup, for alt text."""
    text = re.sub(r"(?<![\^_\\A-Za-z])\{[^{}]*\}", "…", text)  # f-string fields, not TeX groups after ^, _
    text = text.replace("^\\top", "\\top").replace("\\n", " ")
    text = re.sub(r"\\([A-Za-z]+)", lambda match: TEX.get(match[1], ""), text)
    text = text.replace("$", "").replace("{", "").replace("}", "")
    return " ".join(text.split())


def alt_text(figure: Figure) -> str:
    """The figure's titles and axis labels, as its code writes them: what a reader who cannot see it needs first."""
    found = [
        (match["kind"], plain("".join(a or b for a, b in STRING.findall(match["strings"]))))
        for match in TEXT_CALL.finditer(figure.code)
    ]
    titles = [text for kind, text in found if "title" in kind and text]
    axes = [f"{'x' if kind.endswith('xlabel') else 'y'} axis: {text}" for kind, text in found if "label" in kind]
    parts = titles[-1:] + titles[:-1] + sorted(set(axes), key=axes.index)
    printed = [line.strip() for line in figure.printed.splitlines() if line.strip() and not line.startswith("{")]
    return "; ".join(parts or printed[-1:]) or "a figure (see the description below it)"


def first_paragraph(text: str, words: int = FIRST_WORDS) -> str:
    """The first prose paragraph of ``text`` (with the list it announces, when it ends with a colon),
    cut after the sentence that passes ``words`` words."""
    kept: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        if paragraph.startswith(("#", "|", "$$", "```", "<")):
            continue
        for sentence in re.split(r"(?<=[.:!?])\s+", " ".join(paragraph.split())):
            kept.append(sentence)
            if len(" ".join(kept).split()) >= words:
                return " ".join(kept)
        if not kept[-1].endswith(":"):
            break
    return " ".join(kept)


def sections(notebook: nbformat.NotebookNode) -> list[Section]:
    """The notebook's parts with their text and figures; solution and navigation cells left out."""
    parts = [Section("Introduction")]
    cells = notebook.cells
    for index, cell in enumerate(cells):
        if {"solution", "navigation"} & set(tags(cell)):
            continue
        if cell.cell_type == "markdown":
            add_text(parts, cell.source)
            continue
        printed = "".join(
            output.get("text", "") for output in cell.get("outputs", []) if output.output_type == "stream"
        )
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                png = base64.b64decode(output["data"]["image/png"])
                description, after = figure_words(cells, index)
                parts[-1].figures.append(Figure(png, cell.source, after, printed, description))
    return parts


DESCRIPTION_LABEL = "*Figure, in words:*"


def figure_words(cells: list, index: int) -> tuple[str, str]:
    """(the figure's description in words, the notebook's interpretation of it) for the figure of cell ``index``."""
    following = cells[index + 1] if index + 1 < len(cells) else None
    if following is not None and following.cell_type == "markdown" and following.source.startswith(DESCRIPTION_LABEL):
        return following.source[len(DESCRIPTION_LABEL):].strip(), describing_text(cells, index + 1)
    return "", describing_text(cells, index)


def describing_text(cells: list, index: int) -> str:
    """The notebook's words about the figure of cell ``index``.

    The text cell right after it, unless that starts a new topic (a heading); then the last
    paragraph of the text cell right before it, which announces the figure.
    """
    after = cells[index + 1] if index + 1 < len(cells) else None
    if after is not None and after.cell_type == "markdown" and not after.source.lstrip().startswith("#"):
        return after.source
    before = [cell for cell in cells[max(index - 2, 0) : index] if cell.cell_type == "markdown"]
    return re.split(r"\n\s*\n", before[-1].source.strip())[-1] if before else ""


def add_text(parts: list[Section], text: str) -> None:
    lines = []
    for line in text.splitlines():
        heading = HEADING.match(line)
        if heading:
            parts[-1].text.append("\n".join(lines))
            parts.append(Section(heading.group(1).strip()))
            lines = []
        else:
            lines.append(line)
    parts[-1].text.append("\n".join(lines))


def figure_slide(title: str, figure: Figure, image: str) -> str:
    reading = first_paragraph(figure.after, words=60)
    alt = alt_text(figure).replace("[", "\\[").replace("]", "\\]")  # brackets would end the image's alt text
    shows = plain_markdown(figure.description) or f"{alt_text(figure)}."
    return (
        f"## {title}\n\n![{alt}](img/{image})\n\n"
        f"**What the figure shows** (text alternative): {shows}"
        + (f"\n\n**What it means:** {plain_markdown(reading)}" if reading else "")
    )


def plain_markdown(text: str) -> str:
    return text.replace("\n", " ")


def relinked(markdown: str) -> str:
    """The notebooks' relative links, made to work from docs/slides/."""
    markdown = markdown.replace("](../docs/", "](../")
    return re.sub(r"\]\((\d\d-[\w-]+\.ipynb)", r"](../../notebooks/\1", markdown)


def deck(stem: str, notebook: nbformat.NotebookNode) -> tuple[str, dict[str, bytes]]:
    """The deck's Markdown and its images (file name -> PNG bytes)."""
    parts, images, slides = sections(notebook), {}, []
    title = notebook.cells[1].source.splitlines()[0].lstrip("# ") if len(notebook.cells) > 1 else stem
    intro = parts[0]
    title_line = next((line for text in intro.text for line in text.splitlines() if line.startswith("# ")), title)
    slides.append(f"# {title_line.lstrip('# ')}\n\n{first_paragraph(' '.join(intro.text), 80)}")
    for part in parts:
        if part.title.startswith(SKIPPED_PARTS):
            continue
        if part.title.startswith(("Summary", "Questions", "Where to go next")):
            slides.append(f"## {part.title}\n\n" + "\n\n".join(text.strip() for text in part.text if text.strip()))
            continue
        opening = first_paragraph("\n\n".join(part.text))
        if part.title != "Introduction" and opening:
            slides.append(f"## {part.title}\n\n{opening}")
        for figure in part.figures:
            name = f"{stem}-{len(images) + 1}.png"
            images[name] = figure.png
            slides.append(figure_slide(part.title if part.title != "Introduction" else title_line, figure, name))
    header = f"<!-- Generated from notebooks/{stem}.ipynb by docs/tools/make_slides.py: do not edit. -->\n\n"
    return header + relinked(SEPARATOR.join(slides)) + "\n", images


def index(decks: dict[str, str]) -> str:
    lines = [
        "# Slides",
        "",
        "One deck per notebook, generated from the built notebooks by `docs/tools/make_slides.py`",
        "(do not edit; run `python docs/tools/make_slides.py` after rebuilding the notebooks).",
        "Each deck is plain Markdown with `---` between slides: read it here on GitHub, or present",
        "it with a Markdown slide tool such as Marp. Every figure has a text alternative and a",
        "description below it. The instructor guide's timing plans say which deck goes with which",
        "part of the day.",
        "",
    ]
    lines += [f"- [{title}]({stem}.md)" for stem, title in decks.items()]
    return "\n".join(lines) + "\n"


def expected_files() -> dict[Path, bytes]:
    files, titles = {}, {}
    for lesson in OUTLINE:
        notebook = nbformat.read(NOTEBOOKS / f"{lesson.stem}.ipynb", as_version=4)
        text, images = deck(lesson.stem, notebook)
        files[SLIDES / f"{lesson.stem}.md"] = text.encode("utf-8")
        files.update({IMAGES / name: png for name, png in images.items()})
        titles[lesson.stem] = f"{lesson.stem[:2]} · {lesson.title}"
    files[SLIDES / "README.md"] = index(titles).encode("utf-8")
    return files


def out_of_date(expected: dict[Path, bytes]) -> list[Path]:
    differ = [path for path, data in expected.items() if not path.exists() or path.read_bytes() != data]
    present = [*SLIDES.glob("*.md"), *IMAGES.glob("*.png")]
    return differ + sorted(path for path in present if path not in expected)


def main(argv: list[str]) -> int:
    expected = expected_files()
    stale = out_of_date(expected)
    if argv == ["--check"]:
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)}")
        print("run `python docs/tools/make_slides.py`" if stale else "docs/slides/ is up to date")
        return 1 if stale else 0
    if argv:
        print(__doc__)
        return 2
    IMAGES.mkdir(parents=True, exist_ok=True)
    for path in stale:
        if path in expected:
            path.write_bytes(expected[path])
        else:
            path.unlink()
    print(f"docs/slides/: {len(stale)} file(s) changed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
