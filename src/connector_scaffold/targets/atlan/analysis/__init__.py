"""`scaffold analyze`: the incremental playbook's documents, from static analysis of an Atlan app."""
