"""The package's shape: no import cycles, no HTML built in Python, vocabulary defined once."""
from __future__ import annotations

import ast
import re
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "osallisuus"
TAG = re.compile(r"</?(html|head|body|main|section|nav|div|span|p|a|img|figure|figcaption|table|caption|thead|"
                 r"tbody|tr|th|td|ul|ol|li|h[1-6]|strong|em|br|blockquote|style|script)\b[^>]*>", re.I)


def _module(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every osallisuus module ``path`` imports, at module level or inside functions."""
    me = _module(path)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [f"{target}.{a.name}" for a in node.names]
            found.update(n for n in [target, *names] if n.startswith("osallisuus"))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("osallisuus"))
    return found


def _graph() -> dict[str, set[str]]:
    files = {_module(p): p for p in PKG.rglob("*.py")}
    graph = {}
    for mod, path in files.items():
        # "from . import x" names a module or an attribute: keep only real modules
        graph[mod] = {t for t in _imports(path) if t in files and t != mod}
    return graph


def test_no_import_cycles():
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif not state.get(nxt):
                visit(nxt)
        stack.pop()
        state[node] = 2
    for node in sorted(graph):
        if not state.get(node):
            visit(node)
    # a package's __init__ importing its own submodules is not a cycle of the design
    real = [c for c in cycles if not all(m == c[0] or m.startswith(c[0] + ".") or c[0].startswith(m + ".")
                                         for m in c)]
    assert not real, real


def test_no_html_tags_in_python_code():
    """Markup comes from templates: no string in the package's code holds an HTML tag (docstrings,
    which document what the audit looks for, may name tags)."""
    offenders = [f"{p.relative_to(PKG.parent)}: {text[:60]!r}" for p in PKG.rglob("*.py")
                 for text in _code_strings(p) if TAG.search(text)]
    assert not offenders, offenders


def test_phases_and_languages_written_once():
    literal = re.compile(r"""\(\s*["']baseline["']\s*,\s*["']interim["']|\(\s*["']fi["']\s*,\s*["']sv["']\s*,""")
    offenders = [str(p.relative_to(PKG.parent)) for p in PKG.rglob("*.py")
                 if p.name != "vocab.py" and literal.search(p.read_text(encoding="utf-8"))]
    assert not offenders, offenders


def _code_strings(path: Path) -> list[str]:
    """String constants of a module's code (docstrings, which document with examples, left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docs.add(id(first.value))
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def test_no_example_names_in_code():
    """Instruments, regions and the example folder are data: no code names them."""
    names = ["kehittajaryhma_palaute", "osallisuusindikaattori", "soc_g10", "osallisuus_24", "arvio_4",
             "kouluarvosana", "Keski-Suomi", "Lappi", "Kanta-Häme", "Etelä-Karjala", "Etelä-Pohjanmaa", "data/example", "example_data"]
    allowed = {"example.py", "cli.py"}  # the example generator and its command name what they generate
    offenders = [f"{p.relative_to(PKG.parent)}: {n}" for p in PKG.rglob("*.py") if p.name not in allowed
                 for text in _code_strings(p) for n in names if n in text]
    assert not offenders, offenders
