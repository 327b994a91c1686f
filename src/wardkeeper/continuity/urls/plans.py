"""Runbook and drill pages, and the drill coverage view.

Steps are listed on their runbook's page: ``runbookstep-list`` and
``runbookstep-detail`` lead there."""

from django.urls import URLPattern, path

from wardkeeper.continuity.views import drills as d
from wardkeeper.continuity.views import plans as p

urlpatterns: list[URLPattern] = [
    path("runbooks/", p.RunbookList.as_view(), name="runbook-list"),
    path("runbooks/", p.RunbookList.as_view(), name="runbookstep-list"),
    path("runbooks/add/", p.RunbookCreate.as_view(), name="runbook-add"),
    path("runbooks/<int:pk>/", p.RunbookDetail.as_view(), name="runbook-detail"),
    path("runbooks/<int:pk>/edit/", p.RunbookUpdate.as_view(), name="runbook-edit"),
    path("runbooks/<int:pk>/delete/", p.RunbookDelete.as_view(), name="runbook-delete"),
    path("runbooks/<int:pk>/approve/", p.runbook_approve, name="runbook-approve"),
    path("runbooks/<int:pk>/changes/", p.runbook_changes, name="runbook-changes"),
    path("runbooks/<int:pk>/review/", p.runbook_ask_review, name="runbook-review"),
    path(
        "runbooks/<int:pk>/new-version/",
        p.runbook_new_version,
        name="runbook-new-version",
    ),
    path("runbooks/<int:pk>/pdf/", p.runbook_pdf, name="runbook-pdf"),
    path(
        "runbooks/<int:runbook>/steps/add/",
        p.RunbookStepCreate.as_view(),
        name="runbookstep-add",
    ),
    path("runbooks/steps/<int:pk>/", p.step_detail, name="runbookstep-detail"),
    path(
        "runbooks/steps/<int:pk>/edit/",
        p.RunbookStepUpdate.as_view(),
        name="runbookstep-edit",
    ),
    path("runbooks/steps/<int:pk>/delete/", p.step_delete, name="runbookstep-delete"),
    path("runbooks/steps/<int:pk>/move/", p.step_move, name="runbookstep-move"),
    path("drills/", d.DrillList.as_view(), name="drill-list"),
    path("drills/coverage/", p.Coverage.as_view(), name="drill-coverage"),
    path("drills/add/", d.DrillCreate.as_view(), name="drill-add"),
    path("drills/<int:pk>/", d.DrillDetail.as_view(), name="drill-detail"),
    path("drills/<int:pk>/edit/", d.DrillUpdate.as_view(), name="drill-edit"),
    path("drills/<int:pk>/delete/", d.DrillDelete.as_view(), name="drill-delete"),
    path("drills/<int:pk>/start/", d.drill_start, name="drill-start"),
    path("drills/<int:pk>/cancel/", d.drill_cancel, name="drill-cancel"),
    path("drills/<int:pk>/run/", d.drill_run, name="drill-run"),
    path("drills/<int:pk>/stamp/", d.drill_stamp, name="drill-stamp"),
    path("drills/<int:pk>/finish/", d.drill_finish, name="drill-finish"),
    path("drills/<int:pk>/report.pdf", d.drill_report, name="drill-report"),
    path("drills/steps/<int:pk>/act/", d.step_act, name="drillstep-act"),
    path("drills/steps/<int:pk>/issue/", d.step_issue, name="drillstep-issue"),
]
