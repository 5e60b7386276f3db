//! One serialisable model of the whole report, per language: numbered cells of narrative, method,
//! inputs and output (built by `report::cells`), and the results they are built from.
//!
//! Everything here is already in the reader's language. `narrative` paragraphs are trusted Markdown
//! built from fixed texts with escaped data; table cells and titles are plain text, escaped by the templates.

use serde::Serialize;

use crate::analysis::audit::{Audit, DEFAULT_DECIMALS};
use crate::analysis::fuzzy::ScreeningRow;
use crate::analysis::identify::Identification;
use crate::analysis::published_in_text::{CountAudit, ShareSetAudit};
use crate::analysis::qualitative::QualitativeAnalysis;
use crate::analysis::rounds::Trajectory;
use crate::analysis::sensitivity::Verdicts;
use crate::analysis::StudyData;
use crate::config::Study;
use crate::domain::Lang;
use crate::domain::TextDirection;
use crate::report::document::IncludedFile;

/// Decimals of the reproduced tables: the publication's precision.
pub(crate) const DISPLAY_DECIMALS: u32 = DEFAULT_DECIMALS;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ReportDocument {
    /// The study's id (its report folder name).
    pub(crate) study_id: String,
    pub(crate) lang: Lang,
    /// The direction the document reads in: `lang.dir()`.
    pub(crate) dir: TextDirection,
    pub(crate) title: String,
    /// Trusted Markdown shown under the title.
    pub(crate) preamble: String,
    /// The study's other report languages, linked from the top of each report; none for a study
    /// written in one language.
    pub(crate) other_languages: Vec<OtherLanguage>,
    /// Fixed texts the templates need around the cells.
    pub(crate) labels: Labels,
    /// What a reader needs before the cells: citation, key findings, contents.
    pub(crate) front: FrontPage,
    /// Element ids the HTML page gives its numbered tables and the inputs table's rows.
    pub(crate) anchors: Vec<TableAnchor>,
    /// The document's parts in reading order: the author's text and the inserted front page, cells,
    /// tables and figures.
    pub(crate) blocks: Vec<Block>,
    /// Whether the author's text may hold raw HTML (`document.allow_html`); otherwise it is shown as text.
    pub(crate) allow_html: bool,
    /// The files the document included (`{% include %}`), for the manifest.
    pub(crate) included: Vec<IncludedFile>,
}

/// One part of a document, in reading order.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub(crate) enum Block {
    /// The author's own Markdown, as written (with any values filled in, and raw HTML shown as text
    /// unless the study allows it), with its level-2 headings as plain text and the ids of their
    /// sections on the page.
    Text {
        markdown: String,
        headings: Vec<String>,
        sections: Vec<String>,
    },
    /// The front page: title, citation, preamble, the other language, key findings, contents.
    Front,
    /// A whole cell: narrative, method, inputs and output.
    Cell(Cell),
    /// One table of a cell, on its own.
    Table(Table),
    /// One figure of a cell, on its own.
    Figure(Figure),
}

impl ReportDocument {
    /// The cells of the document, in order.
    pub(crate) fn cells(&self) -> impl Iterator<Item = &Cell> {
        self.blocks.iter().filter_map(|block| match block {
            Block::Cell(cell) => Some(cell),
            _ => None,
        })
    }

    /// Every figure the document shows, in order: those of its cells and those on their own.
    pub(crate) fn figures(&self) -> impl Iterator<Item = &Figure> {
        self.blocks.iter().flat_map(|block| match block {
            Block::Cell(cell) => cell.figures.iter().collect::<Vec<_>>(),
            Block::Figure(figure) => vec![figure],
            _ => Vec::new(),
        })
    }

    /// Every table the document shows, in order: each cell's method tables then its output tables,
    /// and the tables on their own.
    pub(crate) fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().flat_map(|block| match block {
            Block::Cell(cell) => cell.method_tables.iter().chain(&cell.tables).collect(),
            Block::Table(table) => vec![table],
            _ => Vec::new(),
        })
    }
}

/// The front page: the citation, the key findings in one line each, and a table of contents.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FrontPage {
    /// Trusted Markdown, empty when the study gives no citation.
    pub(crate) citation: String,
    pub(crate) findings_heading: String,
    /// The screening result, the audit's findings, the inputs: one line each.
    pub(crate) findings: Vec<KeyFinding>,
    pub(crate) contents_heading: String,
    pub(crate) contents: Vec<ContentsEntry>,
}

/// A line of the key findings, trusted Markdown that starts with a link to its cell, and the
/// lines under it (the audit's findings, one per cause).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct KeyFinding {
    pub(crate) text: String,
    pub(crate) details: Vec<String>,
}

/// One line of the table of contents: a cell, or a numbered table or figure inside one (`nested`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ContentsEntry {
    /// Plain text.
    pub(crate) text: String,
    /// Element id on the HTML page, without `#`.
    pub(crate) anchor: String,
    pub(crate) nested: bool,
}

/// The id of a table (found by its caption) and, when the table is the inputs table, of its rows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TableAnchor {
    pub(crate) caption: String,
    pub(crate) id: String,
    pub(crate) row_ids: Vec<String>,
}

/// A file a cell read, linked to its row of the inputs table.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct InputLink {
    pub(crate) path: String,
    /// The row's id; empty when the document does not show the inputs table.
    pub(crate) anchor: String,
}

/// Another language version of the report: its code, the text that links to it (in its own
/// language) and its files.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OtherLanguage {
    pub(crate) lang: Lang,
    pub(crate) label: String,
    pub(crate) markdown_file: String,
    pub(crate) html_file: String,
    pub(crate) notebook_file: String,
    pub(crate) word_file: String,
}

/// Section names and the header of the per-cell inputs table, in the reader's language.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Labels {
    pub(crate) method: String,
    pub(crate) inputs: String,
    pub(crate) output: String,
    /// Caption of a cell's inputs table.
    pub(crate) inputs_caption: String,
    pub(crate) input_headers: Vec<String>,
    /// Between the file names of a cell's inputs line.
    pub(crate) list_separator: String,
}

/// One numbered cell: what it does (narrative), how (method), from what (inputs) and its result
/// (tables, figures, notes). Cells without a computation leave method, inputs or output empty.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Cell {
    /// Stable anchor, the same in both languages.
    pub(crate) id: String,
    /// "Cell 3" in the reader's language and digits.
    pub(crate) label: String,
    pub(crate) title: String,
    /// Label and title as one heading, joined the way the language writes it.
    pub(crate) heading: String,
    /// Trusted Markdown paragraphs.
    pub(crate) narrative: Vec<String>,
    /// Trusted Markdown paragraphs: formulas and the parameters they use.
    pub(crate) method: Vec<String>,
    /// Tables that define the method (for example the fuzzy scale).
    pub(crate) method_tables: Vec<Table>,
    /// The files this cell's computation read.
    pub(crate) inputs: Vec<CellInput>,
    /// The same files once each, linked to the inputs table (where their digests are).
    pub(crate) input_links: Vec<InputLink>,
    /// Output tables.
    pub(crate) tables: Vec<Table>,
    /// Output figures.
    pub(crate) figures: Vec<Figure>,
    /// Trusted Markdown paragraphs after the output.
    pub(crate) notes: Vec<String>,
}

impl Cell {
    /// True when the cell shows a result (a table, a figure or a note on one).
    pub(crate) fn has_output(&self) -> bool {
        !(self.tables.is_empty() && self.figures.is_empty() && self.notes.is_empty())
    }
}

/// A table: its stable id (the same in both languages, its name in a document), caption, header and rows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Table {
    pub(crate) id: String,
    pub(crate) caption: String,
    pub(crate) headers: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
}

/// One input file of a cell, ready to show: role and rows in the reader's language.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CellInput {
    pub(crate) role: String,
    /// Path relative to the study folder, with `/`.
    pub(crate) path: String,
    /// Data rows read (lines for the configuration), localized.
    pub(crate) rows: String,
    pub(crate) sha256: String,
    /// Id of the file's row in the inputs table.
    pub(crate) anchor: String,
}

/// Id of the inputs table on the HTML page.
pub(crate) const INPUTS_TABLE_ANCHOR: &str = "input-files";

/// The id of a file's row in the inputs table: `input-` and the path with every run of other
/// characters than ASCII letters and digits as one `-`.
pub(crate) fn input_anchor(path: &str) -> String {
    let mut anchor = String::from("input-");
    for c in path.chars() {
        if c.is_ascii_alphanumeric() {
            anchor.push(c.to_ascii_lowercase());
        } else if !anchor.ends_with('-') {
            anchor.push('-');
        }
    }
    anchor.trim_end_matches('-').to_string()
}

/// A figure: its data and texts; `report::figure` draws it at render time.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Figure {
    /// Stable name, the same in both languages: the anchor and the file stem.
    pub(crate) id: String,
    /// "Figure 1. ..." in plain text.
    pub(crate) caption: String,
    /// Path of the SVG file relative to the report folder.
    pub(crate) file: String,
    /// Text alternative for readers who cannot see the figure.
    pub(crate) description: String,
    pub(crate) chart: Chart,
}

/// What a figure draws: data only, every text already in the report's language.
#[derive(Debug, Clone, Serialize)]
pub(crate) enum Chart {
    /// Crisp values as bars (`figure::bars`).
    Bars(BarChart),
    /// Verdicts at each threshold (`figure::sensitivity`).
    Verdicts(VerdictGrid),
    /// New and cumulative codes per interview (`figure::saturation`).
    Saturation(SaturationChart),
    /// Components and their indicators' verdicts (`figure::framework`).
    Framework(FrameworkChart),
}

/// Indicators whose verdict changes with the threshold, by threshold.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct VerdictGrid {
    pub(crate) axis_label: String,
    /// The thresholds as printed, ascending.
    pub(crate) thresholds: Vec<String>,
    /// Which threshold is the study's.
    pub(crate) study_column: Option<usize>,
    pub(crate) accepted_label: String,
    pub(crate) rejected_label: String,
    pub(crate) rows: Vec<VerdictRow>,
}

/// One indicator of the verdict grid: its label (number and crisp value), its crisp value (for
/// ordering) and whether it is accepted at each threshold.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct VerdictRow {
    pub(crate) label: String,
    pub(crate) crisp: f64,
    pub(crate) accepted: Vec<bool>,
}

/// Codes found interview by interview, in the order the interviews were coded.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SaturationChart {
    pub(crate) x_axis: String,
    pub(crate) y_axis: String,
    pub(crate) new_codes_label: String,
    pub(crate) cumulative_label: String,
    /// The count axis, from 0 to its maximum.
    pub(crate) ticks: Vec<CountTick>,
    pub(crate) steps: Vec<SaturationPoint>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct CountTick {
    pub(crate) value: usize,
    pub(crate) label: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SaturationPoint {
    pub(crate) document: String,
    pub(crate) new_codes: usize,
    pub(crate) cumulative: usize,
}

/// The framework: components with their indicators.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FrameworkChart {
    pub(crate) accepted_label: String,
    pub(crate) rejected_label: String,
    pub(crate) components: Vec<FrameworkComponent>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct FrameworkComponent {
    pub(crate) name: String,
    pub(crate) indicators: Vec<FrameworkIndicator>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct FrameworkIndicator {
    /// The indicator's number as printed.
    pub(crate) number: String,
    pub(crate) name: String,
    /// `None` for an indicator without a decision.
    pub(crate) accepted: Option<bool>,
}

/// Horizontal bars in groups, on a value axis with ticks and an optional reference line.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BarChart {
    pub(crate) axis_label: String,
    /// Axis range; values outside are clipped to it.
    pub(crate) min: f64,
    pub(crate) max: f64,
    pub(crate) ticks: Vec<Tick>,
    pub(crate) reference: Option<Tick>,
    pub(crate) groups: Vec<BarGroup>,
    /// What each bar style means.
    pub(crate) legend: Vec<LegendEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Tick {
    pub(crate) value: f64,
    pub(crate) label: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct BarGroup {
    pub(crate) label: String,
    pub(crate) bars: Vec<Bar>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Bar {
    pub(crate) label: String,
    /// None when there is nothing to draw (no responses).
    pub(crate) value: Option<f64>,
    /// The value as printed next to the bar.
    pub(crate) value_label: String,
    pub(crate) style: BarStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum BarStyle {
    Accepted,
    Rejected,
    Missing,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LegendEntry {
    pub(crate) style: BarStyle,
    pub(crate) label: String,
}

/// The view of study, data and analysis that the report reads, shared by both languages.
pub struct ReportInput<'a> {
    pub(crate) study: &'a Study,
    pub(crate) data: &'a StudyData,
    pub(crate) screening: &'a [ScreeningRow],
    /// Every indicator across the rounds; empty for a single round.
    pub(crate) trajectories: &'a [Trajectory],
    /// Every indicator's verdict at each threshold of `study.sensitivity_thresholds()`.
    pub(crate) sensitivity: &'a [Verdicts],
    /// The audit of the published tables, when the study has any.
    pub(crate) table_audit: Option<&'a Audit>,
    /// The printed percentages of the sample, checked against the panels.
    pub(crate) shares_audit: Option<&'a [ShareSetAudit]>,
    /// The counts printed in the text, checked against the study.
    pub(crate) counts_audit: Option<&'a [CountAudit]>,
    /// The ranking of scales, methods and column readings by the printed screening rows they reproduce.
    pub(crate) identification: Option<&'a Identification>,
    /// Demographics, coding and the link from concepts to indicators.
    pub(crate) qualitative: &'a QualitativeAnalysis,
}
