import os

# The SDK reads these once, on its first import, which happens after this package
# is imported (pytest imports tests/__init__.py before any conftest):
# - no object-store metric flush: there is no Dapr binding to flush to;
# - no drain pause when a test's worker stops: no activity is in flight by then.
os.environ.setdefault("ATLAN_ENABLE_OBSERVABILITY_STORE_SINK", "false")
os.environ.setdefault("ATLAN_SHUTDOWN_DRAIN_DELAY_SECONDS", "0")
