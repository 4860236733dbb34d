"""Blocks → segments: sentence splitting (spaCy blank pipelines + rules),
placeholder protection of markup, links, code and emoji, and which language
a text is in (`language`; `langtags` checks the codes given on the command line)."""
