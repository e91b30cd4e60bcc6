"""Session fixtures for tests that need the real servers, and per-test topic and index names.

`kafka_bootstrap` and `es_url` start Kafka and Elasticsearch once per session on free ports (so two runs on
one machine never collide) and stop them at the end; TUNNELSIGHT_KAFKA / TUNNELSIGHT_ES point them at
running servers instead. A server that cannot start fails the tests that need it, with its log tail:
a skipped integration test would hide exactly the breakage it exists to catch.

Everything under tests/integration/ is marked `integration`, so `make unit` (-m 'not integration') never
starts a server.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from infra import elasticsearch as es_infra
from infra import kafka as kafka_infra
from infra.errors import InfraError

INTEGRATION_DIR = Path(__file__).parent / "integration"


def pytest_configure(config: pytest.Config) -> None:
    # kafka-python 3.0 loads its protocol schemas with importlib.resources' legacy API, once per schema.
    config.addinivalue_line("filterwarnings", "ignore:.*is deprecated. Use files:DeprecationWarning")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if INTEGRATION_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`host:port` of a KRaft broker for the whole session."""
    external = kafka_infra.from_env()
    if external:
        yield external
        return
    # In pytest's temp dir, which keeps the last runs: the broker log is there for post-mortems.
    server = kafka_infra.KafkaServer(workdir=tmp_path_factory.mktemp("kafka"))
    try:
        server.start()
    except InfraError as exc:
        pytest.fail(f"Kafka did not start: {exc}", pytrace=False)
    try:
        yield server.bootstrap
    finally:
        server.stop()


@pytest.fixture(scope="session")
def es_url() -> Iterator[str]:
    """Base URL of a single-node Elasticsearch for the whole session."""
    external = es_infra.from_env()
    if external:
        yield external
        return
    server = es_infra.ElasticsearchServer()
    try:
        server.start()
    except InfraError as exc:
        pytest.fail(f"Elasticsearch did not start: {exc}", pytrace=False)
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def es_client(es_url: str) -> Iterator[Elasticsearch]:
    """A client for `es_url` (with TUNNELSIGHT_ES_API_KEY when set)."""
    with es_infra.client(es_url) as es:
        yield es


@pytest.fixture
def unique_name(request: pytest.FixtureRequest) -> Callable[[str], str]:
    """`unique_name("in")` -> a topic/index name no other test or run uses, readable in server logs."""
    slug = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:40]
    run = uuid.uuid4().hex[:8]

    def make(suffix: str = "") -> str:
        return "-".join(part for part in ("ts", slug, suffix, run) if part)

    return make


@pytest.fixture
def topic_name(unique_name: Callable[[str], str]) -> str:
    return unique_name("topic")


@pytest.fixture
def index_name(unique_name: Callable[[str], str]) -> str:
    return unique_name("index")
