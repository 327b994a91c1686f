"""Alerts: the list, and acknowledging or silencing one from it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wardkeeper.core.errors import DomainError
from wardkeeper.core.views.generic import Column, ObjectList
from wardkeeper.monitoring.filters import AlertFilter
from wardkeeper.monitoring.forms import SilenceForm
from wardkeeper.monitoring.models import Alert, Check
from wardkeeper.monitoring.services import alerts

CHANGE_ALERT = "monitoring.change_alert"


class AlertList(ObjectList):
    model = Alert
    filterset_class = AlertFilter
    template_name = "monitoring/alert_list.html"
    # The check rides along hidden: links from a check's page set it.
    filter_fields = ["state", "severity"]
    columns = [
        Column(
            gettext_lazy("Check"),
            "source",
            css="wk-alert-check",
            template="monitoring/cells/alert_check.html",
        ),
        Column(
            gettext_lazy("State"),
            "state",
            template="monitoring/cells/alert_state.html",
        ),
        Column(gettext_lazy("Severity"), "severity", badge=True),
        Column(gettext_lazy("Opened"), "opened_at"),
        Column(gettext_lazy("Affected"), "affected", css="text-end"),
        Column(
            gettext_lazy("Ticket"),
            "ticket",
            css="wk-hide-empty",
            template="monitoring/cells/alert_ticket.html",
        ),
    ]
    actions = Column(
        gettext_lazy("Actions"),
        "pk",
        css="wk-actions wk-hide-empty",
        template="monitoring/cells/alert_actions.html",
    )

    def get_queryset(self) -> QuerySet[Alert]:
        return Alert.objects.select_related("source", "ticket", "acknowledged_by")

    def get_filterset(self, filterset_class: Any) -> Any:
        filterset = super().get_filterset(filterset_class)
        for name in ("state", "severity"):
            field = filterset.form.fields[name]
            # Toggle chips, as on the ticket list, not a tall multiple select.
            field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
        return filterset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        can_act = self.request.user.has_perm(CHANGE_ALERT)
        context.update(
            silence_form=SilenceForm(),
            can_act=can_act,
            columns=[*self.columns, self.actions] if can_act else self.columns,
            source_check=self._source(context.get("filter")),
        )
        return context

    def _source(self, filterset: Any) -> Check | None:
        """The check the list is narrowed to, if any."""
        if filterset is None or not filterset.is_valid():
            return None
        pk = filterset.form.cleaned_data.get("source")
        return Check.objects.filter(pk=pk).first() if pk else None


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = ""
    return redirect(target or "monitoring:alert-list")


def _act(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    alert = get_object_or_404(Alert, pk=pk)
    try:
        if verb == "acknowledge":
            alerts.acknowledge(alert, request.user)
            messages.success(request, _("Acknowledged: %(alert)s.") % {"alert": alert})
        elif verb == "unsilence":
            alerts.unsilence(alert, request.user)
            messages.success(request, _("Silence ended: %(alert)s.") % {"alert": alert})
        else:
            form = SilenceForm(request.POST)
            if not form.is_valid():
                for error in form.errors.get("until", []):
                    messages.error(request, str(error))
                return _back(request)
            alerts.silence(alert, request.user, form.cleaned_data["until"])
            messages.success(request, _("Silenced: %(alert)s.") % {"alert": alert})
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(request)


@login_required
@permission_required(CHANGE_ALERT, raise_exception=True)
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "acknowledge")


@login_required
@permission_required(CHANGE_ALERT, raise_exception=True)
@require_POST
def silence(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "silence")


@login_required
@permission_required(CHANGE_ALERT, raise_exception=True)
@require_POST
def unsilence(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "unsilence")
