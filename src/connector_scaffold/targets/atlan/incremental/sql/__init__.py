"""add-incremental's SQL path: what a SQL metadata app is (facts), its dialect, the incremental SQL derived from
its own queries, and the plan that switches it to the SDK's incremental SQL classes."""
