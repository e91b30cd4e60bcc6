"""Records shared by every stage: parsed events, diagnoses, the field catalogue, index templates."""
