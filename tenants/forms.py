from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .codes import validate_region_code
from .errors import ErrorCode
from .models import VILLAGE_KINDS, Region, RegionKind, Role, Tenant
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


class AreaSelect(forms.Select):
    """A select whose options say their level (`data-level`: kecamatan or village), so the
    picker's script (tenants/static/tenants/area_picker.js) can offer a camat only kecamatan and
    a lurah only desa/kelurahan; the server decides either way (validate_role_scope)."""

    def __init__(self, *args, levels: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = levels or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if level := self.levels.get(str(value)):
            option["attrs"]["data-level"] = level
        return option


class AreaField(forms.ChoiceField):
    """A kecamatan or desa/kelurahan of the inviting region, picked by name: the choices are the
    region's own areas only, grouped by kecamatan; a code from anywhere else is refused with a
    message saying so. Cleans to the Region (or None)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", AreaSelect)
        super().__init__(*args, **kwargs)
        self.areas: dict[str, Region] = {}
        self.region_name = ""

    def set_areas(self, areas, region_name: str) -> None:
        self.areas = {a.code: a for a in areas}
        groups: list[tuple[str, list]] = []
        for area in self.areas.values():
            if area.kind == RegionKind.KECAMATAN:
                groups.append((area.full_name, [(area.code, self._label(area, whole=True))]))
            elif groups:  # ordered by code: a village follows its kecamatan
                groups[-1][1].append((area.code, self._label(area)))
        self.choices = [("", _("— none (roles other than camat and lurah) —")), *groups]
        self.widget.levels = {
            code: ("kecamatan" if a.kind == RegionKind.KECAMATAN else "village")
            for code, a in self.areas.items()
        }
        self.region_name = region_name

    @staticmethod
    def _label(area: Region, whole: bool = False) -> str:
        if whole:
            return _("%(name)s (the whole kecamatan, %(code)s)") % {
                "name": area.full_name,
                "code": area.code,
            }
        return f"{area.full_name} ({area.code})"

    def clean(self, value):
        value = (value or "").strip()
        if not value:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        validate_region_code(value)  # a malformed code is told so, as everywhere codes are typed
        area = self.areas.get(value)
        if area is None:
            raise ValidationError(
                _(
                    "%(value)s is not a kecamatan or desa/kelurahan of %(region)s. "
                    "Choose one from the list."
                ),
                code=ErrorCode.AREA_OUTSIDE_REGION,
                params={"value": value[:40], "region": self.region_name},
            )
        return area


class RoleScopeForm(forms.Form):
    """Role with its scope: OPD for OPD staff, a kecamatan (camat) or desa/kelurahan (lurah) of
    the region, picked by name from the region's own areas."""

    # Least privilege unless the administrator picks another role.
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)
    opd = forms.CharField(
        label=_("OPD"),
        max_length=150,
        required=False,
        help_text=_("For OPD staff only, e.g. Dinas Pertanian"),
    )
    area = AreaField(
        label=_("Kecamatan or desa/kelurahan"),
        required=False,
        help_text=_(
            "For camat (a kecamatan) and lurah/kepala desa (a desa or kelurahan) only. "
            "Search by name or code."
        ),
    )

    def __init__(self, *args, tenant: Tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.tenant = tenant
        name = tenant.region.full_name if tenant.region is not None else tenant.name
        area_field = self.fields["area"]
        assert isinstance(area_field, AreaField)
        area_field.set_areas(self.area_choices(), name)
        # The picker's script (progressive enhancement) reads its words from the widget.
        self.fields["area"].widget.attrs.update(
            {
                "data-area-picker": "",
                "data-search-label": _("Search by name or code"),
                "data-count-label": _("{n} found"),
            }
        )

    def area_choices(self):
        """The region's own kecamatan and desa/kelurahan (a province has none of its own)."""
        region = self.tenant.region
        if region is None or region.kind == RegionKind.PROVINSI:
            return Region.objects.none()
        return (
            Region.objects.within(region)
            .filter(kind__in=(RegionKind.KECAMATAN, *VILLAGE_KINDS))
            .only("code", "name", "kind")
            .order_by("code")
        )


class InviteForm(RoleScopeForm):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    field_order = ["email", "role", "opd", "area"]
