"""The examples in the funnel's and the metric catalog's docstrings run and print what they say."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import alinea.analytics.funnel
import alinea.analytics.metrics

MODULES = [
    f"{package.__name__}.{info.name}"
    for package in (alinea.analytics.funnel, alinea.analytics.metrics)
    for info in pkgutil.iter_modules(package.__path__)
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
