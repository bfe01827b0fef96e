"""Writes examples/tour.ipynb, the tour of every result as Jupyter shows it, and executes it.

Usage: python examples/notebook/make_tour.py [--html out/tour.html]. Needs nbformat and nbconvert
(with ipykernel) in the Python that runs it, and journeystream importable there. The cells are
below; edit them here, not in the notebook.
"""

import argparse
import os
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import ExecutePreprocessor

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "examples" / "tour.ipynb"

CELLS = [
    ("md", "# journeystream: a tour of the results\n\nEvery result below draws itself in Jupyter: "
           "a chart where one suits, and its table. Run from the repository root."),
    ("code", "import journeystream as js\nimport pandas as pd\nfrom datetime import timedelta\n"
             "from journeystream.filters import Filter"),
    ("md", "## A value stream map, measured\nThe support journey's value stream: the map itself, then "
           "its metrics as the lead-time ladder."),
    ("code", "current = js.load('examples/support-journey.json')\ncurrent"),
    ("code", "current.measure()"),
    ("code", "js.compare(current.measure(), current.project().map.measure())"),
    ("md", "## The event log behind it\nThe profile draws the directly-follows graph (thinned to "
           "`max_edges=40` edges on big logs)."),
    ("code", "log = js.read_csv('examples/support-log.csv')\nprofile = log.profile()\nprofile"),
    ("code", "quick = log.filter(Filter.case_duration(max=timedelta(hours=8)))\nquick.num_cases(), log.num_cases()"),
    ("md", "## Journeys: funnel, retention, paths"),
    ("code", "journeys = js.read_csv('tests/data/logs/journeys.csv')\n"
             "js.funnel(journeys, ['ad', 'purchase'])"),
    ("code", "js.retention(journeys, period='day', periods=2)"),
    ("code", "js.top_paths(journeys, top=5)"),
    ("code", "js.transition_graph(journeys)"),
    ("code", "js.step_matrix(journeys, max_steps=3)"),
    ("md", "## Attribution"),
    ("code", "js.attribution('markov', log=journeys, conversion='purchase')"),
    ("md", "## KPIs with intervals, and a before/after comparison"),
    ("code", "kpi_log = js.read_csv('tests/data/logs/kpi_journeys.csv')\n"
             "js.kpi('nps', log=kpi_log, activity='survey', segment_by='persona')"),
    ("code", "js.kpi_compare('churn_rate', before={'counts': [{'start': 1000, 'lost': 100}]},\n"
             "               after={'counts': [{'start': 1000, 'lost': 60}]})"),
    ("code", "js.moments_of_truth(kpi_log, {'activity': 'buy'}, experience={'wait_over_seconds': 600})"),
    ("code", "js.emotion_curve(kpi_log, 'sentiment', order=['awareness', 'consideration', 'purchase'])"),
    ("md", "## Customer lifetime value (CDNOW)"),
    ("code", "cdnow = pd.read_csv('tests/data/clv/cdnow_customers_summary.csv')\n"
             "fit = js.clv_fit('bg_nbd', data=cdnow)\nfit"),
    ("code", "js.clv_predict(fit, data=cdnow, t=39, max_frequency=7)"),
]


def build() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for kind, source in CELLS:
        cell = nbformat.v4.new_markdown_cell(source) if kind == "md" else nbformat.v4.new_code_cell(source)
        nb.cells.append(cell)
    ExecutePreprocessor(timeout=300, kernel_name="python3").preprocess(nb, {"metadata": {"path": str(ROOT)}})
    return nb


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--html", help="also write the notebook's HTML export here")
    parser.add_argument("--notebook", default=str(NOTEBOOK), help="where to write the executed notebook")
    args = parser.parse_args()
    nb = build()
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                raise SystemExit(f"cell {i} failed: {out.get('ename')}: {out.get('evalue')}")
    for i, cell in enumerate(nb.cells):  # random ids and timings would make every run differ
        cell["id"] = f"cell-{i}"
        cell.get("metadata", {}).pop("execution", None)
    nbformat.write(nb, args.notebook)
    if args.html:
        body, _ = HTMLExporter(template_name="basic").from_notebook_node(nb)
        page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<title>journeystream tour</title></head><body>\n" + body + "</body></html>\n")
        os.makedirs(os.path.dirname(os.path.abspath(args.html)), exist_ok=True)
        Path(args.html).write_text(page, encoding="utf-8")


if __name__ == "__main__":
    main()
