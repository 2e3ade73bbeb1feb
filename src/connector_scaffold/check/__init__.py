"""`scaffold check` / `scaffold fix`: files, configuration, cache and output around the codemods/lint engine."""
