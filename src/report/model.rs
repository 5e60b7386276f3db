//! One serialisable model of the whole report, per language: numbered cells of narrative, method,
//! inputs and output (built by `report::cells`), and the results they are built from.
//!
//! Everything here is already in the reader's language. `narrative` paragraphs are trusted Markdown
//! built from fixed texts with escaped data; table cells and titles are plain text, escaped by the templates.

use serde::Serialize;

use crate::analysis::audit::{Audit, DEFAULT_DECIMALS};
use crate::analysis::fuzzy::ScreeningRow;
use crate::analysis::published_in_text::{CountAudit, ShareSetAudit};
use crate::analysis::qualitative::QualitativeAnalysis;
use crate::analysis::rounds::Trajectory;
use crate::analysis::sensitivity::Verdicts;
use crate::analysis::StudyData;
use crate::config::Study;
use crate::domain::TextDirection;
use crate::Lang;

/// Decimals of the reproduced tables: the publication's precision.
pub const DISPLAY_DECIMALS: u32 = DEFAULT_DECIMALS;

#[derive(Debug, Clone, Serialize)]
pub struct ReportDocument {
    /// The study's id (its report folder name).
    pub study_id: String,
    pub lang: Lang,
    /// The direction the document reads in: `lang.dir()`.
    pub dir: TextDirection,
    pub title: String,
    /// Trusted Markdown shown under the title.
    pub preamble: String,
    /// The study's other report languages, linked from the top of each report; none for a study
    /// written in one language.
    pub other_languages: Vec<OtherLanguage>,
    /// Fixed texts the templates need around the cells.
    pub labels: Labels,
    /// What a reader needs before the cells: citation, key findings, contents.
    pub front: FrontPage,
    /// Element ids the HTML page gives its numbered tables and the inputs table's rows.
    pub anchors: Vec<TableAnchor>,
    /// The document's parts in reading order: the author's text and the inserted front page, cells,
    /// tables and figures.
    pub blocks: Vec<Block>,
    /// Whether the author's text may hold raw HTML (`document.allow_html`); otherwise it is shown as text.
    pub allow_html: bool,
}

/// One part of a document, in reading order.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Block {
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
    pub fn cells(&self) -> impl Iterator<Item = &Cell> {
        self.blocks.iter().filter_map(|block| match block {
            Block::Cell(cell) => Some(cell),
            _ => None,
        })
    }

    /// Every figure the document shows, in order: those of its cells and those on their own.
    pub fn figures(&self) -> impl Iterator<Item = &Figure> {
        self.blocks.iter().flat_map(|block| match block {
            Block::Cell(cell) => cell.figures.iter().collect::<Vec<_>>(),
            Block::Figure(figure) => vec![figure],
            _ => Vec::new(),
        })
    }

    /// Every table the document shows, in order: each cell's method tables then its output tables,
    /// and the tables on their own.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().flat_map(|block| match block {
            Block::Cell(cell) => cell.method_tables.iter().chain(&cell.tables).collect(),
            Block::Table(table) => vec![table],
            _ => Vec::new(),
        })
    }
}

/// The front page: the citation, the key findings in one line each, and a table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct FrontPage {
    /// Trusted Markdown, empty when the study gives no citation.
    pub citation: String,
    pub findings_heading: String,
    /// The screening result, the audit's findings, the inputs: one line each.
    pub findings: Vec<KeyFinding>,
    pub contents_heading: String,
    pub contents: Vec<ContentsEntry>,
}

/// A line of the key findings, trusted Markdown that starts with a link to its cell, and the
/// lines under it (the audit's findings, one per cause).
#[derive(Debug, Clone, Serialize)]
pub struct KeyFinding {
    pub text: String,
    pub details: Vec<String>,
}

/// One line of the table of contents: a cell, or a numbered table or figure inside one (`nested`).
#[derive(Debug, Clone, Serialize)]
pub struct ContentsEntry {
    /// Plain text.
    pub text: String,
    /// Element id on the HTML page, without `#`.
    pub anchor: String,
    pub nested: bool,
}

/// The id of a table (found by its caption) and, when the table is the inputs table, of its rows.
#[derive(Debug, Clone, Serialize)]
pub struct TableAnchor {
    pub caption: String,
    pub id: String,
    pub row_ids: Vec<String>,
}

/// A file a cell read, linked to its row of the inputs table.
#[derive(Debug, Clone, Serialize)]
pub struct InputLink {
    pub path: String,
    pub anchor: String,
}

/// Another language version of the report: its code, the text that links to it (in its own
/// language) and its files.
#[derive(Debug, Clone, Serialize)]
pub struct OtherLanguage {
    pub lang: Lang,
    pub label: String,
    pub markdown_file: String,
    pub html_file: String,
    pub notebook_file: String,
    pub word_file: String,
}

/// Section names and the header of the per-cell inputs table, in the reader's language.
#[derive(Debug, Clone, Serialize)]
pub struct Labels {
    pub method: String,
    pub inputs: String,
    pub output: String,
    /// Caption of a cell's inputs table.
    pub inputs_caption: String,
    pub input_headers: Vec<String>,
    /// Between the file names of a cell's inputs line.
    pub list_separator: String,
}

/// One numbered cell: what it does (narrative), how (method), from what (inputs) and its result
/// (tables, figures, notes). Cells without a computation leave method, inputs or output empty.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// Stable anchor, the same in both languages.
    pub id: String,
    /// "Cell 3" in the reader's language and digits.
    pub label: String,
    pub title: String,
    /// Label and title as one heading, joined the way the language writes it.
    pub heading: String,
    /// Trusted Markdown paragraphs.
    pub narrative: Vec<String>,
    /// Trusted Markdown paragraphs: formulas and the parameters they use.
    pub method: Vec<String>,
    /// Tables that define the method (for example the fuzzy scale).
    pub method_tables: Vec<Table>,
    /// The files this cell's computation read.
    pub inputs: Vec<CellInput>,
    /// The same files once each, linked to the inputs table (where their digests are).
    pub input_links: Vec<InputLink>,
    /// Output tables.
    pub tables: Vec<Table>,
    /// Output figures.
    pub figures: Vec<Figure>,
    /// Trusted Markdown paragraphs after the output.
    pub notes: Vec<String>,
}

impl Cell {
    /// True when the cell shows a result (a table, a figure or a note on one).
    pub fn has_output(&self) -> bool {
        !(self.tables.is_empty() && self.figures.is_empty() && self.notes.is_empty())
    }
}

/// A table: its stable id (the same in both languages, its name in a document), caption, header and rows.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub id: String,
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// One input file of a cell, ready to show: role and rows in the reader's language.
#[derive(Debug, Clone, Serialize)]
pub struct CellInput {
    pub role: String,
    /// Path relative to the study folder, with `/`.
    pub path: String,
    /// Data rows read (lines for the configuration), localized.
    pub rows: String,
    pub sha256: String,
    /// Id of the file's row in the inputs table.
    pub anchor: String,
}

/// Id of the inputs table on the HTML page.
pub const INPUTS_TABLE_ANCHOR: &str = "input-files";

/// The id of a file's row in the inputs table: `input-` and the path with every run of other
/// characters than ASCII letters and digits as one `-`.
pub fn input_anchor(path: &str) -> String {
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
pub struct Figure {
    /// Stable name, the same in both languages: the anchor and the file stem.
    pub id: String,
    /// "Figure 1. ..." in plain text.
    pub caption: String,
    /// Path of the SVG file relative to the report folder.
    pub file: String,
    /// Text alternative for readers who cannot see the figure.
    pub description: String,
    pub chart: Chart,
}

/// What a figure draws: data only, every text already in the report's language.
#[derive(Debug, Clone, Serialize)]
pub enum Chart {
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
pub struct VerdictGrid {
    pub axis_label: String,
    /// The thresholds as printed, ascending.
    pub thresholds: Vec<String>,
    /// Which threshold is the study's.
    pub study_column: Option<usize>,
    pub accepted_label: String,
    pub rejected_label: String,
    pub rows: Vec<VerdictRow>,
}

/// One indicator of the verdict grid: its label (number and crisp value), its crisp value (for
/// ordering) and whether it is accepted at each threshold.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictRow {
    pub label: String,
    pub crisp: f64,
    pub accepted: Vec<bool>,
}

/// Codes found interview by interview, in the order the interviews were coded.
#[derive(Debug, Clone, Serialize)]
pub struct SaturationChart {
    pub x_axis: String,
    pub y_axis: String,
    pub new_codes_label: String,
    pub cumulative_label: String,
    /// The count axis, from 0 to its maximum.
    pub ticks: Vec<CountTick>,
    pub steps: Vec<SaturationPoint>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountTick {
    pub value: usize,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SaturationPoint {
    pub document: String,
    pub new_codes: usize,
    pub cumulative: usize,
}

/// The framework: components with their indicators.
#[derive(Debug, Clone, Serialize)]
pub struct FrameworkChart {
    pub accepted_label: String,
    pub rejected_label: String,
    pub components: Vec<FrameworkComponent>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FrameworkComponent {
    pub name: String,
    pub indicators: Vec<FrameworkIndicator>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FrameworkIndicator {
    /// The indicator's number as printed.
    pub number: String,
    pub name: String,
    /// `None` for an indicator without a decision.
    pub accepted: Option<bool>,
}

/// Horizontal bars in groups, on a value axis with ticks and an optional reference line.
#[derive(Debug, Clone, Serialize)]
pub struct BarChart {
    pub axis_label: String,
    /// Axis range; values outside are clipped to it.
    pub min: f64,
    pub max: f64,
    pub ticks: Vec<Tick>,
    pub reference: Option<Tick>,
    pub groups: Vec<BarGroup>,
    /// What each bar style means.
    pub legend: Vec<LegendEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    pub value: f64,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BarGroup {
    pub label: String,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub label: String,
    /// None when there is nothing to draw (no responses).
    pub value: Option<f64>,
    /// The value as printed next to the bar.
    pub value_label: String,
    pub style: BarStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BarStyle {
    Accepted,
    Rejected,
    Missing,
}

#[derive(Debug, Clone, Serialize)]
pub struct LegendEntry {
    pub style: BarStyle,
    pub label: String,
}

/// The view of study, data and analysis that the report reads, shared by both languages.
pub struct ReportInput<'a> {
    pub study: &'a Study,
    pub data: &'a StudyData,
    pub screening: &'a [ScreeningRow],
    /// Every indicator across the rounds; empty for a single round.
    pub trajectories: &'a [Trajectory],
    /// Every indicator's verdict at each threshold of `study.sensitivity_thresholds()`.
    pub sensitivity: &'a [Verdicts],
    /// The audit of the published tables, when the study has any.
    pub table_audit: Option<&'a Audit>,
    /// The printed percentages of the sample, checked against the panels.
    pub shares_audit: Option<&'a [ShareSetAudit]>,
    /// The counts printed in the text, checked against the study.
    pub counts_audit: Option<&'a [CountAudit]>,
    /// Demographics, coding and the link from concepts to indicators.
    pub qualitative: &'a QualitativeAnalysis,
}
