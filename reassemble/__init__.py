"""reassemble: rebuild newspaper articles from page dumps and write them as NewsML-G2.

The library's front door is :func:`reassemble_pages` (pages in, an :class:`Edition` out) and
:func:`write_edition` (an edition to NewsML-G2 or JSON files). Names are imported lazily so that
``reassemble --version`` starts fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "reassemble_pages": "reassemble.pipeline",
    "reassemble_read_pages": "reassemble.pipeline",
    "read_edition": "reassemble.read",
    "read_page": "reassemble.read",
    "write_edition": "reassemble.write",
    "Config": "reassemble.config",
    "Edition": "reassemble.model",
    "Article": "reassemble.model",
    "Block": "reassemble.model",
    "Join": "reassemble.model",
    "Paragraph": "reassemble.model",
    "Page": "reassemble.model",
    "Role": "reassemble.model",
    "ReassembleError": "reassemble.errors",
    "InputError": "reassemble.errors",
    "OutputError": "reassemble.errors",
    "ValidationError": "reassemble.errors",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'reassemble' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
