"""Protected systems: the list, a system's page (data stores, linked assets,
jobs against the RPO, 3-2-1, restore proofs, runbooks and drills), the
forms, the data stores' forms and the criticality analysis with exports."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.continuity.choices import FindingState
from wardkeeper.continuity.forms_systems import (
    DataStoreForm,
    ProtectedSystemFilter,
    ProtectedSystemForm,
)
from wardkeeper.continuity.models import DataStore, ProtectedSystem, RestoreTest
from wardkeeper.continuity.services import criticality, rule321
from wardkeeper.continuity.services.criticality_pdf import criticality_pdf
from wardkeeper.continuity.services.rpo import rpo_state
from wardkeeper.continuity.views.backups import job_rows
from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
)
from wardkeeper.inventory.choices import Criticality
from wardkeeper.inventory.transfer.exporting import file_name, record_export
from wardkeeper.inventory.transfer.http import file_response

CELLS = "continuity/system_cells"


def with_spans(rows: Any) -> Any:
    """Give each system its RPO and RTO as people say them, and its badge."""
    for row in rows:
        row.rpo_text = criticality.span_text(row.rpo_minutes)
        row.rto_text = criticality.span_text(row.rto_minutes)
        row.criticality_badge = Criticality(row.criticality).badge
    return rows


class SystemPage(ObjectList):
    """A page of protected systems with the shared filter, most critical,
    then shortest RTO and RPO, first (the analysis, the dashboard)."""

    model = ProtectedSystem
    filterset_class = ProtectedSystemFilter
    filter_fields = ("q", "criticality", "team")
    filter_more = ("owner", "vendor", "asset")

    def get_queryset(self) -> QuerySet[ProtectedSystem]:
        return criticality.ordered(ProtectedSystem.objects.all())


def systems_export(
    request: HttpRequest,
    kind: str,
    fmt: str,
    table: Callable[[QuerySet[ProtectedSystem]], tuple[list[str], Iterable[Any]]],
    pdf: Callable[[QuerySet[ProtectedSystem]], bytes] | None = None,
) -> HttpResponseBase:
    """The systems the page's filter keeps as ``table`` rows in CSV or XLSX
    (or as ``pdf``), the export recorded in the audit trail."""
    if fmt not in ("csv", "xlsx") and not (pdf and fmt == "pdf"):
        raise Http404
    systems = ProtectedSystemFilter(
        request.GET, queryset=ProtectedSystem.objects.all()
    ).qs
    record_export(kind, fmt, request.GET)
    name = file_name(kind, fmt)
    if pdf is not None and fmt == "pdf":
        response = HttpResponse(pdf(systems), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    header, rows = table(systems)
    readable = ([_yes_no(value) for value in row] for row in rows)
    return file_response(kind, fmt, header, readable, name)


def _yes_no(value: Any) -> Any:
    """A flag in the reader's language: the shared writers would put it in
    English ("within RPO: yes" in a Chinese export)."""
    if isinstance(value, bool):
        return _t("yes") if value else _t("no")
    return value


class SystemList(SystemPage):
    template_name = "continuity/system_list.html"
    columns = [
        Column(_("Name"), "name", link=True),
        Column(_("Criticality"), "criticality", template=f"{CELLS}/criticality.html"),
        Column(_("RPO"), "rpo_text"),
        Column(_("RTO"), "rto_text"),
        Column(_("Owner"), "owner"),
        Column(_("Team"), "team"),
        Column(_("Backup jobs"), "job_count", css="text-end"),
    ]

    def get_queryset(self) -> QuerySet[ProtectedSystem]:
        return (
            ProtectedSystem.objects.select_related("owner", "team")
            .annotate(job_count=Count("jobs", distinct=True))
            .order_by("criticality", "name")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        with_spans(context.get("object_list", []))
        return context


class SystemDetail(ObjectDetail):
    model = ProtectedSystem
    queryset = ProtectedSystem.objects.select_related("owner", "team", "vendor")

    def get_template_names(self) -> list[str]:
        return ["continuity/system_detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        system = self.object
        user = self.request.user
        with_spans([system])
        jobs = system.jobs.select_related("destination").order_by("name")
        state = rpo_state(system)
        context.update(
            data_stores=system.data_stores.select_related("asset"),
            assets=system.assets.select_related("asset_type", "location")[:50],
            jobs=job_rows(jobs, system),
            rpo=state,
            rpo_age=criticality.span_text(state.age),
            rule=rule321.evaluate(system),
            restore_tests=self.restore_tests(system),
            runbooks=system.runbooks.select_related("approved_by")[:5],
            drill=criticality.rows_for([system])[0].drill,
            findings=system.findings.filter(state=FindingState.OPEN)[:20],
            can_add_store=user.has_perm("continuity.add_datastore"),
            can_change_store=user.has_perm("continuity.change_datastore"),
            can_delete_store=user.has_perm("continuity.delete_datastore"),
            can_add_job=user.has_perm("continuity.add_backupjob"),
        )
        return context

    def restore_tests(self, system: ProtectedSystem) -> list[RestoreTest]:
        tests = list(
            RestoreTest.objects.filter(job__system=system).select_related("job")[:20]
        )
        for test in tests:
            test.last_run = test.runs.order_by("-started_at").first()  # type: ignore[attr-defined]
        return tests


class SystemCreate(ObjectCreate):
    model = ProtectedSystem
    form_class = ProtectedSystemForm
    template_name = "continuity/system_form.html"


class SystemUpdate(ObjectUpdate):
    model = ProtectedSystem
    form_class = ProtectedSystemForm
    template_name = "continuity/system_form.html"


class SystemDelete(ObjectDelete):
    model = ProtectedSystem

    def refusal(self, obj: Any) -> str:
        if obj.runbooks.filter(drills__isnull=False).exists():
            return str(
                _("Its drills are the record of what was rehearsed; keep the system.")
            )
        return ""


class DataStoreList(ObjectList):
    """Every system's data stores, each with its system (the page of a
    system shows its own, and is where one is added)."""

    model = DataStore
    template_name = "continuity/datastore_list.html"
    queryset = DataStore.objects.select_related("system", "asset").order_by(
        "system__name", "name"
    )
    filterset_class = None
    filterset_fields = ["system", "kind"]
    columns = [
        Column(_("System"), "system", template="continuity/store_cells/system.html"),
        Column(_("Name"), "name", link=True),
        Column(_("Kind"), "get_kind_display"),
        Column(_("On"), "asset", template="continuity/store_cells/asset.html"),
        Column(_("Where"), "where", css="wk-code"),
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # A data store belongs to a system: it is added from the system's page.
        return {**super().get_context_data(**kwargs), "can_add": False}


class DataStoreFormMixin:
    kwargs: dict[str, Any]
    object: DataStore | None

    def system(self) -> ProtectedSystem:
        if getattr(self, "object", None) is not None:
            return self.object.system  # type: ignore[union-attr]
        return get_object_or_404(ProtectedSystem, pk=self.kwargs["system"])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["system"] = self.system()
        return kwargs

    def get_success_url(self) -> str:
        return store_anchor(self.system())


def store_anchor(system: ProtectedSystem) -> str:
    return reverse("continuity:protectedsystem-detail", args=[system.pk]) + "#stores"


class DataStoreCreate(DataStoreFormMixin, ObjectCreate):
    model = DataStore
    form_class = DataStoreForm


class DataStoreUpdate(DataStoreFormMixin, ObjectUpdate):
    model = DataStore
    form_class = DataStoreForm


class DataStoreDelete(ObjectDelete):
    model = DataStore

    def get_success_url(self) -> str:
        return store_anchor(self.object.system)


@login_required
@permission_required("continuity.view_datastore", raise_exception=True)
def data_store_detail(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    """A data store is shown on its system's page."""
    store = get_object_or_404(DataStore.objects.select_related("system"), pk=pk)
    return HttpResponseRedirect(store_anchor(store.system))


class CriticalityAnalysis(SystemPage):
    """Systems ordered by criticality, then RTO, then RPO, with how well
    each is protected; the same rows export as CSV or XLSX."""

    template_name = "continuity/criticality.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = criticality.rows_for(with_spans(list(context["object_list"])))
        context.update(rows=rows, summary=criticality.summary(rows))
        return context


@login_required
@permission_required("continuity.view_protectedsystem", raise_exception=True)
def criticality_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    return systems_export(
        request,
        "criticality",
        fmt,
        criticality.export_table,
        pdf=criticality_pdf,
    )
