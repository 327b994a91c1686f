from django.urls import URLPattern, URLResolver, path, re_path

from wardkeeper.monitoring.views import availability, board

urlpatterns: list[URLPattern | URLResolver] = [
    path("", board.board, name="board"),
    path("availability/", availability.report, name="availability"),
    re_path(
        r"^availability/export\.(?P<fmt>csv|xlsx|pdf)$",
        availability.export,
        name="availability-export",
    ),
]
