"""Stage definitions: what makes a lead an MQL, an SQL or any stage of the workspace, versioned.

Each version stores the definition document (``alinea.analytics.scoring.document``) and is signed
by both team leads (``alinea.apps.approval``); activating a version retires the one in force for
the same stage, so each stage has at most one active version (a database constraint).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Status is re-exported: this app's callers name a version's status through this module.
from alinea.apps.approval.models import SignedAgreement
from alinea.apps.approval.models import Status as Status
from alinea.warehouse.schema import LIFECYCLE_STAGES

#: Stages a definition may qualify leads for: every lifecycle stage after ``lead``.
STAGES: tuple[str, ...] = LIFECYCLE_STAGES[LIFECYCLE_STAGES.index("lead") + 1 :]


def _known_stage(value: str) -> None:
    if value not in STAGES:
        raise ValidationError(
            _("Unknown stage %(stage)s; known: %(known)s"),
            params={"stage": value, "known": ", ".join(STAGES)},
        )


class StageDefinition(SignedAgreement):
    """One version of the definition of one stage."""

    stage = models.CharField(_("stage"), max_length=32, validators=[_known_stage])
    version = models.PositiveIntegerField(_("version"))
    note = models.TextField(_("what changed and why"), blank=True)
    document = models.JSONField(_("definition"))

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
