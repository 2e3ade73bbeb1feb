"""SCF007 on `ast`: what it reports, and whether the fix applies, depends on every use in the file together, which
the libcst rule decides with the fix in hand; a file that may hold one (its keywords occur) goes to the libcst
engine before any ast parse, so it costs what it cost before."""

from __future__ import annotations

from ..rule import FastRule


class DeprecatedMarkerHelper(FastRule):
    CODE = "SCF007"
    MESSAGE = "deprecated marker helper (removed in SDK v4); use fetch_marker / persist_marker"
    KEYWORDS = (b"_marker_from_storage", b"_marker_to_storage")
    CST_ONLY = True
