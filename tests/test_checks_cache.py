"""The checks' memo (issue 8): the same findings as an uncached run, each pair computed once."""

from translator.qa import checks
from translator.qa.checks import Memo, Pair

PAIRS = [Pair("s1", "We raised $5 million in 2024.", "Recaudamos 3 millones en 2023."),
         Pair("s2", "The cat sleeps on the mat.", "The cat sleeps on the mat."),
         Pair("s3", "Hello world, this is fine.", "")]


def test_memo_gives_the_uncached_findings_and_checks_each_pair_once():
    plain = checks.check_pairs(PAIRS, "en", "es")
    memo = Memo()
    first = checks.check_pairs(PAIRS, "en", "es", memo=memo)
    second = checks.check_pairs(PAIRS, "en", "es", memo=memo)
    assert first == plain and second == plain and plain
    assert memo.computed["pair"] == 3 and memo.reused["pair"] == 3
