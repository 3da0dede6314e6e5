"""The shared kernel (registry/core/) imports no domain: a rule every domain leans on must not
reach back into one of them, or a change to one domain could break every other."""

import ast
from pathlib import Path

import registry.core

KERNEL = Path(registry.core.__file__).parent


def _imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_no_kernel_module_imports_a_domain_even_inside_a_function():
    offenders = sorted(
        f"{path.name}: {module}"
        for path in KERNEL.glob("*.py")
        for module in _imported_modules(path)
        if module.startswith(("registry.blueprints", "registry.models"))
    )
    assert offenders == []
