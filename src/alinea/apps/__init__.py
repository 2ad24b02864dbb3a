"""One Django app per agreement area: models, services (writes), selectors (reads), views, API."""
