"""Forms of the account pages: sign-in code, profile, password, API tokens,
accounts and roles administration, and the account list's filter."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wardkeeper.core import accounts, roles
from wardkeeper.core.models import User

LANGUAGE_CHOICES = [("", _("Site default")), *settings.LANGUAGES]


class BootstrapMixin:
    """Give every widget the Bootstrap class its kind needs."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class CodeForm(BootstrapMixin, forms.Form):
    """The six-digit code of an authenticator app."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "pattern": "[0-9 ]*",
            }
        ),
    )


class ProfileForm(BootstrapMixin, forms.ModelForm):
    """A person's own details and language."""

    language = forms.ChoiceField(
        label=_("Language"), choices=LANGUAGE_CHOICES, required=False
    )

    class Meta:
        model = User
        fields = ["display_name", "email", "phone", "language"]


class PasswordChangeForm(BootstrapMixin, DjangoPasswordChangeForm):
    """Change one's own password; the policy is checked by the validators."""

    def save(self, commit: bool = True) -> Any:
        return accounts.change_password(
            self.user, self.cleaned_data["new_password1"], actor=self.user
        )


class TokenForm(BootstrapMixin, forms.Form):
    """Name and lifetime of a new API token."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “monitoring import script”."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=accounts.TOKEN_MAX_DAYS
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = settings.API_TOKEN_DEFAULT_DAYS


class AccountForm(BootstrapMixin, forms.ModelForm):
    """An account's details, as the system administrator edits them."""

    language = forms.ChoiceField(
        label=_("Language"), choices=LANGUAGE_CHOICES, required=False
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "first_name",
            "last_name",
            "email",
            "phone",
            "language",
        ]


class AccountCreateForm(AccountForm):
    """A new account: a username, details, and a password that is either
    chosen here or generated and shown once."""

    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Leave empty to generate one, shown once. Either way the person "
            "chooses their own at the first sign-in."
        ),
    )

    field_order = ["username", "password"]

    class Meta(AccountForm.Meta):
        fields = ["username", *AccountForm.Meta.fields]


class RolesForm(forms.Form):
    """The roles one account holds."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(role.code, role.label) for role in roles.ROLES],
    )


class UserFilter(filters.FilterSet):
    """Find accounts by name, role and whether they are active (the account
    pages; kept here as core has no other filters yet)."""

    q = filters.CharFilter(label=_("Name"), method="filter_q")
    role = filters.ChoiceFilter(
        label=_("Role"),
        field_name="groups__name",
        choices=[(role.code, role.label) for role in roles.ROLES],
        empty_label=_("Any role"),
    )
    is_active = filters.BooleanFilter(
        label=_("Status"),
        widget=forms.Select(
            choices=[("", _("Any")), ("true", _("Active")), ("false", _("Disabled"))]
        ),
    )

    class Meta:
        model = User
        fields = ["q", "role", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            select = isinstance(field.widget, forms.Select)
            css = (
                "form-select form-select-sm"
                if select
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css

    def filter_q(
        self, queryset: QuerySet[User], name: str, value: str
    ) -> QuerySet[User]:
        return queryset.filter(
            Q(username__icontains=value)
            | Q(display_name__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(email__icontains=value)
        )
