"""Evaluate the rule table over one closed episode.

`is_failure` says whether an episode that ended without success failed at all (precision first:
transient noise such as one retransmit or one INVALID_KE_PAYLOAD is not a failure); `classify` gives
the one class that explains it, from all of its signals, not from its last line.
"""

from __future__ import annotations

from dataclasses import dataclass

from streams.classify.rules import RULES, Facts, Rule
from streams.classify.signals import FAILURE_SIGNALS, REPEAT_THRESHOLDS, Sig, unanswered_retransmits


@dataclass(frozen=True, slots=True)
class Verdict:
    rule: Rule
    cites: tuple[str, ...]  # the signals the rule rests on that the episode shows, earliest first

    @property
    def cls(self) -> str:
        return self.rule.cls


def is_failure(signals: dict[str, list[float]], rekey: bool = False) -> bool:
    """True when the episode shows an explicit failure or noise that repeated past its threshold.

    A rekey that met INVALID_KE_PAYLOAD and never succeeded (success closes the episode before it
    gets here) failed: the retry with the requested group is what would have made it noise.
    """
    if rekey and Sig.DH_REJECTED in signals:
        return True
    for sig, entry in signals.items():
        if sig in FAILURE_SIGNALS:
            return True
        need = REPEAT_THRESHOLDS.get(sig)
        if need is not None and entry[0] >= need and sig != Sig.RETRANSMIT:
            return True
    return unanswered_retransmits(signals)  # retransmits the peer answered in the end are noise


def classify(facts: Facts, rules: tuple[Rule, ...] = RULES) -> Verdict:
    """The first rule (in priority order) whose predicate holds; the table ends with a catch-all."""
    for rule in rules:
        if rule.when(facts):
            seen = facts.signals
            cited = [s for s in dict.fromkeys(rule.when.cites) if s in seen]
            cited.sort(key=lambda s: (seen[s][1], seen[s][2]))
            return Verdict(rule, tuple(cited))
    raise LookupError("the rule table must end with a rule that always matches")
