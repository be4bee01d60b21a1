"""House rule 2: plugins import only the facade (pybossa_admin.plugin), services and signals."""
import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
ALLOWED = ("pybossa_admin.plugin", "pybossa_admin.services", "pybossa_admin.signals")


def _core_imports(path: pathlib.Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] if node.module != "pybossa_admin" else \
                [f"pybossa_admin.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name == "pybossa_admin" or name.startswith("pybossa_admin."):
                yield node.lineno, name


def test_built_in_plugins_import_only_the_facade_services_and_signals():
    offenders = []
    files = sorted((ROOT / "plugins").rglob("*.py"))
    assert len(files) > 20  # the built-in plugins are there
    for path in files:
        for line, name in _core_imports(path):
            if not any(name == allowed or name.startswith(allowed + ".") for allowed in ALLOWED):
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert offenders == []


def test_core_never_imports_a_plugin():
    offenders = []
    for path in sorted((ROOT / "pybossa_admin").rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            module = node.module if isinstance(node, ast.ImportFrom) and node.level == 0 else None
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [module or ""]
            offenders += [f"{path.relative_to(ROOT)}:{node.lineno}" for n in names
                          if isinstance(node, (ast.Import, ast.ImportFrom)) and (n == "plugins" or n.startswith("plugins."))]
    assert offenders == []
