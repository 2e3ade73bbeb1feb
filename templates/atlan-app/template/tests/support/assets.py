"""Reading a transformed/ tree back into pyatlan_v9 assets, and what a catalog needs of it."""

from __future__ import annotations

from collections import Counter

import orjson
from pyatlan_v9.model.assets import APIField, APIObject, APIPath, APISpec, Asset
from pyatlan_v9.model.transform import from_atlas_json

from app.spec import ENTITIES, EntityDef
from app.transformed import TRANSFORMED_DIR

# The Atlas types the app writes, and the folder each one goes in.
FOLDERS = {"APISpec": "apispec", "APIPath": "apipath", "APIObject": "apiobject", "APIField": "apifield"}


def transformed_lines(files: dict[str, bytes]) -> dict[str, list[bytes]]:
    """The lines of every transformed file, keyed by its path under transformed/."""
    prefix = f"{TRANSFORMED_DIR}/"
    return {
        name.removeprefix(prefix): [line for line in data.splitlines() if line.strip()]
        for name, data in sorted(files.items())
        if name.startswith(prefix)
    }


def load_assets(files: dict[str, bytes]) -> list[Asset]:
    """Every transformed line decoded by pyatlan_v9 into its concrete class, as publish's validator does."""
    assets: list[Asset] = []
    for name, lines in transformed_lines(files).items():
        for line in lines:
            asset = from_atlas_json(line)
            assert name == f"{FOLDERS[asset.type_name]}/entities.json", (name, asset.type_name)
            assets.append(asset)
    return assets


def without_sync_time(files: dict[str, bytes]) -> dict[str, list[object]]:
    """The transformed entities with lastSyncRunAt removed: what two runs of one source share."""
    entities: dict[str, list[object]] = {}
    for name, lines in transformed_lines(files).items():
        entities[name] = []
        for line in lines:
            entity = orjson.loads(line)
            entity["attributes"].pop("lastSyncRunAt")
            entities[name].append(entity)
    return entities


def _one(assets: list[Asset], kind: type[Asset]) -> list[Asset]:
    return [asset for asset in assets if isinstance(asset, kind)]


def _fields_of(entity: EntityDef) -> set[str]:
    return {field.name for field in entity.fields}


def assert_catalog(files: dict[str, bytes], record_counts: dict[str, int], connection_qualified_name: str) -> None:
    """Type names, unique qualified names under the connection, resolving parent links, counts."""
    assets = load_assets(files)
    assert {asset.type_name for asset in assets} == set(FOLDERS)
    names = [str(asset.qualified_name) for asset in assets]
    assert not [name for name, seen in Counter(names).items() if seen > 1], "qualified names repeat"
    assert all(name.startswith(connection_qualified_name + "/") for name in names)
    assert all(asset.connection_qualified_name == connection_qualified_name for asset in assets)
    assert all(asset.status == "ACTIVE" for asset in assets)
    assert not [asset.guid for asset in assets if asset.guid], "pyatlan's placeholder guids must not reach publish"

    specs = _one(assets, APISpec)
    assert len(specs) == 1
    spec_qn = str(specs[0].qualified_name)

    paths = _one(assets, APIPath)
    called = {entity.list_path for entity in ENTITIES} | {e.detail_path for e in ENTITIES if e.detail_path}
    assert {path.api_path_raw_uri for path in paths} == called
    assert all(path.api_spec.qualified_name == spec_qn for path in paths if isinstance(path, APIPath))

    objects = {str(asset.name): asset for asset in _one(assets, APIObject) if isinstance(asset, APIObject)}
    assert set(objects) == {entity.name for entity in ENTITIES}
    object_names = {str(asset.qualified_name) for asset in objects.values()}
    assert all(path.api_object_qualified_name in object_names for path in paths if isinstance(path, APIPath))

    fields = [asset for asset in _one(assets, APIField) if isinstance(asset, APIField)]
    for entity in ENTITIES:
        api_object = objects[entity.name]
        assert api_object.api_spec_qualified_name == spec_qn
        own = [f for f in fields if f.api_object.qualified_name == api_object.qualified_name]
        assert {str(f.name) for f in own} >= _fields_of(entity), entity.name
        assert api_object.api_field_count == len(own)
        count = record_counts[entity.name]
        assert f"{count} record{'' if count == 1 else 's'} in the last run" in str(api_object.description)
    assert {f.api_object.qualified_name for f in fields} <= object_names
    referenced = {f.api_object_qualified_name for f in fields if f.api_is_object_reference}
    assert referenced <= object_names
