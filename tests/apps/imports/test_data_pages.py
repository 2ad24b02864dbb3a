"""The Data section through HTTP: upload, check, map columns, import or skip bad rows, history,
rollback. The background work runs inline here; the browser test runs it in real threads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alinea.apps.accounts.models import Role
from alinea.apps.imports import jobs
from alinea.apps.imports.models import ImportJob, ImportRecord, MappingProfile
from alinea.warehouse import connect

pytestmark = pytest.mark.django_db

TEAMS = "sales_agent,manager,regional_office\nMoses Frase,Dustin Brinkmann,Central\n"
PIPELINE = (
    "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
    "O1,Moses Frase,GTXPro,Cancity,Won,2016-10-20,2017-03-01,1054.0\n"
    "O2,Moses Frase,GTX Basic,Isdom,Maybe,2016-10-25,2017-03-11,0\n"
)


@pytest.fixture(autouse=True)
def inline(monkeypatch, tmp_path, django_capture_on_commit_callbacks):
    """Background work runs at once, after the request's transaction commits."""
    monkeypatch.setenv("ALINEA_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(jobs, "run_in_background", lambda work: work())

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


@pytest.fixture
def member(client, make_user):
    user = make_user("sales", Role.MEMBER)
    client.force_login(user)
    return user


def count(url: str, table: str) -> int:
    con = connect(url)
    try:
        return int(con.table(table).count().execute())
    finally:
        con.disconnect()


def upload(client, inline, pipeline: str = PIPELINE, **fields):
    files = [
        SimpleUploadedFile("sales_pipeline.csv", pipeline.encode()),
        SimpleUploadedFile("sales_teams.csv", TEAMS.encode()),
    ]
    data = {"upload": files, "mapping": "maven-crm", "timezone": "", "date_format": "", **fields}
    response = inline(lambda: client.post("/data/", data))
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.get()


def test_the_data_page_offers_every_built_in_profile(client, member) -> None:
    page = client.get("/data/").content.decode()
    for name in ("hubspot-contacts", "salesforce-opportunities", "maven-crm", "x-education"):
        assert f'value="{name}"' in page
    assert "Nothing imported yet." in page


def test_upload_shows_counts_and_problems_before_anything_is_written(
    client, member, inline, warehouse_url
) -> None:
    job = upload(client, inline)
    assert job.phase == "previewed"
    page = client.get(f"/data/jobs/{job.pk}/").content.decode()
    assert "1 problem" in page
    assert "sales_pipeline.csv</td><td>3</td><td>deal_stage</td><td>Maybe</td>" in page
    assert "Skip the rows with problems" in page
    assert count(warehouse_url, "deals") == 0
    assert client.get(f"/data/jobs/{job.pk}/status/").json()["phase"] == "previewed"


def test_importing_without_skipping_is_refused_and_skipping_imports_the_rest(
    client, member, inline, warehouse_url
) -> None:
    job = upload(client, inline)
    inline(lambda: client.post(f"/data/jobs/{job.pk}/commit/", {}))
    job.refresh_from_db()
    assert job.phase == "previewed"  # refused: nothing written, the problems stay on the page
    assert count(warehouse_url, "deals") == 0
    inline(lambda: client.post(f"/data/jobs/{job.pk}/commit/", {"skip_bad_rows": "on"}))
    job.refresh_from_db()
    assert job.phase == "committed"
    assert (count(warehouse_url, "deals"), count(warehouse_url, "people")) == (1, 2)
    record = ImportRecord.objects.get()
    assert (record.source, record.actor, record.skipped_rows) == ("web", member, 1)
    history = client.get("/data/").content.decode()
    assert "sales_pipeline.csv" in history
    assert "Roll back" in history


def test_an_import_is_rolled_back_from_the_history(client, member, inline, warehouse_url) -> None:
    job = upload(client, inline, pipeline=PIPELINE.replace("Maybe", "Lost"))
    inline(lambda: client.post(f"/data/jobs/{job.pk}/commit/", {}))
    record = ImportRecord.objects.get()
    assert count(warehouse_url, "deals") == 2
    response = client.post(f"/data/{record.pk}/rollback/", follow=True)
    assert "The import was rolled back" in response.content.decode()
    assert count(warehouse_url, "deals") == 0
    record.refresh_from_db()
    assert record.status == "rolled_back"


def test_the_column_picker_saves_a_mapping_and_checks_again(client, member, inline) -> None:
    renamed = PIPELINE.replace("deal_stage", "Etapa").replace("Maybe", "Lost")
    job = upload(client, inline, pipeline=renamed)
    page = client.get(f"/data/jobs/{job.pk}/").content.decode()
    assert "column not found" in page
    picker = client.get(f"/data/jobs/{job.pk}/map/").content.decode()
    assert "Etapa (Won, Lost)" in picker  # the column with its sample values
    form = {"save_as": "our-crm"}
    for field in ("m0-o0-stage", "m0-o0-status", "m0-o2-when0"):
        form[field] = "Etapa"
    response = inline(lambda: client.post(f"/data/jobs/{job.pk}/map/", form))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.mapping_name, job.phase) == ("our-crm", "previewed")
    assert job.preview["ok"], job.preview["problems"]
    saved = MappingProfile.objects.get(name="our-crm")
    assert saved.based_on == "maven-crm"


def test_viewers_see_the_history_but_cannot_import(client, make_user) -> None:
    client.force_login(make_user("sales", Role.VIEWER))
    page = client.get("/data/").content.decode()
    assert "Import history" in page
    assert "Check the files" not in page


def test_the_data_page_speaks_spanish(client, member) -> None:
    client.post("/i18n/setlang/", {"language": "es", "next": "/data/"})
    page = client.get("/data/").content.decode()
    for spanish in ("Historial de importaciones", "Comprobar los archivos", "Correspondencia"):
        assert spanish in page


def test_uploads_not_imported_are_removed_after_two_days(client, member, inline) -> None:
    old = upload(client, inline)
    folder = Path(old.folder)
    assert folder.is_dir()
    ImportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - jobs.UPLOADS_KEPT - dt.timedelta(minutes=1)
    )
    upload_again = [SimpleUploadedFile("sales_teams.csv", TEAMS.encode())]
    data = {"upload": upload_again, "mapping": "maven-crm", "timezone": "", "date_format": ""}
    inline(lambda: client.post("/data/", data))  # starting an import sweeps the old uploads
    old.refresh_from_db()
    assert not folder.exists()
    assert (old.phase, old.folder) == ("failed", "")
    assert "have been removed" in old.error
    fresh = ImportJob.objects.exclude(pk=old.pk).get()
    assert Path(fresh.folder).is_dir()  # the new upload is kept
    picked = {"save_as": "again", "m0-o0-stage": "deal_stage"}
    inline(lambda: client.post(f"/data/jobs/{old.pk}/map/", picked))
    old.refresh_from_db()
    assert old.phase == "failed"  # nothing left to check again
