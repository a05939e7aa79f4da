"""Third-party imports that cost much at import and are rarely used, deferred to first use.

``nbformat`` (under papermill, nbconvert and the batch's notebook handling) imports
``jsonschema``, and ``jsonschema`` imports ``rfc3987_syntax`` when it is installed (Jupyter's
``jupyter-events`` pulls it in) for two format checks, "iri" and "iri-reference", that no
notebook schema uses. ``rfc3987_syntax`` builds a Lark Earley parser of RFC 3987 when it is
imported: about 1.25 s, paid by every process that reads or writes a notebook (the CLI and
each batch worker).

:func:`defer_rfc3987_syntax` puts a stand-in module in ``sys.modules``: its
``is_valid_syntax`` (the one name jsonschema takes) and any other attribute load the real
package on first use, so what jsonschema and anyone else get from it is unchanged; only the
grammar is built when an IRI is first checked, if ever.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
import types

__all__ = ["defer_rfc3987_syntax"]

_NAME = "rfc3987_syntax"


def _real() -> types.ModuleType:
    """The real package, imported now (the stand-in leaves ``sys.modules``)."""
    module = sys.modules.get(_NAME)
    if isinstance(module, _Deferred):
        del sys.modules[_NAME]
        module = importlib.import_module(_NAME)
    return module


class _Deferred(types.ModuleType):
    def __getattr__(self, name: str):
        return getattr(_real(), name)


def _is_valid_syntax(term: str, value: str) -> bool:
    return _real().is_valid_syntax(term, value)


def defer_rfc3987_syntax() -> None:
    """Stand in for ``rfc3987_syntax`` until it is used (nothing if it is imported already or
    not installed)."""
    if _NAME in sys.modules:
        return
    spec = importlib.util.find_spec(_NAME)
    if spec is None:
        return
    stand_in = _Deferred(_NAME, spec.name)
    stand_in.__spec__ = spec
    stand_in.__path__ = list(spec.submodule_search_locations or [])   # its submodules import as before
    stand_in.is_valid_syntax = _is_valid_syntax
    sys.modules[_NAME] = stand_in
