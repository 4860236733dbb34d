"""Terminology: glossaries (CSV, TBX), the index of the entries a document can
contain, finding terms in a text by lemma, the real analyser, generator and
spelling dictionary (`lexicon`), and the post-editing repair that puts a
glossary target into a sentence without making it worse (`repair`, `morph`)."""

# The version of how terms are found and repaired. A translation the memory
# keeps from a free engine (Apertium) is keyed by it, so a release that
# changes what a repair writes translates again instead of reusing what the
# old code wrote. Raise it with every such change. (An LLM's translations keep
# their keys: sending them again costs money; `--no-cache` asks for it.)
MATCHING = "2026-12-03.2"
