"""Forms of the marketplace's pages: they shape input; the actions decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation import urusan
from search.query import MAX_QUERY_CHARS
from tenants.models import Membership, Region
from tenants.policy import AREA_SCOPED_ROLES, areas_for

from . import kbli
from .models import ListingKind, ListingLanguage, PotentialType

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ListingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ListingKind.choices)
    potential_type = forms.ChoiceField(
        label=_("Type of potential"),
        choices=[("", "—"), *PotentialType.choices],
        required=False,
        help_text=_("Only for a potential."),
    )
    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(
        label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    sector = forms.ChoiceField(label=_("Sector (KBLI 2020)"), choices=kbli.CHOICES)
    urusan = forms.ChoiceField(label=_("Urusan"), choices=urusan.CHOICES)
    area = forms.ChoiceField(label=_("Area"), required=False)
    quantity = forms.DecimalField(
        label=_("Quantity or capacity"), required=False, max_digits=14, decimal_places=2
    )
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    price_min = forms.DecimalField(
        label=_("Lowest price (Rp)"), required=False, max_digits=16, decimal_places=0
    )
    price_max = forms.DecimalField(
        label=_("Highest price (Rp)"), required=False, max_digits=16, decimal_places=0
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=120)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=_DATE)
    valid_until = forms.DateField(label=_("Valid until"), widget=_DATE)
    language = forms.ChoiceField(label=_("Language"), choices=ListingLanguage.choices)

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(r.code, r.full_name) for r in areas_for(membership).order_by("code")[:2000]]
        if membership.role not in AREA_SCOPED_ROLES:
            choices.insert(0, ("", _("The whole region")))
        else:
            self.fields["area"].required = True
        self.fields["area"].choices = choices

    def listing_fields(self) -> dict:
        data = dict(self.cleaned_data)
        code = data.get("area") or ""
        data["area"] = Region.objects.filter(code=code).first() if code else None
        for name in ("unit", "contact_phone", "contact_email", "potential_type"):
            data[name] = data.get(name) or ""
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Photo (JPEG, PNG or WebP)"))
    caption = forms.CharField(label=_("Caption"), max_length=160, required=False)


class SearchForm(forms.Form):
    """The public search page's query string. Every field is optional and forgiving: a value
    that is not a known code is ignored, never an error page. The words are the exception: the
    search box holds at most MAX_QUERY_CHARS characters (its `maxlength`), so a longer query
    came from elsewhere and is told so (a form error, 400; the first MAX_QUERY_CHARS are still
    searched). The web server's request-line limit lets any query the box can hold through
    (scripts/serve.sh, the Dockerfile; marketplace/tests/test_search_page.py checks both)."""

    q = forms.CharField(
        required=False,
        max_length=MAX_QUERY_CHARS,
        error_messages={
            "max_length": _(
                "Your search is too long: it may hold at most %(limit_value)d characters "
                "(it has %(show_value)d). Only the first %(limit_value)d were searched; "
                "shorten it to the words that matter."
            )
        },
    )
    sort = forms.CharField(required=False, max_length=20)
    near = forms.CharField(required=False, max_length=13)
    page = forms.CharField(required=False, max_length=6)
