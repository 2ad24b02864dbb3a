"""The deterministic demo company: a B2B SaaS vendor's marketing and sales facts, generated.

``build_demo(con, leads=…, seed=…, as_of=…)`` writes 15 months of leads, stage changes,
touchpoints, sales work, deals, people and spend into an open warehouse. See docs/demo-company.md.

This package never imports Django or the web layer (checked by import-linter).
"""

from alinea.demo.build import CHUNK_LEADS, DemoSummary, build_demo

__all__ = ["CHUNK_LEADS", "DemoSummary", "build_demo"]
