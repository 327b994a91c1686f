"""Monitoring's models, one module per part; each module's ``__all__`` names
what it adds here."""

from wardkeeper.monitoring.models.alerts import *  # noqa: F403
from wardkeeper.monitoring.models.checks import *  # noqa: F403
from wardkeeper.monitoring.models.history import *  # noqa: F403
from wardkeeper.monitoring.models.pollers import *  # noqa: F403
