"""The SLA agreement: versioned policies both team leads sign, their calendars, and sent alerts.

A version is a whole agreement (both sides, recycling rules and calendars), signed by both team
leads (``alinea.apps.approval``); activating a version retires the one in force, so at most one
version is active.

``SlaAlert`` is the claim the alerts worker writes before sending: one row per (MQL event, clock,
event kind), unique, so a notification goes out once even with two workers or after a restart.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Status is re-exported: this app's callers name a version's status through this module.
from alinea.apps.approval.models import SignedAgreement
from alinea.apps.approval.models import Status as Status


class ClockStart(models.TextChoices):
    MQL = "mql", _("When the lead becomes an MQL")
    ASSIGNMENT = "assignment", _("When the MQL is assigned to a rep")


class Every(models.TextChoices):
    WEEK = "week", _("per week")
    MONTH = "month", _("per month")


class Outcome(models.TextChoices):
    REJECTED = "rejected", _("Rejected")
    RECYCLED = "recycled", _("Recycled to nurture")


class CalendarScope(models.TextChoices):
    DEFAULT = "default", _("Default")
    TEAM = "team", _("Sales team (manager)")
    REGION = "region", _("Region")


_share = [MinValueValidator(0), MaxValueValidator(1)]
_positive = [MinValueValidator(0.01)]


class SlaPolicy(SignedAgreement):
    """One version of the SLA both teams sign."""

    AUDIT_EXCLUDE = ()

    version = models.PositiveIntegerField(_("version"), unique=True)
    note = models.TextField(_("what changed and why"), blank=True)
    # marketing's side
    quality_floor = models.FloatField(_("quality floor"), validators=_share)
    # sales' side
    first_response_hours = models.FloatField(
        _("first response (business hours)"), validators=_positive
    )
    attempts = models.PositiveIntegerField(_("contact attempts"), validators=[MinValueValidator(1)])
    attempts_within_days = models.FloatField(
        _("attempts within (business days)"), validators=_positive
    )
    disposition_within_days = models.FloatField(
        _("disposition within (business days)"), validators=_positive
    )
    clock_starts = models.CharField(
        _("clock starts"), max_length=16, choices=ClockStart, default=ClockStart.MQL
    )
    at_risk_share = models.FloatField(
        _("at risk below this share of time left"), default=0.25, validators=_share
    )
    # recycling
    unworked_after_days = models.FloatField(
        _("unworked MQLs go back to nurture after (business days)"),
        null=True,
        blank=True,
        validators=_positive,
    )
    rep_time_zones = models.BooleanField(_("read hours in each rep's own time zone"), default=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="active"), name="sla_one_active_version"
            )
        ]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")

    def __str__(self) -> str:
        return f"SLA v{self.version} ({self.status})"

    @property
    def label(self) -> str:
        return f"SLA v{self.version}"


class DeliveryTarget(models.Model):
    """Marketing delivers at least ``mqls`` MQLs every week or month (of a segment/region)."""

    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="targets")
    mqls = models.PositiveIntegerField(_("MQLs"), validators=[MinValueValidator(1)])
    every = models.CharField(_("every"), max_length=8, choices=Every)
    segment = models.CharField(_("segment"), max_length=64, blank=True)
    region = models.CharField(_("region"), max_length=64, blank=True)

    class Meta:
        ordering = ["policy", "id"]

    def __str__(self) -> str:
        return f"{self.mqls} MQLs {self.every} {self.segment or '*'}/{self.region or '*'}"


class ReasonCode(models.Model):
    """A reason both teams agreed on for rejecting or recycling an MQL."""

    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="reasons")
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome)
    code = models.CharField(_("code"), max_length=100)
    label = models.CharField(_("label"), max_length=200, blank=True)

    class Meta:
        ordering = ["policy", "outcome", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "outcome", "code"], name="sla_reason_once_per_outcome"
            )
        ]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.code}"


class BusinessCalendar(models.Model):
    """When a team or region works: hours per weekday in a time zone, minus public holidays.

    ``hours`` maps weekday names (``monday`` …) to lists of ``"HH:MM-HH:MM"`` intervals.
    """

    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="calendars")
    scope = models.CharField(_("applies to"), max_length=16, choices=CalendarScope)
    key = models.CharField(
        _("team manager id or region"),
        max_length=64,
        blank=True,
        help_text=_("Empty for the default calendar."),
    )
    timezone = models.CharField(_("time zone"), max_length=64)
    country = models.CharField(_("holidays of country"), max_length=8, blank=True)
    subdivision = models.CharField(_("holidays of subdivision"), max_length=16, blank=True)
    hours = models.JSONField(_("working hours"))

    class Meta:
        ordering = ["policy", "scope", "key"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "scope", "key"], name="sla_calendar_once")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key or ''} {self.timezone}".strip()


class AlertEvent(models.TextChoices):
    AT_RISK = "at_risk", _("At risk")
    BREACHED = "breached", _("Breached")


class SlaAlert(models.Model):
    """An alert claimed (and then sent) for one clock of one MQL event.

    The unique ``(lead_id, event)`` pair is the claim: ``event`` is
    ``"<mql_at ISO>/<clock>/<at_risk|breached>"``, so each lead gets each alert once per MQL event.
    ``delivered`` lists the channels (``email``, ``webhook``) that went out; ``error`` is the last
    attempt's failure and ``next_attempt_at`` when the worker tries the missing channels again
    (see ``alinea.apps.sla.delivery``).
    """

    #: Attempts before an alert that keeps failing is left as failed.
    MAX_ATTEMPTS = 6

    lead_id = models.CharField(max_length=64)
    event = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=AlertEvent)
    rep_id = models.CharField(max_length=64, blank=True)
    recipients = models.JSONField(default=list)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    delivered = models.JSONField(default=list)

    class Meta:
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["lead_id", "event"], name="sla_alert_once_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.lead_id} {self.event}"

    @property
    def state(self) -> str:
        """``sent``; ``retrying`` (waiting for its next attempt); ``failed`` (out of attempts);
        or ``sending`` (claimed, outcome not recorded: in flight, or its worker stopped)."""
        if self.sent_at is not None:
            return "sent"
        if self.next_attempt_at is not None:
            return "retrying"
        if self.error and self.attempts >= self.MAX_ATTEMPTS:
            return "failed"
        return "sending"
