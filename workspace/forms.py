from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tenants.forms import RegionCodeField
from tenants.validators import validate_pdf


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File (PDF)"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )
    area = RegionCodeField(
        label=_("Area (kecamatan or desa/kelurahan code)"),
        required=False,
        help_text=_(
            "Leave empty for a region-wide document. Camat and lurah must give their area."
        ),
    )

    restricted = forms.BooleanField(
        label=_("Restricted"),
        required=False,
        help_text=_(
            "Only the region's administrators, the TKKSD, you and your OPD can open a "
            "restricted document."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].widget.attrs["list"] = "area-codes"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_pdf(upload, max_bytes=settings.JEJARING_DOCUMENT_MAX_BYTES)
        return upload
