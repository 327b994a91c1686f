"""Restore tests: the list, a test's page (its queries and run history, and
"Run now"), its form (sanity queries as rows below it), a run's page with
its evidence, which follows a run under way until it ends, and the form
recording a restore done by hand (with its evidence file)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.continuity.choices import Expectation, ProofStatus
from wardkeeper.continuity.forms_proofs import (
    ManualRestoreForm,
    RestoreRunFilter,
    RestoreTestFilter,
    RestoreTestForm,
    SanityQueryFormSet,
)
from wardkeeper.continuity.models import RestoreRun, RestoreTest
from wardkeeper.continuity.services import proofs, restore
from wardkeeper.continuity.services import restore_compare as cmp
from wardkeeper.continuity.views.buttons import act, button
from wardkeeper.core.errors import DomainError
from wardkeeper.core.models import Attachment
from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
    style_form,
)

CELLS = "continuity/restore_cells"
RUNS_PER_PAGE = 20
RESULT_LABELS = {
    cmp.MATCH: _("matches"),
    cmp.NOT_RESTORED: _("not restored"),
    cmp.DIFFERS: _("differs from the snapshot"),
    cmp.LIVE_DIFFERS: _("differs from the live file"),
    cmp.LIVE_CHANGED: _("live file changed since the backup"),
    cmp.LIVE_MISSING: _("live file gone since the backup"),
}


def with_last_run(tests: QuerySet[RestoreTest]) -> QuerySet[RestoreTest]:
    """Each test with its newest run's status and start."""
    newest = RestoreRun.objects.filter(test=OuterRef("pk")).order_by(
        "-started_at", "-pk"
    )
    return tests.annotate(
        last_status=Subquery(newest.values("status")[:1]),
        last_at=Subquery(newest.values("started_at")[:1]),
        last_run=Subquery(newest.values("pk")[:1]),
    )


class RestoreTestList(ObjectList):
    model = RestoreTest
    filterset_class = RestoreTestFilter
    filter_fields = ("q", "system", "method")
    filter_more = ("job", "enabled")
    columns = [
        Column(_("Name"), "name", link=True),
        Column(_("Backup job"), "job", css="wk-wrap"),
        # The method is on the test's page; below 992 px the row keeps to
        # what tells one test from another and how it went.
        Column(_("Method"), "get_method_display", css="wk-wrap d-none d-lg-table-cell"),
        Column(_("Every (days)"), "every_days", css="text-end"),
        Column(_("Last result"), "last_status", template=f"{CELLS}/last.html"),
        Column(_("Enabled"), "enabled", yesno=True),
    ]

    def get_queryset(self) -> QuerySet[RestoreTest]:
        rows = RestoreTest.objects.select_related("job__system")
        return with_last_run(rows).order_by("job__system__name", "job__name", "name")


class RestoreTestDetail(ObjectDetail):
    model = RestoreTest
    queryset = RestoreTest.objects.select_related("job__system")

    def get_template_names(self) -> list[str]:
        return ["continuity/restore_test_detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        test = self.object
        runs = Paginator(test.runs.select_related("started_by"), RUNS_PER_PAGE)
        page = runs.get_page(self.request.GET.get("page"))
        context.update(
            job=test.job,
            queries=[_query_row(q) for q in test.queries.all()],
            page_obj=page,
            runs=page.object_list,
            pending=restore.pending(test),
            can_run=self.request.user.has_perm("continuity.add_restorerun"),
            problem=""
            if test.is_manual
            else restore.method_problem(test.job.tool, test.method),
        )
        if test.is_manual:  # made by the recording; nothing to edit
            context["can_change"] = False
        return context


def _query_row(query: Any) -> Any:
    query.expectation_label = Expectation(query.expectation).label
    return query


class RestoreTestFormPage:
    """A restore test's settings with its sanity queries as rows below."""

    request: HttpRequest
    object: RestoreTest | None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["formset"] = kwargs.get("formset") or self.formset()
        return context

    def formset(self) -> Any:
        data = self.request.POST if self.request.method == "POST" else None
        instance = getattr(self, "object", None) or RestoreTest()
        formset = SanityQueryFormSet(data, instance=instance)
        for form in formset.forms:
            style_form(form, small=True)
        return formset

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object() if "pk" in kwargs else None  # type: ignore[attr-defined]
        form = self.get_form()  # type: ignore[attr-defined]
        queries = self.formset()
        if not (form.is_valid() and queries.is_valid()):
            return self.render_to_response(  # type: ignore[attr-defined]
                self.get_context_data(form=form, formset=queries)
            )
        with transaction.atomic():
            self.object = form.save()
            queries.instance = self.object
            queries.save()
        messages.success(request, _t("Saved %(object)s.") % {"object": self.object})
        return HttpResponseRedirect(self.get_success_url())  # type: ignore[attr-defined]


class RestoreTestCreate(RestoreTestFormPage, ObjectCreate):
    model = RestoreTest
    form_class = RestoreTestForm
    template_name = "continuity/restore_test_form.html"
    initial_from_query = ("job",)


class RestoreTestUpdate(RestoreTestFormPage, ObjectUpdate):
    model = RestoreTest
    form_class = RestoreTestForm
    template_name = "continuity/restore_test_form.html"


class RestoreTestDelete(ObjectDelete):
    model = RestoreTest


@button("continuity.add_restorerun")
def run_now(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a run of the test for the worker and follow it on its page."""
    test = get_object_or_404(RestoreTest, pk=pk)
    return act(
        request,
        partial(proofs.start_test, test, actor=request.user),
        reverse("continuity:restoretest-detail", args=[test.pk]),
        _t("The restore test is queued; this page follows it."),
        lambda run: reverse("continuity:restorerun-detail", args=[run.pk]),
    )


class RestoreRunList(ObjectList):
    model = RestoreRun
    filterset_class = RestoreRunFilter
    filter_fields = ("system", "status", "trigger")
    filter_more = ("job", "test", "within_rto")
    columns = [
        # Started holds how the run was started (schedule, on demand) below
        # its time; the job reads "system · job": several tests share a name.
        Column(_("Started"), "started_at", template=f"{CELLS}/started.html"),
        Column(_("Backup job"), "test.job", css="wk-wrap"),
        Column(_("Restore test"), "test", css="wk-wrap"),
        Column(_("Status"), "status", template=f"{CELLS}/status.html"),
        Column(
            _("Duration"),
            "duration_seconds",
            css="wk-wrap",
            template=f"{CELLS}/duration.html",
        ),
        # Shortened here; the run's page has it whole (and so does the title).
        Column(
            _("Message"),
            "message",
            css="wk-wrap wk-wide wk-hide-empty",
            template=f"{CELLS}/message.html",
        ),
    ]

    def get_queryset(self) -> QuerySet[RestoreRun]:
        return RestoreRun.objects.select_related("test__job__system").order_by(
            "-started_at", "-pk"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Runs are started from their test's page ("Run now"), not added here.
        return {**super().get_context_data(**kwargs), "can_add": False}


class RestoreRunDetail(ObjectDetail):
    """A run and its evidence; while it runs, the page asks again every few
    seconds (htmx) for its body until the result is in."""

    model = RestoreRun
    queryset = RestoreRun.objects.select_related(
        "test__job__system", "started_by", "backup", "ticket"
    )

    def get_template_names(self) -> list[str]:
        if self.request.headers.get("HX-Request"):
            return ["continuity/restore_run_body.html"]
        return ["continuity/restore_run_detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        run = self.object
        evidence = run.evidence or {}
        files = [
            {
                **row,
                "label": RESULT_LABELS.get(row.get("result"), row.get("result")),
                "bad": row.get("result") in cmp.FAILING,
            }
            for row in evidence.get("files", [])
        ]
        queries = [
            {**answer, "expectation_label": _expectation(answer.get("expectation"))}
            for answer in evidence.get("queries", [])
        ]
        context.update(
            test=run.test,
            system=run.test.job.system,
            files=files,
            queries=queries,
            evidence=evidence,
            running=run.status == ProofStatus.RUNNING,
            attachments=proofs.attachments_of(run),
            can_delete=False,
            can_change=False,
        )
        return context


@login_required
@permission_required("continuity.add_restorerun", raise_exception=True)
def record_manual(request: HttpRequest) -> HttpResponse:
    """Record a restore done by hand for any job (``?job=`` picks it)."""
    form = ManualRestoreForm(
        request.POST or None,
        request.FILES or None,
        initial={"job": request.GET.get("job")},
    )
    if form.is_valid():
        try:
            run = proofs.record_manual(form.restore(), actor=request.user)
        except DomainError as error:
            form.add_error(error.field or None, error.message)
        else:
            messages.success(request, _t("The restore done by hand is recorded."))
            return redirect("continuity:restorerun-detail", pk=run.pk)
    style_form(form)
    status = 400 if form.is_bound else 200
    context = {"form": form, "title": _t("Record a restore done by hand")}
    return render(
        request, "continuity/manual_restore_form.html", context, status=status
    )


@login_required
@permission_required("continuity.view_restorerun", raise_exception=True)
def run_attachment(request: HttpRequest, pk: int, attachment: int) -> FileResponse:
    """Download an evidence file kept with a run (always as a download)."""
    found = get_object_or_404(Attachment.objects.of(RestoreRun, pk), pk=attachment)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=str(found))


def _expectation(code: str | None) -> str:
    try:
        return str(Expectation(code or "").label)
    except ValueError:
        return code or ""
