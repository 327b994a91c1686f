"""Checklists, maintenance plans, work orders and inspection rounds."""

from django.urls import URLPattern, URLResolver, path

from wardkeeper.servicedesk.views import maintenance as plans
from wardkeeper.servicedesk.views import maintenance_orders as orders

urlpatterns: list[URLPattern | URLResolver] = [
    path("checklists/", plans.ChecklistList.as_view(), name="checklist-list"),
    path("checklists/add/", plans.ChecklistCreate.as_view(), name="checklist-add"),
    path(
        "checklists/<int:pk>/",
        plans.ChecklistDetail.as_view(),
        name="checklist-detail",
    ),
    path(
        "checklists/<int:pk>/edit/",
        plans.ChecklistUpdate.as_view(),
        name="checklist-edit",
    ),
    path(
        "checklists/<int:pk>/delete/",
        plans.ChecklistDelete.as_view(),
        name="checklist-delete",
    ),
    path(
        "checklists/<int:checklist>/items/add/",
        plans.ChecklistItemCreate.as_view(),
        name="checklistitem-add",
    ),
    path("checklist-items/", plans.checklist_items, name="checklistitem-list"),
    path(
        "checklist-items/<int:pk>/",
        plans.checklist_item_page,
        name="checklistitem-detail",
    ),
    path(
        "checklist-items/<int:pk>/edit/",
        plans.ChecklistItemUpdate.as_view(),
        name="checklistitem-edit",
    ),
    path(
        "checklist-items/<int:pk>/delete/",
        plans.ChecklistItemDelete.as_view(),
        name="checklistitem-delete",
    ),
    path(
        "maintenance/plans/",
        plans.MaintenancePlanList.as_view(),
        name="maintenanceplan-list",
    ),
    path(
        "maintenance/plans/add/",
        plans.MaintenancePlanCreate.as_view(),
        name="maintenanceplan-add",
    ),
    path(
        "maintenance/plans/<int:pk>/",
        plans.MaintenancePlanDetail.as_view(),
        name="maintenanceplan-detail",
    ),
    path(
        "maintenance/plans/<int:pk>/edit/",
        plans.MaintenancePlanUpdate.as_view(),
        name="maintenanceplan-edit",
    ),
    path(
        "maintenance/plans/<int:pk>/delete/",
        plans.MaintenancePlanDelete.as_view(),
        name="maintenanceplan-delete",
    ),
    path("work-orders/", orders.WorkOrderList.as_view(), name="workorder-list"),
    path("work-orders/mine/", orders.MyWorkOrders.as_view(), name="workorder-mine"),
    path(
        "work-orders/overdue/",
        orders.OverdueWorkOrders.as_view(),
        name="workorder-overdue",
    ),
    path(
        "work-orders/<int:pk>/",
        orders.WorkOrderDetail.as_view(),
        name="workorder-detail",
    ),
    path(
        "work-orders/<int:pk>/assign/",
        orders.WorkOrderAssign.as_view(),
        name="workorder-edit",
    ),
    path("work-orders/<int:pk>/skip/", orders.workorder_skip, name="workorder-skip"),
]
