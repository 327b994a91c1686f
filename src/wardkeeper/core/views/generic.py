"""A small base for list, detail, form and delete pages (STYLE.md §5).

Lists take a FilterSet and columns; every list is paginated. Writes go through
the model's audited ``save()``/``delete()``. Permissions are the model's own
(``view``/``add``/``change``/``delete``) unless a view names another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import Model, ProtectedError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views import generic
from django_filters.views import FilterView
from django_filters.widgets import BooleanWidget

from wardkeeper.core.errors import DomainError


@dataclass(frozen=True)
class Column:
    """A column of a list: its heading and the dotted attribute it shows.

    ``link`` makes the cell a link to the row's page; ``badge`` shows a choice
    as a coloured badge (the choice's ``badge`` property names the colour);
    ``yesno`` shows a boolean as a tick; ``template`` renders the cell with a
    template of its own (it gets ``row`` and ``column``)."""

    label: str | Promise
    attr: str
    link: bool = False
    badge: bool = False
    css: str = ""
    yesno: bool = False
    template: str = ""


def url_name(model: type[Model], action: str) -> str:
    """``<area>:<model>-<action>``, the naming rule of every URL."""
    return f"{model._meta.app_label}:{model._meta.model_name}-{action}"


def style_form(form: forms.BaseForm, *, small: bool = False) -> forms.BaseForm:
    """Give each widget its Bootstrap class; dates get the browser's date picker."""
    size = "-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            css = ""
        elif isinstance(widget, forms.Select):
            css = f"form-select form-select{size}" if small else "form-select"
        else:
            css = f"form-control form-control{size}" if small else "form-control"
        if type(widget) is forms.DateInput:
            # The date picker needs ISO dates whatever the reader's language.
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
        if css:
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    return form


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
    """A filtered, paginated table of one model.

    ``filter_fields`` names the filters shown at once (default: all);
    ``filter_more`` those folded under "More filters"; any other filter with a
    value rides along hidden, so following a link keeps it."""

    template_name = "core/object_list.html"
    paginate_by = 50
    columns: list[Column] = []
    strict = False
    filter_fields: Sequence[str] | None = None
    filter_more: Sequence[str] = ()

    def get_paginate_by(self, queryset: Any) -> int:
        try:
            return max(
                10, min(200, int(self.request.GET.get("per_page", self.paginate_by)))
            )
        except ValueError:
            return self.paginate_by

    def get_filterset(self, filterset_class: Any) -> Any:
        filterset = super().get_filterset(filterset_class)
        for field in filterset.form.fields.values():
            if isinstance(field.widget, forms.NullBooleanSelect | BooleanWidget):
                # In a filter an empty choice means "either", not "unknown".
                empty = "" if isinstance(field.widget, BooleanWidget) else "unknown"
                field.widget.choices = [
                    (empty, _("any")),
                    ("true", _("yes")),
                    ("false", _("no")),
                ]
            if getattr(field, "empty_label", None) is not None:
                field.empty_label = _("any")  # instead of "---------"
        style_form(filterset.form, small=True)
        return filterset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(columns=self.columns, querystring=query.urlencode())
        filterset = context.get("filter")
        if filterset is not None:
            context.update(self.split_filters(filterset.form))
        return context

    def split_filters(self, form: forms.BaseForm) -> dict[str, Any]:
        shown = list(self.filter_fields or form.fields)
        more = [name for name in self.filter_more if name not in shown]
        hidden = [name for name in form.fields if name not in shown + more]
        return {
            "filter_main": [form[name] for name in shown if name in form.fields],
            "filter_more": [form[name] for name in more if name in form.fields],
            "filter_hidden": [form[name] for name in hidden if _given(form, name)],
            "filter_more_active": any(_given(form, name) for name in more),
            "filter_open": any(_given(form, name) for name in shown[1:] + more),
        }


def _given(form: forms.BaseForm, name: str) -> bool:
    """Whether the request set filter ``name`` (``?enabled=false`` is set,
    though its value is false)."""
    data = form.data
    values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
    return any(value not in (None, "") for value in values)


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
    # Fields a link may fill in (``?rack=…&position=…``): the form starts there.
    initial_from_query: tuple[str, ...] = ()

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()  # type: ignore[misc]
        query = self.request.GET
        initial.update({n: query[n] for n in self.initial_from_query if query.get(n)})
        return initial

    def get_form(self, form_class: Any = None) -> Any:
        return style_form(super().get_form(form_class))  # type: ignore[misc]

    def get_success_url(self) -> str:
        obj = self.object  # type: ignore[attr-defined]
        try:
            return reverse(url_name(self.model, "detail"), args=[obj.pk])
        except Exception:  # a model without a detail page goes back to its list
            return reverse(url_name(self.model, "list"))

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            response = super().form_valid(form)  # type: ignore[misc]
        except DomainError as exc:
            # A rule refused the save: show why beside the field at fault.
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        messages.success(self.request, _("Saved %(object)s.") % {"object": self.object})  # type: ignore[attr-defined]
        return response


class ObjectCreate(ObjectFormMixin, generic.CreateView):
    action = "add"


class ObjectUpdate(ObjectFormMixin, generic.UpdateView):
    action = "change"


class ObjectDelete(ModelPermissionMixin, generic.DeleteView):
    """Delete after confirmation; a record still in use is kept, saying by what.

    ``refusal(obj)`` may return a reason the record must never be deleted."""

    action = "delete"
    template_name = "core/object_confirm_delete.html"

    def get_success_url(self) -> str:
        return reverse(url_name(self.model, "list"))

    def refusal(self, obj: Any) -> str:
        return ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["refusal"] = self.refusal(self.object)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        detail = reverse(url_name(self.model, "detail"), args=[self.object.pk])
        refusal = self.refusal(self.object)
        if refusal:
            messages.error(request, refusal)
            return HttpResponseRedirect(detail)
        try:
            self.object.delete()
        except ProtectedError as exc:
            # The first few users are enough to act on; there may be thousands.
            names = ", ".join(
                sorted({str(obj) for obj in islice(exc.protected_objects, 5)})
            )
            messages.error(
                request,
                _("%(object)s is still used by: %(names)s. Nothing was deleted.")
                % {"object": self.object, "names": names},
            )
            return HttpResponseRedirect(detail)
        messages.success(request, _("Deleted %(object)s.") % {"object": self.object})
        return HttpResponseRedirect(self.get_success_url())
