"""The closed vocabularies of a ConnectorSpec, as Literal types and their values.

spec.py validates with the types; the CLI offers the values as choices. This module imports nothing but typing, so
`scaffold --help` stays free of pydantic.
"""

from __future__ import annotations

from typing import Literal, get_args

AuthType = Literal["bearer", "api_key_header", "api_key_query", "basic", "oauth2_client_credentials"]
PaginationStyle = Literal["cursor", "next_token", "page_number", "offset_limit", "link_header", "none"]
FieldType = Literal["string", "integer", "number", "boolean", "datetime", "object", "array"]

AUTH_TYPES: tuple[AuthType, ...] = get_args(AuthType)
PAGINATION_STYLES: tuple[PaginationStyle, ...] = get_args(PaginationStyle)
FIELD_TYPES: tuple[FieldType, ...] = get_args(FieldType)
