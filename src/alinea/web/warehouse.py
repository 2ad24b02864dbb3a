"""The warehouse connection of the web process: one per thread.

waitress serves requests from a pool of threads, and a DuckDB connection must not be shared across
threads, so each thread opens its own on first use and keeps it. If ``ALINEA_WAREHOUSE`` changes
(tests do this), the thread's next call opens the new warehouse.
"""

from __future__ import annotations

import threading

from ibis.backends import BaseBackend

from alinea import workspace
from alinea.warehouse import connect

_local = threading.local()


def get_warehouse() -> BaseBackend:
    """This thread's connection to the workspace's warehouse."""
    url = workspace.warehouse_url()
    if getattr(_local, "url", None) != url:
        _local.connection = connect(url)
        _local.url = url
    connection: BaseBackend = _local.connection
    return connection
