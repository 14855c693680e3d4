"""The agreements' audit event types (agreement.*, and an inquiry made into an offer),
registered in tenants.audit's one registry from AgreementsConfig.ready(). Every event's data
carries the agreement's `title`; stage codes (`from`, `to`) are for programs, the sentences say
what happened."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants import audit
from tenants.audit import Describer

# --- The register, the lifecycle, the TKKSD review ------------------------------------------


def _signed_sentence(data) -> str:
    parts = []
    if data.get("place"):
        parts.append(
            _("Signed on %(date)s in %(place)s.")
            % {"date": data["signed_on"], "place": data["place"]}
        )
    elif data.get("signed_on"):
        parts.append(_("Signed on %(date)s.") % {"date": data["signed_on"]})
    if data.get("sha256"):
        parts.append(
            _("Signed document %(file)s (SHA-256 %(sha)s).")
            % {"file": data.get("file", ""), "sha": data["sha256"]}
        )
    return " ".join(parts)


def _agreement_step(sentence: str) -> Describer:
    """A lifecycle step: `sentence` (with %(title)s), then what the step recorded."""

    def describe(data, names):
        text = sentence % {"title": data["title"]}
        extra = _signed_sentence(data)
        return f"{text} {extra}".strip()

    return describe


def _agreement_created(data, names):
    return _("Added “%(title)s” to the register, in preparation.") % {"title": data["title"]}


def _agreement_registered_signed(data, names):
    text = _("Entered the signed agreement “%(title)s” in the register.") % {"title": data["title"]}
    return f"{text} {_signed_sentence(data)}".strip()


def _agreement_updated(data, names):
    return _("Edited “%(title)s”: %(fields)s.") % {
        "title": data["title"],
        "fields": ", ".join(data.get("changed") or []),
    }


def _agreement_dprd_approved(data, names):
    return _("Recorded the DPRD's approval of “%(title)s” (decision %(number)s of %(date)s).") % {
        "title": data["title"],
        "number": data["number"],
        "date": data["date"],
    }


def _agreement_expired(data, names):
    return _("“%(title)s” ended when its term ran out on %(date)s.") % {
        "title": data["title"],
        "date": data["ended_on"],
    }


def _agreement_terminated(data, names):
    return _("Terminated “%(title)s” as of %(date)s. Reason: %(reason)s") % {
        "title": data["title"],
        "date": data["ended_on"],
        "reason": data["reason"],
    }


def _agreement_rejected(data, names):
    return _("Rejected “%(title)s”. Reason: %(reason)s") % {
        "title": data["title"],
        "reason": data["reason"],
    }


def _agreement_extended(data, names):
    return _("Extended “%(title)s” with a renewal until %(date)s.") % {
        "title": data["title"],
        "date": data["term_end"],
    }


def _agreement_amended(data, names):
    text = _("Recorded the addendum “%(addendum)s” to “%(title)s”.") % {
        "addendum": data["addendum_title"],
        "title": data["title"],
    }
    return f"{text} {_signed_sentence(data)}".strip()


def _agreement_document_filed(data, names):
    return _("Filed the internal document “%(document)s” (SHA-256 %(sha)s).") % {
        "document": data["title"],
        "sha": data["sha256"],
    }


def _agreement_review_requested(data, names):
    return _("Asked the TKKSD to review “%(title)s” (round %(round)s).") % {
        "title": data["title"],
        "round": data["round"],
    }


def _agreement_review_recorded(data, names):
    recommendation = {
        "approve": _("approve"),
        "revise": _("revise"),
        "reject": _("reject"),
    }.get(data["recommendation"], data["recommendation"])
    return _("Recommended to %(recommendation)s “%(title)s” (round %(round)s).") % {
        "recommendation": recommendation,
        "title": data["title"],
        "round": data["round"],
    }


# --- The register's outputs and bulk input (agreements/exporting, importing, reporting) ------


def _agreement_register_exported(data, names):
    return _("Downloaded the register (%(rows)s agreements) as %(format)s.") % {
        "rows": data["rows"],
        "format": str(data["format"]).upper(),
    }


def _agreement_imported(data, names):
    return _("Imported %(rows)s old agreements from the file %(file)s (SHA-256 %(sha)s).") % {
        "rows": data["rows"],
        "file": data["file"],
        "sha": data["sha256"],
    }


def _agreement_semester_report(data, names):
    return _(
        "Downloaded the semester report for %(period)s as %(format)s (%(rows)s agreements)."
    ) % {
        "period": data["period"],
        "format": str(data["format"]).upper(),
        "rows": data["rows"],
    }


# --- Carrying an agreement out: action plan, monitoring, reminders (agreements/monitoring.py,
# agreements/reminders.py) --------------------------------------------------------------------


def _action_item_sentence(template):
    def describe(data, names):
        return template % {
            "activity": data["activity"],
            "opd": data["owner_opd"],
            "due": data["due_on"],
            "title": data["title"],
        }

    return describe


def _action_item_updated(data, names):
    text = _("Updated the action plan item “%(activity)s” of “%(title)s”.") % {
        "activity": data["activity"],
        "title": data["title"],
    }
    if data.get("changed"):
        text += " " + _("Changed: %(fields)s.") % {"fields": ", ".join(data["changed"])}
    return text


def _monitoring_filed(data, names):
    recommendation = {
        "continue": _("continue"),
        "expand": _("expand"),
        "stop": _("stop"),
    }.get(data["recommendation"], data["recommendation"])
    return _(
        "Filed the monitoring report on “%(title)s” for %(period)s: %(done)s of %(total)s action "
        "plan items done; recommends to %(recommendation)s."
    ) % {
        "title": data["title"],
        "period": data["period"],
        "done": data["items_done"],
        "total": data["items_total"],
        "recommendation": recommendation,
    }


def _reminder_sent(data, names):
    if data["kind"] == "expiry":
        return _(
            "Reminded %(count)s people that “%(title)s” expires on %(date)s (%(days)s days before)."
        ) % {
            "count": len(data["recipients"]),
            "title": data["title"],
            "date": data["about_on"],
            "days": data["days_before"],
        }
    return _(
        "Reminded %(count)s people that the monitoring report on “%(title)s” for the period "
        "ending %(date)s is overdue."
    ) % {"count": len(data["recipients"]), "title": data["title"], "date": data["about_on"]}


def _reminder_settings_changed(data, names):
    return _(
        "Set the expiry reminders to %(days)s days before the end, and monitoring reports due "
        "%(grace)s days after each period."
    ) % {"days": ", ".join(str(d) for d in data["expiry_days"]), "grace": data["grace_days"]}


# --- Who reads an agreement besides the whole register's readers; the stages' labels
# (agreements/scope.py, agreements/stages.py) ----------------------------------------------------


def _agreement_areas_changed(data, names):
    if not data["areas"]:
        return _("Recorded that “%(title)s” concerns the whole region.") % {"title": data["title"]}
    return _("Recorded the areas “%(title)s” concerns: %(areas)s.") % {
        "title": data["title"],
        "areas": ", ".join(data.get("names") or data["areas"]),
    }


def _stage_labels_changed(data, names):
    if not data["labels"]:
        return _("Restored the default labels of the stages.")
    return _("Named the stages: %(labels)s.") % {
        "labels": "; ".join(f"{stage} → {label}" for stage, label in data["labels"].items())
    }


# --- Partner regions on one agreement, meetings, proposals (agreements/partners/, proposals/) -


def _region(code, names) -> str:
    return names.get(code, code) if code else ""


def _instrument(value) -> str:
    return {"ksb": "KSB", "pks": "PKS"}.get(value, str(value or "").upper())


def _agreement_offer_accepted(data, names):
    return _("Accepted the offer of “%(title)s” from %(owner)s; it is in the register now.") % {
        "title": data["title"],
        "owner": _region(data["owner"], names),
    }


def _agreement_offer_declined(data, names):
    return _("Declined the offer of “%(title)s” from %(owner)s. Reason: %(reason)s") % {
        "title": data["title"],
        "owner": _region(data["owner"], names),
        "reason": data["reason"],
    }


def _agreement_partner_accepted(data, names):
    return _("%(partner)s accepted the offer of “%(title)s”.") % {
        "partner": _region(data["partner"], names),
        "title": data["title"],
    }


def _agreement_partner_declined(data, names):
    return _("%(partner)s declined the offer of “%(title)s”. Reason: %(reason)s") % {
        "partner": _region(data["partner"], names),
        "title": data["title"],
        "reason": data["reason"],
    }


def _agreement_party_signed(data, names):
    return _("Signed the %(instrument)s “%(title)s” for %(region)s on %(date)s.") % {
        "instrument": _instrument(data["instrument"]),
        "title": data["title"],
        "region": _region(data["region"], names),
        "date": data["signed_on"],
    }


def _agreement_meeting_recorded(data, names):
    return _("Recorded the meeting of %(date)s in %(place)s on “%(title)s”.") % {
        "date": data["held_on"],
        "place": data["place"],
        "title": data["title"],
    }


def _agreement_point_proposed(data, names):
    return _("Added a point under %(urusan)s to the inventory of “%(title)s”: %(point)s") % {
        "urusan": data["urusan"],
        "title": data["title"],
        "point": data["point"],
    }


def _agreement_points_prioritised(data, names):
    return _("Recorded the heads of region's priorities for “%(title)s”: %(count)s chosen.") % {
        "title": data["title"],
        "count": data["chosen"],
    }


def _agreement_points_adopted(data, names):
    return _("Made %(count)s chosen points the scope of “%(title)s”; new PKS: %(pks)s.") % {
        "count": data["points"],
        "title": data["title"],
        "pks": ", ".join(data["pks"]) or "—",
    }


def _agreement_text_version_added(data, names):
    return _("Added version %(number)s of the joint text of “%(title)s”.") % {
        "number": data["number"],
        "title": data["title"],
    }


def _agreement_own_dprd_recorded(data, names):
    return _("Recorded the region's DPRD decision %(number)s of %(date)s on “%(title)s”.") % {
        "number": data["number"],
        "date": data["date"],
        "title": data["title"],
    }


def _inquiry_offer_made(data, names):
    return _(
        "Turned the inquiry “%(subject)s” about “%(listing)s” into an agreement in preparation "
        "with %(partner)s (shared record #%(cooperation)s)."
    ) % {
        "subject": data["subject"],
        "listing": data["listing"],
        "partner": names.get(data["partner"], data["partner"]),
        "cooperation": data["cooperation"],
    }


def register() -> None:
    audit.register("agreement.created", gettext_lazy("Agreement added"), _agreement_created)
    audit.register(
        "agreement.registered_signed",
        gettext_lazy("Signed agreement entered"),
        _agreement_registered_signed,
    )
    audit.register("agreement.updated", gettext_lazy("Agreement edited"), _agreement_updated)
    audit.register(
        "agreement.offer_sent",
        gettext_lazy("Offer sent"),
        _agreement_step(gettext_lazy("Sent the offer for “%(title)s” to the partner.")),
    )
    audit.register(
        "agreement.ksb_drafting_started",
        gettext_lazy("KSB drafting started"),
        _agreement_step(gettext_lazy("Started drafting the KSB of “%(title)s”.")),
    )
    audit.register(
        "agreement.ksb_signed",
        gettext_lazy("KSB signed"),
        _agreement_step(gettext_lazy("Recorded the signing of the KSB “%(title)s”.")),
    )
    audit.register(
        "agreement.submitted_to_dprd",
        gettext_lazy("Submitted to the DPRD"),
        _agreement_step(gettext_lazy("Submitted “%(title)s” to the DPRD for approval.")),
    )
    audit.register(
        "agreement.dprd_approved", gettext_lazy("DPRD approved"), _agreement_dprd_approved
    )
    audit.register(
        "agreement.pks_drafting_started",
        gettext_lazy("PKS drafting started"),
        _agreement_step(gettext_lazy("Started drafting the PKS of “%(title)s”.")),
    )
    audit.register(
        "agreement.pks_signed",
        gettext_lazy("PKS signed"),
        _agreement_step(gettext_lazy("Recorded the signing of the PKS “%(title)s”.")),
    )
    audit.register(
        "agreement.implementation_started",
        gettext_lazy("Implementation started"),
        _agreement_step(gettext_lazy("Started the implementation of “%(title)s”.")),
    )
    audit.register(
        "agreement.monitoring_started",
        gettext_lazy("Monitoring started"),
        _agreement_step(gettext_lazy("Started monitoring and evaluating “%(title)s”.")),
    )
    audit.register("agreement.expired", gettext_lazy("Agreement expired"), _agreement_expired)
    audit.register(
        "agreement.terminated", gettext_lazy("Agreement terminated"), _agreement_terminated
    )
    audit.register("agreement.rejected", gettext_lazy("Agreement rejected"), _agreement_rejected)
    audit.register("agreement.extended", gettext_lazy("Agreement extended"), _agreement_extended)
    audit.register("agreement.amended", gettext_lazy("Addendum recorded"), _agreement_amended)
    audit.register(
        "agreement.document_filed",
        gettext_lazy("Agreement document filed"),
        _agreement_document_filed,
    )
    audit.register(
        "agreement.review_requested",
        gettext_lazy("TKKSD review requested"),
        _agreement_review_requested,
    )
    audit.register(
        "agreement.review_recorded",
        gettext_lazy("TKKSD recommendation recorded"),
        _agreement_review_recorded,
    )
    audit.register(
        "agreement.register_exported",
        gettext_lazy("Register downloaded"),
        _agreement_register_exported,
    )
    audit.register("agreement.imported", gettext_lazy("Agreements imported"), _agreement_imported)
    audit.register(
        "agreement.semester_report_downloaded",
        gettext_lazy("Semester report downloaded"),
        _agreement_semester_report,
    )
    audit.register(
        "agreement.action_item_added",
        gettext_lazy("Action plan item added"),
        _action_item_sentence(
            gettext_lazy(
                "Added “%(activity)s” (%(opd)s, due %(due)s) to the action plan of “%(title)s”."
            )
        ),
    )
    audit.register(
        "agreement.action_item_updated",
        gettext_lazy("Action plan item updated"),
        _action_item_updated,
    )
    audit.register(
        "agreement.action_item_removed",
        gettext_lazy("Action plan item removed"),
        _action_item_sentence(
            gettext_lazy(
                "Removed “%(activity)s” (%(opd)s, due %(due)s) from the action plan of “%(title)s”."
            )
        ),
    )
    audit.register(
        "agreement.monitoring_filed",
        gettext_lazy("Monitoring report filed"),
        _monitoring_filed,
    )
    audit.register("agreement.reminder_sent", gettext_lazy("Reminder sent"), _reminder_sent)
    audit.register(
        "agreement.reminder_settings_changed",
        gettext_lazy("Reminder settings changed"),
        _reminder_settings_changed,
    )
    audit.register(
        "agreement.areas_changed",
        gettext_lazy("Areas of an agreement changed"),
        _agreement_areas_changed,
    )
    audit.register(
        "agreement.dossier_given",
        gettext_lazy("DPRD dossier given"),
        lambda data, names: _("Gave %(member)s the dossier of “%(title)s”.")
        % {"member": data["member"], "title": data["title"]},
    )
    audit.register(
        "agreement.dossier_withdrawn",
        gettext_lazy("DPRD dossier withdrawn"),
        lambda data, names: _("Withdrew the dossier of “%(title)s” from %(member)s.")
        % {"member": data["member"], "title": data["title"]},
    )
    audit.register(
        "agreement.stage_labels_changed",
        gettext_lazy("Stages' labels changed"),
        _stage_labels_changed,
    )
    audit.register(
        "agreement.offer_accepted", gettext_lazy("Offer accepted"), _agreement_offer_accepted
    )
    audit.register(
        "agreement.offer_declined", gettext_lazy("Offer declined"), _agreement_offer_declined
    )
    audit.register(
        "agreement.partner_accepted",
        gettext_lazy("Partner accepted the offer"),
        _agreement_partner_accepted,
    )
    audit.register(
        "agreement.partner_declined",
        gettext_lazy("Partner declined the offer"),
        _agreement_partner_declined,
    )
    audit.register(
        "agreement.party_signed", gettext_lazy("Signed as a party"), _agreement_party_signed
    )
    audit.register(
        "agreement.meeting_recorded", gettext_lazy("Meeting recorded"), _agreement_meeting_recorded
    )
    audit.register(
        "agreement.point_proposed",
        gettext_lazy("Point of cooperation added"),
        _agreement_point_proposed,
    )
    audit.register(
        "agreement.points_prioritised",
        gettext_lazy("Priorities recorded"),
        _agreement_points_prioritised,
    )
    audit.register(
        "agreement.points_adopted",
        gettext_lazy("Chosen points made the scope"),
        _agreement_points_adopted,
    )
    audit.register(
        "agreement.text_version_added",
        gettext_lazy("Joint text version added"),
        _agreement_text_version_added,
    )
    audit.register(
        "agreement.own_dprd_recorded",
        gettext_lazy("Region's DPRD decision recorded"),
        _agreement_own_dprd_recorded,
    )
    audit.register(
        "inquiry.offer_made", gettext_lazy("Offer made from an inquiry"), _inquiry_offer_made
    )
