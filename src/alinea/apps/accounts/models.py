"""Who uses alinea: users, the teams they belong to with a role, and their API tokens.

``User.person_id`` links a login to the warehouse's ``people`` fact (a rep, marketer or manager), so
that "my leads" and "my SLA" can be computed from facts. It lives on the user itself (a custom user
model, set up before the first migration as Django recommends) rather than on a profile: a person is
one person whatever teams they belong to. Empty means "not linked".
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    AUDIT_EXCLUDE = ("password",)

    person_id = models.CharField(
        _("person id"),
        max_length=64,
        blank=True,
        default="",
        help_text=_("The person_id of this user in the warehouse's people facts."),
    )

    class Meta(AbstractUser.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["person_id"], condition=~Q(person_id=""), name="unique_person_id"
            )
        ]


class Team(models.Model):
    """A team: marketing, sales or leadership. Agreements are owned by teams, not by people."""

    slug = models.SlugField(_("slug"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the reader's language for the standard teams, else the stored name."""
        label = TEAM_LABELS.get(self.slug)
        return str(label) if label is not None else self.name


#: Names of the standard teams, translated; other teams show their stored name.
TEAM_LABELS = {
    "marketing": _("Marketing"),
    "sales": _("Sales"),
    "leadership": _("Leadership"),
}


class Role(models.TextChoices):
    """What a member may do; see ``alinea.apps.accounts.permissions`` for the exact rules."""

    VIEWER = "viewer", _("Viewer")
    MEMBER = "member", _("Member")
    TEAM_LEAD = "team_lead", _("Team lead")
    ADMIN = "admin", _("Admin")


class Membership(models.Model):
    """User U belongs to team T with role R (at most one role per team)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["team__slug", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="one_membership_per_team")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.team} · {self.get_role_display()}"


class ApiToken(models.Model):
    """A bearer token for the REST API. Only a SHA-256 digest of the secret is stored.

    The secret is random (256 bits), so a fast hash is enough: there is nothing to brute-force.
    ``prefix`` (the first characters of the secret) lets a person tell their tokens apart.
    """

    AUDIT_EXCLUDE = ("digest",)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
