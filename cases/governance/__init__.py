"""The audit an information governance officer reads: the access log searched and exported,
alerts for unusual access, and "who has seen this record" for a child's leads."""
