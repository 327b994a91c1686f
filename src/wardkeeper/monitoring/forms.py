"""Forms of monitoring's pages: checks (secrets write-only), templates,
maintenance windows, alert rules, silencing an alert, availability reports."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.forms.fields import (
    ASSET_LOOKUP,
    PLACE_LOOKUP,
    KeysField,
    LookupBoxes,
)
from wardkeeper.inventory.models import Asset, Location
from wardkeeper.monitoring.choices import CHOOSABLE_KINDS, CheckKind
from wardkeeper.monitoring.models import (
    AlertRule,
    Check,
    CheckTemplate,
    MaintenanceWindow,
)
from wardkeeper.monitoring.services.throughput_params import (
    THROUGHPUT_INTERVAL,
    THROUGHPUT_MIN_INTERVAL,
    THROUGHPUT_TIMEOUT,
    throughput_problems,
)


class AssetTagField(forms.ModelChoiceField):
    """One asset by its tag (a text box suggesting tags, not a select of
    every asset)."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(Asset.objects.all(), to_field_name="tag", **kwargs)
        self.widget.attrs.update(
            {"data-lookup": ASSET_LOOKUP, "autocomplete": "off", "spellcheck": "false"}
        )

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return Asset.objects.filter(pk=value).values_list("tag", flat=True).first()
        return value.tag if isinstance(value, Asset) else value


class SecretsMixin(forms.ModelForm):
    """``secrets`` is write-only: the form never shows the stored value;
    an empty box keeps it, a JSON object replaces it, the tick clears it."""

    new_secrets = forms.CharField(
        label=_("Secrets"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        help_text=_(
            'A JSON object, e.g. {"community": "…"} or {"password": "…"}. '
            "Stored encrypted and never shown again; leave empty to keep "
            "what is stored."
        ),
    )
    clear_secrets = forms.BooleanField(label=_("Remove the secrets"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:  # heartbeats are the system's, not chosen
            self.fields["kind"].choices = CHOOSABLE_KINDS  # type: ignore[attr-defined]

    def clean_new_secrets(self) -> str:
        text = self.cleaned_data["new_secrets"].strip()
        if not text:
            return ""
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(_("This is not valid JSON.")) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Give a JSON object: {…}."))
        return json.dumps(value)

    def save(self, commit: bool = True) -> Any:
        obj = self.instance
        if self.cleaned_data.get("clear_secrets"):
            obj.secrets = ""
        elif self.cleaned_data.get("new_secrets"):
            obj.secrets = self.cleaned_data["new_secrets"]
        return super().save(commit)


# A throughput run moves size_mb over the link: rare by default, never often.
PARAMS_HELP = _(
    "The probe's parameters, as JSON. Throughput: "
    '{"size_mb": 50, "min_mbps": 200, "port": 5201} to a sink, or '
    '{"mode": "http", "url": "https://pacs/wado/…", "size_mb": 50}; '
    "it runs every 900 s unless you choose otherwise (at least every 300 s), "
    "as each run loads the link — keep clinical links free."
)


class ThroughputMixin(forms.ModelForm):
    """A throughput check's parameters are checked, and its interval and
    timeout start long unless the engineer chose them."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") != CheckKind.THROUGHPUT:
            return data
        if "params" in data:  # else the JSON itself was refused
            for problem in throughput_problems(data["params"]):
                self.add_error("params", problem)
        if self.instance.pk is None:
            if "interval" not in self.changed_data:
                data["interval"] = THROUGHPUT_INTERVAL
            if "timeout" not in self.changed_data:
                data["timeout"] = THROUGHPUT_TIMEOUT
        interval = data.get("interval")
        if interval is not None and interval < THROUGHPUT_MIN_INTERVAL:
            self.add_error(
                "interval",
                _(
                    "A throughput check loads the link each run: run it every "
                    "%(low)d s or less often (%(usual)d s is usual)."
                )
                % {"low": THROUGHPUT_MIN_INTERVAL, "usual": THROUGHPUT_INTERVAL},
            )
        return data


SETTINGS_FIELDS = [
    "kind",
    "params",
    "interval",
    "timeout",
    "confirm_down",
    "confirm_up",
    "severity",
]


class CheckForm(ThroughputMixin, SecretsMixin):
    asset = AssetTagField(label=_("Asset tag"))
    parents = KeysField(
        Check.objects.all(),
        "pk",
        label=_("Depends on (check numbers)"),
        help_text=_("The checks of the switch or router this one is reached through."),
    )

    class Meta:
        model = Check
        fields = [
            "name",
            "asset",
            "host",
            *SETTINGS_FIELDS,
            "poller",
            "parents",
            "team",
            "service",
            "notes",
            "enabled",
        ]
        widgets = {
            "params": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"params": PARAMS_HELP}

    def clean_parents(self) -> Any:
        parents = self.cleaned_data["parents"]
        if self.instance.pk and any(p.pk == self.instance.pk for p in parents):
            raise forms.ValidationError(_("A check cannot depend on itself."))
        return parents


class CheckTemplateForm(ThroughputMixin, SecretsMixin):
    class Meta:
        model = CheckTemplate
        fields = ["name", "asset_type", *SETTINGS_FIELDS, "is_active"]
        widgets = {"params": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"params": PARAMS_HELP}


def services_in_use() -> list[str]:
    """The service names checks carry ("PACS", "HIS" …), sorted, each once."""
    names = (
        Check.objects.exclude(service="")
        .order_by("service")
        .values_list("service", flat=True)
        .distinct()
    )
    return list(names)


class MaintenanceWindowForm(forms.ModelForm):
    assets = KeysField(
        Asset.objects.all(),
        "tag",
        label=_("Assets (tags)"),
        widget=LookupBoxes(ASSET_LOOKUP),
    )
    locations = KeysField(
        Location.objects.all(),
        "code",
        label=_("Places (codes)"),
        widget=LookupBoxes(PLACE_LOOKUP),
        help_text=_(
            "Everything inside a place is covered: a building, a floor, a room."
        ),
    )
    checks = KeysField(Check.objects.all(), "pk", label=_("Checks (numbers)"))
    services = forms.MultipleChoiceField(
        label=_("Services"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every check of the service, wherever it runs."),
    )

    class Meta:
        model = MaintenanceWindow
        fields = [
            "name",
            "starts_at",
            "duration",
            "recurrence",
            "until",
            "assets",
            "locations",
            "checks",
            "services",
            "reason",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "until": forms.DateInput(),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("assets", "locations"):
            # Every box of the field answers to the field's name.
            self.fields[name].widget.attrs["aria-label"] = self.fields[name].label
        # A service no check names any more stays offered while the window
        # keeps it, so saving the window does not drop it unseen.
        kept = [name for name in self.instance.services or [] if name]
        names = sorted({*services_in_use(), *kept})
        services = self.fields["services"]
        assert isinstance(services, forms.MultipleChoiceField)
        services.choices = [(name, name) for name in names]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        targets = ("assets", "locations", "checks", "services")
        if not any(data.get(name) for name in targets) and not self.errors:
            raise forms.ValidationError(
                _("Name at least one asset, place, check or service the work affects.")
            )
        return data


class AlertRuleForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        coerce=int,
        required=False,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every day."),
    )

    class Meta:
        model = AlertRule
        fields = [
            "name",
            "order",
            "max_severity",
            "max_criticality",
            "team",
            "from_hour",
            "to_hour",
            "weekdays",
            "channels",
            "notify_team",
            "open_ticket",
            "escalate_after",
            "is_active",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from_hour"), data.get("to_hour")
        if start is not None and (start > 23):
            self.add_error("from_hour", _("An hour from 0 to 23."))
        if end is not None and not 1 <= end <= 24:
            self.add_error("to_hour", _("An hour from 1 to 24."))
        return data


class SilenceForm(forms.Form):
    until = forms.DateTimeField(
        label=_("Silence until"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )

    def clean_until(self) -> dt.datetime:
        until: dt.datetime = self.cleaned_data["until"]
        if until <= timezone.now():
            raise forms.ValidationError(_("Give a time in the future."))
        return until
