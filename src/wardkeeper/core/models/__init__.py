from wardkeeper.core.models.attachments import Attachment
from wardkeeper.core.models.audit import AuditChainHead, AuditEntry, AuditSource
from wardkeeper.core.models.base import AuditedModel
from wardkeeper.core.models.notifications import *  # noqa: F403
from wardkeeper.core.models.tokens import ApiToken
from wardkeeper.core.models.users import User

__all__ = [
    "ApiToken",
    "Attachment",
    "AuditChainHead",
    "AuditEntry",
    "AuditSource",
    "AuditedModel",
    "User",
]
