"""Every catalog metric has its page in docs/metrics with its formula, and no page is stale."""

from __future__ import annotations

from pathlib import Path

from alinea.analytics.metrics import METRICS

PAGES = Path(__file__).resolve().parents[3] / "docs" / "metrics"


def test_each_metric_has_a_page_stating_its_formula() -> None:
    for name, metric in METRICS.items():
        page = (PAGES / f"{name}.md").read_text()
        assert page.startswith(f"# `{name}`"), name
        assert metric.formula in page, name
        assert f"[`{name}`]({name}.md)" in (PAGES / "README.md").read_text(), name


def test_no_page_describes_a_metric_that_does_not_exist() -> None:
    pages = {path.stem for path in PAGES.glob("*.md")} - {"README"}
    assert pages == set(METRICS)
