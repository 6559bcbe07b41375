"""The exports (graph.exports), each read back with a real parser, and the reports."""
