"""Benchmarks (`make bench`): measured, never asserted. Results go to bench/results/*.json."""
