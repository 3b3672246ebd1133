"""Size rules for the code learners read (issue 8): small functions, curvature at the size of its lesson.

Lines of code exclude docstrings and blank lines; comments count, since learners read them.
"""

import ast
from pathlib import Path

import pytest

LIBRARY = Path(__file__).resolve().parents[1] / "course_lib"
MAX_FUNCTION_LINES = 30
MAX_CURVATURE_LINES = 350
MAX_BENCHMARK_LINES = 500  # the benchmark's code, every file in benchmarks/


def code_lines(source: str, first: int, last: int, docstring_lines: set[int]) -> int:
    """Lines first..last (1-based, inclusive) of source that are neither blank nor part of a docstring."""
    lines = source.splitlines()[first - 1 : last]
    return sum(1 for number, line in enumerate(lines, first) if line.strip() and number not in docstring_lines)


def docstring_lines(tree: ast.AST) -> set[int]:
    """Line numbers covered by every docstring in the module."""
    covered = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                if isinstance(first.value.value, str):
                    covered.update(range(first.lineno, first.end_lineno + 1))
    return covered


def functions(path: Path):
    """(name, lines of code) for every function and method in a module."""
    source = path.read_text()
    tree = ast.parse(source)
    docs = docstring_lines(tree)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node.name, code_lines(source, node.lineno, node.end_lineno, docs)


def module_lines(path: Path) -> int:
    """All lines of a module, as `wc -l` counts them: what a reader scrolls through."""
    return len(path.read_text().splitlines())


MODULES = sorted(LIBRARY.glob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_no_function_is_longer_than_the_limit(path):
    long = {name: lines for name, lines in functions(path) if lines > MAX_FUNCTION_LINES}
    assert not long, f"{path.name}: functions over {MAX_FUNCTION_LINES} lines of code: {long}"


def test_curvature_is_at_the_size_of_its_lesson():
    paths = [LIBRARY / "curvature.py", *LIBRARY.glob("curvature_*.py")]
    total = sum(module_lines(path) for path in paths if path.exists())
    assert total <= MAX_CURVATURE_LINES, f"curvature: {total} lines, limit {MAX_CURVATURE_LINES}"


def test_the_benchmark_is_at_most_its_size():
    total = sum(len(path.read_text().splitlines()) for path in (LIBRARY.parent / "benchmarks").glob("*.py"))
    assert total <= MAX_BENCHMARK_LINES, f"benchmarks/: {total} lines, limit {MAX_BENCHMARK_LINES}"


def test_the_counter_counts_a_long_function():
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES + 1))
    source = f'def long():\n    """Doc.\n\n    more\n    """\n\n{body}\n'
    tree = ast.parse(source)
    (node,) = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    assert code_lines(source, node.lineno, node.end_lineno, docstring_lines(tree)) == MAX_FUNCTION_LINES + 2


def test_the_counter_ignores_docstrings_and_blank_lines():
    source = 'def short():\n    """One.\n\n    Two.\n    """\n\n    return 1\n'
    tree = ast.parse(source)
    (node,) = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    assert code_lines(source, node.lineno, node.end_lineno, docstring_lines(tree)) == 2


