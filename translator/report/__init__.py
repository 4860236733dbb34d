"""The review report: one JSON document per file and one HTML page for editors."""
