"""The signing fields every signed agreement carries, as an abstract model (no table of its own).

A version moves draft → proposed → approved (the marketing team lead *and* the sales team lead
signed) → active; activating it retires the version it replaces. Changing a proposed version
sends it back to draft and drops its signatures; active and retired versions are never edited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


def _signer() -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )


class SignedAgreement(models.Model):
    """Status, author and both leads' signatures of one version of an agreement."""

    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    created_by = _signer()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    marketing_approved_by = _signer()
    marketing_approved_at = models.DateTimeField(_("marketing approved at"), null=True, blank=True)
    sales_approved_by = _signer()
    sales_approved_at = models.DateTimeField(_("sales approved at"), null=True, blank=True)
    activated_at = models.DateTimeField(_("active from"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def label(self) -> str:
        """How messages and the audit log name this version, e.g. ``SLA v3``."""
        return str(self)

    @property
    def is_editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.PROPOSED)

    def approved_by_team(self, team: str) -> bool:
        return getattr(self, f"{team}_approved_at") is not None

    def clear_signatures(self) -> None:
        """Back to an unsigned draft (after a change to a draft or proposed version)."""
        self.status = Status.DRAFT
        self.proposed_at = None
        self.marketing_approved_by = self.sales_approved_by = None
        self.marketing_approved_at = self.sales_approved_at = None
