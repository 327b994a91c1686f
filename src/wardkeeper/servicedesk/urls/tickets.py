"""Reporting a fault, the reporter's own tickets, and the desk's ticket pages."""

from django.urls import URLPattern, URLResolver, path

from wardkeeper.servicedesk.views import report, ticket_actions, tickets

urlpatterns: list[URLPattern | URLResolver] = [
    path("report/", report.report, name="report"),
    path("report/where/", report.report_where, name="report-where"),
    path("report/<int:pk>/", report.report_done, name="report-done"),
    path("mine/", tickets.my_reports, name="my-reports"),
    path("tickets/", tickets.TicketList.as_view(), name="ticket-list"),
    path("tickets/<int:pk>/", tickets.ticket_detail, name="ticket-detail"),
    path("tickets/<int:pk>/join/", report.join, name="ticket-join"),
    path("tickets/<int:pk>/confirm/", report.confirm, name="ticket-confirm"),
    path("tickets/<int:pk>/reopen/", report.reopen, name="ticket-reopen"),
    path(
        "tickets/<int:pk>/files/<int:attachment>/",
        tickets.ticket_attachment,
        name="ticket-attachment",
    ),
    # take, assign, move, wait, resolve, priority, worklog, visit, attach
    path(
        "tickets/<int:pk>/<slug:action>/",
        ticket_actions.ticket_action,
        name="ticket-action",
    ),
]
