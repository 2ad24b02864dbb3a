"""Stage definitions: what makes a lead an MQL, an SQL or any stage of the workspace, versioned.

Each version stores the definition document (``alinea.analytics.scoring.document``) and moves
draft → proposed → approved (the marketing team lead *and* the sales team lead signed) → active;
activating a version retires the one in force for the same stage, so each stage has at most one
active version (a database constraint). Changing a proposed version sends it back to draft and
drops its signatures. Active and retired versions are never edited: a change is a new version.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alinea.warehouse.schema import LIFECYCLE_STAGES

#: Stages a definition may qualify leads for: every lifecycle stage after ``lead``.
STAGES: tuple[str, ...] = LIFECYCLE_STAGES[LIFECYCLE_STAGES.index("lead") + 1 :]


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


def _known_stage(value: str) -> None:
    if value not in STAGES:
        raise ValidationError(
            _("Unknown stage %(stage)s; known: %(known)s"),
            params={"stage": value, "known": ", ".join(STAGES)},
        )


class StageDefinition(models.Model):
    """One version of the definition of one stage."""

    stage = models.CharField(_("stage"), max_length=32, validators=[_known_stage])
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    note = models.TextField(_("what changed and why"), blank=True)
    document = models.JSONField(_("definition"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    marketing_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marketing_approved_at = models.DateTimeField(_("marketing approved at"), null=True, blank=True)
    sales_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sales_approved_at = models.DateTimeField(_("sales approved at"), null=True, blank=True)
    activated_at = models.DateTimeField(_("active from"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["stage", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "version"], name="definitions_version_once_per_stage"
            ),
            models.UniqueConstraint(
                fields=["stage"],
                condition=Q(status="active"),
                name="definitions_one_active_per_stage",
            ),
        ]
        verbose_name = _("stage definition")
        verbose_name_plural = _("stage definitions")

    def __str__(self) -> str:
        return f"{self.stage.upper()} v{self.version} ({self.status})"

    @property
    def label(self) -> str:
        return f"{self.stage.upper()} v{self.version}"

    @property
    def is_editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.PROPOSED)

    def approved_by_team(self, team: str) -> bool:
        return getattr(self, f"{team}_approved_at") is not None
