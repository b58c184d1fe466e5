"""The catalog, read from the registry's source, says exactly what the imported registry does."""

from __future__ import annotations

import inspect
import subprocess
import sys

from udfs.catalog import CATALOG
from udfs.functions import FUNCTIONS


def test_the_catalog_lists_every_registered_function_in_order() -> None:
    assert [e.name for e in CATALOG] == list(FUNCTIONS)


def test_each_entry_has_the_registered_arguments_help_and_description() -> None:
    for entry in CATALOG:
        function = FUNCTIONS[entry.name]
        parameters = inspect.signature(function).parameters.values()
        assert [(p.name, p.optional) for p in entry.parameters] == [
            (p.name, p.default is not inspect.Parameter.empty) for p in parameters
        ]
        assert {p.name: p.doc for p in entry.parameters} == function.__tj_args__
        assert all(p.doc for p in entry.parameters), entry.name
        assert entry.description == inspect.getdoc(function)


def test_reading_the_catalog_loads_no_numpy() -> None:
    code = "import sys, udfs.catalog; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
