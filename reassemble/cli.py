"""The command line: a thin typer layer over the library.

Exit codes: 0 success; 1 an unexpected internal error; 2 bad input (the message names the file); 3 output
could not be written; 4 an XML file does not validate. Heavy modules are imported inside the commands so
that ``reassemble --version`` starts fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .errors import ReassembleError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Rebuild newspaper articles from page dumps and write NewsML-G2.")


def _fail(exc: ReassembleError) -> typer.Exit:
    typer.echo(f"reassemble: error: {exc}", err=True)
    return typer.Exit(exc.exit_code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"reassemble {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """Rebuild newspaper articles from page dumps and write NewsML-G2."""


@app.command()
def run(
    inputs: Annotated[list[Path], typer.Argument(help="Page files, a folder of pages, or a METS file.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    fmt: Annotated[str, typer.Option("--format", help="xml (NewsML-G2) or json.")] = "xml",
    input_format: Annotated[str, typer.Option(help="auto, text, json or alto.")] = "auto",
    page: Annotated[int | None, typer.Option(help="Page number of a single input file.")] = None,
    each: Annotated[bool, typer.Option(help="Treat every input as its own edition (OUT/<name>/).")] = False,
    force: Annotated[bool, typer.Option(help="Overwrite existing output files.")] = False,
    strict: Annotated[bool, typer.Option(help="Stop at the first unreadable page.")] = False,
    explain: Annotated[bool, typer.Option(help="Print every scored decision and its candidates.")] = False,
    halfwidth: Annotated[bool, typer.Option(help="Keep half-width punctuation in Chinese text.")] = False,
    paper: Annotated[str | None, typer.Option(help="The paper's title, for inputs that do not name it "
                                                    "(marks the front page's masthead).")] = None,
) -> None:
    """Reassemble the articles of an edition and write one file per article plus packages."""
    from .config import Config
    from .errors import InputError
    from .pipeline import reassemble_pages
    from .write import write_edition

    config = Config(fullwidth_punct=not halfwidth)
    groups = [[p] for p in inputs] if each else [list(inputs)]
    failed = False
    for group in groups:
        target = out / group[0].stem if each else out
        failures: list[InputError] | None = None if strict else []
        items = [(page, group[0])] if page is not None and len(group) == 1 else group
        try:
            edition = reassemble_pages(items, config=config, input_format=input_format,
                                       failures=failures, paper=paper)
            written = write_edition(edition, target, fmt=fmt, force=force)
        except ReassembleError as exc:
            if strict or not each:
                raise _fail(exc) from None
            typer.echo(f"reassemble: error: {exc}", err=True)
            failed = True
            continue
        for problem in failures or []:
            typer.echo(f"reassemble: error: {problem} (page skipped)", err=True)
            failed = True
        if explain:
            typer.echo(format_explain(edition))
        typer.echo(f"{target}: {len(edition.articles)} articles from {len(edition.pages)} page(s), "
                   f"{len(written)} files, {len(edition.unassigned)} unassigned blocks")
    if failed:
        raise typer.Exit(2)


def format_explain(edition: object) -> str:
    """Every scored decision, one block of lines each: what was decided and the candidates weighed."""
    from .model import Edition

    assert isinstance(edition, Edition)
    lines = []
    for d in edition.decisions:
        chosen = d.chosen if d.chosen is not None else "(none)"
        lines.append(f"{d.kind} {d.subject} -> {chosen}" + (f"  [{d.note}]" if d.note else ""))
        for c in d.candidates:
            feats = " ".join(f"{k}={v:g}" for k, v in sorted(c.features.items()))
            lines.append(f"    {c.target:<14} {c.score:.4f}  {feats}")
    for a in edition.articles:
        lines.append(f"article {a.id}: {len(a.blocks)} blocks {a.blocks[0]}..{a.blocks[-1]} "
                     f"headline={a.headline!r} confidence={a.confidence}")
    return "\n".join(lines)


@app.command("eval")
def evaluate_cmd(
    gold: Annotated[list[Path], typer.Argument(help="Gold files (reassemble-gold/1 JSON or METS).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Score the pipeline against gold files, next to the naive baseline."""
    import json

    from .evaluate import Gold, evaluate, format_table, report_json
    from .model import Edition
    from .pipeline import reassemble_pages

    def run_gold(g: Gold) -> Edition:
        return reassemble_pages([(p.number, p.file) for p in g.pages], paper=g.paper)

    try:
        report = evaluate(gold, run_gold)
    except ReassembleError as exc:
        raise _fail(exc) from None
    if as_json:
        typer.echo(json.dumps(report_json(report), ensure_ascii=False, indent=1, sort_keys=False))
    else:
        typer.echo(format_table(report))


@app.command()
def validate(files: Annotated[list[Path], typer.Argument(help="NewsML-G2 files to check.")]) -> None:
    """Validate files against the vendored NewsML-G2 2.35 + NITF 3.6 schema."""
    from .write import validate_file

    bad = 0
    for f in files:
        errors = validate_file(f)
        if errors:
            bad += 1
            typer.echo(f"INVALID {f}")
            for e in errors[:20]:
                typer.echo(f"    {e}")
        else:
            typer.echo(f"VALID   {f}")
    if bad:
        raise typer.Exit(4)


def main() -> None:
    """Console entry point; internal errors exit 1 with a one-line message."""
    try:
        app()
    except ReassembleError as exc:  # pragma: no cover - commands convert their own errors
        typer.echo(f"reassemble: error: {exc}", err=True)
        sys.exit(exc.exit_code)
