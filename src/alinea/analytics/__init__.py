"""Metrics: pure functions of facts (Ibis expressions in, Ibis expressions out).

Nothing here imports Django or the web layer (checked by import-linter); only
``alinea.analytics.run`` executes expressions.
"""
