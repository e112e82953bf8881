"""Project rules that a reviewer would otherwise check by hand."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "eisenhower_tui"

# Below the UI line: these must never pull in Textual or Rich.
PURE_MODULES = [
    "model",
    "dates",
    "quickadd",
    "store",
    "config",
    "paths",
    "i18n",
    "formats",
    "conflicts",
    "domain",
    "demo",
    "cli",
]


def test_pure_layer_never_imports_textual_or_rich() -> None:
    present = [
        m
        for m in PURE_MODULES
        if (PACKAGE / f"{m}.py").exists() or (PACKAGE / m / "__init__.py").exists()
    ]
    code = (
        "import sys\n"
        + "".join(f"import eisenhower_tui.{m}\n" for m in present)
        + "print(sorted(m for m in ('textual', 'rich') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]", f"the pure layer imported {out.stdout.strip()}"


def _fstring_markup_calls(tree: ast.AST) -> list[int]:
    """Lines where an f-string with a '[' is passed to something that parses markup."""
    hits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            literal = "".join(
                v.value
                for v in node.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            )
            if (
                "[" in literal
                and "]" in literal
                and any(isinstance(v, ast.FormattedValue) for v in node.values)
            ):
                hits.append(node.lineno)
    return hits


def test_no_markup_built_from_fstrings_in_the_ui() -> None:
    offenders = []
    for path in [*PACKAGE.glob("screens/*.py"), *PACKAGE.glob("widgets/*.py"), PACKAGE / "app.py"]:
        for line in _fstring_markup_calls(ast.parse(path.read_text())):
            offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert not offenders, "f-strings that look like markup: " + ", ".join(offenders)


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is installed by the test extra")
def test_ruff_check_and_format_are_clean() -> None:
    targets = ["eisenhower_tui", "tests", "bench", "screenshots"]
    targets = [t for t in targets if (ROOT / t).exists()]
    check = subprocess.run(["ruff", "check", *targets], capture_output=True, text=True, cwd=ROOT)
    assert check.returncode == 0, check.stdout
    fmt = subprocess.run(
        ["ruff", "format", "--check", *targets], capture_output=True, text=True, cwd=ROOT
    )
    assert fmt.returncode == 0, fmt.stdout
