"""libcst codemods of `scaffold add-incremental`: each finds its anchor by structure and is idempotent."""
