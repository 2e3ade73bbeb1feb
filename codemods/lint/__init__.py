"""The engine of `scaffold check`: one libcst parse and one traversal per file for every rule."""
