"""The import layers in pyproject.toml cover every module, so a new one cannot slip past."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FEATURES = {"plan", "reports", "advisory", "exchange"}


def _listed():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    names = set()
    for layer in layers:
        names.update(part.strip() for chunk in layer.split("|") for part in chunk.split(":"))
    return names


def test_every_module_of_projects_is_in_a_layer():
    listed = _listed()
    found = {
        f"projects.{path.stem if path.is_file() else path.name}"
        for path in (ROOT / "projects").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path.is_dir() and (path / "__init__.py").exists())
    }
    assert found - listed == set(), "add these to [tool.importlinter] in pyproject.toml"
    assert {f"projects.{name}" for name in FEATURES} <= listed
