"""Command line: ``osallisuus validate | mapping | plan | example | instruments | regions | reports | audit``.

Every user error ends in a one-line message and an exit code, never a traceback.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import OsallisuusError
from .settings import load_settings
from .vocab import LANGUAGES

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="osallisuus")
@click.option("--config", type=click.Path(dir_okay=False), default=None,
              help="Project settings YAML (default: nearest osallisuus.yaml).")
@click.pass_context
def cli(ctx: click.Context, config: str | None) -> None:
    """Evaluate client participation and co-development, THL style."""
    ctx.obj = {"config": config}


def _settings(ctx: click.Context):
    return load_settings(ctx.obj.get("config") if ctx.obj else None)


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--mapping", type=click.Path(dir_okay=False), default=None,
              help="Mapping YAML for a survey export (default: NAME.mapping.yaml beside each file).")
@click.option("--quarantine", type=click.Path(dir_okay=False), default=None,
              help="Write rejected rows with their reason to this CSV (a bare name goes into paths.quarantine).")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help="Language of the messages.")
@click.option("--max-messages", type=int, default=50, show_default=True, help="Problems printed at most.")
@click.pass_context
def validate(ctx, paths, mapping, quarantine, lang, max_messages):
    """Check answer files (CSV/XLSX, canonical or survey exports).

    Exit code 0: all valid; 1: problems found (valid rows still usable); 2: input unusable.
    """
    from . import i18n
    from .validation import validate as run
    settings = _settings(ctx)
    report = run(list(paths), mapping=mapping, settings=settings, lang=lang, quarantine=quarantine)
    msgs = report.messages()
    if msgs:
        click.echo(i18n.t("val.problems", report.lang, n=len(msgs)), err=True)
        for m in msgs[:max_messages]:
            click.echo("  " + m, err=True)
        if len(msgs) > max_messages:
            key = "val.more" if report.quarantine_path else "val.more_no_file"   # a file only with --quarantine
            click.echo("  " + i18n.t(key, report.lang, n=len(msgs) - max_messages, total=len(msgs)), err=True)
    else:
        click.echo(i18n.t("val.ok", report.lang))
    click.echo(report.summary())
    if quarantine:
        click.echo(i18n.t("val.quarantine_written", report.lang, path=report.quarantine_path, n=report.n_quarantined))
    ctx.exit(report.exit_code)


@cli.command("mapping", context_settings=CONTEXT)
@click.argument("export", type=click.Path(dir_okay=False))
@click.option("--instrument", default=None, help="Instrument the export's questions belong to.")
@click.option("--new-instrument", default=None, metavar="ID", help="Draft a new instrument with this id from the questions.")
@click.option("--scale", default=None, help="Scale of the new instrument (with --new-instrument).")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
              help="A constant or setting, e.g. --set region=Keski-Suomi --set phase=baseline (repeatable).")
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write the draft here (default: print it).")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None,
              help="Language of the draft's comments and messages (default: settings).")
@click.pass_context
def mapping(ctx, export, instrument, new_instrument, scale, sets, out, lang):
    """Draft a mapping for a survey export (CSV/XLSX): columns, items, answer values, what is unsure."""
    from . import i18n
    from .mapping_draft import draft_mapping
    settings = _settings(ctx)
    lang = lang or settings.language
    if bool(instrument) == bool(new_instrument) or (new_instrument and not scale):
        raise click.UsageError(i18n.t("draft.name_instrument", lang))
    pairs = {}
    for s in sets:
        key, sep, value = s.partition("=")
        if not sep or not key.strip():
            raise click.UsageError(i18n.t("cli.set_usage", lang, value=s))
        pairs[key.strip()] = value.strip()
    draft = draft_mapping(export, instrument, new_instrument=new_instrument, scale=scale, sets=pairs,
                          settings=settings, lang=lang)
    if out:
        Path(out).write_text(draft.text, encoding="utf-8")
        click.echo(i18n.t("map.written", lang, path=out, matched=len(draft.matched), unsure=len(draft.unsure)), err=True)
        if draft.instrument_text:
            inst_path = Path(out).with_name(f"{new_instrument}.yaml")
            inst_path.write_text(draft.instrument_text, encoding="utf-8")
            click.echo(i18n.t("map.instrument_written", lang, path=inst_path), err=True)
    else:
        click.echo(draft.text)
        if draft.instrument_text:
            click.echo("---\n" + draft.instrument_text)


@cli.command(context_settings=CONTEXT)
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Folder to write (default: paths.example_data of the settings).")
@click.option("--seed", type=int, default=None, help="Random seed (default: the one the bundled data uses).")
@click.pass_context
def example(ctx, out, seed):
    """Re-create the SYNTHETIC example data set (seeded, so identical every time)."""
    from . import i18n
    from .example import SEED, generate_example
    settings = _settings(ctx)
    target = Path(out) if out else settings.path("example_data")
    counts = generate_example(target, SEED if seed is None else seed)
    for name, n in counts.items():
        click.echo(i18n.t("cli.example_rows", settings.language, path=target / name, n=n))


@cli.command(context_settings=CONTEXT)
@click.argument("name", required=False)
@click.option("--check", "check_file", type=click.Path(dir_okay=False), default=None,
              help="Check an instrument YAML file against the schema.")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help="Language (default: settings).")
@click.pass_context
def instruments(ctx, name, check_file, lang):
    """List instruments, show one (NAME), or check a new instrument file."""
    from . import i18n
    from .instruments import list_instruments, load_instrument, load_instrument_file
    settings = _settings(ctx)
    lang = lang or settings.language
    if check_file:
        inst = load_instrument_file(check_file)
        click.echo(i18n.t_count("cli.instrument_ok", lang, len(inst.items), file=check_file, instrument=inst.id,
                                n=len(inst.items), scale=inst.scale.id))
        return
    if not name:
        for iid in list_instruments(settings):
            inst = load_instrument(iid, settings)
            flag = "  " + i18n.t("cli.provisional", lang) if inst.provisional else ""
            click.echo(f"{iid:26s} {inst.name[lang]}{flag}")
        return
    inst = load_instrument(name, settings)
    click.echo(i18n.t("cli.instrument_head", lang, name=inst.name[lang], instrument=inst.id, version=inst.version))
    citation = (inst.extra.get("citation") or {}).get(lang) or inst.source
    click.echo(i18n.t("cli.source", lang, source=citation))
    click.echo(i18n.t("cli.scale", lang, scale=inst.scale.id, points=", ".join(
        f"{int(p.code) if p.code.is_integer() else p.code} = {p.label[lang]}" for p in inst.scale.all_points)))
    reverse = "  " + i18n.t("cli.reverse", lang)
    for it in inst.items:
        click.echo(f"  {it.id:24s} {it.text[lang]}" + (reverse if it.reverse else ""))
    if inst.subscales:
        click.echo(i18n.t("cli.subscales", lang))
        for sub in inst.subscales.values():
            click.echo(f"  {sub['label'][lang]}: {', '.join(sub['items'])}")


@cli.command(context_settings=CONTEXT)
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help="Language (default: settings).")
@click.pass_context
def regions(ctx, lang):
    """List the regions (wellbeing services counties) that data may name."""
    from . import i18n
    from .regions import list_regions
    lang = lang or _settings(ctx).language
    for r in list_regions():
        click.echo(f"{r.id:22s} {r.name[lang]}" + ("  " + i18n.t("cli.pilot", lang) if r.pilot_2017 else ""))


@cli.command(context_settings=CONTEXT)
@click.option("--region", "regions", multiple=True, help="A region to report (repeatable; default: every region in the data).")
@click.option("--data", "data_path", type=click.Path(), default=None,
              help="Answers: file or folder (default: paths.data of the settings).")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help="Report language (default: settings).")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: number of cores).")
@click.option("--force", is_flag=True, help="Re-create reports whose inputs have not changed.")
@click.option("--format", "formats", default="html", show_default=True, metavar="FORMATS",
              help="Comma-separated output formats: html, pdf, docx, xlsx.")
@click.option("--pdf", is_flag=True, help="Also write a PDF (same as adding pdf to --format).")
@click.option("--threshold", type=click.IntRange(min=3), default=None,
              help="Suppression threshold, at least 3 (default: plan or settings, 5).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None, help="Output folder (default: paths.reports).")
@click.option("--dask-scheduler", default=None, metavar="ADDRESS",
              help="Run regions on a Dask distributed cluster (needs osallisuus[dask]).")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@click.pass_context
def reports(ctx, regions, data_path, lang, jobs, force, formats, pdf, threshold, out_dir, dask_scheduler, no_progress):
    """Write one report per region (executed notebook, participants' page, and each --format) and the index.

    Regions run in parallel and in isolation: a failing region is recorded and the others
    finish; the exit code is 1 if any region failed. Unchanged regions are skipped.
    """
    from .batch import batch_summary, run_reports
    settings = _settings(ctx)
    executor = client = None
    if dask_scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise click.ClickException("--dask-scheduler needs the dask extra: pip install 'osallisuus[dask]'") from None
        client = Client(dask_scheduler)
        executor = client.get_executor()
    try:
        result = run_reports(list(regions) or None, data_path=data_path, lang=lang, jobs=jobs, force=force,
                             formats=formats.split(","), pdf=pdf,
                             executor=executor, settings=settings, suppression_threshold=threshold,
                             progress=not no_progress, out_dir=out_dir)
    finally:
        if client is not None:
            client.close()
    click.echo(batch_summary(result, lang or settings.language))
    ctx.exit(result.exit_code)


@cli.command(context_settings=CONTEXT)
@click.argument("data", type=click.Path(exists=True))
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Write the draft here (default: print it). An existing file is not overwritten.")
@click.pass_context
def plan(ctx, data, out):
    """Draft an evaluation plan (arviointisuunnitelma.yaml) from the data in DATA.

    Phases, instruments and roles come from the answers; one primary outcome per phase is
    proposed. Edit the draft and save it beside the data as arviointisuunnitelma.yaml.
    """
    from . import i18n
    from .plan import infer_plan, plan_to_yaml
    from .report import load_validated, resolve_path
    settings = _settings(ctx)
    lang = settings.language
    report = load_validated(resolve_path(data, settings), settings, lang)
    if report.exit_code == 2:
        raise click.ClickException(i18n.t("cli.plan_unusable", lang, messages="; ".join(report.messages(5))))
    text = plan_to_yaml(infer_plan(report.data, settings), lang)
    if out is None:
        click.echo(text, nl=False)
        return
    target = Path(out)
    if target.exists():
        raise click.ClickException(i18n.t("cli.plan_exists", lang, path=target))
    from .fileio import atomic_write_text
    atomic_write_text(target, text)
    click.echo(i18n.t("cli.plan_written", lang, path=target))


@cli.command("audit", context_settings=CONTEXT)
@click.argument("reports_dir", type=click.Path(file_okay=False))
@click.option("--threshold", type=click.IntRange(min=3), default=None,
              help="Suppression threshold, at least 3 (default: settings, 5).")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help="Language of the messages.")
@click.pass_context
def audit_command(ctx, reports_dir, threshold, lang):
    """Check every published file in REPORTS_DIR before it is shared.

    Looks for counts under the threshold, personal data, local paths and resources loaded
    from other hosts. Exit code 0: clean; 1: problems, one line each (file:place: kind: detail).
    """
    from . import i18n
    from .audit import audit
    settings = _settings(ctx)
    lang = lang or settings.language
    findings = audit(reports_dir, threshold=threshold, settings=settings)
    if findings:
        click.echo(i18n.t("audit.found", lang, n=len(findings), folder=reports_dir), err=True)
        for f in findings:
            click.echo(f"  {f}", err=True)
        ctx.exit(1)
    click.echo(i18n.t("audit.clean", lang, folder=reports_dir))


@cli.command(context_settings=CONTEXT)
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--lang", type=click.Choice(LANGUAGES), default="fi", show_default=True,
              help="The project's language: its settings, README and reports.")
def init(folder, lang):
    """Create an evaluation project in FOLDER: data/, notebooks/, reports/, settings, README.

    Answers already in FOLDER/data give a draft evaluation plan. Existing files are never
    overwritten.
    """
    from . import i18n
    from .project import init_project
    written = init_project(folder, lang)
    root = Path(folder)
    for path in written:
        click.echo(i18n.t("cli.plan_written", lang, path=root / path.relative_to(Path(folder).resolve())))
    click.echo(i18n.t("cli.init_next", lang, path=root / f"README.{lang}.md"))


@cli.command("report-notebook", context_settings=CONTEXT)
@click.option("--project", default=".", type=click.Path(file_okay=False), help="project folder (default: here)")
@click.option("--force", is_flag=True, help="replace an existing notebooks/alueraportti.ipynb")
def report_notebook_cmd(project, force):
    """Write notebooks/alueraportti.ipynb from the project's plan: one cell per table or figure."""
    from .project import write_project_report_notebook
    from . import i18n
    from .settings import load_settings
    written = write_project_report_notebook(project, overwrite=force)
    click.echo(i18n.t("cli.plan_written", load_settings(Path(project) / "osallisuus.yaml").language, path=written))


@cli.command(context_settings=CONTEXT)
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help="Language (default: settings).")
@click.pass_context
def notebooks(ctx, lang):
    """List the notebook collection (copied into a project by `osallisuus init`)."""
    from .project import list_notebooks
    for name, description in list_notebooks(lang or _settings(ctx).language):
        click.echo(f"{name:34s} {description}")


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI; turn osallisuus errors into a message and exit code 2."""
    try:
        # standalone_mode=False: click returns the exit code instead of exiting
        code = cli.main(args=argv, prog_name="osallisuus", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except OsallisuusError as exc:
        click.echo(_error_message(exc), err=True)
        sys.exit(2)


def _error_lang() -> str:
    """The command's ``--lang``, else the settings' language (English when the settings are the error)."""
    from . import i18n
    args = sys.argv[1:]
    given = [args[i + 1] for i, a in enumerate(args[:-1]) if a == "--lang"] + \
        [a.split("=", 1)[1] for a in args if a.startswith("--lang=")]
    try:
        return i18n.check_lang(given[-1]) if given else load_settings().language
    except Exception:  # noqa: BLE001 - the settings themselves may be what failed
        return "en"


def _error_message(exc: OsallisuusError) -> str:
    """The error in the same language: a file error (a missing sheet, an unreadable file) from its
    translation key (it read 'fel: … no sheet 'Nej'; the workbook has sheets …')."""
    from . import i18n
    from .errors import InputFileError
    lang = _error_lang()
    text = i18n.error_text(exc, lang) if isinstance(exc, InputFileError) else str(exc)
    return f"{i18n.t('cli.error', lang)}: {text}"


if __name__ == "__main__":
    main()
