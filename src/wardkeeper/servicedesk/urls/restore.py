"""Restoring service: swap with a spare, RMAs, problems (restore work)."""

from django.urls import URLPattern, URLResolver, path

from wardkeeper.servicedesk.views import restore as views

# Three segments after the ticket: the ticket pages' "tickets/<pk>/<action>/"
# would otherwise take them.
urlpatterns: list[URLPattern | URLResolver] = [
    path("tickets/<int:pk>/restore/swap/", views.ticket_swap, name="ticket-swap"),
    path(
        "tickets/<int:pk>/restore/problem/", views.ticket_problem, name="ticket-problem"
    ),
    path("rmas/", views.RmaList.as_view(), name="rma-list"),
    path("rmas/add/", views.RmaCreate.as_view(), name="rma-add"),
    path("rmas/<int:pk>/", views.RmaDetail.as_view(), name="rma-detail"),
    path("rmas/<int:pk>/edit/", views.RmaUpdate.as_view(), name="rma-edit"),
    path("rmas/<int:pk>/move/", views.rma_move, name="rma-move"),
    path("rmas/<int:pk>/loaner/", views.rma_loaner, name="rma-loaner"),
    path("problems/", views.ProblemList.as_view(), name="problem-list"),
    path("problems/add/", views.ProblemCreate.as_view(), name="problem-add"),
    path(
        "problems/candidates/",
        views.ProblemCandidates.as_view(),
        name="problem-candidates",
    ),
    path("problems/<int:pk>/", views.ProblemDetail.as_view(), name="problem-detail"),
    path("problems/<int:pk>/edit/", views.ProblemUpdate.as_view(), name="problem-edit"),
    path(
        "problems/<int:pk>/link/",
        views.problem_link_ticket,
        name="problem-link-ticket",
    ),
]
