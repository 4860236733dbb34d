"""Bytes in and out: reading a file into text (encoding, BOM, line endings,
mojibake), planning every output path before a run starts, atomic writes,
and CSV cells a spreadsheet will not evaluate. Nothing here knows a format."""
