"""Reading the signatures' results for display: the workspace, the public registry, the API and
the bulk downloads all ask here, so they say the same thing about the same file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from .checking import current_fingerprint
from .models import FLAGGED, Acceptance, Check, State, Verdict

ERROR_LABELS = {
    "encrypted": _("the file is encrypted with a password"),
    "unreadable": _("the file is damaged or not a valid PDF"),
    "too_complex": _("the file needs more memory or time than a check may use"),
    "timed_out": _("the check took longer than allowed and was stopped"),
    "file_missing": _("the stored file is missing"),
    "file_changed": _("the stored file no longer matches its fingerprint"),
    "failed": _("the check failed"),
}

STATUS_LABELS = {
    "verified": _("verified"),
    "unverified": _("intact, signer not verified"),
    "untrusted": _("the signer's certificate does not chain to a trusted root"),
    "expired": _("the signer's certificate had expired"),
    "modified": _("changed after signing"),
    "broken": _("the signature does not match the document"),
}


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass
class Signer:
    """One signature as pages show it (the engine's answer, times parsed)."""

    data: dict

    def __getattr__(self, name):
        try:
            return self.data[name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    @property
    def signed_at(self) -> datetime | None:
        stamp = self.data.get("timestamp")
        if stamp and stamp.get("intact"):
            return _moment(stamp["time"])
        return _moment(self.data.get("signed_at"))

    @property
    def claimed_at(self) -> datetime | None:
        return _moment(self.data.get("signed_at"))

    @property
    def timestamp_at(self) -> datetime | None:
        stamp = self.data.get("timestamp")
        return _moment(stamp["time"]) if stamp else None

    @property
    def not_before(self) -> datetime | None:
        return _moment(self.data["signer"]["not_before"])

    @property
    def not_after(self) -> datetime | None:
        return _moment(self.data["signer"]["not_after"])

    @property
    def unchanged(self) -> bool:
        return self.data["status"] not in ("modified", "broken")

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.data["status"], self.data["status"]))


@dataclass
class SignatureStatus:
    """What is known of one file's signatures now: `state` pending (being checked), done or
    failed; `stale` when the result shown was against other trust roots and a new check is
    due; the offices' acceptances."""

    sha256: str
    state: str = State.PENDING
    verdict: str = ""
    signers: list[Signer] = field(default_factory=list)
    error_code: str = ""
    checked_at: datetime | None = None
    stale: bool = False
    acceptances: list[Acceptance] = field(default_factory=list)

    @property
    def pending(self) -> bool:
        return self.state == State.PENDING

    @property
    def flagged(self) -> bool:
        return self.state == State.FAILED or (self.state == State.DONE and self.verdict in FLAGGED)

    @property
    def problem(self) -> str:
        """What a flag is about: the verdict, or the check's error code."""
        return self.error_code if self.state == State.FAILED else self.verdict

    @property
    def verdict_label(self) -> str:
        if self.state == State.PENDING:
            return str(_("being checked"))
        if self.state == State.FAILED:
            return str(_("could not be checked: %(why)s") % {"why": self.error_label})
        return str(Verdict(self.verdict).label) if self.verdict else ""

    @property
    def error_label(self) -> str:
        return str(ERROR_LABELS.get(self.error_code, ERROR_LABELS["failed"]))

    @property
    def summary(self) -> str:
        """One word for the bulk data: a verdict, `pending`, or `error:<code>`."""
        if self.state == State.PENDING:
            return "pending"
        if self.state == State.FAILED:
            return f"error:{self.error_code}"
        return self.verdict

    def accepted_by(self, tenant_id: int | None) -> Acceptance | None:
        return next((a for a in self.acceptances if a.tenant_id == tenant_id), None)

    def as_data(self) -> dict:
        """The API's and the JSON download's shape."""
        return {
            "state": self.state,
            "verdict": self.verdict or None,
            "verdict_label": self.verdict_label,
            "flagged": self.flagged,
            "error_code": self.error_code or None,
            "checked_at": self.checked_at.isoformat() if self.checked_at else None,
            "stale": self.stale,
            "signatures": [
                {
                    "signer": s.data["signer"],
                    "signed_at": s.data.get("signed_at"),
                    "timestamp": s.data.get("timestamp"),
                    "status": s.data["status"],
                    "intact": s.data["intact"],
                    "trusted": s.data["trusted"],
                    "chain": s.data.get("chain", []),
                    "expired": s.data["expired"],
                    "valid_when_signed": s.data.get("valid_when_signed", False),
                    "coverage": s.data.get("coverage"),
                    "modification": s.data.get("modification"),
                }
                for s in self.signers
            ],
            "accepted_by": [
                {
                    "region": a.tenant.name,
                    "accepted_at": a.accepted_at.isoformat(),
                    "problem": a.problem,
                    "reason": a.reason,
                }
                for a in self.acceptances
            ],
        }


def _from_check(sha256: str, check: Check, *, stale: bool = False) -> SignatureStatus:
    return SignatureStatus(
        sha256=sha256,
        state=check.state,
        verdict=check.verdict,
        signers=[Signer(s) for s in check.signatures],
        error_code=check.error_code,
        checked_at=check.checked_at,
        stale=stale,
    )


def statuses_for(sha256s: Iterable[str]) -> dict[str, SignatureStatus]:
    """Each file's status against the trust roots in force, in two queries whatever the
    number of files. A file whose check against the current roots has not run yet shows its
    last result against other roots, marked stale, or "being checked"."""
    wanted = sorted({s for s in sha256s if s})
    if not wanted:
        return {}
    roots = current_fingerprint()
    found: dict[str, SignatureStatus] = {}
    older: dict[str, Check] = {}
    for check in Check.objects.filter(sha256__in=wanted).order_by("checked_at"):
        if check.roots == roots:
            if check.state != State.PENDING:
                found[check.sha256] = _from_check(check.sha256, check)
        elif check.state != State.PENDING:
            older[check.sha256] = check
    statuses = {}
    for sha256 in wanted:
        if sha256 in found:
            statuses[sha256] = found[sha256]
        elif sha256 in older:
            statuses[sha256] = _from_check(sha256, older[sha256], stale=True)
        else:
            statuses[sha256] = SignatureStatus(sha256=sha256)
    for acceptance in Acceptance.objects.filter(sha256__in=wanted).select_related("tenant"):
        statuses[acceptance.sha256].acceptances.append(acceptance)
    return statuses


def status_for(sha256: str) -> SignatureStatus:
    return statuses_for([sha256]).get(sha256) or SignatureStatus(sha256=sha256)


def attach(documents: Iterable, attribute: str = "signature") -> list:
    """Each document (anything with a `sha256`) with its SignatureStatus as `attribute`."""
    documents = list(documents)
    statuses = statuses_for(d.sha256 for d in documents)
    for document in documents:
        setattr(document, attribute, statuses.get(document.sha256))
    return documents
