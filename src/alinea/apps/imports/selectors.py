"""Reads of the imports app: the import history, one import, the mappings to choose from."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from alinea.apps.accounts.permissions import AnyUser, can_view
from alinea.apps.imports.models import ImportJob, ImportRecord, MappingProfile
from alinea.importing import PROFILES, Mapping


def import_history() -> QuerySet[ImportRecord]:
    """Every recorded import, newest first, with its files."""
    return ImportRecord.objects.prefetch_related("files")


def imports_of_file(sha256: str) -> QuerySet[ImportRecord]:
    """The imports that read a file with this content."""
    return import_history().filter(files__sha256=sha256).distinct()


def get_import_record_for(user: AnyUser, record_id: int) -> ImportRecord:
    """The import if ``user`` may see it (every active user sees every import: facts are shared);
    ``ImportRecord.DoesNotExist`` otherwise."""
    record = import_history().get(pk=record_id)
    if not can_view(user, record):
        raise ImportRecord.DoesNotExist(record_id)
    return record


def get_mapping_profile_for(user: AnyUser, name: str) -> MappingProfile:
    """The saved mapping ``name`` if ``user`` may see it; ``MappingProfile.DoesNotExist``
    otherwise (built-in profiles are not saved rows: see ``mapping_choices``)."""
    profile = MappingProfile.objects.get(name=name)
    if not can_view(user, profile):
        raise MappingProfile.DoesNotExist(name)
    return profile


@dataclass(frozen=True)
class MappingChoice:
    """A mapping a person can import with: built-in (read-only) or saved (editable)."""

    name: str
    description: str
    built_in: bool
    mapping: Mapping
    profile: MappingProfile | None = None  # the saved row, for a saved mapping

    @classmethod
    def of(cls, profile: MappingProfile) -> MappingChoice:
        mapping = profile.as_mapping()
        return cls(profile.name, mapping.description, False, mapping, profile)


def mapping_choices() -> list[MappingChoice]:
    """The built-in profiles, then the saved mappings by name."""
    choices = [MappingChoice(m.name, m.description, True, m) for m in PROFILES.values()]
    choices.extend(MappingChoice.of(profile) for profile in MappingProfile.objects.all())
    return choices


def mapping_named(name: str) -> Mapping:
    """The built-in profile or saved mapping called ``name`` (``KeyError`` when none is)."""
    if name in PROFILES:
        return PROFILES[name]
    profile = MappingProfile.objects.filter(name=name).first()
    if profile is None:
        raise KeyError(name)
    return profile.as_mapping()


def get_import_job_for(user: AnyUser, job_id: int) -> ImportJob:
    """An import started in the web app, if ``user`` may see it (everyone may);
    ``ImportJob.DoesNotExist`` otherwise."""
    job = ImportJob.objects.select_related("record").get(pk=job_id)
    if not can_view(user, job):
        raise ImportJob.DoesNotExist(job_id)
    return job
