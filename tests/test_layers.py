"""The architecture holds: the contracts in pyproject.toml ([tool.importlinter]: service above loaders
above graph, graph's own layers, no cycle among the siblings of any package) and, module by module,
no import cycle at all, imports inside functions included."""
from pathlib import Path

import grimp
import networkx as nx
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("graph", "loaders", "service")
# No module imports itself back: the extraction issue removed the last two cycles in loaders/.
KNOWN_CYCLES: list[set[str]] = []


def test_the_import_contracts_are_kept(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml")) == 0


def test_no_module_imports_itself_back():
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    deps = nx.DiGraph((m, imported) for m in graph.modules for imported in graph.find_modules_directly_imported_by(m))
    cycles = [c for c in nx.strongly_connected_components(deps) if len(c) > 1]
    assert sorted(map(sorted, cycles)) == sorted(map(sorted, KNOWN_CYCLES))
