"""Meetings of the two teams: goal-setting sessions and joint reviews, with their minutes.

A **goal-setting session** walks through the five questions for each goal on its agenda, with a
time budget split equally between marketing and sales. The time each team used is stored here (a
running timer keeps the instant it started), so a reload loses nothing. The answers are written
into the goals through the goals services; ``SessionAnswer`` keeps, for the minutes, what was added
to which goal.

A **review** has an agenda built from the data (goal status, late check-ins, open asks, SLA
breaches, funnel stalls). Opening and closing it freeze a snapshot of those numbers into the
review, so later facts do not rewrite its minutes.

Both keep their decisions as ``Decision`` rows (one of ``session`` or ``review`` is set).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alinea.apps.goals.models import AskTeam, Goal, ResourceKind


class Team(models.TextChoices):
    MARKETING = "marketing", _("Marketing")
    SALES = "sales", _("Sales")


class Question(models.TextChoices):
    """The five questions asked of every goal, in the order they are asked."""

    WHAT_WHY = "what_why", _("What do we want, and why does it matter?")
    INITIATIVES = "initiatives", _("Which initiatives get us there?")
    OBSTACLES = "obstacles", _("What stands in the way?")
    RESOURCES = "resources", _("Which resources, data or analysis do we need?")
    HELP = "help", _("How can the other team help?")


class SessionStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    CLOSED = "closed", _("Closed")


class ReviewStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("In progress")
    CLOSED = "closed", _("Closed")


_user = {"on_delete": models.SET_NULL, "null": True, "blank": True, "related_name": "+"}


class GoalSession(models.Model):
    """A goal-setting session (meeting mode)."""

    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    budget_minutes = models.PositiveIntegerField(
        _("time budget (minutes, split equally)"), validators=[MinValueValidator(2)]
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="goal_sessions", verbose_name=_("participants")
    )
    goals = models.ManyToManyField(Goal, through="SessionGoal", related_name="sessions")
    status = models.CharField(
        _("status"), max_length=16, choices=SessionStatus, default=SessionStatus.OPEN
    )
    marketing_seconds = models.FloatField(_("marketing's time used (s)"), default=0)
    sales_seconds = models.FloatField(_("sales' time used (s)"), default=0)
    running_team = models.CharField(_("timer running for"), max_length=16, blank=True)
    running_since = models.DateTimeField(_("timer started at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, **_user)  # type: ignore[arg-type]
    created_at = models.DateTimeField(_("created at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("goal-setting session")
        verbose_name_plural = _("goal-setting sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(running_team="", running_since__isnull=True)
                | Q(running_team__in=["marketing", "sales"], running_since__isnull=False),
                name="reviews_timer_team_and_start_together",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def seconds_per_team(self) -> float:
        return self.budget_minutes * 60 / 2


class SessionGoal(models.Model):
    """A goal on a session's agenda, at ``position``."""

    session = models.ForeignKey(GoalSession, on_delete=models.CASCADE, related_name="agenda")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "goal"], name="reviews_goal_once_a_session")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.goal_id}"


class SessionAnswer(models.Model):
    """For the minutes: what an answer in the session added to (or changed in) a goal."""

    session = models.ForeignKey(GoalSession, on_delete=models.CASCADE, related_name="answers")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="+")
    question = models.CharField(_("question"), max_length=16, choices=Question)
    #: ``title``/``why`` for the first question, the resource kind, the asked team; else blank.
    kind = models.CharField(_("kind"), max_length=16, blank=True)
    text = models.TextField(_("what was added"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, **_user)  # type: ignore[arg-type]
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.goal_id} {self.question}: {self.text[:60]}"

    def kind_label(self) -> str:
        """The kind in words: what/why, the resource kind or the asked team ('' without one)."""
        labels = {"title": _("What"), "why": _("Why"), **dict(ResourceKind.choices),
                  **dict(AskTeam.choices)}  # fmt: skip
        return str(labels.get(self.kind, self.kind))


class Review(models.Model):
    """A joint review meeting; its agenda and metrics are frozen when it opens and closes."""

    title = models.CharField(_("title"), max_length=200)
    scheduled_for = models.DateField(_("date"))
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="reviews", verbose_name=_("participants")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReviewStatus, default=ReviewStatus.PLANNED
    )
    opening_snapshot = models.JSONField(
        _("agenda and metrics when it opened"), null=True, blank=True
    )
    closing_snapshot = models.JSONField(_("metrics when it closed"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, **_user)  # type: ignore[arg-type]
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """A decision taken in a session or a review."""

    session = models.ForeignKey(
        GoalSession, on_delete=models.CASCADE, null=True, blank=True, related_name="decisions"
    )
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="decisions"
    )
    text = models.TextField(_("decision"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, **_user)  # type: ignore[arg-type]
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(session__isnull=False, review__isnull=True)
                | Q(session__isnull=True, review__isnull=False),
                name="reviews_decision_of_one_meeting",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]
