"""Failure classification: the signal vocabulary an episode records and the rule table read over it.

`signals` turns parsed events into the few facts rules look at; `rules` is the table (data plus
small predicates, one `Rule` per explanation, each saying why and when it is wrong); `classify`
evaluates the table in priority order over one closed episode. No state and no I/O here.
"""

from streams.classify.classify import Verdict, classify
from streams.classify.rules import RULES, Rule

__all__ = ["RULES", "Rule", "Verdict", "classify"]
