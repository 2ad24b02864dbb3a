"""Goals both teams agree on, and what hangs on them: initiatives, obstacles, resource needs,
asks of the other team, links to other goals and check-ins.

Goals are never private: every user sees every goal. A goal's numbers (baseline, progress,
probability, SMART/FAST) are computed from the facts by ``alinea.analytics.goals``; the baseline
is also stored at creation, with how it was computed, so that a relative target keeps its meaning.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from alinea.apps.approval.models import SignedAgreement


class Owner(models.TextChoices):
    MARKETING = "marketing", _("Marketing")
    SALES = "sales", _("Sales")
    JOINT = "joint", _("Joint (marketing and sales)")


class TargetKind(models.TextChoices):
    ABSOLUTE = "absolute", _("Absolute value")
    RELATIVE = "relative", _("Relative change (%)")
    POINTS = "points", _("Change in percentage points (pp)")


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ResourceKind(models.TextChoices):
    INFORMATION = "information", _("Information")
    DATA = "data", _("Data")
    ANALYSIS = "analysis", _("Analysis")
    PEOPLE = "people", _("People")
    BUDGET = "budget", _("Budget")


class AskTeam(models.TextChoices):
    MARKETING = "marketing", _("Marketing")
    SALES = "sales", _("Sales")


class AskStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


_user = {"on_delete": models.SET_NULL, "null": True, "blank": True, "related_name": "+"}


class Goal(models.Model):
    title = models.CharField(_("title"), max_length=200)
    why = models.TextField(_("why it matters"), blank=True)
    owner = models.CharField(_("owner team"), max_length=16, choices=Owner)
    metric = models.CharField(_("metric"), max_length=64)
    segment = models.JSONField(_("segment"), default=dict, blank=True)
    target_kind = models.CharField(_("target kind"), max_length=16, choices=TargetKind)
    target_amount = models.FloatField(_("target"))
    period_start = models.DateField(_("first day"))
    period_last_day = models.DateField(_("last day"))
    cadence_days = models.PositiveIntegerField(
        _("review every (days)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    window_days = models.PositiveIntegerField(
        _("conversion window (days)"), default=90, validators=[MinValueValidator(1)]
    )
    baseline_value = models.FloatField(_("baseline"), null=True, blank=True)
    baseline_description = models.TextField(_("how the baseline was computed"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, **_user)  # type: ignore[arg-type]
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["period_start", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title


class Initiative(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="initiatives")
    title = models.CharField(_("initiative"), max_length=200)
    owner = models.CharField(_("owner"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=InitiativeStatus, default=InitiativeStatus.PLANNED
    )
    due = models.DateField(_("due"), null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Obstacle(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="obstacles")
    description = models.TextField(_("obstacle"))

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description[:80]


class ResourceNeed(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="resource_needs")
    kind = models.CharField(_("kind"), max_length=16, choices=ResourceKind)
    description = models.TextField(_("what is needed"))

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.description[:60]}"


class Ask(models.Model):
    """A request to the other team; only the asked team answers it."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="asks")
    asked_team = models.CharField(_("asked team"), max_length=16, choices=AskTeam)
    request = models.TextField(_("request"))
    status = models.CharField(_("status"), max_length=16, choices=AskStatus, default=AskStatus.OPEN)
    comment = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, **_user)  # type: ignore[arg-type]
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.request[:80]


class GoalLink(models.Model):
    """``goal`` supports ``supports`` (e.g. an MQL goal supports a revenue goal)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="links")
    supports = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="supported_by")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["goal", "supports"], name="goals_one_link_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(goal=models.F("supports")), name="goals_no_self_link"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id} supports {self.supports_id}"


class CheckIn(models.Model):
    """A review of the goal: the metric's value computed at that moment, a confidence, a note."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="check_ins")
    at = models.DateTimeField(_("at"))
    metric_value = models.FloatField(_("metric value"), null=True, blank=True)
    confidence = models.PositiveSmallIntegerField(
        _("confidence (0–10)"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, **_user)  # type: ignore[arg-type]

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.goal_id} @ {self.at:%Y-%m-%d}"


class GoalChange(SignedAgreement):
    """A change to a goal's target, metric, segment or period, signed by both team leads before it
    is applied: ``before`` and ``changes`` hold the old and new values (dates as ISO text)."""

    AUDIT_EXCLUDE = ()

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="changes")
    changes = models.JSONField(_("new values"))
    before = models.JSONField(_("values before"))
    reason = models.TextField(_("why change it"), blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("goal change")
        verbose_name_plural = _("goal changes")

    def __str__(self) -> str:
        return f"change {self.pk} of goal {self.goal_id}"
