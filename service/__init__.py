"""The FastAPI service and the ``actorgraph`` command line."""
