"""A mapping says how the rows of source files become facts; a named mapping is a profile.

The shape, from the outside in:

- ``Mapping``: a name, the time zone / date format / decimal mark to read values with, the source
  values that mean "empty" (e.g. ``Select``), and one ``FileMapping`` per kind of file;
- ``FileMapping``: which files it applies to (a file-name pattern such as ``sales_pipeline*.csv``)
  and the ``Output`` rows each source row yields;
- ``Output``: one fact row per source row (in the table ``table``) when its conditions (``when``)
  hold, each fact column produced by a ``Rule``. Several outputs of one file are how derived facts
  are made: an opportunity row yields a deal, an "opportunity" stage change at its engage date and
  a "customer" stage change at its close date when it was won;
- ``Rule``: the value of one fact column — read from a source column (``source``), combined
  from several (``template``, e.g. ``"{Prospect ID}:origin"``) or fixed (``constant``); then
  emptied if it is one of the mapping's null values, translated (``values``, e.g. ``Won`` →
  ``won``), transformed (``function``, see ``alinea.importing.functions``), filled (``default``),
  read as the fact column's type (``format``: a date format or a decimal mark) and moved in time
  (``shift``).

Every class is a frozen dataclass and round-trips through plain JSON (``to_dict``/``from_dict``), so
that profiles can be stored, listed and edited by the app.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import json
import re
import string
from dataclasses import dataclass, fields, replace
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from alinea.importing import functions
from alinea.importing.values.dates import parse_format
from alinea.importing.values.decimals import parse_decimal_mark
from alinea.warehouse.schema import FactTable, fact_table

FORMAT_VERSION = 1


class MappingError(ValueError):
    """A mapping that cannot be used, with where in it the mistake is."""


@dataclass(frozen=True)
class Rule:
    """How one fact column is produced from a source row (see the module docstring)."""

    source: str | None = None
    template: str | None = None
    constant: str | None = None
    values: tuple[tuple[str, str], ...] = ()
    keep_unmapped: bool = False
    default: str | None = None
    function: str | None = None
    args: tuple[tuple[str, str], ...] = ()
    format: str | None = None
    shift: str | None = None
    optional: bool = False

    def __post_init__(self) -> None:
        given = [n for n in ("source", "template", "constant") if getattr(self, n) is not None]
        if len(given) != 1:
            raise MappingError("a rule needs exactly one of source, template or constant")
        if self.function is not None:
            try:
                functions.check(self.function, dict(self.args))
            except ValueError as error:
                raise MappingError(str(error)) from None
        if self.shift is not None:
            parse_duration(self.shift)

    @property
    def source_columns(self) -> tuple[str, ...]:
        """The source columns this rule reads."""
        if self.source is not None:
            return (self.source,)
        if self.template is not None:
            return template_columns(self.template)
        return ()

    @property
    def label(self) -> str:
        """How problems name where the value came from."""
        return self.source or self.template or f"constant {self.constant!r}"

    def to_dict(self) -> dict[str, Any]:
        data = _non_default(self)
        for name in ("values", "args"):
            if name in data:
                data[name] = dict(data[name])
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Rule:
        _known(cls, data, "rule")
        given = dict(data)
        for name in ("values", "args"):
            if name in given:
                given[name] = tuple((str(k), _text(v)) for k, v in given[name].items())
        for name in ("constant", "default"):
            if given.get(name) is not None:
                given[name] = _text(given[name])
        return cls(**given)


@dataclass(frozen=True)
class Condition:
    """A source column's value is one of ``values`` (or, with no values, is not empty).

    ``negate`` turns it around: not one of the values, or empty.
    """

    column: str
    values: tuple[str, ...] = ()
    negate: bool = False

    def to_dict(self) -> dict[str, Any]:
        if self.values:
            return {"column": self.column, ("not_in" if self.negate else "in"): list(self.values)}
        return {"column": self.column, "present": not self.negate}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Condition:
        extra = set(data) - {"column", "in", "not_in", "present"}
        if extra or "column" not in data:
            raise MappingError(f"a condition has a column and one of in, not_in, present: {data}")
        if "in" in data or "not_in" in data:
            values = data["in"] if "in" in data else data["not_in"]
            return cls(data["column"], tuple(_text(v) for v in values), "not_in" in data)
        return cls(data["column"], (), not data.get("present", True))


@dataclass(frozen=True)
class Output:
    """One fact row of ``table`` per source row for which every condition in ``when`` holds.

    An ``optional`` output is left out (with a note) from files that lack a column it needs,
    e.g. a lifecycle-stage date that an export may or may not include.
    """

    table: str
    columns: tuple[tuple[str, Rule], ...]
    when: tuple[Condition, ...] = ()
    label: str = ""
    optional: bool = False

    def __post_init__(self) -> None:
        try:
            spec = fact_table(self.table)
        except KeyError as error:
            raise MappingError(str(error.args[0])) from None
        names = [name for name, _ in self.columns]
        unknown = [n for n in names if n not in spec.column_names]
        if unknown:
            raise MappingError(f"{self.table} has no columns {unknown}; it has {spec.column_names}")
        lacking = [c.name for c in spec.columns if c.required and c.name not in names]
        if lacking:
            raise MappingError(
                f"{self.describe()}: required fact columns without a rule: {lacking}"
            )

    @property
    def spec(self) -> FactTable:
        return fact_table(self.table)

    def rule(self, column: str) -> Rule | None:
        return dict(self.columns).get(column)

    def describe(self) -> str:
        return f"{self.table} ({self.label})" if self.label else self.table

    @property
    def source_columns(self) -> tuple[str, ...]:
        """Every source column the output reads, conditions included."""
        used = [c.column for c in self.when]
        for _, rule in self.columns:
            used.extend(rule.source_columns)
        return tuple(dict.fromkeys(used))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"table": self.table}
        if self.label:
            data["label"] = self.label
        if self.when:
            data["when"] = [c.to_dict() for c in self.when]
        if self.optional:
            data["optional"] = True
        data["columns"] = {name: rule.to_dict() for name, rule in self.columns}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Output:
        _known(cls, data, "output")
        return cls(
            table=data["table"],
            columns=tuple((k, Rule.from_dict(v)) for k, v in data.get("columns", {}).items()),
            when=tuple(Condition.from_dict(c) for c in data.get("when", ())),
            label=data.get("label", ""),
            optional=bool(data.get("optional", False)),
        )


@dataclass(frozen=True)
class FileMapping:
    """The outputs of every file whose name matches ``match`` (a pattern, case-insensitive)."""

    match: str = "*"
    outputs: tuple[Output, ...] = ()
    note: str = ""

    def matches(self, file_name: str) -> bool:
        return fnmatch.fnmatch(file_name.lower(), self.match.lower())

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"match": self.match}
        if self.note:
            data["note"] = self.note
        data["outputs"] = [o.to_dict() for o in self.outputs]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileMapping:
        _known(cls, data, "file mapping")
        outputs = tuple(Output.from_dict(o) for o in data.get("outputs", ()))
        return cls(match=data.get("match", "*"), outputs=outputs, note=data.get("note", ""))


@dataclass(frozen=True)
class Mapping:
    """A named mapping (a profile): how the files of one tool's export become facts."""

    name: str
    files: tuple[FileMapping, ...]
    description: str = ""
    timezone: str | None = None
    date_format: str | None = None
    decimal: str | None = None
    null_values: tuple[str, ...] = ("",)

    def __post_init__(self) -> None:
        if self.timezone is not None:
            check_timezone(self.timezone)
        if self.date_format is not None:
            _checked(parse_format, self.date_format)
        if self.decimal is not None:
            _checked(parse_decimal_mark, self.decimal)

    def file_mapping(self, file_name: str) -> FileMapping | None:
        """The first file mapping whose pattern matches ``file_name``."""
        return next((f for f in self.files if f.matches(file_name)), None)

    def with_overrides(
        self,
        *,
        timezone: str | None = None,
        date_format: str | None = None,
        decimal: str | None = None,
    ) -> Mapping:
        """This mapping with the given reading options in place of its own."""
        return replace(
            self,
            timezone=timezone or self.timezone,
            date_format=date_format or self.date_format,
            decimal=decimal or self.decimal,
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"format": FORMAT_VERSION, "name": self.name}
        for name in ("description", "timezone", "date_format", "decimal"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        data["null_values"] = list(self.null_values)
        data["files"] = [f.to_dict() for f in self.files]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mapping:
        extra = set(data) - {f.name for f in fields(cls)} - {"format"}
        if extra:
            raise MappingError(f"unknown keys in the mapping: {sorted(extra)}")
        if data.get("format", FORMAT_VERSION) != FORMAT_VERSION:
            raise MappingError(f"mapping format {data['format']} is not supported")
        return cls(
            name=data["name"],
            files=tuple(FileMapping.from_dict(f) for f in data.get("files", ())),
            description=data.get("description", ""),
            timezone=data.get("timezone"),
            date_format=data.get("date_format"),
            decimal=data.get("decimal"),
            null_values=tuple(data.get("null_values", ("",))),
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Mapping:
        return cls.from_dict(json.loads(text))

    def fingerprint(self) -> str:
        """A hash of everything that decides the facts (two equal mappings share it)."""
        canonical = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


# -- builders for profiles written in Python ---------------------------------------------------


def column(name: str, **options: Any) -> Rule:
    """A rule reading source column ``name``; ``values`` may be given as a dict."""
    return Rule(source=name, **_tupled(options))


def constant(value: str) -> Rule:
    return Rule(constant=value)


def template(text: str, **options: Any) -> Rule:
    return Rule(template=text, **_tupled(options))


def output(
    table: str,
    label: str = "",
    when: tuple[Condition, ...] = (),
    optional: bool = False,
    **columns: Rule,
) -> Output:
    """An output built from keyword rules: ``output("deals", deal_id=column("Id"), …)``."""
    return Output(table, tuple(columns.items()), when=when, label=label, optional=optional)


def present(name: str) -> Condition:
    """The condition "source column ``name`` has a value"."""
    return Condition(name)


def one_of(name: str, *values: str, negate: bool = False) -> Condition:
    """The condition "source column ``name`` is one of ``values``" (or not, with ``negate``)."""
    return Condition(name, values, negate)


def _tupled(options: dict[str, Any]) -> dict[str, Any]:
    for name in ("values", "args"):
        if isinstance(options.get(name), dict):
            options[name] = tuple(options[name].items())
    return options


# -- helpers ---------------------------------------------------------------------------------------


def template_columns(text: str) -> tuple[str, ...]:
    """The source columns named in a template: ``"{A}-{B}"`` → ``("A", "B")``."""
    return tuple(name for _, name, _, _ in string.Formatter().parse(text) if name)


_DURATION = re.compile(
    r"^(?P<sign>-)?P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$"
)


def parse_duration(text: str) -> dt.timedelta:
    """An ISO 8601 duration of weeks, days, hours, minutes and seconds: ``P14D``, ``PT1H30M``."""
    found = _DURATION.match(text)
    if not found or text in ("P", "-P", "PT"):
        raise MappingError(f"duration {text!r} is not ISO 8601 (e.g. P14D, PT1H30M)")
    part = {k: int(v or 0) for k, v in found.groupdict().items() if k != "sign"}
    delta = dt.timedelta(
        weeks=part["w"], days=part["d"], hours=part["h"], minutes=part["m"], seconds=part["s"]
    )
    return -delta if found["sign"] else delta


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise MappingError(
            f"unknown time zone {name!r}; use an IANA name such as UTC or Europe/Madrid"
        ) from None
    return name


def _checked(parse: Any, text: str) -> None:
    try:
        parse(text)
    except ValueError as error:
        raise MappingError(str(error)) from None


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _non_default(instance: Any) -> dict[str, Any]:
    return {
        f.name: getattr(instance, f.name)
        for f in fields(instance)
        if getattr(instance, f.name) != f.default
    }


def _known(cls: type, data: dict[str, Any], what: str) -> None:
    extra = set(data) - {f.name for f in fields(cls)}
    if extra:
        raise MappingError(f"unknown keys in a {what}: {sorted(extra)} in {data}")
