"""Forms of the notification pages: a channel, and a person's preferences."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models.notifications import Channel, ChannelKind
from wardkeeper.core.notifications.preferences import current, user_events

webhook_url = URLValidator(schemes=["http", "https"])


class ChannelForm(forms.ModelForm):
    url = forms.CharField(
        label=_("Address"),
        max_length=1000,
        help_text=_("The robot's webhook URL, or the mailbox for an e-mail channel."),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "DingTalk robots with signing only. Leave empty to keep the one saved."
        ),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=user_events,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Channel
        fields = ["name", "kind", "url", "secret", "events", "is_active"]

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"].strip()
        if self.data.get("kind") == ChannelKind.EMAIL:
            validate_email(url)
        else:
            webhook_url(url)
        return url

    def clean_secret(self) -> str:
        # An empty box keeps the saved secret: it is never shown back.
        secret: str = self.cleaned_data["secret"].strip()
        return secret or (self.instance.secret or "")


class PreferencesForm(forms.Form):
    """One "e-mail" and one "my robot" box per event, and the robot itself."""

    webhook_kind = forms.ChoiceField(
        label=_("My chat robot"),
        choices=[("", _("none")), *ChannelKind.webhooks()],
        required=False,
    )
    webhook_url = forms.CharField(
        label=_("Robot URL"),
        required=False,
        max_length=1000,
        validators=[webhook_url],
        widget=forms.URLInput,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        saved = current(user)
        robot = next((p for p in saved.values() if p.webhook_url), None)
        initial = {
            "webhook_kind": robot.webhook_kind if robot else "",
            "webhook_url": robot.webhook_url if robot else "",
        }
        self.events = user_events()
        for code, _label in self.events:
            pref = saved.get(code)
            initial[f"email_{code}"] = pref.email if pref else True
            initial[f"chat_{code}"] = bool(pref and pref.webhook_url)
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for code, label in self.events:
            self.fields[f"email_{code}"] = forms.BooleanField(
                label=label, required=False
            )
            self.fields[f"chat_{code}"] = forms.BooleanField(
                label=label, required=False
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("webhook_kind") and not data.get("webhook_url"):
            self.add_error("webhook_url", _("Give the robot's webhook URL."))
        return data

    def rows(self) -> list[dict[str, Any]]:
        """The table of the page: one row per event with its two boxes."""
        return [
            {
                "label": label,
                "email": self[f"email_{code}"],
                "chat": self[f"chat_{code}"],
            }
            for code, label in self.events
        ]

    def choices(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "email": [code for code, _l in self.events if data.get(f"email_{code}")],
            "chat": [code for code, _l in self.events if data.get(f"chat_{code}")],
            "webhook_kind": data.get("webhook_kind", ""),
            "webhook_url": data.get("webhook_url", "").strip(),
        }
