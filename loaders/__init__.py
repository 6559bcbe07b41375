"""Articles in, cited actor graph out: reading, NLP, the domain layer, resolution, dates."""
