"""Forms and list filters of the backup pages (destinations, jobs, runs); the
API uses the same filters, fields and rules. A job's repository password is
write-only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.continuity.forms_systems import asset_tag_field, name_taken
from wardkeeper.continuity.models import (
    BackupDestination,
    BackupJob,
    BackupRun,
    DataStore,
    ProtectedSystem,
)
from wardkeeper.inventory.forms.fields import location_field

GB = 1024**3

# What the pages edit; the API shows and takes the same (and a job's
# expected size in bytes and its write-only password).
DESTINATION_FIELDS = [
    "name",
    "media",
    "offsite",
    "immutable",
    "offline",
    "location",
    "asset",
    "stale_days",
    "description",
]
JOB_FIELDS = [
    "system",
    "name",
    "tool",
    "data_stores",
    "destination",
    "schedule",
    "retention",
    "size_change_ratio",
    "repository",
    "source_path",
    "enabled",
]


def job_errors(
    system: ProtectedSystem | None,
    name: str,
    stores: Iterable[DataStore],
    instance: BackupJob | None,
) -> dict[str, str]:
    """What is wrong with a job's name and data stores, field by field."""
    errors = {}
    if system is not None:
        foreign = [str(store) for store in stores if store.system_id != system.pk]
        if foreign:
            errors["data_stores"] = _t("Not data of %(system)s: %(stores)s.") % {
                "system": system,
                "stores": ", ".join(foreign),
            }
    if system and name and name_taken(BackupJob, system, name, instance):
        errors["name"] = _t("This system already has a job of that name.")
    return errors


class BackupDestinationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Name")
    )

    class Meta:
        model = BackupDestination
        fields = ["q", "media", "offsite", "immutable", "offline"]


class BackupJobFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or repository"))

    class Meta:
        model = BackupJob
        fields = ["q", "system", "tool", "destination", "enabled"]

    def search(self, rows: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        text = value.strip()
        return rows.filter(Q(name__icontains=text) | Q(repository__icontains=text))


class BackupRunFilter(django_filters.FilterSet):
    since = django_filters.IsoDateTimeFilter(
        field_name="started_at", lookup_expr="gte", label=_("Started since")
    )

    class Meta:
        model = BackupRun
        fields = ["job", "status", "source", "since"]


class BackupDestinationForm(forms.ModelForm):
    location = location_field(_("Location (code)"))
    asset = asset_tag_field(_("Device (asset tag)"))

    class Meta:
        model = BackupDestination
        fields = DESTINATION_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class BackupJobForm(forms.ModelForm):
    """The password box never shows what is stored: empty keeps it, a value
    replaces it, the tick removes it."""

    expected_size_gb = forms.DecimalField(
        label=_("Expected size (GB)"),
        required=False,
        min_value=0,
        decimal_places=2,
        help_text=_("What a normal run stores; leave empty to learn from the runs."),
    )
    new_password = forms.CharField(
        label=_("Repository password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Stored encrypted and never shown again; leave empty to keep "
            "what is stored."
        ),
    )
    clear_password = forms.BooleanField(
        label=_("Remove the stored password"), required=False
    )

    class Meta:
        model = BackupJob
        fields = JOB_FIELDS
        widgets = {"data_stores": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        system = self._system()
        stores = DataStore.objects.select_related("system")
        field = self.fields["data_stores"]
        field.queryset = stores.filter(system=system) if system else stores  # type: ignore[attr-defined]
        field.help_text = _("The system's data stores this job backs up.")
        size = self.instance.expected_size_bytes
        if size is not None:
            self.initial["expected_size_gb"] = round(size / GB, 2)
        if self.instance.repository_password:
            self.fields["new_password"].help_text = _(
                "A password is stored (encrypted; never shown). Leave empty to keep it."
            )

    def _system(self) -> ProtectedSystem | None:
        key = self.data.get("system") or self.initial.get("system")
        if self.instance.system_id and not key:
            return self.instance.system
        if isinstance(key, ProtectedSystem):
            return key
        return ProtectedSystem.objects.filter(pk=key).first() if key else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        found = job_errors(
            data.get("system"),
            data.get("name", ""),
            data.get("data_stores") or [],
            self.instance,
        )
        for field, message in found.items():
            self.add_error(field, message)
        return data

    def save(self, commit: bool = True) -> Any:
        job = self.instance
        size = self.cleaned_data.get("expected_size_gb")
        job.expected_size_bytes = None if size is None else int(size * GB)
        if self.cleaned_data.get("clear_password"):
            job.repository_password = ""
        elif self.cleaned_data.get("new_password"):
            job.repository_password = self.cleaned_data["new_password"]
        return super().save(commit)
