"""A small base for list, detail, form and delete pages (STYLE.md §5).

Lists take a FilterSet and columns; every list is paginated. Writes go through
the model's audited ``save()``/``delete()``. Permissions are the model's own
(``view``/``add``/``change``/``delete``) unless a view names another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import Model, ProtectedError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views import generic
from django_filters.views import FilterView


@dataclass(frozen=True)
class Column:
    """A column of a list: its heading and the dotted attribute it shows.

    ``link`` makes the cell a link to the row's page; ``badge`` shows a choice
    as a coloured badge (the choice's ``badge`` property names the colour)."""

    label: str | Promise
    attr: str
    link: bool = False
    badge: bool = False
    css: str = ""


def url_name(model: type[Model], action: str) -> str:
    """``<area>:<model>-<action>``, the naming rule of every URL."""
    return f"{model._meta.app_label}:{model._meta.model_name}-{action}"


class ModelPermissionMixin(LoginRequiredMixin, PermissionRequiredMixin):
    model: type[Model]
    action = "view"
    raise_exception = True

    request: HttpRequest

    def get_permission_required(self) -> Sequence[str]:
        if self.permission_required:
            return super().get_permission_required()
        meta = self.model._meta
        return (f"{meta.app_label}.{self.action}_{meta.model_name}",)

    def handle_no_permission(self) -> HttpResponseRedirect:
        if not self.request.user.is_authenticated:
            self.raise_exception = False
        return super().handle_no_permission()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        meta = self.model._meta
        user = self.request.user
        context.update(
            verbose_name=meta.verbose_name,
            verbose_name_plural=meta.verbose_name_plural,
            can_add=user.has_perm(f"{meta.app_label}.add_{meta.model_name}"),
            can_change=user.has_perm(f"{meta.app_label}.change_{meta.model_name}"),
            can_delete=user.has_perm(f"{meta.app_label}.delete_{meta.model_name}"),
            list_url=reverse(url_name(self.model, "list")),
            add_url_name=url_name(self.model, "add"),
            edit_url_name=url_name(self.model, "edit"),
            delete_url_name=url_name(self.model, "delete"),
            detail_url_name=url_name(self.model, "detail"),
        )
        return context


class ObjectList(ModelPermissionMixin, FilterView):
    """A filtered, paginated table of one model."""

    template_name = "core/object_list.html"
    paginate_by = 50
    columns: list[Column] = []
    strict = False

    def get_paginate_by(self, queryset: Any) -> int:
        try:
            return max(
                10, min(200, int(self.request.GET.get("per_page", self.paginate_by)))
            )
        except ValueError:
            return self.paginate_by

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(columns=self.columns, querystring=query.urlencode())
        return context


class ObjectDetail(ModelPermissionMixin, generic.DetailView):
    """One record's page; the history of its changes comes from the audit trail."""

    def get_template_names(self) -> list[str]:
        meta = self.model._meta
        return [
            f"{meta.app_label}/{meta.model_name}_detail.html",
            "core/object_detail.html",
        ]


class ObjectFormMixin(ModelPermissionMixin):
    template_name: str | None = "core/object_form.html"

    def get_success_url(self) -> str:
        obj = self.object  # type: ignore[attr-defined]
        try:
            return reverse(url_name(self.model, "detail"), args=[obj.pk])
        except Exception:  # a model without a detail page goes back to its list
            return reverse(url_name(self.model, "list"))

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # type: ignore[misc]
        messages.success(self.request, _("Saved %(object)s.") % {"object": self.object})  # type: ignore[attr-defined]
        return response


class ObjectCreate(ObjectFormMixin, generic.CreateView):
    action = "add"


class ObjectUpdate(ObjectFormMixin, generic.UpdateView):
    action = "change"


class ObjectDelete(ModelPermissionMixin, generic.DeleteView):
    action = "delete"
    template_name = "core/object_confirm_delete.html"

    def get_success_url(self) -> str:
        return reverse(url_name(self.model, "list"))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        try:
            self.object.delete()
        except ProtectedError as exc:
            names = ", ".join(
                sorted({str(obj) for obj in list(exc.protected_objects)[:5]})
            )
            messages.error(
                request,
                _("%(object)s is still used by: %(names)s. Nothing was deleted.")
                % {"object": self.object, "names": names},
            )
            return HttpResponseRedirect(
                reverse(url_name(self.model, "detail"), args=[self.object.pk])
            )
        messages.success(request, _("Deleted %(object)s.") % {"object": self.object})
        return HttpResponseRedirect(self.get_success_url())
