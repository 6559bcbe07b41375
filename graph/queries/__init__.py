"""What the service and the CLI ask of any store, through the ``GraphStore`` interface only:
subgraphs, cited paths and meetings (``subgraphs``), whole-graph and path subgraphs (``select``),
events with their corroboration and codes (``events``), the explorer's overview and the batch of
the view it shows (``overview``), and the results cached per graph version (``views``).

May import: ``graph.model``, ``graph.curation``, ``graph.analytics``, ``graph.stores`` (the interface
and the shared read, never one store's internals). Imported by the service.
"""
