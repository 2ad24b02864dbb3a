"""The predictive lead score: leakage guard, calibrated gradient boosting, explanations."""
