"""One run of `translator translate`: each file prepared (`prepare`: read,
glossary, protected names, `signature`), the translate → critique → revise
loop (`agents`) with its revision gate (`revision`), assemble, the structure
`gate`, write (`run`); `failures` counts what could not be translated."""
