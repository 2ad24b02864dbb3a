"""Facts in: import files exported from the tools companies use, with nothing lost.

``preview(paths, mapping)`` reads files (CSV/TSV with any delimiter, Excel, Parquet, JSON Lines;
UTF-8, UTF-8 with BOM or Windows-1252) through a mapping (a built-in profile or an edited copy) and
reports the facts per table and every problem, by file, line and column, writing nothing.
``commit(con, paths, mapping)`` writes all of it or none of it, as one warehouse batch, and returns
the ``ImportRecord`` to keep. Files of any size are read in chunks and staged in the warehouse.

This package never imports Django or the web layer (checked by import-linter); the app stores
mappings (``Mapping.to_dict``) and import records (``ImportRecord.to_dict``) and calls these
functions.
"""

from alinea.importing.commit import batch_id_for, commit
from alinea.importing.mapping import (
    Condition,
    FileMapping,
    Mapping,
    MappingError,
    Output,
    Rule,
)
from alinea.importing.options import ReadOptions
from alinea.importing.outcome import (
    FileRecord,
    ImportRecord,
    Preview,
    TableCount,
    TableResult,
)
from alinea.importing.preview import preview
from alinea.importing.problems import ImportProblem, ImportRefused
from alinea.importing.profiles import PROFILES, resolve_mapping
from alinea.importing.run import Step

__all__ = [
    "PROFILES",
    "Condition",
    "FileMapping",
    "FileRecord",
    "ImportProblem",
    "ImportRecord",
    "ImportRefused",
    "Mapping",
    "MappingError",
    "Output",
    "Preview",
    "ReadOptions",
    "Rule",
    "Step",
    "TableCount",
    "TableResult",
    "batch_id_for",
    "commit",
    "preview",
    "resolve_mapping",
]
