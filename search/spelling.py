"""How far a query word may be from a word of the listings and still find it: Elasticsearch's
`fuzziness: AUTO` with transpositions, which both backends apply (backends/elastic.py asks the
server for it; backends/postgres.py corrects a word against the index's vocabulary with
`max_edits` and `osa_distance`).

- a word of 1 or 2 letters is taken as typed;
- a word of 3 to 5 letters may be one edit away, a word of 6 or more two edits;
- an edit is a letter inserted, deleted or replaced, or two neighbouring letters swapped
  ("tmepe" is one edit from "tempe"): the optimal string alignment distance;
- the first letter is taken as typed (`PREFIX_LENGTH`, Elasticsearch's `prefix_length`): few
  typos fall on it, and it bounds the words a correction is looked for among."""

from __future__ import annotations

# Elasticsearch's AUTO: 0 edits below 3 letters, 1 from 3, 2 from 6 ("AUTO:3,6").
ONE_EDIT_FROM = 3
TWO_EDITS_FROM = 6
PREFIX_LENGTH = 1


def max_edits(word: str) -> int:
    """The edits `word` may be away from a word it finds (fuzziness AUTO)."""
    if len(word) >= TWO_EDITS_FROM:
        return 2
    if len(word) >= ONE_EDIT_FROM:
        return 1
    return 0


def transpositions(word: str) -> list[str]:
    """`word` with two neighbouring letters swapped, each way of doing so once, the first
    `PREFIX_LENGTH` letters kept."""
    found: list[str] = []
    for i in range(PREFIX_LENGTH, len(word) - 1):
        if word[i] != word[i + 1]:
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            if swapped not in found:
                found.append(swapped)
    return found


def osa_distance(a: str, b: str) -> int:
    """The optimal string alignment distance (Damerau-Levenshtein where no letter is edited
    twice): insertions, deletions, substitutions and swaps of neighbouring letters."""
    if a == b:
        return 0
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]
