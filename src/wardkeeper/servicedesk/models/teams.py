"""Teams, their on-call rotas and leave overrides (owned by the rota work)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wardkeeper.core.models.base import AuditedModel

__all__ = ["Rota", "RotaKind", "RotaMember", "RotaOverride", "Shift", "Team"]


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("%(value)s is not a time zone (try Asia/Shanghai)."),
            params={"value": value},
        ) from exc


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class RotaKind(models.TextChoices):
    WEEKLY = "weekly", _("weekly rotation")
    SHIFTS = "shifts", _("custom shifts")


class Team(AuditedModel):
    """A team of engineers that takes tickets of some categories, optionally
    only in some places (a campus, a building)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    # Ticket categories (choices.Category values) this team takes.
    categories = models.JSONField(_("categories"), default=list, blank=True)
    # Places served; none means everywhere. A ticket's place matches when it
    # lies inside one of them.
    locations = models.ManyToManyField(
        "inventory.Location",
        verbose_name=_("places served"),
        blank=True,
        related_name="+",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        blank=True,
        related_name="service_teams",
    )
    email = models.EmailField(_("team e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("servicedesk:team-detail", args=[self.pk])

    def category_labels(self) -> list[str]:
        from wardkeeper.servicedesk.choices import Category

        labels = dict(Category.choices)
        return [str(labels.get(code, code)) for code in self.categories]

    def can_cover(self, user: object) -> bool:
        """May ``user`` add leave overrides to this team's rotas? Desk
        configurers may; so may the team's own lead."""
        if not getattr(user, "is_authenticated", False):
            return False
        if user.has_perm("servicedesk.add_rotaoverride"):  # type: ignore[attr-defined]
            return True
        return self.lead_id is not None and self.lead_id == user.pk  # type: ignore[attr-defined]


class Rota(AuditedModel):
    """An on-call rota of a team. Weekly: the members take turns a week at a
    time, handing over on a weekday at a local time (week N belongs to member
    N mod the number of members). Custom shifts: explicit periods per engineer.
    When a team has several rotas, the first (by order) with someone on call
    wins, so a night rota can sit beside a day rota."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="rotas"
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=8, choices=RotaKind.choices, default=RotaKind.WEEKLY
    )
    order = models.PositiveSmallIntegerField(
        _("order"),
        default=0,
        help_text=_("When rotas overlap, the lower number is asked first."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Shanghai",
        validators=[validate_time_zone],
    )
    # Weekly rotation: member 0 takes the first handover on or after starts_on.
    starts_on = models.DateField(_("starts on"), default=dt.date.today)
    handover_weekday = models.IntegerField(
        _("handover day"), choices=Weekday.choices, default=Weekday.MONDAY
    )
    handover_time = models.TimeField(_("handover time"), default=dt.time(9, 0))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("rota")
        verbose_name_plural = _("rotas")
        ordering = ["team", "order", "id"]

    def __str__(self) -> str:
        return f"{self.team} · {self.name}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def first_handover(self) -> dt.datetime:
        """The wall-clock moment (naive, in the rota's zone) week 0 begins."""
        ahead = (self.handover_weekday - self.starts_on.weekday()) % 7
        day = self.starts_on + dt.timedelta(days=ahead)
        return dt.datetime.combine(day, self.handover_time)


class RotaMember(AuditedModel):
    """A place in a weekly rotation: who takes the week at this position."""

    rota = models.ForeignKey(
        Rota, verbose_name=_("rota"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("engineer"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("rota member")
        verbose_name_plural = _("rota members")
        ordering = ["rota", "position", "id"]

    def __str__(self) -> str:
        return f"{self.position + 1}. {self.user}"


class Shift(AuditedModel):
    """One explicit on-call period of an engineer in a custom-shift rota."""

    rota = models.ForeignKey(
        Rota, verbose_name=_("rota"), on_delete=models.CASCADE, related_name="shifts"
    )
    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("engineer"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["rota", "starts_at", "id"]
        indexes = [models.Index(fields=["rota", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.engineer} {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        _check_period(self.starts_at, self.ends_at)


class RotaOverride(AuditedModel):
    """Leave cover: between two times, ``engineer`` is on call wherever
    ``covers_for`` would have been in this team's rotas."""

    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        related_name="overrides",
    )
    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("covering engineer"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    covers_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("covers for"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    starts_at = models.DateTimeField(pgettext_lazy("leave cover", "from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("leave override")
        verbose_name_plural = _("leave overrides")
        ordering = ["team", "starts_at", "id"]
        indexes = [models.Index(fields=["team", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.engineer} ↔ {self.covers_for} {self.starts_at:%Y-%m-%d}"

    def clean(self) -> None:
        _check_period(self.starts_at, self.ends_at)
        if self.engineer_id and self.engineer_id == self.covers_for_id:
            raise ValidationError(
                {"engineer": _("Someone else must cover; pick another engineer.")}
            )


def _check_period(start: dt.datetime | None, end: dt.datetime | None) -> None:
    if start and end and end <= start:
        raise ValidationError({"ends_at": _("The end must come after the start.")})
