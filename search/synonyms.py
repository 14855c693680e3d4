"""Synonyms as data (search.models.Synonym): each query word is searched together with the
words that mean the same."""

from __future__ import annotations

import unicodedata

from .models import Synonym


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
