"""The model: events and corroboration (graph.model)."""
