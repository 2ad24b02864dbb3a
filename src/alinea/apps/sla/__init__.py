"""The signed SLA (an agreement), the MQL inbox of sales reps, the SLA scorecard and its alerts."""
