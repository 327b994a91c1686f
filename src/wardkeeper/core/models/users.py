from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in to Wardkeeper: an IT engineer, a director, or a ward
    clerk who reports faults. Roles (groups) say what each may read and change."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        help_text=_("Empty: the site default."),
    )
    is_break_glass = models.BooleanField(
        _("break-glass account"),
        default=False,
        help_text=_(
            "An emergency account kept sealed; every sign-in and action by it is "
            "flagged in the audit trail."
        ),
    )
    password_changed_at = models.DateTimeField(
        _("password changed"), null=True, blank=True
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_(
            "Set when an administrator chose or reset the password: the person "
            "picks their own at the next sign-in."
        ),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        permissions = [
            ("manage_accounts", _("Create, disable and edit accounts")),
            ("manage_roles", _("Grant roles and edit security settings")),
        ]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def role_codes(self) -> set[str]:
        """Codes of the roles (groups) this user holds."""
        return {group.name for group in self.groups.all()}

    def role_labels(self) -> list[str]:
        """Names of the roles this user holds, in the order of the role table."""
        from wardkeeper.core.roles import BY_CODE, label

        codes = self.role_codes()
        return [label(code) for code in BY_CODE if code in codes]
