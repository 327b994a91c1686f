"""The upload form of the import page."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.transfer.kinds import KIND_LABELS
from wardkeeper.inventory.transfer.reading import FORMATS


def upload_limit() -> int:
    """The largest file accepted from the web page or the API, in bytes."""
    return int(settings.UPLOAD_MAX_MB) * 1024 * 1024


class ImportForm(forms.Form):
    """A kind and a CSV or XLSX file; the file is checked before anything
    else runs (its type by name, its size against the upload limit)."""

    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=list(KIND_LABELS.items()),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8) or XLSX; the first row holds the column headings."),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx", "class": "form-control"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        suffix = (upload.name or "").rsplit(".", 1)[-1].lower()
        if suffix not in FORMATS:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size is not None and upload.size > upload_limit():
            raise forms.ValidationError(
                _("The file is larger than the %(mb)d MB allowed.")
                % {"mb": settings.UPLOAD_MAX_MB}
            )
        return upload
