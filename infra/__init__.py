"""Fetch, start, stop and health-check the real Kafka and Elasticsearch servers; Kibana saved objects."""
