from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .codes import validate_region_code
from .errors import ErrorCode
from .models import Region, Role, Tenant
from .onboarding import ensure_region_open
from .validators import validate_pdf_letter


class RegionCodeField(forms.CharField):
    """A typed (or picked) Kemendagri code, validated and resolved to a Region."""

    def __init__(self, *args, queryset=None, **kwargs):
        self.queryset = queryset if queryset is not None else Region.objects.all()
        kwargs.setdefault("max_length", 13)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        value = value.strip()
        validate_region_code(value)
        region = self.queryset.select_related("parent").filter(code=value).first()
        if region is None:
            raise ValidationError(
                _("No region has the code %(code)s.") % {"code": value},
                code=ErrorCode.UNKNOWN_REGION,
            )
        return region


def _grouped_region_choices():
    provinces = {p.code: p.full_name for p in Region.objects.provinces()}
    groups: dict[str, list] = {}
    for region in Region.objects.available_for_onboarding().order_by("code"):
        province = region.code.split(".")[0]
        groups.setdefault(provinces[province], []).append((region.code, str(region)))
    return [("", _("— choose your region —"))] + list(groups.items())


class ApplicationForm(forms.Form):
    region = RegionCodeField(label=_("Region"))
    position = forms.CharField(label=_("Your position (jabatan)"), max_length=150)
    office = forms.CharField(
        label=_("Your office (unit kerja)"),
        max_length=200,
        help_text=_("For example: Bagian Kerja Sama, Sekretariat Daerah Kota Malang"),
    )
    # 254: the database column's length (a form EmailField alone would accept 320).
    official_email = forms.EmailField(
        label=_("Official e-mail"),
        max_length=254,
        help_text=_("The office's address, preferably .go.id"),
    )
    phone = forms.RegexField(
        label=_("Office phone"),
        regex=r"^\+?[0-9 ()\-]{6,30}$",
        error_messages={"invalid": _("Enter a phone number, for example (0341) 751550.")},
    )
    letter = forms.FileField(
        label=_("Assignment letter (surat tugas), PDF"),
        help_text=_("PDF only, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].widget = forms.Select(choices=_grouped_region_choices())

    def clean_region(self):
        region = self.cleaned_data["region"]
        if region is not None:
            ensure_region_open(region)
        return region

    def clean_letter(self):
        letter = self.cleaned_data["letter"]
        validate_pdf_letter(letter)
        return letter


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 3})
    )


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for suspension"), widget=forms.Textarea(attrs={"rows": 3})
    )


class DeleteTenantForm(forms.Form):
    confirmation = forms.CharField(label=_("Type the schema name to confirm"))


class RoleScopeForm(forms.Form):
    """Role with its scope: OPD for OPD staff, an area code for camat and lurah."""

    # Least privilege unless the administrator picks another role.
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)
    opd = forms.CharField(label=_("OPD"), max_length=150, required=False)
    area = RegionCodeField(
        label=_("Kecamatan or desa/kelurahan code"),
        required=False,
        help_text=_("For camat and lurah only, e.g. 35.73.01 or 35.73.01.1007"),
    )

    def __init__(self, *args, tenant: Tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.tenant = tenant
        self.fields["area"].widget.attrs["list"] = "area-codes"

    def area_choices(self):
        region = self.tenant.region
        if region is None or region.kind == "provinsi":
            return Region.objects.none()
        return Region.objects.within(region).order_by("code")


class InviteForm(RoleScopeForm):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    field_order = ["email", "role", "opd", "area"]
