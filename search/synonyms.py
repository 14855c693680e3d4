"""Synonyms as data (search.models.Synonym): each query word is searched together with the
words that mean the same. Platform staff and the regions' offices extend them
(add_synonym_group, remove_synonym_group; who may do what is tenants.policy's).

The PostgreSQL backend reads the table at every search, so a change counts from the next
search. Elasticsearch fixes its analyzers when an index is created: a change enqueues a
rebuild of its index (search.tasks.rebuild_for_synonyms_task), which moves the alias to a new
index carrying the new list; until the rebuild is done, it answers with the old list."""

from __future__ import annotations

import re
import unicodedata

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actions import top_level
from core.errors import Forbidden, NotFound, field_error
from tenants import audit
from tenants.policy import has_perm, has_platform_perm

from .models import Synonym
from .policy import SearchPerm, can_remove_synonym

MIN_TERMS = 2
MAX_TERMS = 10
MIN_TERM_CHARS = 2
MAX_TERM_CHARS = 40
# A term: letters and digits, with single spaces or hyphens between them ("rumput laut").
_TERM = re.compile(r"^[^\W_]+(?:[ -][^\W_]+)*$", re.UNICODE)


class SynonymError:
    TOO_FEW = "synonym_too_few_terms"
    TOO_MANY = "synonym_too_many_terms"
    TERM_LENGTH = "synonym_term_length"
    TERM_CHARACTERS = "synonym_term_characters"
    DUPLICATE_TERM = "synonym_duplicate_term"
    DUPLICATE_GROUP = "synonym_duplicate_group"
    NOT_ALLOWED = "synonym_not_allowed"


def fold(word: str) -> str:
    """Lower case without accents, as the index folds words (`indonesian_unaccent`)."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def synonym_groups() -> list[list[str]]:
    return [group.word_list() for group in Synonym.objects.all()]


def expansions(words: tuple[str, ...]) -> dict[str, list[str]]:
    """For each query word, the other words of its synonym groups (one query for the table,
    which is small)."""
    groups = synonym_groups() if words else []
    result: dict[str, list[str]] = {}
    for word in words:
        folded = fold(word)
        found: list[str] = []
        for group in groups:
            if folded in (fold(w) for w in group):
                found.extend(w for w in group if fold(w) != folded and w not in found)
        result[word] = found
    return result


def elasticsearch_rules() -> list[str]:
    """The groups in Elasticsearch's synonym format ("tempe, tempeh")."""
    return [", ".join(group) for group in synonym_groups() if len(group) > 1]


# --- Extending them --------------------------------------------------------------------------


def clean_terms(text: str) -> list[str]:
    """The terms of a group typed as "tempe, tempeh", checked; raises a ValidationError on
    the `words` field saying what to change."""
    terms = [" ".join(t.split()).lower() for t in (text or "").split(",")]
    terms = [t for t in terms if t]
    for term in terms:
        if not MIN_TERM_CHARS <= len(term) <= MAX_TERM_CHARS:
            raise field_error(
                "words",
                _("“%(term)s”: each word or phrase needs %(min)s to %(max)s characters.")
                % {"term": term[:60], "min": MIN_TERM_CHARS, "max": MAX_TERM_CHARS},
                SynonymError.TERM_LENGTH,
            )
        if not _TERM.match(term):
            raise field_error(
                "words",
                _(
                    "“%(term)s”: use letters and digits only, words separated by a space or a "
                    "hyphen; separate the synonyms with commas."
                )
                % {"term": term},
                SynonymError.TERM_CHARACTERS,
            )
    folded = [fold(t) for t in terms]
    if len(set(folded)) != len(folded):
        raise field_error(
            "words",
            _("A word appears twice in the group; list each once."),
            SynonymError.DUPLICATE_TERM,
        )
    if len(terms) < MIN_TERMS:
        raise field_error(
            "words",
            _("Give at least two words that mean the same, separated by a comma: tempe, tempeh"),
            SynonymError.TOO_FEW,
        )
    if len(terms) > MAX_TERMS:
        raise field_error(
            "words",
            _("A group holds at most %(n)s words; split it.") % {"n": MAX_TERMS},
            SynonymError.TOO_MANY,
        )
    return terms


def _may_extend(user, membership) -> bool:
    if has_platform_perm(user, SearchPerm.MANAGE_SYNONYMS):
        return True
    return membership is not None and has_perm(
        user, membership.tenant, SearchPerm.EXTEND_SYNONYMS, membership
    )


def _changed() -> None:
    """After the commit: Elasticsearch rebuilds its index with the new list (when used)."""
    from . import api

    if api.elasticsearch_enabled():
        from .tasks import rebuild_for_synonyms_task

        transaction.on_commit(rebuild_for_synonyms_task.enqueue)


@top_level
def add_synonym_group(*, user, membership=None, words: str) -> Synonym:
    """Add a group, as platform staff (membership None) or as a region's office."""
    if not _may_extend(user, membership):
        raise Forbidden(
            _("Only platform staff and a region's cooperation office extend the synonyms."),
            code=SynonymError.NOT_ALLOWED,
        )
    terms = clean_terms(words)
    key = sorted(fold(t) for t in terms)
    with transaction.atomic():
        # One writer at a time, so two offices cannot add the same group at once.
        list(Synonym.objects.select_for_update().values_list("pk"))
        for group in Synonym.objects.all():
            if sorted(fold(w) for w in group.word_list()) == key:
                raise field_error(
                    "words",
                    _("That group exists already: %(words)s") % {"words": group.words},
                    SynonymError.DUPLICATE_GROUP,
                )
        tenant = membership.tenant if membership is not None else None
        synonym = Synonym.objects.create(
            words=", ".join(terms), created_by=user, tenant=tenant, updated_at=timezone.now()
        )
        audit.record(
            "synonym.saved", actor=user, tenant=tenant, obj=synonym, data={"words": synonym.words}
        )
        _changed()
    return synonym


def get_synonym(pk: int) -> Synonym:
    synonym = Synonym.objects.select_related("created_by", "tenant").filter(pk=pk).first()
    if synonym is None:
        raise NotFound(_("There is no such synonym group."))
    return synonym


@top_level
def remove_synonym_group(*, user, membership=None, synonym: Synonym) -> None:
    if not can_remove_synonym(user, membership, synonym):
        raise Forbidden(
            _("An office removes only the synonym groups its region added."),
            code=SynonymError.NOT_ALLOWED,
        )
    with transaction.atomic():
        tenant = membership.tenant if membership is not None else None
        audit.record(
            "synonym.removed",
            actor=user,
            tenant=tenant,
            obj=synonym,
            data={"words": synonym.words},
        )
        synonym.delete()
        _changed()
