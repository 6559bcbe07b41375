"""The ``actorgraph`` commands as a user runs them (service/commands)."""
