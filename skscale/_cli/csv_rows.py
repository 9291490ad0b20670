"""The shape of a CSV's rows, checked before pandas reads them.

pandas matches values to names by position and forgives rows of the wrong
length in ways that move values under other columns: a first data row longer
than the header becomes an index (so every value shifts one name to the
left), and a short row is padded with missing values at its end, whichever
value it lacks. :func:`check_rows` counts the fields of every row and refuses
a file whose rows do not each hold one value per name of its header, in one
line that says which line and what is wrong.

A separator at the end of a row (``1,2,3,`` under ``a,b,c``, as some
spreadsheets write) is the one extra field allowed: it is empty and is not
read (:attr:`RowShape.n_columns` is the number of named columns).

The count is vectorized over blocks of bytes: a field separator or a line
end inside double quotes belongs to the field (RFC 4180, the quoting pandas
and every CSV writer use, a literal quote doubled inside a quoted field).
A file whose quotes do not pair up is not quoted that way; its rows are left
to pandas' own tokenizer, unchecked.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np

from skscale._cli.errors import UserError

SEPARATOR = ord(",")
QUOTE = ord('"')
NEWLINE = ord("\n")
CARRIAGE_RETURN = ord("\r")
# pandas skips lines holding only these (skip_blank_lines)
WHITESPACE = np.zeros(256, dtype=bool)
WHITESPACE[[ord(c) for c in "\n\r \t"]] = True
# blocks of 8 MiB: the scan holds a copy of one block and the positions of
# its separators and line ends (int64); a block with rows that hold no
# separator adds a running count of 8 bytes per byte (64 MiB)
BLOCK_BYTES = 1 << 23


@dataclass
class RowShape:
    """What the scan learned: the header's line and width."""

    n_columns: int  # named columns (a trailing separator's empty field left out)
    header_line: int


@dataclass
class _Rows:
    """The non-blank rows ending in one block."""

    line: np.ndarray  # the file line each row starts on (1-based)
    n_fields: np.ndarray
    trailing: np.ndarray  # the row's last character is a separator


def check_rows(path) -> RowShape | None:
    """The header's shape, or a UserError for the first row that does not fit.

    Returns None for a file with no non-blank line (pandas reports it).
    """
    shape, problem, balanced = None, None, True
    for rows, balanced_so_far in _scan(path):
        balanced = balanced_so_far
        if shape is None:
            if rows.line.size == 0:
                continue
            width = int(rows.n_fields[0] - rows.trailing[0])
            shape = RowShape(width, int(rows.line[0]))
            rows = _Rows(rows.line[1:], rows.n_fields[1:], rows.trailing[1:])
        if problem is None:
            # one value per name, or one more that is empty: a trailing separator
            fits = (rows.n_fields == shape.n_columns) | (
                (rows.n_fields == shape.n_columns + 1) & rows.trailing
            )
            bad = np.flatnonzero(~fits)
            if bad.size:
                problem = (int(rows.line[bad[0]]), int(rows.n_fields[bad[0]]))
    if problem is not None and balanced:
        raise UserError(_describe(path, shape, *problem))
    return shape


def _describe(path, shape: RowShape, line: int, n_fields: int) -> str:
    message = (
        f"line {line} of {path} has {n_fields} fields but its header (line "
        f"{shape.header_line}) names {shape.n_columns} columns: the values "
        "cannot be matched to the names"
    )
    numbers = [name for name in _header(path, shape.header_line) if _is_number(name)]
    if numbers:
        listed = ", ".join(map(repr, numbers[:3]))
        message += (
            f"; line {shape.header_line} holds numbers ({listed}): is it a count "
            "or a data row rather than the column names?"
        )
    elif n_fields < shape.n_columns:
        message += "; a value is missing (an empty value still needs its comma)"
    return message


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _header(path, line: int) -> list:
    """The names on the header's line (for a message: read only on error)."""
    with open(path, encoding="utf-8", errors="replace", newline="") as file:
        for _ in range(line - 1):
            file.readline()
        return next(csv.reader([file.readline().lstrip("\ufeff")]), [])


def _scan(path):
    """Yield ``(rows ending in the block, quotes balanced so far)`` per block of
    the file; the last yield covers a final row with no line end.

    Works on the positions of line ends, separators and quotes, not byte by
    byte: a position is inside quotes when an odd number of quotes precede it.
    """
    parity = 0  # 1: the block starts inside a quoted field
    lines_before = 0  # line ends in the earlier blocks
    # the row still open at a block's end: its separators so far, whether it
    # holds more than blanks, the line it started on
    open_separators, open_content, open_line = 0, False, 1
    previous = np.full(2, NEWLINE, dtype=np.uint8)  # the 2 bytes before the block
    with open(path, "rb") as file:
        while data := file.read(BLOCK_BYTES):
            block = np.frombuffer(data, dtype=np.uint8)
            newlines = np.flatnonzero(block == NEWLINE)
            separators = np.flatnonzero(block == SEPARATOR)
            quotes = np.flatnonzero(block == QUOTE)
            ends = newlines
            if quotes.size or parity:
                ends = newlines[_outside(quotes, newlines, parity)]
                separators = separators[_outside(quotes, separators, parity)]
                parity = (parity + quotes.size) & 1
            lines_before += newlines.size
            joined = np.concatenate([previous, block])
            previous = joined[-2:].copy()
            if ends.size == 0:  # the open row goes on
                open_separators += separators.size
                open_content = open_content or bool((~WHITESPACE[block]).any())
                continue
            n_separators = np.diff(np.searchsorted(separators, ends), prepend=0)
            n_separators[0] += open_separators
            # the last byte of each row, before a CR of a CRLF line end
            last = joined[ends + 1]
            last = np.where(last == CARRIAGE_RETURN, joined[ends], last)
            # the line each row starts on: one after the line end before it
            ended = lines_before - newlines.size
            line = ended + np.searchsorted(newlines, ends, side="right") + 1
            line = np.r_[open_line, line[:-1]]
            content = n_separators > 0
            content[0] |= open_content
            if not content.all():  # a row without separators may be blank
                starts = np.r_[0, ends[:-1] + 1]
                filled = np.r_[0, np.cumsum(~WHITESPACE[block])]
                content |= filled[ends] > filled[starts]
            tail = ends[-1] + 1
            open_separators = separators.size - np.searchsorted(separators, tail)
            open_content = bool((~WHITESPACE[block[tail:]]).any())
            open_line = ended + int(np.searchsorted(newlines, tail)) + 1
            yield (
                _Rows(
                    line[content], n_separators[content] + 1, last[content] == SEPARATOR
                ),
                parity == 0,
            )
    if open_content or open_separators:
        last = previous[1] if previous[1] != CARRIAGE_RETURN else previous[0]
        yield (
            _Rows(
                np.array([open_line]),
                np.array([open_separators + 1]),
                np.array([last == SEPARATOR]),
            ),
            parity == 0,
        )


def _outside(quotes, positions, parity: int) -> np.ndarray:
    """Whether each position is outside double quotes."""
    return ((np.searchsorted(quotes, positions) + parity) & 1) == 0
