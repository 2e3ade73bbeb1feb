"""The names the guardrails look for, without libcst: shared by the libcst rules and their `ast` forms."""

from __future__ import annotations

import re
from typing import Literal

INCREMENTAL_FLAGS = frozenset({"incremental_enabled", "incremental_extraction"})

# Calls that persist a state or a marker: persist_marker, write_current_state, update_incremental_marker, ...
PERSIST_CALL = re.compile(r"^(persist|save|store|write|commit|update)_\w*(marker|state|watermark)\w*$")
# Calls that read one back: fetch_marker, read_current_state, load_state, ...
STATE_READ_CALL = re.compile(r"^(fetch|read|load|get|download)_\w*(marker|state|watermark)\w*$")

Role = Literal["task", "activity", "orchestrator"]
