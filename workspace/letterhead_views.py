"""The region's letterhead settings on its subdomain: the emblem (lambang daerah) its official
documents carry (the semester report's letter). Views shape input and output;
workspace.actions.set_emblem / remove_emblem decide and record; tenants.letterhead stores."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.policy import AgreementPerm
from core.form_actions import run
from tenants import letterhead
from tenants.decorators import workspace_view

from . import actions


class EmblemForm(forms.Form):
    emblem = forms.FileField(
        label=gettext_lazy("Emblem (PNG or JPEG)"),
        help_text=gettext_lazy(
            "The region's emblem as printed on its letters; at most 2 MB. It is stored as a "
            "PNG of at most 600 pixels a side."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )


@workspace_view(AgreementPerm.CONFIGURE_AGREEMENTS)
def emblem(request):
    form = EmblemForm()
    status = 200
    if request.method == "POST" and "remove" in request.POST:
        if actions.remove_emblem(membership=request.membership):
            messages.success(request, _("The emblem was removed from the letterhead."))
        return redirect("workspace:emblem")
    if request.method == "POST":
        form = EmblemForm(request.POST, request.FILES)
        submitted = run(
            form,
            lambda data: actions.set_emblem(membership=request.membership, upload=data["emblem"]),
        )
        status = submitted.status
        if submitted.done:
            messages.success(request, _("The emblem is on the letterhead now."))
            return redirect("workspace:emblem")
    return render(
        request,
        "workspace/emblem.html",
        {
            "form": form,
            "emblem": letterhead.emblem_data_uri(),
            "writable": request.tenant.accepts_writes,
        },
        status=status,
    )
