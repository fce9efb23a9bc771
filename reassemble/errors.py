"""The small hierarchy of errors reassemble raises, each mapped to a CLI exit code.

Every message names the file and says what is wrong and what to do, so that an archivist reading one line
of a log over thousands of dumps knows which file to look at.
"""

from __future__ import annotations


class ReassembleError(Exception):
    """Base class: anything the tool reports on purpose. ``exit_code`` is what the CLI exits with."""

    exit_code = 1

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class InputError(ReassembleError):
    """The input cannot be read as a page: empty, binary, undecodable, malformed or unsafe."""

    exit_code = 2


class EditionError(InputError):
    """The pages given do not make an edition: no pages, a page number missing, or two files with one number."""


class GoldError(InputError):
    """A gold file does not follow ``reassemble-gold/1`` (see GOLD-FORMAT.md)."""


class OutputError(ReassembleError):
    """Output could not be written: the folder is not writable, or a file exists and ``--force`` is off."""

    exit_code = 3


class ValidationError(ReassembleError):
    """A written XML file does not validate against the vendored NewsML-G2 2.35 + NITF 3.6 schema."""

    exit_code = 4


def json_type(value: object) -> str:
    """The JSON name of a parsed value's type, for messages read by people who wrote JSON, not Python."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
