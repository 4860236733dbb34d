"""Terminology: glossaries (CSV, TBX), the index of the entries a document can
contain, finding terms in a text by lemma, the real analyser, generator and
spelling dictionary (`lexicon`), and the post-editing repair that puts a
glossary target into a sentence without making it worse (`repair`, `morph`)."""
