"""Monitoring's pages, one module per part."""

from wardkeeper.monitoring.urls import board, checks, pollers

app_name = "monitoring"
urlpatterns = [*board.urlpatterns, *checks.urlpatterns, *pollers.urlpatterns]
