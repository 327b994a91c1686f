"""Teams, their rotas, shifts and leave overrides, and the engineer's queue."""

from django.urls import URLPattern, URLResolver, path

from wardkeeper.servicedesk.views import queue, teams

urlpatterns: list[URLPattern | URLResolver] = [
    path("queue/", queue.my_queue, name="queue"),
    path("teams/", teams.TeamList.as_view(), name="team-list"),
    path("teams/add/", teams.TeamCreate.as_view(), name="team-add"),
    path("teams/<int:pk>/", teams.TeamDetail.as_view(), name="team-detail"),
    path("teams/<int:pk>/edit/", teams.TeamUpdate.as_view(), name="team-edit"),
    path("teams/<int:pk>/delete/", teams.TeamDelete.as_view(), name="team-delete"),
    path("teams/<int:team>/rotas/add/", teams.RotaCreate.as_view(), name="rota-add"),
    path("rotas/<int:pk>/edit/", teams.RotaUpdate.as_view(), name="rota-edit"),
    path("rotas/<int:pk>/delete/", teams.RotaDelete.as_view(), name="rota-delete"),
    path("rotas/<int:rota>/shifts/add/", teams.ShiftCreate.as_view(), name="shift-add"),
    path("shifts/<int:pk>/delete/", teams.ShiftDelete.as_view(), name="shift-delete"),
    path(
        "teams/<int:team>/overrides/add/",
        teams.OverrideCreate.as_view(),
        name="rotaoverride-add",
    ),
    path(
        "overrides/<int:pk>/delete/",
        teams.OverrideDelete.as_view(),
        name="rotaoverride-delete",
    ),
]
