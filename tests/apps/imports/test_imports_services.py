"""Import records and their rollback, saved mappings: atomic, audited, permission-checked."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alinea.apps.accounts.models import Role
from alinea.apps.audit.models import AuditEntry
from alinea.apps.imports.models import ImportRecord, MappingProfile, Status
from alinea.apps.imports.selectors import (
    get_import_record_for,
    get_mapping_profile_for,
    import_history,
    imports_of_file,
    mapping_choices,
    mapping_named,
)
from alinea.apps.imports.services import (
    import_rollback,
    import_run,
    mapping_profile_copy,
    mapping_profile_delete,
    mapping_profile_update,
)
from alinea.importing import PROFILES, ImportRefused
from alinea.warehouse import connect

pytestmark = pytest.mark.django_db

TEAMS = "sales_agent,manager,regional_office\nMoses Frase,Dustin Brinkmann,Central\n"
PIPELINE = (
    "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
    "O1,Moses Frase,GTXPro,Cancity,Won,2016-10-20,2017-03-01,1054.0\n"
    "O2,Moses Frase,GTX Basic,Isdom,Lost,2016-10-25,2017-03-11,0\n"
)


@pytest.fixture
def crm(tmp_path: Path) -> Path:
    folder = tmp_path / "crm"
    folder.mkdir()
    (folder / "sales_teams.csv").write_text(TEAMS)
    (folder / "sales_pipeline.csv").write_text(PIPELINE)
    return folder


@pytest.fixture
def con(warehouse_url: str):
    connection = connect(warehouse_url)
    yield connection
    connection.disconnect()


def counts(con) -> dict[str, int]:
    found = {t: int(con.table(t).count().execute()) for t in ("deals", "people", "stage_changes")}
    return {t: n for t, n in found.items() if n}


def actions(obj) -> list[str]:
    entries = AuditEntry.objects.filter(object_type="imports.importrecord", object_id=str(obj.pk))
    entries = entries.order_by("id")
    return list(entries.values_list("action", flat=True))


def test_an_import_is_recorded_with_who_files_hashes_counts_and_mapping(crm, con, make_user):
    user = make_user("sales", Role.MEMBER, username="ana")
    record = import_run(actor=user, con=con, paths=[crm], mapping="maven-crm", source="web")
    assert (record.actor, record.actor_name, record.source) == (user, "ana", "web")
    assert record.status == Status.IMPORTED
    assert record.counts == {
        "deals": {"facts": 2, "inserted": 2},
        "stage_changes": {"facts": 3, "inserted": 3},
        "people": {"facts": 2, "inserted": 2},
    }
    assert record.mapping == PROFILES["maven-crm"].to_dict()
    files = {f.name: f for f in record.files.all()}
    wanted = hashlib.sha256((crm / "sales_pipeline.csv").read_bytes()).hexdigest()
    assert files["sales_pipeline.csv"].sha256 == wanted
    assert files["sales_pipeline.csv"].rows == 2
    assert files["sales_pipeline.csv"].details == {"encoding": "utf-8", "delimiter": "comma"}
    assert record.finished_at >= record.started_at
    assert counts(con) == {"deals": 2, "people": 2, "stage_changes": 3}
    assert list(imports_of_file(wanted)) == [record]
    assert actions(record) == ["import_record_create"]


def test_a_refused_import_writes_and_records_nothing(crm, con) -> None:
    (crm / "sales_pipeline.csv").write_text(PIPELINE + "O3,Moses Frase,X,Y,Maybe,2016-11-01,,\n")
    with pytest.raises(ImportRefused):
        import_run(actor=None, con=con, paths=[crm], mapping="maven-crm", source="cli")
    assert counts(con) == {}
    assert not ImportRecord.objects.exists()


def test_skipped_rows_are_recorded_with_their_reasons(crm, con) -> None:
    (crm / "sales_pipeline.csv").write_text(PIPELINE + "O3,Moses Frase,X,Y,Maybe,2016-11-01,,\n")
    record = import_run(
        actor=None, con=con, paths=[crm], mapping="maven-crm", source="cli", skip_bad_rows=True
    )
    assert record.skipped_rows == 1
    [skipped] = record.skipped
    assert (skipped["file"], skipped["line"], skipped["column"], skipped["value"]) == (
        "sales_pipeline.csv",
        4,
        "deal_stage",
        "Maybe",
    )


def test_importing_the_same_files_again_is_recorded_and_changes_nothing(crm, con) -> None:
    first = import_run(actor=None, con=con, paths=[crm], mapping="maven-crm", source="cli")
    again = import_run(actor=None, con=con, paths=[crm], mapping="maven-crm", source="cli")
    assert (first.status, again.status) == (Status.IMPORTED, Status.ALREADY_IMPORTED)
    assert again.inserted == 0
    assert not again.can_roll_back
    assert counts(con) == {"deals": 2, "people": 2, "stage_changes": 3}


def test_an_import_is_rolled_back_as_a_whole_and_audited(crm, con, make_user) -> None:
    user = make_user("marketing", Role.MEMBER)
    record = import_run(actor=None, con=con, paths=[crm], mapping="maven-crm", source="cli")
    done = import_rollback(actor=user, record=record, con=con)
    assert counts(con) == {}
    assert done.status == Status.ROLLED_BACK
    assert done.removed == {"deals": 2, "people": 2, "stage_changes": 3}
    assert done.rolled_back_by == user.username
    assert done.rolled_back_at is not None
    assert actions(record) == ["import_record_create", "import_rollback"]
    with pytest.raises(ValidationError, match="only an import that wrote facts"):
        import_rollback(actor=user, record=done, con=con)
    again = import_run(actor=None, con=con, paths=[crm], mapping="maven-crm", source="cli")
    assert again.status == Status.IMPORTED  # after a rollback the files can come back


@pytest.mark.parametrize("role", [Role.VIEWER, None])
def test_viewers_and_outsiders_may_not_import_or_roll_back(crm, con, make_user, role) -> None:
    user = make_user("sales", role) if role else make_user()
    with pytest.raises(PermissionDenied):
        import_run(actor=user, con=con, paths=[crm], mapping="maven-crm", source="web")
    record = import_run(actor=None, con=con, paths=[crm], mapping="maven-crm", source="cli")
    with pytest.raises(PermissionDenied):
        import_rollback(actor=user, record=record, con=con)
    assert counts(con) == {"deals": 2, "people": 2, "stage_changes": 3}


def test_every_user_sees_every_import(crm, con, make_user) -> None:
    record = import_run(actor=None, con=con, paths=[crm], mapping="maven-crm", source="cli")
    viewer = make_user("sales", Role.VIEWER)
    assert get_import_record_for(viewer, record.pk) == record
    assert list(import_history()) == [record]
    with pytest.raises(ImportRecord.DoesNotExist):
        get_import_record_for(viewer, record.pk + 1)


def test_a_built_in_profile_is_copied_edited_and_deleted(make_user) -> None:
    user = make_user("sales", Role.MEMBER)
    profile = mapping_profile_copy(actor=user, source=PROFILES["hubspot-deals"], name="our-deals")
    assert (profile.based_on, profile.created_by) == ("hubspot-deals", user)
    assert profile.as_mapping().files == PROFILES["hubspot-deals"].files
    edited = profile.definition | {"timezone": "Europe/Madrid", "name": "ignored"}
    mapping_profile_update(actor=user, profile=profile, definition=edited)
    profile.refresh_from_db()
    assert profile.as_mapping().timezone == "Europe/Madrid"
    assert profile.as_mapping().name == "our-deals"
    assert mapping_named("our-deals") == profile.as_mapping()
    assert mapping_named("hubspot-deals") is PROFILES["hubspot-deals"]
    choices = {c.name: c.built_in for c in mapping_choices()}
    assert choices == {**dict.fromkeys(PROFILES, True), "our-deals": False}
    assert get_mapping_profile_for(user, "our-deals") == profile
    pk = profile.pk
    mapping_profile_delete(actor=user, profile=profile)
    assert not MappingProfile.objects.exists()
    entries = AuditEntry.objects.filter(object_type="imports.mappingprofile", object_id=str(pk))
    assert list(entries.order_by("id").values_list("action", flat=True)) == [
        "mapping_profile_copy",
        "mapping_profile_update",
        "mapping_profile_delete",
    ]


def test_built_in_names_and_broken_mappings_are_refused(make_user) -> None:
    user = make_user("sales", Role.MEMBER)
    with pytest.raises(ValidationError, match="built-in profile name"):
        mapping_profile_copy(actor=user, source=PROFILES["maven-crm"], name="x-education")
    profile = mapping_profile_copy(actor=user, source=PROFILES["maven-crm"], name="ours")
    broken = profile.definition | {"timezone": "Mars/Olympus"}
    with pytest.raises(ValidationError, match="unknown time zone"):
        mapping_profile_update(actor=user, profile=profile, definition=broken)
    profile.refresh_from_db()
    assert profile.as_mapping().timezone == "UTC"
    viewer = make_user("sales", Role.VIEWER)
    with pytest.raises(PermissionDenied):
        mapping_profile_update(actor=viewer, profile=profile, definition=profile.definition)
