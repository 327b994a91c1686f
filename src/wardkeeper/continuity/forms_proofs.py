"""Forms and list filters of the restore-test pages; the API uses the same
filters, fields and rules (``test_errors``, ``query_errors``), and the form
recording a restore done by hand (its rules: ``proofs.manual_errors``)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.db.models import BLANK_CHOICE_DASH
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.continuity.choices import CompareWith, Expectation, RestoreMethod
from wardkeeper.continuity.models import (
    BackupJob,
    ProtectedSystem,
    RestoreRun,
    RestoreTest,
    SanityQuery,
)
from wardkeeper.continuity.services import proofs
from wardkeeper.continuity.services.restore import method_problem

_SELECT = re.compile(r"^\s*(select|with)\b", re.IGNORECASE)

# What the pages edit; the API shows and takes the same.
TEST_FIELDS = [
    "job",
    "name",
    "method",
    "sample_files",
    "compare_with",
    "every_days",
    "enabled",
]
QUERY_FIELDS = ["position", "label", "sql", "expectation", "value"]


def test_errors(
    job: BackupJob | None, method: str, compare_with: str, sample_files: Any
) -> dict[str, str]:
    """What is wrong with a restore test's settings, field by field."""
    errors = method_errors(job, method, compare_with)
    if sample_files == 0:
        errors["sample_files"] = _t("Sample at least one file.")
    return errors


def method_errors(
    job: BackupJob | None, method: str, compare_with: str
) -> dict[str, str]:
    """What is wrong with a test's method for its job, field by field."""
    errors: dict[str, str] = {}
    if method == RestoreMethod.MANUAL:
        errors["method"] = _t(
            "Restores done by hand are not set up as a test: record each one "
            "with “Record a restore” on the job's page."
        )
        return errors
    if job is None:
        return errors
    problem = method_problem(job.tool, method)
    if problem:
        errors["method"] = problem
    if (
        method != RestoreMethod.DATABASE
        and compare_with == CompareWith.LIVE
        and not job.source_path
    ):
        errors["compare_with"] = _t(
            "The job has no live data path to compare with: set it on the job first."
        )
    return errors


def query_errors(sql: str, expectation: str, value: str) -> dict[str, str]:
    """A sanity query is one SELECT; its value must suit its expectation."""
    errors = {}
    body = sql.strip().rstrip(";")
    if not _SELECT.match(body) or ";" in body:
        errors["sql"] = _t("Write one SELECT (or WITH … SELECT) statement.")
    if expectation != Expectation.EQUALS:
        try:
            Decimal(value.strip())
        except InvalidOperation:
            errors["value"] = _t("Write a number.")
    return errors


class RestoreTestForm(forms.ModelForm):
    class Meta:
        model = RestoreTest
        fields = TEST_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        job = self.fields["job"]
        assert isinstance(job, forms.ModelChoiceField)
        job.queryset = BackupJob.objects.select_related("system")
        self.fields["sample_files"].widget.attrs["min"] = 1
        method = self.fields["method"]
        assert isinstance(method, forms.ChoiceField)
        # Wardkeeper's own methods; a restore done by hand is recorded.
        method.choices = [
            (value, label)
            for value, label in [*BLANK_CHOICE_DASH, *RestoreMethod.choices]
            if value != RestoreMethod.MANUAL
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        found = test_errors(
            data.get("job"),
            data.get("method", ""),
            data.get("compare_with", ""),
            data.get("sample_files"),
        )
        for field, message in found.items():
            self.add_error(field, message)
        return data


class ManualRestoreForm(forms.Form):
    """A restore done by hand (a vendor's tape restore, a base backup brought
    up on a spare server), as the engineer who did or saw it reports it."""

    job = forms.ModelChoiceField(
        label=_("Backup job"), queryset=BackupJob.objects.select_related("system")
    )
    performed_at = forms.DateTimeField(
        label=_("Restored at"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )
    duration_minutes = forms.DecimalField(
        label=_("Duration (minutes)"),
        min_value=Decimal("0.1"),
        max_digits=8,
        decimal_places=1,
        help_text=_("How long the restore took, compared with the system's RTO."),
    )
    restored = forms.CharField(
        label=_("What was restored"),
        max_length=300,
        help_text=_(
            "Which backup (tape label, backup set), how much of it, onto what "
            "(e.g. tape A00123 — the full PACS database onto pacs-test-02)."
        ),
    )
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("passed: the data read back and was usable")),
                 ("0", _("failed"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )  # fmt: skip
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who restored it, what was checked, what went wrong."),
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("The vendor's restore report, a screenshot, a log."),
    )

    def clean_evidence_file(self) -> Any:
        upload = self.cleaned_data.get("evidence_file")
        limit = settings.UPLOAD_MAX_MB
        if upload and upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                _t("The file is larger than %(mb)s MB.") % {"mb": limit}
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            for field, message in proofs.manual_errors(
                self.restore(), timezone.now()
            ).items():
                self.add_error(field, message)
        return data

    def restore(self) -> proofs.ManualRestore:
        """The cleaned form as the service takes it."""
        data = self.cleaned_data
        return proofs.ManualRestore(
            job=data["job"],
            performed_at=data["performed_at"],
            duration=dt.timedelta(minutes=float(data["duration_minutes"])),
            restored=data["restored"],
            passed=data["passed"],
            notes=data.get("notes", ""),
            evidence_file=data.get("evidence_file"),
        )


class SanityQueryForm(forms.ModelForm):
    class Meta:
        model = SanityQuery
        fields = QUERY_FIELDS
        widgets = {"sql": forms.Textarea(attrs={"rows": 2, "class": "wk-code"})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sql") and data.get("expectation") and data.get("value"):
            for field, message in query_errors(
                data["sql"], data["expectation"], data["value"]
            ).items():
                self.add_error(field, message)
        return data


SanityQueryFormSet: Any = inlineformset_factory(
    RestoreTest,
    SanityQuery,
    form=SanityQueryForm,
    extra=2,
    can_delete=True,
)


class RestoreTestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Name")
    )
    system = django_filters.ModelChoiceFilter(
        field_name="job__system",
        queryset=ProtectedSystem.objects.all(),
        label=_("System"),
    )
    job = django_filters.ModelChoiceFilter(
        queryset=BackupJob.objects.select_related("system"), label=_("Backup job")
    )

    class Meta:
        model = RestoreTest
        fields = ["q", "system", "job", "method", "enabled"]


class RestoreRunFilter(django_filters.FilterSet):
    system = django_filters.ModelChoiceFilter(
        field_name="test__job__system",
        queryset=ProtectedSystem.objects.all(),
        label=_("System"),
    )
    job = django_filters.ModelChoiceFilter(
        field_name="test__job",
        queryset=BackupJob.objects.select_related("system"),
        label=_("Backup job"),
    )

    class Meta:
        model = RestoreRun
        fields = ["system", "job", "test", "status", "trigger", "within_rto"]
