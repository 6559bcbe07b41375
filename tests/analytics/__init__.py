"""The analytics (graph.analytics): algorithms, the compiled engine, path walks, trends, background pacing."""
