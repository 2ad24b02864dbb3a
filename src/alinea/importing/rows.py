"""The rows of a chunk as mapping rules and conditions see them."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


class SourceRows:
    """The rows of a chunk as rules see them: text trimmed, the mapping's null values emptied."""

    def __init__(self, table: pa.Table, lines: np.ndarray, null_values: pa.Array) -> None:
        self.table, self.lines, self.null_values = table, lines, null_values
        self._prepared: dict[str, pa.Array] = {}

    def __len__(self) -> int:
        return self.table.num_rows

    def raw(self, name: str) -> pa.Array:
        if name not in self.table.column_names:
            return pa.nulls(len(self), pa.string())
        return self.table.column(name).combine_chunks()

    def column(self, name: str) -> pa.Array:
        if name not in self._prepared:
            values = self.raw(name)
            if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
                trimmed = pc.utf8_trim_whitespace(values)
                values = pc.if_else(pc.is_in(trimmed, self.null_values), None, trimmed)
            self._prepared[name] = values
        return self._prepared[name]

    def text(self, name: str) -> pa.Array:
        values = self.column(name)
        return values if pa.types.is_string(values.type) else pc.cast(values, pa.string())

    def filter(self, mask: np.ndarray) -> SourceRows:
        return SourceRows(self.table.filter(pa.array(mask)), self.lines[mask], self.null_values)
