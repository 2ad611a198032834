"""The code's layers, read from the imports with `ast`: what may import what, no circles, no E402.

Dependencies flow one way (README.md, "Code map"):

    blueprints, jobs, cli  ->  mail  ->  services  ->  models  ->  vocab

and the shared pieces sit beside that line:
- `extensions` (db, login manager, mail, csrf - unbound) imports nothing of ours; anything may
  import it, models and services included.
- `security.passwords` is plain hashing with no Flask: services may use it.
- the rest of `security` (gates, headers, sessions, rate limits), `web`, `templating` and
  `errors` are the web's shared infrastructure: they may use services, models and vocab, and
  only blueprints, the CLI and the app factory (`schoolsafe/__init__.py`) may import them.
- the app factory may import anything; jobs and the CLI may import it too (a worker builds the
  app its jobs run in).
Besides the order: services import no Flask; no blueprint imports another blueprint's modules;
`devdata` (made-up data) is imported only inside a click command's function.

These rules count every import, wherever it is written. The circle rule counts only imports
that run when a module is loaded: ones inside functions or under `if TYPE_CHECKING:` are left
out. An import's target is the most specific module of ours it names (`from schoolsafe.triage
import cases` -> schoolsafe.triage.cases; `from schoolsafe.models import School` ->
schoolsafe.models); the parent packages it also loads are not counted.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "schoolsafe"
BLUEPRINTS = ("admin", "auth", "concerns", "health", "insight", "receipt", "register", "report",
              "triage")

# Each layer: the module prefixes it holds (the longest prefix wins) and the layers it may import.
LAYERS: dict[str, tuple[str, ...]] = {
    "vocab": ("schoolsafe.vocab",),
    "extensions": ("schoolsafe.extensions",),
    "models": ("schoolsafe.models",),
    "passwords": ("schoolsafe.security.passwords",),
    "services": ("schoolsafe.services",),
    "mail": ("schoolsafe.mail",),
    "web": ("schoolsafe.security", "schoolsafe.web", "schoolsafe.templating", "schoolsafe.errors"),
    "jobs": ("schoolsafe.jobs",),
    "cli": ("schoolsafe.cli",),
    "blueprints": tuple(f"schoolsafe.{name}" for name in BLUEPRINTS),
}
_BASE = {"vocab", "extensions"}
MAY_IMPORT: dict[str, set[str]] = {
    "vocab": set(),
    "extensions": set(),
    "passwords": set(),
    "models": _BASE,
    "services": _BASE | {"models", "passwords"},
    "mail": _BASE | {"models", "passwords", "services"},
    "web": _BASE | {"models", "passwords", "services"},
    "jobs": _BASE | {"models", "passwords", "services", "mail", "app"},
    "cli": _BASE | {"models", "passwords", "services", "mail", "web", "jobs", "app"},
    "blueprints": _BASE | {"models", "passwords", "services", "mail", "web", "jobs"},
    "app": set(LAYERS) | {"app"},  # the factory: schoolsafe/__init__.py alone
}
FLASK = re.compile(r"^(flask|flask_\w+|werkzeug)(\.|$)")
E402 = re.compile(r"#\s*noqa\b[^#\n]*\bE402\b")



@dataclass(frozen=True)
class Import:
    """One import statement's target, seen from the module that writes it."""

    path: str  # the importing file, relative to the root
    line: int
    importer: str
    target: str
    at_load: bool  # runs when the module is loaded (not in a function, not TYPE_CHECKING)
    in_command: bool  # inside a function decorated as a click command

    @property
    def key(self) -> str:
        """How the known lists name it: the file and the module it imports."""
        return f"{self.path} -> {self.target}"

    def __str__(self) -> str:
        return f"{self.path}:{self.line} imports {self.target}"


def modules(root: Path, package: str = PACKAGE) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def collect(root: Path, package: str = PACKAGE) -> list[Import]:
    """Every import under the package, resolved to the most specific module it names."""
    known = modules(root, package)
    imports = []
    for name, path in known.items():
        visitor = _Imports(name, path.name == "__init__.py", set(known))
        visitor.visit(ast.parse(path.read_text(), str(path)))
        rel = path.relative_to(root).as_posix()
        imports += [Import(rel, *found) for found in visitor.found]
    return imports


class _Imports(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool, known: set[str]) -> None:
        self.module, self.is_package, self.known = module, is_package, known
        self.found: list[tuple[int, str, str, bool, bool]] = []
        self.depth = 0  # functions (and TYPE_CHECKING blocks) we are inside
        self.commands = 0

    def _add(self, node: ast.stmt, target: str) -> None:
        self.found.append((node.lineno, self.module, target, self.depth == 0, self.commands > 0))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(node, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            parts = self.module.split(".")[: len(self.module.split(".")) - (not self.is_package)]
            parts = parts[: len(parts) - node.level + 1]
            base = ".".join(parts + ([node.module] if node.module else []))
        for alias in node.names:
            self._add(node, f"{base}.{alias.name}" if f"{base}.{alias.name}" in self.known
                      else base)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        self.depth += 1
        self.commands += _is_command(node)
        for statement in node.body:
            self.visit(statement)
        self.depth -= 1
        self.commands -= _is_command(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
                isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"):
            self.depth += 1
            for statement in node.body:
                self.visit(statement)
            self.depth -= 1
            for statement in node.orelse:
                self.visit(statement)
        else:
            self.generic_visit(node)


def _is_command(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Decorated with `@click.command(...)`, `@bp.cli.command(...)` or the like."""
    for decorator in node.decorator_list:
        func = decorator.func if isinstance(decorator, ast.Call) else decorator
        if (isinstance(func, ast.Attribute) and func.attr == "command") or (
                isinstance(func, ast.Name) and func.id == "command"):
            return True
    return False


def layer_of(module: str) -> str | None:
    """The layer a module of ours belongs to (the longest matching prefix), else None."""
    if module == PACKAGE:
        return "app"
    best, length = None, -1
    for layer, prefixes in LAYERS.items():
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > length:
                best, length = layer, len(prefix)
    return best


def _blueprint(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in BLUEPRINTS else None


def against_the_order(imports: Iterable[Import]) -> list[Import]:
    """Imports of ours that go against the layers' order, and services importing Flask."""
    wrong = []
    for found in imports:
        source, target = layer_of(found.importer), layer_of(found.target)
        if target is not None and target not in MAY_IMPORT[source] and target != source:
            wrong.append(found)
        elif source == "services" and FLASK.match(found.target):
            wrong.append(found)
    return wrong


def across_blueprints(imports: Iterable[Import]) -> list[Import]:
    """A blueprint's module importing another blueprint's."""
    return [found for found in imports if _blueprint(found.importer)
            and _blueprint(found.target) not in (None, _blueprint(found.importer))]


def devdata_outside_commands(imports: Iterable[Import]) -> list[Import]:
    """devdata imported anywhere but inside a click command's function."""
    return [found for found in imports
            if (found.target == "devdata" or found.target.startswith("devdata."))
            and not found.in_command]


def circles(imports: Iterable[Import], package: str = PACKAGE) -> list[list[Import]]:
    """Circles of load-time imports: the shortest through each module not on one found yet."""
    graph: dict[str, dict[str, Import]] = {}
    for found in imports:
        if found.at_load and found.target.split(".")[0] == package:
            graph.setdefault(found.importer, {}).setdefault(found.target, found)
    found_circles, done = [], set()
    for start in sorted(graph):
        if start in done:
            continue
        path = _path_back(graph, start)
        if path:
            found_circles.append(path)
            done.update(step.importer for step in path)
    return found_circles


def _path_back(graph: dict[str, dict[str, Import]], start: str) -> list[Import]:
    """The shortest chain of imports from `start` back to itself, or []."""
    queue, seen = [(start, [])], {start}
    while queue:
        module, chain = queue.pop(0)
        for target, found in sorted(graph.get(module, {}).items()):
            if target == start:
                return [*chain, found]
            if target not in seen:
                seen.add(target)
                queue.append((target, [*chain, found]))
    return []


def e402_lines(root: Path, package: str = PACKAGE) -> list[tuple[str, int, str]]:
    """Every `noqa: E402` under the package: file, line number and the code before the noqa."""
    return [(path.relative_to(root).as_posix(), number, line[:line.index("#")].strip())
            for path in sorted((root / package).rglob("*.py"))
            for number, line in enumerate(path.read_text().splitlines(), start=1)
            if E402.search(line)]


def _new(found: Iterable[Import], known: set[str]) -> list[str]:
    return sorted({str(item) for item in found if item.key not in known})


# The real tree.

def test_every_module_has_a_layer():
    unplaced = [str(path.relative_to(ROOT)) for module, path in modules(ROOT).items()
                if layer_of(module) is None]
    assert not unplaced, "add these to LAYERS in tests/unit/test_layers.py:\n" + "\n".join(
        unplaced)


def test_dependencies_flow_one_way():
    wrong = sorted(str(found) for found in against_the_order(collect(ROOT)))
    assert not wrong, "imports against the layers (see this file's docstring):\n" + "\n".join(
        wrong)


def test_no_blueprint_imports_another_blueprints_modules():
    wrong = sorted(str(found) for found in across_blueprints(collect(ROOT)))
    assert not wrong, ("move what they share to services or schoolsafe/web:\n"
                       + "\n".join(wrong))


def test_devdata_is_imported_only_inside_cli_commands():
    wrong = sorted(str(found) for found in devdata_outside_commands(collect(ROOT)))
    assert not wrong, "made-up data must never load in production:\n" + "\n".join(wrong)


def test_no_import_circles():
    found = [", ".join(str(step) for step in circle) for circle in circles(collect(ROOT))]
    assert not found, "modules that import each other when loaded:\n" + "\n".join(found)


def test_no_noqa_e402():
    wrong = [f"{path}:{number}: {code}" for path, number, code in e402_lines(ROOT)]
    assert not wrong, "an import below code means the layout is wrong:\n" + "\n".join(wrong)


# The checker itself, on a small made-up tree.

def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / PACKAGE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for folder in {p.parent for p in (tmp_path / PACKAGE).rglob("*.py")} | {tmp_path / PACKAGE}:
        (folder / "__init__.py").touch()
    return tmp_path


def test_the_checker_finds_a_circle_and_names_its_imports(tmp_path):
    root = _tree(tmp_path, {
        "triage/views.py": "from schoolsafe.triage import cases\n",
        "triage/cases.py": "from .views import bp\n",
        "report/views.py": "def later():\n    from schoolsafe.report import input\n",
        "report/input.py": "from schoolsafe.report.views import later\n",
        "models/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                       "    from schoolsafe.models import b\n",
        "models/b.py": "from schoolsafe.models import a\n",
    })
    found = circles(collect(root))
    assert [[str(step) for step in circle] for circle in found] == [[
        "schoolsafe/triage/cases.py:1 imports schoolsafe.triage.views",
        "schoolsafe/triage/views.py:1 imports schoolsafe.triage.cases"]]


def test_the_checker_finds_forbidden_imports(tmp_path):
    root = _tree(tmp_path, {
        "services/cases.py": "import flask\nfrom schoolsafe.mail import alerts\n"
                             "from schoolsafe.models import Case\n",
        "models/case.py": "from schoolsafe.services import cases\n",
        "mail/alerts.py": "from schoolsafe.jobs.queue import enqueue\n",
        "jobs/queue.py": "from schoolsafe.mail import alerts\n",
        "concerns/views.py": "from schoolsafe.triage.views import page_number\nfrom . import bp\n",
        "triage/views.py": "page_number = 1\n",
    })
    imports = collect(root)
    assert sorted(map(str, against_the_order(imports))) == [
        "schoolsafe/mail/alerts.py:1 imports schoolsafe.jobs.queue",
        "schoolsafe/models/case.py:1 imports schoolsafe.services.cases",
        "schoolsafe/services/cases.py:1 imports flask",
        "schoolsafe/services/cases.py:2 imports schoolsafe.mail.alerts"]
    assert list(map(str, across_blueprints(imports))) == [
        "schoolsafe/concerns/views.py:1 imports schoolsafe.triage.views"]


def test_the_checker_allows_devdata_only_inside_a_command(tmp_path):
    root = _tree(tmp_path, {
        "cli.py": "import click\nimport devdata\n\n@click.command('seed')\ndef seed():\n"
                  "    from devdata.bulk_seed import seed\n\ndef helper():\n"
                  "    from devdata import insight_year\n",
        "insight/demo.py": "@bp.cli.command('demo-data')\ndef demo():\n"
                           "    from devdata.insight_year import add_demo_year\n",
    })
    assert sorted(map(str, devdata_outside_commands(collect(root)))) == [
        "schoolsafe/cli.py:2 imports devdata", "schoolsafe/cli.py:9 imports devdata"]


def test_the_checker_finds_noqa_e402(tmp_path):
    root = _tree(tmp_path, {"auth/views.py": "bp = 1\nfrom . import reset  # noqa: F401, E402\n"})
    assert e402_lines(root) == [("schoolsafe/auth/views.py", 2, "from . import reset")]
