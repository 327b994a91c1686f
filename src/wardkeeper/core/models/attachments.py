from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models.base import AuditedModel


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{timezone.now():%Y/%m}/{PurePath(filename).name}"


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def of(self, model: type[models.Model], pk: object) -> AttachmentQuerySet:
        """The files kept with the record ``pk`` of ``model``."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=str(pk)
        ).select_related("uploaded_by")


class Attachment(AuditedModel):
    """A file kept with a record: an invoice, a photo of a broken screen, a
    vendor's repair report, a data-wipe certificate."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to=attachment_path)
    description = models.CharField(_("description"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return PurePath(self.file.name).name
