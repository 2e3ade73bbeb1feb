"""libcst codemods over Lakeflow community-connector sources."""
