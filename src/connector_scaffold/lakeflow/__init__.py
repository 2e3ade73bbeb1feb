"""The `--target lakeflow` side: sources for a lakeflow-community-connectors checkout, and `add-table`."""
