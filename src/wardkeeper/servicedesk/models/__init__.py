"""The service desk's models, one module per part; each module's ``__all__``
names what it adds here."""

from wardkeeper.servicedesk.models.figures import *  # noqa: F403
from wardkeeper.servicedesk.models.maintenance import *  # noqa: F403
from wardkeeper.servicedesk.models.restore import *  # noqa: F403
from wardkeeper.servicedesk.models.sla import *  # noqa: F403
from wardkeeper.servicedesk.models.teams import *  # noqa: F403
from wardkeeper.servicedesk.models.tickets import *  # noqa: F403
