"""The tests, by layer: model/, extraction/, stores/, analytics/, api/, cli/, exports/, web/; the
architecture (test_layers), packaging (test_compose) and the no-leak check here. Shared helpers
(factories, sample_graph, api_support, fake_extractor, neo4j_server) and the store fixtures
(conftest.py) stay at this level, for every folder."""
