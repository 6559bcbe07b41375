"""The extractor (loaders/): readers, dates, duplicates, the example and mechanism articles, workers.

``support`` runs the extraction of the example articles once per session for every folder."""
