"""ConnectorSpec: the one validated model every target and command consumes.

Every input (catalog entry, answers file, CLI options) is turned into a ConnectorSpec before
anything is rendered, so validation errors surface before a single byte is written.
"""

from __future__ import annotations

import keyword
import math
import re
import string
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import unquote, urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

from connector_scaffold.errors import ScaffoldError
from connector_scaffold.spec_choices import AuthType, FieldType, PaginationStyle

# \A...\Z, never ^...$: `$` also matches before a trailing newline, which would reach generated code.
IDENTIFIER = re.compile(r"\A[a-z][a-z0-9_]*\Z")
PLAIN_NAME = re.compile(r"\A[A-Za-z_][A-Za-z0-9_]*\Z")
# RFC 9110 token: what an HTTP header name may be.
HEADER_NAME = re.compile(r"\A[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class SpecError(ScaffoldError):
    """A spec that cannot be used; the message is one line and names the field."""


def check_identifier(value: str, what: str) -> str:
    """Validate a name that becomes a Python identifier, a folder name and a URL-safe slug."""
    if not value:
        raise ValueError(f"{what} is empty")
    if "/" in value or "\\" in value or ".." in value:
        raise ValueError(f"{what} {value!r} contains a path separator or '..'")
    if value[0].isdigit():
        raise ValueError(f"{what} {value!r} starts with a digit")
    lowered = value.lower()
    if not IDENTIFIER.fullmatch(lowered):
        raise ValueError(
            f"{what} {value!r} may contain only letters, digits and underscores (no spaces or punctuation)"
        )
    if keyword.iskeyword(lowered) or keyword.issoftkeyword(lowered):
        raise ValueError(f"{what} {value!r} is a Python keyword")
    return lowered


def check_name(value: str, what: str) -> str:
    """A JSON key, query parameter or dotted record path: any text but empty, control characters (CR/LF would
    split a header or a line of generated code) or surrounding spaces."""
    if not value:
        raise ValueError(f"{what} is empty")
    if _CONTROL.search(value):
        raise ValueError(f"{what} {value!r} contains a control character (newline, tab, ...)")
    if value != value.strip():
        raise ValueError(f"{what} {value!r} has leading or trailing spaces")
    return value


def check_text(value: str, what: str, *, lines: bool = False) -> str:
    """Free text (display name, description): no control characters but, with `lines`, newlines and tabs."""
    allowed = "\n\t" if lines else ""
    bad = [c for c in _CONTROL.findall(value) if c not in allowed]
    if bad:
        raise ValueError(f"{what} contains a control character {bad[0]!r}")
    return value


class _Model(BaseModel):
    # nan/inf never pass: `float = nan` is not Python, and no rate or offset is infinite.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Auth(_Model):
    type: AuthType = "bearer"
    header_name: str = "Authorization"
    query_param: str = "api_key"
    token_url: str | None = None
    scopes: list[str] = Field(default_factory=list)

    @field_validator("header_name")
    @classmethod
    def _header_name(cls, value: str) -> str:
        if not HEADER_NAME.fullmatch(value):
            raise ValueError(f"header_name {value!r} is not an HTTP header name (letters, digits, - and no spaces)")
        return value

    @field_validator("query_param")
    @classmethod
    def _query_param(cls, value: str) -> str:
        return check_name(value, "query_param")

    @field_validator("scopes")
    @classmethod
    def _scopes(cls, value: list[str]) -> list[str]:
        for scope in value:
            check_name(scope, "scope")
            if " " in scope:
                raise ValueError(f"scope {scope!r} contains a space (list each scope on its own)")
        return value

    @model_validator(mode="after")
    def _oauth_needs_token_url(self) -> Auth:
        if self.type == "oauth2_client_credentials":
            if not self.token_url:
                raise ValueError("oauth2_client_credentials needs token_url")
            _require_https(self.token_url, "token_url")
        return self


class Pagination(_Model):
    """How a list endpoint pages.

    cursor: the request carries `cursor_param` = the id of the last record, the response says
        whether more exist in `has_more_field` (Stripe's starting_after/has_more).
    next_token: the response carries the next token at `next_token_field`; it is sent back in
        `cursor_param`. With `next_token_more_field` the response also says whether more pages follow
        (Zendesk's `meta.has_more`, whose `after_cursor` is set on the last page too), and that decides.
    page_number: `page_param` counts from `start_page`; an empty or short page ends.
    offset_limit: `offset_param` advances by the page size.
    link_header: RFC 8288 `Link: <...>; rel="next"` (GitHub).
    """

    style: PaginationStyle = "none"
    page_size: int = Field(default=100, ge=1, le=10_000)
    page_size_param: str = "limit"
    cursor_param: str = "starting_after"
    has_more_field: str = "has_more"
    next_token_field: str = "next_token"
    next_token_more_field: str | None = None
    page_param: str = "page"
    start_page: int = Field(default=1, ge=0, le=1_000_000)
    offset_param: str = "offset"

    @field_validator(
        "page_size_param",
        "cursor_param",
        "has_more_field",
        "next_token_field",
        "next_token_more_field",
        "page_param",
        "offset_param",
    )
    @classmethod
    def _names(cls, value: str | None) -> str | None:
        return value if value is None else check_name(value, "parameter or field name")


class RateLimit(_Model):
    requests_per_second: float = Field(default=5.0, gt=0, le=10_000)
    max_concurrency: int = Field(default=4, ge=1, le=256)


class EntityField(_Model):
    name: str
    type: FieldType = "string"

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not value or not PLAIN_NAME.fullmatch(value):
            raise ValueError(f"field name {value!r} must be a plain JSON key (letters, digits, underscores)")
        return value


class TimeSplit(_Model):
    """Opt-in: list a top-level entity as several time ranges at once, for an API that filters its list on the
    field (`param_gte` <= field < `param_lt`). A cursor-paged list has one request in flight; split into ranges,
    the ranges page side by side. The first range has no lower bound and the last no upper one, so every record
    is read exactly once whatever `start` says; split on a field that never changes (a creation time)."""

    field: str
    param_gte: str
    param_lt: str
    # The earliest time worth splitting from (ISO 8601 with a zone): the ranges divide [start, now).
    start: str
    # How the API takes the bounds: epoch seconds or ISO 8601 (UTC, `Z`).
    format: Literal["unix", "iso"] = "unix"
    # 0: one range per concurrency slot.
    ranges: int = Field(default=0, ge=0, le=64)

    @field_validator("field", "param_gte", "param_lt")
    @classmethod
    def _names(cls, value: str, info: ValidationInfo) -> str:
        return check_name(value, f"time_split.{info.field_name}")

    @field_validator("start")
    @classmethod
    def _start(cls, value: str) -> str:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"time_split.start {value!r} is not an ISO 8601 date-time") from None
        if moment.tzinfo is None:
            raise ValueError(f"time_split.start {value!r} has no time zone (add Z for UTC)")
        if not math.isfinite(moment.timestamp()) or moment.year < 1970:
            raise ValueError(f"time_split.start {value!r} is before 1970")
        return value

    @model_validator(mode="after")
    def _distinct(self) -> TimeSplit:
        if self.param_gte == self.param_lt:
            raise ValueError("time_split: param_gte and param_lt must differ")
        return self


class Entity(_Model):
    """One extracted entity.

    A child entity (`parent` set) is listed once per parent record: `{field}` placeholders in its
    `list_path` are filled from the parent record. `detail_path` (with `{id}`) makes the entity's
    extraction two steps: list, then one detail request per listed record. `params` are fixed query
    parameters of the listing, for the filters a source applies unless told otherwise (Stripe lists no
    canceled subscription without `status=all`, GitHub no closed issue without `state=all`).
    """

    name: str
    list_path: str
    records_path: str = ""
    id_field: str = "id"
    timestamp_field: str | None = None
    parent: str | None = None
    detail_path: str | None = None
    params: dict[str, str] = Field(default_factory=dict)
    fields: list[EntityField] = Field(default_factory=list)
    time_split: TimeSplit | None = None

    @model_serializer(mode="wrap")
    def _without_unused_options(self, handler: Any) -> dict[str, Any]:
        # Opt-in options appear in answers files only when used, so every other app's answers stay as they were.
        data: dict[str, Any] = handler(self)
        if data.get("time_split") is None:
            data.pop("time_split", None)
        return data

    @field_validator("name")
    @classmethod
    def _entity_name(cls, value: str) -> str:
        return check_identifier(value, "entity name")

    @field_validator("id_field", "timestamp_field", "records_path")
    @classmethod
    def _field_names(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or (value == "" and info.field_name == "records_path"):
            return value
        return check_name(value, info.field_name or "field")

    @field_validator("params")
    @classmethod
    def _params(cls, value: dict[str, str]) -> dict[str, str]:
        for name, text in value.items():
            check_name(name, "query parameter")
            # Values are sent as they are; only what would split a request line or a line of code is refused.
            if _CONTROL.search(text):
                raise ValueError(f"query parameter {name!r}: value {text!r} contains a control character")
        return value

    @field_validator("list_path", "detail_path")
    @classmethod
    def _path(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return value
        decoded = unquote(value)
        segments = decoded.split("?", 1)[0].split("/")
        if (
            not value.startswith("/")
            or value.startswith("//")  # a network-path reference: urljoin would re-root it at another host
            or "://" in decoded
            or "\\" in decoded
            or any(segment in (".", "..") for segment in segments)
            or ".." in value
        ):
            raise ValueError(f"path {value!r} must start with '/' and be relative to base_url")
        if _CONTROL.search(decoded) or " " in value:
            raise ValueError(f"path {value!r} contains a space or a control character")
        try:
            names = [name for _, name, _, _ in string.Formatter().parse(value) if name is not None]
        except ValueError as error:
            raise ValueError(f"path {value!r}: unbalanced braces ({error})") from None
        for name in names:
            if not PLAIN_NAME.fullmatch(name):
                raise ValueError(f"path {value!r} has a placeholder {{{name}}} that is not a plain field name")
        if info.field_name == "detail_path" and "id" not in names:
            raise ValueError(f"detail_path {value!r} must contain {{id}}, where each listed record's id goes")
        return value

    @property
    def placeholders(self) -> list[str]:
        return [n for _, n, _, _ in string.Formatter().parse(self.list_path) if n]


def _require_https(url: str, what: str) -> None:
    if not url.startswith("https://") or len(url) <= len("https://"):
        raise ValueError(f"{what} {url!r} must be an https:// URL")
    if _CONTROL.search(url) or " " in url or "\\" in url:
        raise ValueError(f"{what} {url!r} contains a space, a backslash or a control character")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises on a port that is not a number
    except ValueError as error:
        raise ValueError(f"{what} {url!r} is not a valid URL ({error})") from None
    if "@" in parts.netloc:
        # It would be written into app/spec.py, the README and the answers file: credentials go in the SDK's
        # credential store, never in a URL.
        raise ValueError(f"{what} must not carry credentials (user:password@); configure auth instead")
    if not parts.hostname:
        raise ValueError(f"{what} {url!r} has no host")


class ConnectorSpec(_Model):
    source_name: str
    display_name: str = ""
    description: str = ""
    base_url: str
    auth: Auth = Field(default_factory=Auth)
    pagination: Pagination = Field(default_factory=Pagination)
    rate_limit: RateLimit = Field(default_factory=RateLimit)
    entities: Annotated[list[Entity], Field(min_length=1)]
    generic: bool = False

    @field_validator("source_name")
    @classmethod
    def _source_name(cls, value: str) -> str:
        return check_identifier(value, "source name")

    @field_validator("display_name")
    @classmethod
    def _display_name(cls, value: str) -> str:
        # It is written into docstrings, string literals and TOML: quotes and backslashes are never part of a name.
        if '"' in value or "\\" in value:
            raise ValueError(f"display_name {value!r} contains a quote or a backslash")
        return check_text(value, "display_name")

    @field_validator("description")
    @classmethod
    def _description(cls, value: str) -> str:
        return check_text(value, "description", lines=True)

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        _require_https(value, "base_url")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _consistent(self) -> ConnectorSpec:
        names = [e.name for e in self.entities]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"entities: duplicate entity name(s) {', '.join(dupes)}")
        by_name = {e.name: e for e in self.entities}
        reserved = self._request_params()
        for entity in self.entities:
            if entity.time_split is not None and entity.parent is not None:
                raise ValueError(f"entities.{entity.name}.time_split: only a top-level entity's list can be split")
            clash = sorted(set(entity.params) & reserved)
            if clash:
                raise ValueError(
                    f"entities.{entity.name}.params: {', '.join(clash)} is set by the pagination or auth already"
                )
            if entity.parent is None:
                if entity.placeholders:
                    raise ValueError(f"entities.{entity.name}.list_path has placeholders but the entity has no parent")
                continue
            if entity.parent == entity.name:
                raise ValueError(f"entities.{entity.name}.parent: an entity cannot be its own parent")
            if entity.parent not in by_name:
                raise ValueError(f"entities.{entity.name}.parent {entity.parent!r} is not an entity of this spec")
            if names.index(entity.parent) > names.index(entity.name):
                raise ValueError(f"entities.{entity.name}.parent {entity.parent!r} must be listed before it")
        if not self.display_name:
            object.__setattr__(self, "display_name", self.source_name.replace("_", " ").title())
        return self

    def _request_params(self) -> set[str]:
        """The query parameters pagination and auth set, which an entity's fixed `params` must leave alone."""
        paging = self.pagination
        by_style = {
            "cursor": {paging.page_size_param, paging.cursor_param},
            "next_token": {paging.page_size_param, paging.cursor_param},
            "page_number": {paging.page_size_param, paging.page_param},
            "offset_limit": {paging.page_size_param, paging.offset_param},
            "link_header": {paging.page_size_param},
        }
        names = set(by_style.get(paging.style, set()))
        if self.auth.type == "api_key_query":
            names.add(self.auth.query_param)
        return names

    def children_of(self, name: str) -> list[Entity]:
        return [e for e in self.entities if e.parent == name]

    def to_answers(self) -> dict[str, Any]:
        """The Copier answers this spec renders with (JSON-safe, key order stable)."""
        return {"source_name": self.source_name, "spec": self.model_dump(mode="json")}


def format_validation_error(error: ValidationError) -> str:
    """One line naming the first offending field, e.g. `entities.0.name: entity name '' is empty`."""
    first = error.errors()[0]
    location = ".".join(str(part) for part in first["loc"]) or "spec"
    message = first["msg"].removeprefix("Value error, ")
    return f"{location}: {message}"


def load_spec(data: dict[str, Any]) -> ConnectorSpec:
    """Validate raw data into a spec, raising SpecError with a one-line message."""
    if not isinstance(data, dict):
        raise SpecError("spec: expected a mapping of fields")
    try:
        return ConnectorSpec.model_validate(data)
    except ValidationError as error:
        raise SpecError(format_validation_error(error)) from None
