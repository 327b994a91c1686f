"""Forms of the report screen, the reporter's confirmation and the engineer's
actions on a ticket. They parse and check input; the ticket service acts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models import Attachment
from wardkeeper.core.views.generic import style_form
from wardkeeper.inventory.choices import LocationKind
from wardkeeper.inventory.models import Asset, Department, Location
from wardkeeper.servicedesk.choices import (
    Category,
    Impact,
    Priority,
    ResolutionCode,
    Source,
    TicketState,
    Urgency,
    WaitingFor,
)
from wardkeeper.servicedesk.models import Team
from wardkeeper.servicedesk.services.tickets import Report

# The icon (Bootstrap Icons) beside each category on the report screen.
CATEGORY_ICONS = {
    Category.HARDWARE: "pc-display",
    Category.NETWORK: "wifi-off",
    Category.SOFTWARE: "window-x",
    Category.DATA: "database-exclamation",
    Category.ACCESS: "person-lock",
    Category.SECURITY: "shield-exclamation",
}
RATINGS = [(n, str(n)) for n in range(1, 6)]


def check_size(upload: Any) -> Any:
    limit = settings.UPLOAD_MAX_MB
    if upload and upload.size > limit * 1024 * 1024:
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": limit})
    return upload


def photo_field(label: Any) -> forms.FileField:
    """A file input that opens the phone's camera (any file is still accepted
    on a desktop)."""
    return forms.FileField(
        label=label,
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": ""}),
    )


def engineers() -> QuerySet[Any]:
    """People who may work tickets: the assignee choices."""
    user = get_user_model()
    perm = Q(groups__permissions__codename="work_ticket") | Q(
        user_permissions__codename="work_ticket"
    )
    return user.objects.filter(perm, is_active=True).distinct().order_by("username")


class ReportForm(forms.Form):
    """One screen: what is broken, where, how bad, how to call back."""

    asset_tag = forms.CharField(
        label=_("Asset tag"),
        required=False,
        max_length=100,
        help_text=_("On the label of the device. Leave empty if there is none."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters"}),
    )
    title = forms.CharField(label=_("What's wrong?"), max_length=200)
    description = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you see, since when, what you tried."),
    )
    category = forms.ChoiceField(
        label=_("What kind of problem?"),
        choices=Category.choices,
        initial=Category.HARDWARE,
        widget=forms.RadioSelect,
    )
    impact = forms.TypedChoiceField(
        label=_("Who is affected?"),
        choices=Impact.choices,
        coerce=int,
        initial=Impact.ONE,
        widget=forms.RadioSelect,
    )
    urgency = forms.TypedChoiceField(
        label=_("How urgent?"),
        choices=Urgency.choices,
        coerce=int,
        initial=Urgency.MEDIUM,
        widget=forms.RadioSelect,
    )
    reporter_phone = forms.CharField(
        label=_("Call-back number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    location = forms.ModelChoiceField(
        label=_("Where?"),
        required=False,
        queryset=Location.objects.filter(kind=LocationKind.ROOM).order_by("full_name"),
    )
    department = forms.ModelChoiceField(
        label=_("Department"), required=False, queryset=Department.objects.all()
    )
    photo = photo_field(_("Photo (optional)"))
    source = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asset: Asset | None = None
        style_form(self)

    def clean_asset_tag(self) -> str:
        tag = self.cleaned_data["asset_tag"].strip()
        if tag:
            self.asset = (
                Asset.objects.select_related("location", "department")
                .filter(tag__iexact=tag)
                .first()
            )
            if self.asset is None:
                raise ValidationError(
                    _(
                        "No device has the tag %(tag)s. Check the label, or leave it empty."
                    )
                    % {"tag": tag}
                )
        return tag

    def clean_photo(self) -> Any:
        return check_size(self.cleaned_data.get("photo"))

    def report(self, user: Any) -> Report:
        data = self.cleaned_data
        source = Source.LABEL if data["source"] == Source.LABEL else Source.FORM
        return Report(
            title=data["title"],
            description=data["description"],
            category=data["category"],
            impact=data["impact"],
            urgency=data["urgency"],
            asset=self.asset,
            # A device says where it is; the fields are for faults without one.
            location=None if self.asset else data["location"],
            department=None if self.asset else data["department"],
            reporter=user,
            reporter_phone=data["reporter_phone"],
            source=source,
        )


class ConfirmForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How was the repair? (1 poor, 5 excellent)"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(forms.Form):
    note = forms.CharField(
        label=_("What is still wrong?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class JoinForm(forms.Form):
    note = forms.CharField(label=_("Anything to add?"), required=False, max_length=500)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Engineer"), queryset=engineers())
    team = forms.ModelChoiceField(
        label=_("Team"), required=False, queryset=Team.objects.filter(is_active=True)
    )


class MoveForm(forms.Form):
    """A plain move (start work, close, reopen) with an optional note."""

    to = forms.ChoiceField(choices=TicketState.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False)


class WaitForm(forms.Form):
    waiting_for = forms.ChoiceField(label=_("Waiting for"), choices=WaitingFor.choices)
    note = forms.CharField(label=_("Note"), required=False)


class ResolveForm(forms.Form):
    resolution_code = forms.ChoiceField(
        label=_("Resolution"), choices=ResolutionCode.choices
    )
    cause = forms.CharField(label=_("Cause"), max_length=200)
    resolution = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3})
    )


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        help_text=_("Needed to go below what the rules give."),
    )


class WorkLogForm(forms.Form):
    note = forms.CharField(
        label=_("Work done"), widget=forms.Textarea(attrs={"rows": 2})
    )
    minutes = forms.IntegerField(
        label=_("Minutes"), min_value=0, max_value=24 * 60, initial=0
    )
    public = forms.BooleanField(label=_("Show to the reporter"), required=False)


class VisitForm(forms.Form):
    arrived_at = forms.DateTimeField(
        label=_("Arrived"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )
    left_at = forms.DateTimeField(
        label=_("Left"),
        required=False,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"arrived_at": timezone.localtime().replace(second=0)}
        )
        super().__init__(*args, **kwargs)


class PhotoForm(forms.ModelForm):
    """A photo or document kept with the ticket."""

    file = photo_field(_("Photo or file"))

    class Meta:
        model = Attachment
        fields = ["file", "description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].required = True

    def clean_file(self) -> Any:
        return check_size(self.cleaned_data["file"])
