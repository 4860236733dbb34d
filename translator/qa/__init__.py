"""Quality: the deterministic checks that emit Suggestions (`checks`, one
file per check, found by its registry), the reference-free quality estimate
(`qe`), markup that can run code (`unsafe`), the last gates before a file is
written (`verify`, `gate`), the review of any translation (`review` on
`align`, with `terms_review`) and scores against a reference (`evaluate`).
qa sits below the engines: the LLM reply filter and the draft aligner use its
rules; the LLM critic of a review is `pipeline.critic`."""
