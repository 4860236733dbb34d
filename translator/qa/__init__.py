"""Quality: the deterministic checks that emit Suggestions (`checks`, one
file per check, found by its registry), the reference-free quality estimate
(`qe`), markup that can run code (`unsafe`), the last gate before a file is
written (`verify`), the review of any translation (`review` on `align`, with
`terms_review` and the LLM `critic`) and scores against a reference (`evaluate`)."""
