"""One public surface (issue 8, item 5): every library name a notebook uses is exported from course_lib, and
course_lib.__all__ lists its names in the order of the course's steps."""

import ast
from pathlib import Path

import pytest

import course_lib as cl

SOURCES = sorted((Path(__file__).resolve().parent.parent / "notebooks" / "src").glob("*.py"))


def library_names_used(source: str) -> set[str]:
    """Names imported from course_lib or its modules, and attributes read from `cl`."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "course_lib":
            names.update(alias.name for alias in node.names if node.module == "course_lib" or alias.name != "*")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "cl":
            names.add(node.attr)
    return names


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.stem)
def test_every_library_name_a_notebook_uses_is_exported(path):
    used = library_names_used(path.read_text(encoding="utf-8"))
    missing = sorted(name for name in used if name not in cl.__all__ and not hasattr(cl, name))
    assert not missing, f"{path.name} uses names course_lib does not export: {missing}"


def test_all_names_exist_once_and_the_core_steps_come_in_the_course_s_order():
    assert len(cl.__all__) == len(set(cl.__all__))
    for name in cl.__all__:
        assert hasattr(cl, name), name
    steps = ["init_params", "linear_forward", "model_forward", "cross_entropy_naive", "linear_backward",
             "model_backward", "gradient_descent_step", "fit"]
    positions = [cl.__all__.index(name) for name in steps]
    assert positions == sorted(positions), dict(zip(steps, positions))
