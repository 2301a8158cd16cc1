"""Every module of the project imports: mypy runs with ignore_missing_imports for third-party
packages, so an import of a moved or renamed first-party module would otherwise only fail when
Django happened to load it."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

PACKAGES = ("neglect_tracker", "cases", "assessments", "learning", "reporting", "bench")
# Run as scripts in other processes, never imported by the application.
NOT_IMPORTED = {"cases.census.cin_runner", "bench.__main__", "bench.locustfile"}


def project_modules() -> list[str]:
    names = []
    for package in PACKAGES:
        root = importlib.import_module(package)
        names.append(package)
        for module in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
            if ".migrations." not in module.name and module.name not in NOT_IMPORTED:
                names.append(module.name)
    return names


@pytest.mark.parametrize("name", project_modules())
def test_the_module_imports(name: str) -> None:
    importlib.import_module(name)
