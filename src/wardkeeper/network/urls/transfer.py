"""The network's import and export page, on the inventory's import views."""

from wardkeeper.inventory.urls.transfer import patterns_for
from wardkeeper.network.views.transfer import NETWORK

urlpatterns = patterns_for(NETWORK, prefix="import/")
