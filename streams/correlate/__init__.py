"""Correlation: per-SA state, episodes over event time, and the join of both ends of a tunnel.

`keys` resolves which SA a line belongs to, `state` is the compact per-SA record the stream keeps in a
table, `engine` feeds events through it and closes episodes into diagnoses, `tunnel` pairs the
diagnoses of two gateways that log the same tunnel. Everything is pure: the Faust agent and
`tunnelsight diagnose` call the same code.
"""

from streams.correlate.engine import Config, Engine

__all__ = ["Config", "Engine"]
