"""Assembly rules on composed variants of the real seed page (``reassemble.compose.seed_variants``).

Each variant below was picked because it exercises one rule; the test checks that the article the rule
is about comes out exactly as in the variant's gold (blocks and their order). The variants are
deterministic by seed, so these are regression tests of the rules, not of the composer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reassemble import reassemble_pages
from reassemble.compose import seed_variants, write_edition
from reassemble.evaluate import Gold, load_gold
from reassemble.model import Edition


def _variant(seed: int, seed_page: Path, seed_gold: Path, tmp_path: Path) -> tuple[Gold, Edition]:
    write_edition(seed_variants(seed_page, seed_gold, seed), tmp_path)
    gold = load_gold(tmp_path / "gold.json")
    return gold, reassemble_pages([(p.number, p.file) for p in gold.pages])


@pytest.mark.parametrize(("seed", "headline", "rule"), [
    # the byline and first paragraphs of the story were moved to the foot of the page: a headless text
    # that opens an article goes back before the text of the headed article that has no opening
    (541, "职工维权", "adopt-opening"),
    # another story's headline was pulled next to this one's: they share one word only and the story
    # below is about this one, so they are two heads
    (535, "西部", "headline-group"),
    # a cut piece ending on a conjunction (``…闫毅和``) is not a headline
    (544, "枣庄", "no-function-end-headline"),
    # a subhead after a paragraph whose continuation was found elsewhere follows that continuation
    (552, "三类", "subhead-after-join"),
])
def test_variant_rule(seed: int, headline: str, rule: str, seed_page: Path, seed_gold: Path,
                      tmp_path: Path) -> None:
    gold, edition = _variant(seed, seed_page, seed_gold, tmp_path)
    expected = next(a for a in gold.articles if (a.headline or "").startswith(headline))
    found = [a.blocks for a in edition.articles]
    assert tuple(expected.blocks) in found, rule
