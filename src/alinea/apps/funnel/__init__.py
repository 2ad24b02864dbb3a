"""The funnel review: where leads convert, stall and drop out, and each lead's whole timeline."""
