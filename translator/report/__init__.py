"""The review report: one JSON document per file (build.py) and one HTML page for
editors rendered from it through a jinja2 template (page.py, templates/)."""
