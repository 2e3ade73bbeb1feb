"""libcst codemods and the lint rules of `scaffold check`, one small module each."""
