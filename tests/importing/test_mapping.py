"""Mapping rules: rename, constant, template, parse format, value map, derived facts, snapshots."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from tests.importing.conftest import LEADS, OPPORTUNITIES, facts, write

from alinea.importing import FileMapping, Mapping, MappingError, Output, Rule, commit, preview
from alinea.importing.mapping import column, constant, output, parse_duration, template
from alinea.importing.profiles import PROFILES, resolve_mapping
from alinea.warehouse import connect

UTC = dt.UTC


def one_file(*outputs: Output, **options) -> Mapping:
    return Mapping(name="test", files=(FileMapping("*", outputs),), **options)


def test_rename_value_map_and_numbers(folder) -> None:
    write(
        folder,
        "leads.csv",
        "Id;Created;Source;Company;Employees\n"
        "l1;2025-03-01T09:30:00+01:00;Google;Peña y Cía;1.250\n"
        "l2;2025-03-02T10:00:00Z;Web;;12\n",
    )
    con = connect("duckdb://")
    # "1.250" reads both ways and nothing tells: the mark is stated for the column
    mapping = replace(LEADS, decimal=",")
    commit(con, [folder], mapping)
    assert facts(con, "leads", "lead_id") == [
        {
            **dict.fromkeys(facts_columns("leads")),
            "lead_id": "l1",
            "created_at": dt.datetime(2025, 3, 1, 8, 30, tzinfo=UTC),
            "source": "Google",
            "channel": "paid_search",
            "company": "Peña y Cía",
            "company_size": 1250,
        },
        {
            **dict.fromkeys(facts_columns("leads")),
            "lead_id": "l2",
            "created_at": dt.datetime(2025, 3, 2, 10, 0, tzinfo=UTC),
            "source": "Web",
            "channel": "direct",
            "company": None,
            "company_size": 12,
        },
    ]


def facts_columns(table: str) -> tuple[str, ...]:
    from alinea.warehouse.schema import fact_table

    return fact_table(table).column_names


def test_constants_templates_defaults_functions_and_shifts(folder) -> None:
    write(folder, "a.csv", "Id,Rep,When,Kind\n7,Dustin Brinkmann,2025-01-10T08:00Z,\n")
    mapping = one_file(
        output(
            "activities",
            activity_id=template("act-{Id}"),
            lead_id=column("Id"),
            rep_id=column("Rep", function="slug"),
            occurred_at=column("When", shift="PT90M"),
            type=column("Kind", values={"Phone": "call"}, default="note"),
            outcome=constant("connected"),
        )
    )
    con = connect("duckdb://")
    commit(con, [folder], mapping)
    assert facts(con, "activities", "activity_id") == [
        {
            "activity_id": "act-7",
            "lead_id": "7",
            "rep_id": "dustin-brinkmann",
            "occurred_at": dt.datetime(2025, 1, 10, 9, 30, tzinfo=UTC),
            "type": "note",
            "outcome": "connected",
        }
    ]


def test_a_value_the_map_does_not_know_is_a_problem_on_its_line(folder) -> None:
    write(
        folder,
        "a.csv",
        "Id,Created,Source,Company,Employees\nl1,2025-01-01,Google,,\nl2,2025-01-01,Fax,,\n",
    )
    shown = preview([folder], LEADS)
    [problem] = shown.problems
    assert (problem.file, problem.line, problem.column, problem.value) == (
        "a.csv",
        3,
        "Source",
        "Fax",
    )
    assert problem.reason.startswith("not a value the mapping knows (it maps: Google, Web")
    assert problem.table == "leads"


def test_keep_unmapped_passes_other_values_through(folder) -> None:
    write(folder, "a.csv", "Id,Created,Product\nd1,2025-01-01,GTXPro\nd2,2025-01-01,MG Special\n")
    mapping = one_file(
        output(
            "deals",
            deal_id=column("Id"),
            created_at=column("Created"),
            product=column("Product", values={"GTXPro": "GTX Pro"}, keep_unmapped=True),
            status=constant("open"),
        ),
        timezone="UTC",
    )
    con = connect("duckdb://")
    commit(con, [folder], mapping)
    assert [r["product"] for r in facts(con, "deals", "deal_id")] == ["GTX Pro", "MG Special"]


def test_a_snapshot_row_yields_the_stage_changes_it_implies(folder) -> None:
    write(
        folder,
        "opps.csv",
        "Opp,Stage,Engaged,Closed,Value\n"
        'o1,Won,2017-01-05,2017-02-20,"1054.5"\n'
        "o2,Lost,2017-01-06,2017-03-01,\n"
        "o3,Open,2017-01-07,,\n"
        "o4,Open,2017-01-09,,\n",
    )
    con = connect("duckdb://")
    record = commit(con, [folder], OPPORTUNITIES)
    day = lambda m, d: dt.datetime(2017, m, d, tzinfo=UTC)  # noqa: E731
    changes = [
        (r["lead_id"], r["stage"], r["changed_at"])
        for r in facts(con, "stage_changes", ["lead_id", "changed_at"])
    ]
    assert changes == [
        ("o1", "opportunity", day(1, 5)),
        ("o1", "customer", day(2, 20)),
        ("o2", "opportunity", day(1, 6)),
        ("o3", "opportunity", day(1, 7)),
        ("o4", "opportunity", day(1, 9)),
    ]
    deals = {
        r["deal_id"]: (r["status"], r["amount"], r["closed_at"])
        for r in facts(con, "deals", "deal_id")
    }
    assert deals == {
        "o1": ("won", 1054.5, day(2, 20)),
        "o2": ("lost", None, day(3, 1)),
        "o3": ("open", None, None),
        "o4": ("open", None, None),
    }
    assert {t: r.inserted for t, r in record.tables.items()} == {"deals": 4, "stage_changes": 5}


def test_a_rule_format_reads_ambiguous_dates_the_stated_way(folder) -> None:
    write(
        folder,
        "a.csv",
        "Id,Created,Source,Company,Employees\nl1,03/04/2018,,,\nl2,05/06/2018,,,\n",
    )
    ambiguous = preview([folder], LEADS)
    [problem] = ambiguous.problems
    assert (problem.file, problem.line, problem.column) == ("a.csv", None, "Created")
    assert "choose a date format" in problem.reason
    assert not ambiguous.skippable
    stated = one_file(
        output("leads", lead_id=column("Id"), created_at=column("Created", format="mm/dd/yyyy")),
        timezone="UTC",
    )
    con = connect("duckdb://")
    commit(con, [folder], stated)
    assert [r["created_at"].date() for r in facts(con, "leads", "lead_id")] == [
        dt.date(2018, 3, 4),
        dt.date(2018, 5, 6),
    ]


def test_the_mapping_date_format_and_decimal_apply_to_every_column(folder) -> None:
    write(folder, "a.csv", 'Id,Created,Source,Company,Employees\nl1,03-04-18,,,"1,500"\n')
    con = connect("duckdb://")
    commit(con, [folder], LEADS.with_overrides(date_format="dd-mm-yy", decimal="."))
    [lead] = facts(con, "leads", "lead_id")
    assert (lead["created_at"], lead["company_size"]) == (dt.datetime(2018, 4, 3, tzinfo=UTC), 1500)


def test_null_values_of_the_mapping_are_empty(folder) -> None:
    write(folder, "a.csv", "Id,Created,Source,Company,Employees\nl1,2025-01-01,Select,Select,\n")
    mapping = replace(LEADS, null_values=("", "Select"))
    con = connect("duckdb://")
    commit(con, [folder], mapping)
    [lead] = facts(con, "leads", "lead_id")
    assert (lead["source"], lead["channel"], lead["company"]) == (None, None, None)


def test_a_missing_column_is_a_problem_that_skipping_rows_cannot_fix(folder) -> None:
    write(folder, "a.csv", "Id,Opened,Source,Company,Employees\nl1,2025-01-01,,,\n")
    shown = preview([folder], LEADS, skip_bad_rows=True)
    [problem] = shown.problems
    assert (problem.file, problem.line, problem.column) == ("a.csv", None, "Created")
    assert problem.reason.startswith(
        "column not found (needed for leads); the file's columns: Id, Opened, Source"
    )
    assert not shown.skippable


def test_an_optional_output_is_left_out_of_files_without_its_column(folder) -> None:
    write(folder, "a.csv", "Id,Created,Source,Company,Employees\nl1,2025-01-01,,,\n")
    mapping = replace(
        LEADS,
        files=(
            replace(
                LEADS.files[0],
                outputs=(
                    LEADS.files[0].outputs[0],
                    output(
                        "stage_changes",
                        "mql date",
                        optional=True,
                        lead_id=column("Id"),
                        stage=constant("mql"),
                        changed_at=column("Became MQL"),
                    ),
                ),
            ),
        ),
    )
    shown = preview([folder], mapping)
    assert shown.ok
    assert set(shown.counts) == {"leads"}
    assert shown.notes == ("a.csv: no stage_changes (mql date) (no column Became MQL)",)


def test_a_file_the_mapping_does_not_cover_is_a_problem(folder) -> None:
    mapping = replace(LEADS, files=(replace(LEADS.files[0], match="leads*.csv"),))
    write(folder, "deals.csv", "Id\n1\n")
    [problem] = preview([folder], mapping).problems
    assert problem.file == "deals.csv"
    assert "has nothing for this file (it reads: leads*.csv)" in problem.reason


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_profile_round_trips_through_json(name) -> None:
    profile = PROFILES[name]
    assert Mapping.from_json(profile.to_json()) == profile
    assert Mapping.from_json(profile.to_json()).fingerprint() == profile.fingerprint()


def test_a_mapping_file_is_a_profile(tmp_path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(replace(PROFILES["maven-crm"], name="mine").to_json(), encoding="utf-8")
    assert resolve_mapping(path).name == "mine"
    with pytest.raises(MappingError, match="the built-in profiles are: hubspot-contacts"):
        resolve_mapping("nope")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Rule(), "exactly one of source, template or constant"),
        (lambda: Rule(source="a", constant="b"), "exactly one of source"),
        (lambda: Rule(source="a", function="shout"), "unknown function 'shout'"),
        (lambda: Rule(source="a", shift="14 days"), "not ISO 8601"),
        (lambda: output("nope", x=column("a")), "unknown fact table 'nope'"),
        (lambda: output("leads", lead_id=column("a")), "without a rule: \\['created_at'\\]"),
        (
            lambda: output("leads", lead_id=column("a"), created_at=column("b"), hue=column("c")),
            "has no columns \\['hue'\\]",
        ),
        (lambda: Mapping(name="x", files=(), timezone="Mars/Base"), "unknown time zone"),
        (lambda: Mapping(name="x", files=(), date_format="soon"), "not understood"),
        (lambda: Mapping.from_dict({"name": "x", "colour": "red"}), "unknown keys in the mapping"),
    ],
)  # fmt: skip
def test_mistakes_in_a_mapping_are_named(build, message) -> None:
    with pytest.raises(MappingError, match=message):
        build()


def test_durations_are_iso_8601() -> None:
    assert parse_duration("P14D") == dt.timedelta(days=14)
    assert parse_duration("PT1H30M") == dt.timedelta(minutes=90)
    assert parse_duration("-P1W") == -dt.timedelta(weeks=1)
