"""Lead scoring: stage definitions, points models, predictive models and backtests.

Specs (:mod:`.spec`) are frozen dataclasses; :mod:`.points` and :mod:`.rules` build Ibis
expressions over the facts; :mod:`.backtest` replays a definition month by month;
:mod:`.predictive` trains a calibrated model on rows fetched through ``alinea.analytics.run``.
"""
