"""Notification pages: a person's own preferences; for administrators the
channels (with a test send) and the deliveries, failures first to hand."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wardkeeper.core.models.notifications import Channel, Delivery, DeliveryState
from wardkeeper.core.notifications.delivery import retry_now
from wardkeeper.core.notifications.filters import ChannelFilter, DeliveryFilter
from wardkeeper.core.notifications.forms import ChannelForm, PreferencesForm
from wardkeeper.core.notifications.preferences import save_preferences
from wardkeeper.core.notifications.queue import send_test
from wardkeeper.core.views.accounts import current_user
from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
)

MANAGE = "core.manage_notifications"


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Which events reach me by e-mail, and which on my own chat robot."""
    user = current_user(request)
    form = PreferencesForm(request.POST or None, user=user)
    if form.is_valid():
        save_preferences(user, **form.choices())
        messages.success(request, _("Your notification preferences were saved."))
        return redirect("core:notification-preferences")
    return render(request, "core/notification_preferences.html", {"form": form})


class ManageNotifications:
    """One permission covers the whole area: add, change, delete and test."""

    permission_required = (MANAGE,)
    addable = True
    request: HttpRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        allowed = self.request.user.has_perm(MANAGE)
        context.update(
            can_add=allowed and self.addable, can_change=allowed, can_delete=allowed
        )
        return context


class ChannelList(ManageNotifications, ObjectList):
    model = Channel
    queryset = Channel.objects.order_by("name")
    filterset_class = ChannelFilter
    columns = [
        Column(gettext_lazy("Name"), "name", link=True),
        Column(gettext_lazy("Kind"), "get_kind_display"),
        Column(
            gettext_lazy("Events"),
            "events",
            template="core/notification_cell_events.html",
        ),
        Column(gettext_lazy("Active"), "is_active", yesno=True),
    ]


class ChannelDetail(ManageNotifications, ObjectDetail):
    model = Channel

    def get_template_names(self) -> list[str]:
        return ["core/notification_channel_detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["deliveries"] = self.object.deliveries.order_by("-created_at")[:10]
        return context


class ChannelCreate(ManageNotifications, ObjectCreate):
    model = Channel
    form_class = ChannelForm


class ChannelUpdate(ManageNotifications, ObjectUpdate):
    model = Channel
    form_class = ChannelForm


class ChannelDelete(ManageNotifications, ObjectDelete):
    model = Channel


@require_POST
@permission_required(MANAGE, raise_exception=True)
def channel_test(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a test message now and say whether it got through."""
    channel = get_object_or_404(Channel, pk=pk)
    delivery = send_test(channel)
    _report(request, delivery)
    return redirect("core:channel-detail", pk=channel.pk)


class DeliveryList(ManageNotifications, ObjectList):
    model = Delivery
    queryset = Delivery.objects.select_related("user", "channel")
    filterset_class = DeliveryFilter
    template_name = "core/notification_delivery_list.html"
    addable = False  # deliveries come from events, never by hand
    filter_fields = ("q", "state", "kind", "event")
    columns = [
        Column(
            gettext_lazy("Queued"),
            "created_at",
            css="text-nowrap",
            template="core/notification_cell_when.html",
        ),
        Column(gettext_lazy("State"), "state", badge=True),
        Column(gettext_lazy("Event"), "event_label"),
        Column(gettext_lazy("To"), "recipient_label"),
        Column(gettext_lazy("Kind"), "get_kind_display"),
        Column(gettext_lazy("Subject"), "subject", css="wk-wrap"),
        Column(
            gettext_lazy("Attempts"),
            "attempts",
            template="core/notification_cell_attempts.html",
        ),
        Column(
            gettext_lazy("Retry"),
            "pk",
            template="core/notification_cell_retry.html",
        ),
    ]


@require_POST
@permission_required(MANAGE, raise_exception=True)
def delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Try a failed or given-up delivery again, now."""
    delivery = get_object_or_404(Delivery, pk=pk)
    if delivery.state == DeliveryState.SENT:
        messages.info(request, _("That message was already sent."))
    else:
        _report(request, retry_now(delivery))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return redirect(back or "core:delivery-list")


def _report(request: HttpRequest, delivery: Delivery) -> None:
    if delivery.state == DeliveryState.SENT:
        messages.success(request, _("Sent: %(to)s.") % {"to": delivery.recipient_label})
    else:
        messages.error(
            request,
            _("Not sent (%(error)s); it will be tried again.")
            % {"error": delivery.last_error},
        )
