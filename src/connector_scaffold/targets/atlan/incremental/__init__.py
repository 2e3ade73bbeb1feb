"""`add-incremental` on an existing Atlan app: detection of its anchors, the render and the codemods that patch it."""
