"""One run of `translator translate`: read, memory, the translate → critique →
revise loop (`agents`) with its revision gate (`revision`), terms, checks,
assemble, verify, write; `failures` counts what could not be translated."""
