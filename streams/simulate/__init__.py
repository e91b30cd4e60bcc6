"""`tunnelsight simulate`: a seeded, multi-vendor fleet of IPsec gateways and their syslog.

fleet.py draws gateways, peers and tunnels; scenarios.py describes each failure class as abstract
steps; timeline.py times a tunnel's life; vendors/ render steps into each vendor's lines; writer.py
streams the lines in time order with the ground truth; evaluate.py scores diagnoses against it.
"""

from streams.simulate.writer import Config, Stats, generate, make_fleet

__all__ = ["Config", "Stats", "generate", "make_fleet"]
