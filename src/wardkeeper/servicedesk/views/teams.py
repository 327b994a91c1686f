"""Teams, their rotas, shifts and leave overrides.

Teams use the generic pages. Rotas, shifts and overrides live on their team's
page: their forms come back there. A team's lead may add and remove leave
overrides for their own team without the configuration permission."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from wardkeeper.core.errors import DomainError
from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
    style_form,
)
from wardkeeper.servicedesk.models import Rota, RotaMember, RotaOverride, Shift, Team
from wardkeeper.servicedesk.services import rota as rota_service
from wardkeeper.servicedesk.team_forms import (
    OverrideForm,
    RotaForm,
    RotaMemberFormSet,
    ShiftForm,
    TeamFilter,
    TeamForm,
    team_people,
)

SCHEDULE_WEEKS = 4


class TeamList(ObjectList):
    model = Team
    queryset = (
        Team.objects.select_related("lead")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("name")
    )
    filterset_class = TeamFilter
    columns = [
        Column(gettext_lazy("Name"), "name", link=True),
        Column(gettext_lazy("Code"), "code", css="wk-code"),
        Column(
            gettext_lazy("Categories"),
            "categories",
            css="wk-wrap",
            template="servicedesk/team_cell_categories.html",
        ),
        Column(gettext_lazy("Team lead"), "lead"),
        Column(gettext_lazy("Members"), "member_count", css="text-end"),
        Column(gettext_lazy("Active"), "is_active", yesno=True),
    ]


class TeamDetail(ObjectDetail):
    model = Team
    queryset = Team.objects.select_related("lead").prefetch_related(
        "members", "locations"
    )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        team: Team = self.object
        now = timezone.now()
        slots = rota_service.schedule(
            team, now, now + dt.timedelta(weeks=SCHEDULE_WEEKS)
        )
        rotas = team.rotas.prefetch_related(
            Prefetch("members", queryset=RotaMember.objects.select_related("user"))
        )
        user = self.request.user
        context.update(
            now=now,
            on_call=rota_service.on_call(team, now),
            rotas=[(r, [s for s in slots if s.rota.pk == r.pk]) for r in rotas],
            overrides=team.overrides.filter(ends_at__gt=now).select_related(
                "engineer", "covers_for"
            ),
            can_cover=team.can_cover(user),
            can_add_rota=user.has_perm("servicedesk.add_rota"),
            can_change_rota=user.has_perm("servicedesk.change_rota"),
        )
        return context


class TeamCreate(ObjectCreate):
    model = Team
    form_class = TeamForm


class TeamUpdate(ObjectUpdate):
    model = Team
    form_class = TeamForm


class TeamDelete(ObjectDelete):
    model = Team


class TeamPart(LoginRequiredMixin):
    """A form page for something of one team; it returns to the team's page.

    ``permission`` is what the page needs; ``allowed`` may widen it."""

    permission = ""
    template_name: str | None = "servicedesk/rota_form.html"
    heading: Any = ""
    request: HttpRequest
    kwargs: dict[str, Any]
    team: Team

    def get_team(self) -> Team:
        return get_object_or_404(Team, pk=self.kwargs["team"])

    def allowed(self, user: Any) -> bool:
        return bool(user.has_perm(self.permission))

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.team = self.get_team()
        if not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self) -> str:
        return self.team.get_absolute_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.update(team=self.team, heading=self.heading)
        return context


class TeamPartForm(TeamPart):
    def get_form(self, form_class: Any = None) -> Any:
        return style_form(super().get_form(form_class))  # type: ignore[misc]

    def fill(self, instance: Any) -> None:
        """Set what the form does not ask (the team, the rota)."""

    def form_valid(self, form: Any) -> HttpResponse:
        self.fill(form.instance)
        try:
            with transaction.atomic():
                self.object = form.save()
                self.save_more()
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        messages.success(self.request, _("Saved %(object)s.") % {"object": self.object})
        return HttpResponseRedirect(self.get_success_url())

    def save_more(self) -> None:
        """Save what rides along with the form (the rota's members)."""


class RotaFormPage(TeamPartForm):
    """A rota's settings and, for a weekly rotation, its members in turn."""

    model: Any = Rota
    form_class: Any = RotaForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["formset"] = kwargs.get("formset") or self.formset()
        return context

    def formset(self) -> Any:
        data = self.request.POST if self.request.method == "POST" else None
        formset = RotaMemberFormSet(
            data, instance=getattr(self, "object", None) or Rota(team=self.team)
        )
        people = team_people(self.team)
        for form in formset.forms:
            form.fields["user"].queryset = people
            style_form(form, small=True)
        return formset

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object() if "pk" in kwargs else None  # type: ignore[attr-defined]
        form = self.get_form()
        self.members = self.formset()
        if form.is_valid() and self.members.is_valid():
            return self.form_valid(form)
        return self.render_to_response(  # type: ignore[attr-defined]
            self.get_context_data(form=form, formset=self.members)
        )

    def fill(self, instance: Rota) -> None:
        instance.team = self.team

    def save_more(self) -> None:
        self.members.instance = self.object
        self.members.save()


class RotaCreate(RotaFormPage, generic.CreateView):
    permission = "servicedesk.add_rota"
    heading = gettext_lazy("New rota")


class RotaUpdate(RotaFormPage, generic.UpdateView):
    permission = "servicedesk.change_rota"
    heading = gettext_lazy("Edit rota")

    def get_team(self) -> Team:
        return get_object_or_404(Rota, pk=self.kwargs["pk"]).team


class ShiftCreate(TeamPartForm, generic.CreateView):
    model = Shift
    form_class = ShiftForm
    permission = "servicedesk.change_rota"
    heading = gettext_lazy("New shift")

    def get_team(self) -> Team:
        self.rota = get_object_or_404(
            Rota.objects.select_related("team"), pk=self.kwargs["rota"]
        )
        return self.rota.team

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        form.fields["engineer"].queryset = team_people(self.team)
        return form

    def fill(self, instance: Shift) -> None:
        instance.rota = self.rota


class OverrideCreate(TeamPartForm, generic.CreateView):
    model = RotaOverride
    form_class = OverrideForm
    heading = gettext_lazy("New leave override")

    def allowed(self, user: Any) -> bool:
        return self.team.can_cover(user)

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        people = team_people(self.team)
        form.fields["engineer"].queryset = people
        form.fields["covers_for"].queryset = people
        return form

    def fill(self, instance: RotaOverride) -> None:
        instance.team = self.team
        instance.created_by = self.request.user  # type: ignore[assignment]


class TeamPartDelete(TeamPart, generic.DeleteView):
    """Delete after confirmation; back to the team's page."""

    template_name = "servicedesk/rota_confirm_delete.html"

    def get_team(self) -> Team:
        return self.get_object().team

    def form_valid(self, form: Any) -> HttpResponse:
        self.object = self.get_object()
        self.object.delete()
        messages.success(
            self.request, _("Deleted %(object)s.") % {"object": self.object}
        )
        return HttpResponseRedirect(self.get_success_url())


class RotaDelete(TeamPartDelete):
    model = Rota
    permission = "servicedesk.delete_rota"
    heading = gettext_lazy("Delete rota")


class ShiftDelete(TeamPartDelete):
    model = Shift
    permission = "servicedesk.change_rota"
    heading = gettext_lazy("Delete shift")

    def get_team(self) -> Team:
        return self.get_object().rota.team


class OverrideDelete(TeamPartDelete):
    model = RotaOverride
    heading = gettext_lazy("Delete leave override")

    def allowed(self, user: Any) -> bool:
        return self.team.can_cover(user)
