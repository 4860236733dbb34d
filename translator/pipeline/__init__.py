"""One run of `translator translate`: each file prepared (`prepare`: read,
glossary, protected names, `signature`), the translate → critique → revise
loop (`agents`) with its revision gate (`revision`), assemble, the structure
gate (`qa.gate`), write (`run`); `failures` counts what could not be
translated. `critic` runs an engine's critique over a review
(`translator review --model openai:MODEL`)."""
