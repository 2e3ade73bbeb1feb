"""The `ast` form of every rule in `codemods/rules/`, in code order (a test holds the two lists together)."""

from __future__ import annotations

from ..rule import FastRule
from .scf001_incremental_flag_default import IncrementalFlagDefault
from .scf002_force_full_extraction_missing import ForceFullExtractionMissing
from .scf003_persist_before_upload import PersistBeforeUpload
from .scf004_wall_clock_watermark import WallClockWatermark
from .scf005_broad_except_state_read import BroadExceptStateRead
from .scf006_id_list_argument import IdListArgument
from .scf007_deprecated_marker_helper import DeprecatedMarkerHelper
from .scf008_hardcoded_secret import HardcodedSecret
from .scf009_http_without_timeout import HttpWithoutTimeout
from .scf010_tls_verification_disabled import TlsVerificationDisabled
from .scf011_plain_http_url import PlainHttpUrl
from .scf012_swallowed_error import SwallowedError
from .scf013_transfer_inside_task import TransferInsideTask
from .scf014_hand_built_persistent_path import HandBuiltPersistentPath
from .scf015_unsafe_yaml_load import UnsafeYamlLoad
from .scf016_eval_exec import EvalExec

FAST_RULES: tuple[type[FastRule], ...] = (
    IncrementalFlagDefault,
    ForceFullExtractionMissing,
    PersistBeforeUpload,
    WallClockWatermark,
    BroadExceptStateRead,
    IdListArgument,
    DeprecatedMarkerHelper,
    HardcodedSecret,
    HttpWithoutTimeout,
    TlsVerificationDisabled,
    PlainHttpUrl,
    SwallowedError,
    TransferInsideTask,
    HandBuiltPersistentPath,
    UnsafeYamlLoad,
    EvalExec,
)
