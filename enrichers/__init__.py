"""Enrichment: remediation knowledge per failure class and vendor, inventory, fleet context."""
