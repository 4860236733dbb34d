"""Quality: the deterministic checks that emit Suggestions (`checks`), the
reference-free quality estimate (`qe`), markup that can run code (`unsafe`),
the last gate before a file is written (`verify`), the review of any
translation (`review`, `critic`) and scores against a reference (`evaluate`)."""
