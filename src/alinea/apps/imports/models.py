"""What was imported (``ImportRecord`` with its ``ImportFile`` rows) and the saved mappings.

An ``ImportRecord`` is written once an import has been committed to the warehouse (or found to
be there already): who ran it and from where, when, the files (name, SHA-256, size, rows), the
mapping used in full, the facts per table, the rows skipped and why, and the warehouse batch id
that tags every fact it wrote. Rolling it back removes those facts and marks the record; records
are never deleted.

A ``MappingProfile`` is a named mapping a team saved: a copy of a built-in profile
(``alinea.importing.PROFILES``, which are read-only and live in code) or of another saved one,
edited. Its ``definition`` is ``Mapping.to_dict()``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alinea.importing import PROFILES, Mapping, MappingError


class Status(models.TextChoices):
    IMPORTED = "imported", _("Imported")
    UNCHANGED = "unchanged", _("Nothing new")
    ALREADY_IMPORTED = "already_imported", _("Already imported")
    ROLLED_BACK = "rolled_back", _("Rolled back")


class Source(models.TextChoices):
    CLI = "cli", _("Command line")
    WEB = "web", _("Web")
    API = "api", _("API")
    WEBHOOK = "webhook", _("Webhook")


class ImportRecord(models.Model):
    """One committed import (see the module docstring)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("imported by"), max_length=150, blank=True)
    source = models.CharField(_("from"), max_length=8, choices=Source.choices)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    batch_id = models.CharField(_("batch"), max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    mapping_name = models.CharField(_("mapping"), max_length=100)
    mapping = models.JSONField(_("mapping used"))
    counts = models.JSONField(
        _("facts per table"), default=dict, help_text=_("table → {facts, inserted}")
    )
    skipped_rows = models.PositiveIntegerField(_("skipped rows"), default=0)
    skipped = models.JSONField(_("skipped rows and why"), default=list, blank=True)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    rolled_back_at = models.DateTimeField(_("rolled back at"), null=True, blank=True)
    rolled_back_by = models.CharField(_("rolled back by"), max_length=150, blank=True)
    removed = models.JSONField(_("facts removed per table"), default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        names = ", ".join(f.name for f in self.files.all()[:3]) or self.batch_id
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.mapping_name}: {names}"

    @property
    def inserted(self) -> int:
        """Facts this import wrote (0 when it found them all stored already)."""
        return sum(int(c.get("inserted", 0)) for c in self.counts.values())

    @property
    def can_roll_back(self) -> bool:
        return self.status == Status.IMPORTED


class ImportFile(models.Model):
    """One file of an import, by name and content hash."""

    record = models.ForeignKey(ImportRecord, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("bytes"))
    format = models.CharField(_("format"), max_length=16)
    rows = models.PositiveBigIntegerField(_("rows"), default=0)
    details = models.JSONField(_("read as"), default=dict, blank=True)

    class Meta:
        ordering = ["record", "id"]
        verbose_name = _("imported file")
        verbose_name_plural = _("imported files")

    def __str__(self) -> str:
        return f"{self.name} ({self.sha256[:12]})"


class MappingProfile(models.Model):
    """A saved, editable mapping (see the module docstring)."""

    name = models.SlugField(_("name"), max_length=100, unique=True)
    based_on = models.CharField(_("copied from"), max_length=100, blank=True)
    definition = models.JSONField(_("mapping"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mapping profile")
        verbose_name_plural = _("mapping profiles")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.name in PROFILES:
            raise ValidationError(
                {"name": _("%(name)s is a built-in profile name") % {"name": self.name}}
            )
        try:
            mapping = self.as_mapping()
        except (MappingError, KeyError, TypeError, ValueError) as error:
            raise ValidationError({"definition": str(error)}) from None
        if mapping.name != self.name:
            raise ValidationError({"definition": _("the mapping's name must be the profile's")})

    def as_mapping(self) -> Mapping:
        """The mapping the importer reads with."""
        return Mapping.from_dict(self.definition)


class ApiBatch(models.Model):
    """A batch of facts sent to ``POST /api/imports/<table>`` under an idempotency key.

    The same key sent again by the same caller with the same rows gets the first answer back and
    writes nothing; with other rows it is refused. ``body_sha256`` fingerprints the rows.
    """

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("idempotency key"), max_length=255)
    table = models.CharField(_("fact table"), max_length=32)
    body_sha256 = models.CharField(_("SHA-256 of the rows"), max_length=64)
    record = models.ForeignKey(ImportRecord, on_delete=models.CASCADE, related_name="+")
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor", "key"], name="api_batch_unique_key")
        ]
        verbose_name = _("API batch")
        verbose_name_plural = _("API batches")

    def __str__(self) -> str:
        return f"{self.table} {self.key}"


class WebhookNonce(models.Model):
    """A webhook request already accepted: its nonce may not be used again (replay)."""

    nonce = models.CharField(_("nonce"), max_length=128, unique=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("webhook nonce")
        verbose_name_plural = _("webhook nonces")

    def __str__(self) -> str:
        return self.nonce


class Phase(models.TextChoices):
    PREVIEWING = "previewing", _("Checking the files")
    PREVIEWED = "previewed", _("Ready to import")
    COMMITTING = "committing", _("Importing")
    COMMITTED = "committed", _("Imported")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """An import started in the web app: uploaded files checked, then committed, in the
    background; the page follows ``phase`` and ``progress``."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    folder = models.CharField(_("folder"), max_length=500)
    mapping_name = models.CharField(_("mapping"), max_length=100)
    options = models.JSONField(_("reading options"), default=dict, blank=True)
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices)
    progress = models.JSONField(_("progress"), default=dict, blank=True)
    preview = models.JSONField(_("preview"), null=True, blank=True)
    samples = models.JSONField(_("sample values"), default=dict, blank=True)
    record = models.ForeignKey(
        ImportRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"import job {self.pk} ({self.phase})"

    @property
    def running(self) -> bool:
        return self.phase in (Phase.PREVIEWING, Phase.COMMITTING)
