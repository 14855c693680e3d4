"""The import's upload form (agreements/import_export/views.py). It shapes input; the import
(importing.py) checks every row."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.import_export import importing

# The import's upload limit: the register's document limit (a 20 MB CSV holds far more than
# importing.MAX_ROWS agreements).
IMPORT_MAX_BYTES_SETTING = "JEJARING_DOCUMENT_MAX_BYTES"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    check_only = forms.BooleanField(
        label=gettext_lazy("Only check the file; import nothing"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = int(getattr(settings, IMPORT_MAX_BYTES_SETTING))
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s. Split it into several files.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code=importing.ImportErrorCode.FILE_TOO_LARGE,
            )
        return upload
