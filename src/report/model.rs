//! One serialisable model of the whole report, per language: numbered cells of narrative, method, inputs and output.
//!
//! Everything here is already in the reader's language. `narrative` paragraphs are trusted Markdown
//! built from fixed texts with escaped data; table cells and titles are plain text, escaped by the templates.

use anyhow::Result;
use serde::Serialize;

use crate::analysis::aggregates::{CountAudit, ShareSetAudit};
use crate::analysis::audit::{Audit, AuditedTable, Consistency, Verdict, DEFAULT_DECIMALS};
use crate::analysis::fuzzy::{ScreeningRow, Shortfall};
use crate::analysis::rounds::Trajectory;
use crate::analysis::sensitivity::{accepted_counts, Verdicts};
use crate::analysis::Status;
use crate::analysis::StudyData;
use crate::config::{RatingsShape, Study};
use crate::domain::{Aggregation, DecisionRule, InputRole, TextDirection};
use crate::number::{Exact, Num};
use crate::report::findings::{ranges, Wording};
use crate::report::i18n::{localize_digits, localize_number, Strings};
use crate::report::render::escape_markdown;
use crate::Lang;

mod qualitative;

pub use qualitative::{CodingResults, LinkSource, QualitativeResults};

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
    pub cells: Vec<Cell>,
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

#[derive(Debug, Clone, Serialize)]
pub struct Table {
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

/// One row of the inputs table: a file with every role it plays.
struct InputFile {
    path: String,
    roles: Vec<String>,
    rows: String,
    sha256: String,
}

/// One digest for all the inputs: the SHA-256 of the listing `sha256sum` prints for the files in
/// the inputs table's order (`<digest>  <path>` lines), so a reader can recompute it with
/// `sha256sum FILES | sha256sum` in the study folder.
fn combined_digest(files: &[InputFile]) -> String {
    let listing: String = files
        .iter()
        .map(|f| format!("{}  {}\n", f.sha256, f.path))
        .collect();
    crate::digest::sha256_hex(listing.as_bytes())
}

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

/// Everything the report shows, computed once and shared by both languages.
pub struct Results<'a> {
    pub study: &'a Study,
    pub data: &'a StudyData,
    pub screening: &'a [ScreeningRow],
    /// Every indicator across the rounds; empty for a single round.
    pub trajectories: &'a [Trajectory],
    /// Every indicator's verdict at each threshold of `study.sensitivity_thresholds()`.
    pub sensitivity: &'a [Verdicts],
    /// The audit of the published tables, when the study has any.
    pub audit: Option<&'a Audit>,
    /// The printed percentages of the sample, checked against the panels.
    pub demographics: Option<&'a [ShareSetAudit]>,
    /// The counts printed in the text, checked against the study.
    pub coding_counts: Option<&'a [CountAudit]>,
    /// Demographics and coding, computed from the study's qualitative data.
    pub qualitative: &'a QualitativeResults,
}

struct Builder<'a> {
    lang: Lang,
    strings: &'a Strings,
    results: &'a Results<'a>,
    /// Captions made by `table_caption`, with their numbers: the tables the contents list.
    numbered_tables: std::cell::RefCell<Vec<(String, u32)>>,
}

/// Builds the report model for one language.
pub fn build(lang: Lang, strings: &Strings, results: &Results) -> Result<ReportDocument> {
    Builder {
        lang,
        strings,
        results,
        numbered_tables: Default::default(),
    }
    .document()
}

impl Builder<'_> {
    fn t(&self, key: &str) -> Result<String> {
        Ok(self.strings.get(self.lang, key)?.to_string())
    }

    fn fill(&self, key: &str, values: &[(&str, &str)]) -> Result<String> {
        self.strings.fill(self.lang, key, values)
    }

    fn num(&self, ascii: &str) -> String {
        localize_number(self.lang, ascii)
    }

    fn int(&self, value: impl ToString) -> String {
        self.num(&value.to_string())
    }

    fn join(&self, items: &[String]) -> Result<String> {
        if items.is_empty() {
            return self.t("none");
        }
        Ok(items.join(&self.t("list.separator")?))
    }

    fn indicator_name(&self, id: &str) -> String {
        self.results
            .data
            .indicators
            .iter()
            .find(|i| i.id == id)
            .map(|i| i.name.get(self.lang).to_string())
            .unwrap_or_else(|| id.to_string())
    }

    fn indicator_number(&self, id: &str) -> String {
        self.results
            .data
            .indicators
            .iter()
            .find(|i| i.id == id)
            .map_or_else(|| id.to_string(), |i| self.int(i.number))
    }

    fn component_name(&self, id: &str) -> String {
        self.results
            .data
            .components
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.get(self.lang).to_string())
            .unwrap_or_else(|| id.to_string())
    }

    fn status_text(&self, status: Option<Status>) -> Result<String> {
        self.t(match status {
            Some(Status::Accepted) => "status.accepted",
            Some(Status::Rejected) => "status.rejected",
            None => "status.none",
        })
    }

    /// Numbers every figure in the order the report shows them: "Figure 1. ...", once, in the caption.
    fn number_figures(&self, cells: &mut [Cell]) -> Result<()> {
        let figures = cells.iter_mut().flat_map(|c| c.figures.iter_mut());
        for (index, figure) in figures.enumerate() {
            figure.caption = self.fill(
                "figure.caption",
                &[
                    ("number", &self.int(index + 1)),
                    ("caption", &figure.caption),
                ],
            )?;
        }
        Ok(())
    }

    fn table_caption(&self, number: u32, caption: &str) -> Result<String> {
        let text = self.fill(
            "table.caption",
            &[("number", &self.int(number)), ("caption", caption)],
        )?;
        self.numbered_tables
            .borrow_mut()
            .push((text.clone(), number));
        Ok(text)
    }

    fn cell(&self, id: &str, number: usize, title_key: &str) -> Result<Cell> {
        let label = self.fill("cell.label", &[("number", &self.int(number))])?;
        let title = self.t(title_key)?;
        Ok(Cell {
            id: id.to_string(),
            heading: self.fill("cell.heading", &[("label", &label), ("title", &title)])?,
            label,
            title,
            narrative: Vec::new(),
            method: Vec::new(),
            method_tables: Vec::new(),
            inputs: Vec::new(),
            input_links: Vec::new(),
            tables: Vec::new(),
            figures: Vec::new(),
            notes: Vec::new(),
        })
    }

    /// The files with these roles, in reading order; `Configuration` is `study.yaml` itself.
    /// A role the study has no file for (no published table, say) is left out.
    fn inputs_for(&self, roles: &[InputRole]) -> Result<Vec<CellInput>> {
        let mut inputs = Vec::new();
        if roles.contains(&InputRole::Configuration) {
            let source = self.results.study.source();
            inputs.push(CellInput {
                role: self.t(&InputRole::Configuration.strings_key())?,
                path: crate::config::STUDY_FILE.to_string(),
                rows: self.fill("input.lines", &[("n", &self.int(source.lines))])?,
                sha256: source.sha256.clone(),
                anchor: input_anchor(crate::config::STUDY_FILE),
            });
        }
        let mut seen = std::collections::BTreeSet::new();
        for input in &self.results.data.inputs {
            if roles.contains(&input.role) && seen.insert((input.role, &input.path)) {
                inputs.push(CellInput {
                    role: self.t(&input.role.strings_key())?,
                    path: input.path.clone(),
                    rows: self.int(input.rows),
                    sha256: input.sha256.clone(),
                    anchor: input_anchor(&input.path),
                });
            }
        }
        Ok(inputs)
    }

    fn document(&self) -> Result<ReportDocument> {
        let study = self.results.study;
        let cells = vec![
            self.study_cell(1)?,
            self.method_cell(2)?,
            self.inputs_cell(3)?,
            self.counts_cell(4)?,
            self.screening_cell(5)?,
            self.summary_cell(6)?,
        ];
        let mut cells = cells;
        if !self.results.trajectories.is_empty() {
            cells.push(self.rounds_cell(cells.len() + 1)?);
        }
        if self.results.screening.iter().any(|r| r.result.is_some()) {
            cells.push(self.agreement_cell(cells.len() + 1)?);
            cells.push(self.sensitivity_cell(cells.len() + 1)?);
        }
        if let Some(audit) = self.results.audit {
            cells.push(self.audit_cell(cells.len() + 1, audit)?);
        }
        if self.results.demographics.is_some() || self.results.coding_counts.is_some() {
            cells.push(self.aggregates_cell(cells.len() + 1)?);
        }
        let next = cells.len() + 1;
        cells.extend(self.qualitative_cells(next)?);
        self.number_figures(&mut cells)?;
        for cell in &mut cells {
            let mut seen = std::collections::BTreeSet::new();
            cell.input_links = cell
                .inputs
                .iter()
                .filter(|i| seen.insert(i.path.clone()))
                .map(|i| InputLink {
                    path: i.path.clone(),
                    anchor: i.anchor.clone(),
                })
                .collect();
        }
        let inputs_table = cells
            .iter()
            .find(|c| c.id == "inputs")
            .and_then(|c| c.tables.first());
        let mut anchors: Vec<TableAnchor> = inputs_table
            .map(|table| TableAnchor {
                caption: table.caption.clone(),
                id: INPUTS_TABLE_ANCHOR.to_string(),
                row_ids: table.rows.iter().map(|row| input_anchor(&row[0])).collect(),
            })
            .into_iter()
            .collect();
        let numbered = self.numbered_tables.borrow().clone();
        let mut contents = Vec::new();
        for cell in &cells {
            contents.push(ContentsEntry {
                text: cell.heading.clone(),
                anchor: cell.id.clone(),
                nested: false,
            });
            for table in &cell.tables {
                if let Some((_, number)) = numbered.iter().find(|(c, _)| *c == table.caption) {
                    let id = format!("table-{number}");
                    if anchors.iter().any(|a| a.id == id) {
                        continue; // a second table with one number keeps the first's anchor
                    }
                    anchors.push(TableAnchor {
                        caption: table.caption.clone(),
                        id: id.clone(),
                        row_ids: Vec::new(),
                    });
                    contents.push(ContentsEntry {
                        text: table.caption.clone(),
                        anchor: id,
                        nested: true,
                    });
                }
            }
            for figure in &cell.figures {
                contents.push(ContentsEntry {
                    text: figure.caption.clone(),
                    anchor: format!("figure-{}", figure.id),
                    nested: true,
                });
            }
        }
        let front = FrontPage {
            citation: self.citation()?,
            findings_heading: self.t("front.findings")?,
            findings: self.key_findings(&cells)?,
            contents_heading: self.t("front.contents")?,
            contents,
        };
        Ok(ReportDocument {
            study_id: study.id().to_string(),
            lang: self.lang,
            dir: self.lang.dir(),
            title: self.fill("doc.title", &[("title", study.title().get(self.lang))])?,
            preamble: self.fill(
                "doc.generated_by",
                &[
                    ("version", env!("CARGO_PKG_VERSION")),
                    ("study", study.id()),
                    ("inputs_cell", &self.int(3)),
                ],
            )?,
            other_languages: study
                .languages()
                .iter()
                .filter(|l| **l != self.lang)
                .map(|other| {
                    let code = other.code();
                    OtherLanguage {
                        lang: *other,
                        label: other.language().report_link.clone(),
                        markdown_file: format!("report.{code}.md"),
                        html_file: format!("report.{code}.html"),
                        notebook_file: format!("report.{code}.ipynb"),
                        word_file: format!("report.{code}.docx"),
                    }
                })
                .collect(),
            labels: Labels {
                method: self.t("section.method")?,
                inputs: self.t("section.inputs")?,
                output: self.t("section.output")?,
                inputs_caption: self.t("section.inputs_caption")?,
                input_headers: vec![
                    self.t("col.role")?,
                    self.t("col.file")?,
                    self.t("col.rows")?,
                    self.t("col.sha256")?,
                ],
                list_separator: self.t("list.separator")?,
            },
            front,
            anchors,
            cells,
        })
    }

    /// The key findings of the front page, one line each: the screening result, every audit
    /// finding (the audit cell's own lines), the printed sample shares no panel fits, the inputs.
    fn key_findings(&self, cells: &[Cell]) -> Result<Vec<KeyFinding>> {
        let cell_link = |id: &str| -> String {
            cells
                .iter()
                .find(|c| c.id == id)
                .map(|cell| format!("[{}](#{id})", escape_markdown(&cell.label)))
                .unwrap_or_default()
        };
        let line = |text: String| KeyFinding {
            text,
            details: Vec::new(),
        };
        let mut findings = vec![line(self.fill(
            "front.screening",
            &[
                ("cell", &cell_link("summary")),
                ("result", &self.screening_result()?),
            ],
        )?)];
        if let Some(audit) = self.results.audit {
            let details = self.audit_headlines(audit)?;
            let key = if details.is_empty() {
                "front.audit_clean"
            } else {
                "front.audit"
            };
            findings.push(KeyFinding {
                text: self.fill(key, &[("cell", &cell_link("audit"))])?,
                details,
            });
        }
        if let Some(sets) = self.results.demographics {
            let unfit: Vec<String> = sets
                .iter()
                .filter(|s| !s.panels.is_empty() && s.panels.iter().all(|(_, _, fits)| !fits))
                .map(|s| escape_markdown(s.set.label.get(self.lang)))
                .collect();
            if !unfit.is_empty() {
                findings.push(line(self.fill(
                    "front.shares_unfit",
                    &[
                        ("list", &self.join(&unfit)?),
                        ("cell", &cell_link("aggregates")),
                    ],
                )?));
            }
        }
        let files = self.input_files()?;
        findings.push(line(self.fill(
            "front.inputs",
            &[
                ("files", &self.int(files.len())),
                ("digest", &combined_digest(&files)),
                ("cell", &cell_link("inputs")),
            ],
        )?));
        Ok(findings)
    }

    /// The screening result in one sentence (the summary cell's first line).
    fn screening_result(&self) -> Result<String> {
        let statuses: Vec<Status> = self
            .results
            .screening
            .iter()
            .filter_map(|r| r.result.map(|s| s.status))
            .collect();
        let accepted = statuses.iter().filter(|s| **s == Status::Accepted).count();
        self.fill(
            "cell.summary.text",
            &[
                ("threshold", &self.threshold_text()),
                ("accepted", &self.int(accepted)),
                ("rejected", &self.int(statuses.len() - accepted)),
                ("total", &self.int(self.results.screening.len())),
            ],
        )
    }

    /// Every input file once, in reading order, with all its roles.
    fn input_files(&self) -> Result<Vec<InputFile>> {
        let mut roles = vec![InputRole::Configuration];
        roles.extend(self.results.data.inputs.iter().map(|i| i.role));
        let mut files: Vec<InputFile> = Vec::new();
        for input in self.inputs_for(&roles)? {
            match files.iter_mut().find(|f| f.path == input.path) {
                Some(file) => file.roles.push(input.role),
                None => files.push(InputFile {
                    path: input.path,
                    roles: vec![input.role],
                    rows: input.rows,
                    sha256: input.sha256,
                }),
            }
        }
        Ok(files)
    }

    /// The study's citation as trusted Markdown, or an empty string.
    fn citation(&self) -> Result<String> {
        let Some(citation) = self.results.study.citation() else {
            return Ok(String::new());
        };
        let authors: Vec<String> = citation
            .authors
            .iter()
            .map(|a| escape_markdown(a.get(self.lang)))
            .collect();
        let separator = self.t("list.separator")?;
        let volume = match (&citation.volume, &citation.issue) {
            (Some(v), Some(i)) => format!("{separator}{}({})", self.num(v), self.num(i)),
            (Some(v), None) => format!("{separator}{}", self.num(v)),
            _ => String::new(),
        };
        let pages = citation
            .pages
            .as_ref()
            .map(|p| format!("{separator}{}", self.num(p)))
            .unwrap_or_default();
        let doi = citation
            .doi
            .as_ref()
            .map(|d| format!(" DOI: {}", escape_markdown(d)))
            .unwrap_or_default();
        self.fill(
            "cell.study.citation",
            &[
                ("authors", &self.join(&authors)?),
                ("year", &self.int(citation.year)),
                ("title", &escape_markdown(citation.title.get(self.lang))),
                ("journal", &escape_markdown(citation.journal.get(self.lang))),
                ("volume", &escape_markdown(&volume)),
                ("pages", &escape_markdown(&pages)),
                ("doi", &doi),
            ],
        )
    }

    fn study_cell(&self, number: usize) -> Result<Cell> {
        let study = self.results.study;
        let mut cell = self.cell("study", number, "cell.study.title")?;
        let interviewees = match study.panels().interviewees {
            Some(n) => self.fill("cell.study.interviewees", &[("n", &self.int(n))])?,
            None => String::new(),
        };
        cell.narrative.push(self.fill(
            "cell.study.panels",
            &[
                ("delphi", &self.int(study.panels().delphi_experts)),
                ("interviewees", &interviewees),
            ],
        )?);
        let audited = self.results.audit.is_some();
        cell.narrative.push(self.fill(
            if audited {
                "cell.study.scope"
            } else {
                "cell.study.scope_unpublished"
            },
            &[
                ("indicators", &self.int(self.results.data.indicators.len())),
                ("components", &self.int(self.results.data.components.len())),
                ("counts_table", &self.int(study.tables().counts.number)),
                (
                    "screening_table",
                    &self.int(study.tables().screening.number),
                ),
            ],
        )?);
        if self
            .results
            .data
            .indicators
            .iter()
            .any(|i| i.translated.contains(&self.lang))
        {
            cell.narrative.push(self.t("cell.study.translation_note")?);
        }
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Components,
            InputRole::Indicators,
        ])?;
        Ok(cell)
    }

    fn method_cell(&self, number: usize) -> Result<Cell> {
        let study = self.results.study;
        let mut cell = self.cell("method", number, "cell.method.title")?;
        cell.narrative.push(self.fill(
            "cell.method.scale",
            &[("levels", &self.int(study.scale().len()))],
        )?);
        cell.method_tables.push(Table {
            caption: self.t("cell.method.scale_caption")?,
            headers: vec![
                self.t("col.level")?,
                self.t("col.label")?,
                self.t("col.l")?,
                self.t("col.m")?,
                self.t("col.u")?,
            ],
            rows: study
                .scale()
                .iter()
                .enumerate()
                .map(|(index, level)| {
                    let mut row = vec![self.int(index + 1), level.label.get(self.lang).to_string()];
                    row.extend(level.tfn.iter().map(|v| self.num(&v.round_half_away(2))));
                    row
                })
                .collect(),
        });
        if let Some(preset) = study.scale_preset() {
            cell.method.push(self.fill(
                "cell.method.preset",
                &[
                    ("name", preset.name()),
                    ("source", &self.t(&format!("preset.{}", preset.name()))?),
                ],
            )?);
        }
        let method = study.method();
        cell.method
            .push(self.t(&format!("method.aggregation.{}", method.aggregation.name()))?);
        if let Some(path) = &study.data_files().weights {
            cell.method.push(self.fill(
                "cell.method.weights",
                &[("file", &escape_markdown(&path.display().to_string()))],
            )?);
        }
        cell.method.push(self.t(&format!(
            "method.defuzzification.{}",
            method.defuzzification.name()
        ))?);
        cell.method.push(match method.decision {
            DecisionRule::Threshold => self.fill(
                "cell.method.threshold",
                &[("threshold", &self.threshold_text())],
            )?,
            DecisionRule::ThresholdAndConsensus => self.fill(
                "cell.method.combined",
                &[
                    ("threshold", &self.threshold_text()),
                    ("distance", &self.exact_text(method.max_distance)),
                    ("agreement", &self.percent(method.min_agreement)),
                ],
            )?,
        });
        cell.method.push(self.fill(
            if method.is_exact() {
                "cell.method.precision"
            } else {
                "cell.method.precision_approx"
            },
            &[("decimals", &self.int(DISPLAY_DECIMALS))],
        )?);
        cell.inputs = self.inputs_for(&[InputRole::Configuration])?;
        Ok(cell)
    }

    fn threshold_text(&self) -> String {
        self.num(&format!("{}", self.results.study.threshold().to_f64()))
    }

    fn inputs_cell(&self, number: usize) -> Result<Cell> {
        let mut cell = self.cell("inputs", number, "cell.inputs.title")?;
        cell.narrative.push(self.t("cell.inputs.text")?);
        let files = self.input_files()?;
        cell.notes.push(self.fill(
            "cell.inputs.combined",
            &[("digest", &combined_digest(&files))],
        )?);
        let separator = self.t("list.separator")?;
        let rows = files
            .into_iter()
            .map(|file| {
                vec![
                    file.path,
                    file.roles.join(&separator),
                    file.rows,
                    file.sha256,
                ]
            })
            .collect();
        cell.tables.push(Table {
            caption: self.t("cell.inputs.caption")?,
            headers: vec![
                self.t("col.file")?,
                self.t("col.role")?,
                self.t("col.rows")?,
                self.t("col.sha256")?,
            ],
            rows,
        });
        Ok(cell)
    }

    fn counts_cell(&self, number: usize) -> Result<Cell> {
        let study = self.results.study;
        let panel = u64::from(study.panels().delphi_experts);
        let mut cell = self.cell("counts", number, "cell.counts.title")?;
        let last_round = study.data_files().ratings_files();
        let shape = match last_round.last().map(|r| r.shape) {
            Some(RatingsShape::Counts) => "shape.counts",
            Some(RatingsShape::Long) => "shape.long",
            Some(RatingsShape::Wide) => "shape.wide",
            Some(RatingsShape::Survey) | None => "shape.survey",
        };
        cell.narrative.push(self.fill(
            "cell.counts.text",
            &[("shape", &self.t(shape)?), ("panel", &self.int(panel))],
        )?);
        cell.method
            .push(self.fill("cell.counts.method", &[("panel", &self.int(panel))])?);
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Components,
            InputRole::Indicators,
            InputRole::Ratings,
        ])?;
        if last_round.len() > 1 {
            cell.narrative.push(self.fill(
                "cell.counts.last_round",
                &[("rounds", &self.int(last_round.len()))],
            )?);
        }
        let mut headers = vec![
            self.t("col.number")?,
            self.t("col.component")?,
            self.t("col.indicator")?,
        ];
        headers.extend(
            study
                .scale()
                .iter()
                .map(|l| l.label.get(self.lang).to_string()),
        );
        headers.push(self.t("col.responses")?);
        let mut rows = Vec::new();
        let mut incomplete = Vec::new();
        for (indicator, counts) in self
            .results
            .data
            .indicators
            .iter()
            .zip(&self.results.data.counts.rows)
        {
            let mut row = vec![
                self.int(indicator.number),
                self.component_name(&indicator.component),
                indicator.name.get(self.lang).to_string(),
            ];
            row.extend(counts.counts.iter().map(|c| self.int(c)));
            let responses = counts.responses();
            if responses == panel {
                row.push(self.int(responses));
            } else {
                row.push(self.fill(
                    "flag.incomplete",
                    &[
                        ("responses", &self.int(responses)),
                        ("panel", &self.int(panel)),
                    ],
                )?);
                incomplete.push(self.fill(
                    "cell.counts.incomplete_item",
                    &[
                        ("number", &self.int(indicator.number)),
                        ("responses", &self.int(responses)),
                    ],
                )?);
            }
            rows.push(row);
        }
        cell.tables.push(Table {
            caption: self.table_caption(
                study.tables().counts.number,
                study.tables().counts.caption.get(self.lang),
            )?,
            headers,
            rows,
        });
        cell.notes.push(if incomplete.is_empty() {
            self.fill(
                "cell.counts.all_complete",
                &[
                    ("indicators", &self.int(self.results.data.indicators.len())),
                    ("panel", &self.int(panel)),
                ],
            )?
        } else {
            self.fill(
                "cell.counts.incomplete",
                &[
                    ("count", &self.int(incomplete.len())),
                    ("panel", &self.int(panel)),
                    ("list", &self.join(&incomplete)?),
                ],
            )?
        });
        Ok(cell)
    }

    fn screening_cell(&self, number: usize) -> Result<Cell> {
        let study = self.results.study;
        let combined = study.method().decision == DecisionRule::ThresholdAndConsensus;
        let mut cell = self.cell("screening", number, "cell.screening.title")?;
        cell.narrative.push(self.t("cell.screening.text")?);
        cell.method.push(self.fill(
            "cell.screening.method",
            &[
                ("method_cell", &self.int(2)),
                ("threshold", &self.threshold_text()),
                ("decimals", &self.int(DISPLAY_DECIMALS)),
            ],
        )?);
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Indicators,
            InputRole::Ratings,
        ])?;
        let mut rows = Vec::new();
        for (indicator, row) in self
            .results
            .data
            .indicators
            .iter()
            .zip(self.results.screening)
        {
            let mut cells = vec![
                self.int(indicator.number),
                indicator.name.get(self.lang).to_string(),
            ];
            match row.result {
                Some(result) => {
                    for value in [result.fuzzy.l, result.fuzzy.m, result.fuzzy.u, result.crisp] {
                        cells.push(self.num(&value.round_half_away(DISPLAY_DECIMALS)));
                    }
                    cells.push(self.status_text(Some(result.status))?);
                    if combined {
                        cells.push(self.shortfalls_text(
                            &result.shortfalls(study.threshold(), study.method().decision),
                        )?);
                    }
                }
                None => {
                    cells.extend(std::iter::repeat_n(String::new(), 4));
                    cells.push(self.status_text(None)?);
                    if combined {
                        cells.push(String::new());
                    }
                }
            }
            rows.push(cells);
        }
        let mut headers = vec![
            self.t("col.number")?,
            self.t("col.indicator")?,
            self.t("col.l")?,
            self.t("col.m")?,
            self.t("col.u")?,
            self.t("col.crisp")?,
            self.t("col.status")?,
        ];
        if combined {
            headers.push(self.t("col.reason")?);
        }
        cell.tables.push(Table {
            caption: self.table_caption(
                study.tables().screening.number,
                study.tables().screening.caption.get(self.lang),
            )?,
            headers,
            rows,
        });
        Ok(cell)
    }

    fn summary_cell(&self, number: usize) -> Result<Cell> {
        let study = self.results.study;
        let combined = study.method().decision == DecisionRule::ThresholdAndConsensus;
        let mut cell = self.cell("summary", number, "cell.summary.title")?;
        let screened: Vec<_> = self
            .results
            .screening
            .iter()
            .filter_map(|r| r.result.map(|s| (r.indicator.as_str(), s.status)))
            .collect();
        let accepted = screened
            .iter()
            .filter(|(_, s)| *s == Status::Accepted)
            .count();
        let rejected: Vec<String> = screened
            .iter()
            .filter(|(_, s)| *s == Status::Rejected)
            .map(|(id, _)| -> Result<String> {
                let mut item = format!(
                    "{} ({})",
                    escape_markdown(&self.indicator_name(id)),
                    self.indicator_number(id)
                );
                if combined {
                    let shortfalls = self
                        .results
                        .screening
                        .iter()
                        .find(|r| r.indicator == *id)
                        .and_then(|r| r.result)
                        .map(|s| s.shortfalls(study.threshold(), study.method().decision))
                        .unwrap_or_default();
                    item = self.fill(
                        "cell.summary.rejected_item",
                        &[
                            ("name", &escape_markdown(&self.indicator_name(id))),
                            ("number", &self.indicator_number(id)),
                            (
                                "reason",
                                &escape_markdown(&self.shortfalls_text(&shortfalls)?),
                            ),
                        ],
                    )?;
                }
                Ok(item)
            })
            .collect::<Result<_>>()?;
        cell.method.push(self.fill(
            "cell.summary.method",
            &[("threshold", &self.threshold_text())],
        )?);
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Components,
            InputRole::Indicators,
            InputRole::Ratings,
        ])?;
        cell.narrative.push(self.fill(
            "cell.summary.text",
            &[
                ("threshold", &self.threshold_text()),
                ("accepted", &self.int(accepted)),
                ("rejected", &self.int(rejected.len())),
                ("total", &self.int(self.results.screening.len())),
            ],
        )?);
        cell.narrative.push(if rejected.is_empty() {
            self.t("cell.summary.none_rejected")?
        } else if combined {
            // Items carry comma-separated reasons: separate the items more strongly.
            self.fill(
                "cell.summary.rejected_list",
                &[("list", &rejected.join(&self.t("list.strong_separator")?))],
            )?
        } else {
            self.fill(
                "cell.summary.rejected_list",
                &[("list", &self.join(&rejected)?)],
            )?
        });
        let unscreened: Vec<String> = self
            .results
            .screening
            .iter()
            .filter(|r| r.result.is_none())
            .map(|r| self.indicator_number(&r.indicator))
            .collect();
        if !unscreened.is_empty() {
            cell.narrative.push(self.fill(
                "cell.summary.no_responses",
                &[("list", &self.join(&unscreened)?)],
            )?);
        }
        let mut rows = Vec::new();
        for component in &self.results.data.components {
            let members: Vec<_> = self
                .results
                .data
                .indicators
                .iter()
                .zip(self.results.screening)
                .filter(|(i, _)| i.component == component.id)
                .map(|(_, r)| r.result.map(|s| s.status))
                .collect();
            let count = |status| members.iter().filter(|s| **s == Some(status)).count();
            rows.push(vec![
                component.name.get(self.lang).to_string(),
                self.int(members.len()),
                self.int(count(Status::Accepted)),
                self.int(count(Status::Rejected)),
            ]);
        }
        cell.tables.push(Table {
            caption: self.t("cell.summary.caption")?,
            headers: vec![
                self.t("col.component")?,
                self.t("col.indicators")?,
                self.t("col.accepted")?,
                self.t("col.rejected")?,
            ],
            rows,
        });
        cell.figures.push(self.crisp_figure()?);
        Ok(cell)
    }

    fn wording(&self) -> Wording<'_> {
        Wording {
            lang: self.lang,
            strings: self.strings,
            scale: self.results.study.scale(),
        }
    }

    /// Crisp value of every indicator, grouped by component, against the threshold.
    fn crisp_figure(&self) -> Result<Figure> {
        let threshold = self.results.study.threshold().to_f64();
        let mut groups = Vec::new();
        for component in &self.results.data.components {
            let mut bars = Vec::new();
            for (indicator, row) in self
                .results
                .data
                .indicators
                .iter()
                .zip(self.results.screening)
                .filter(|(i, _)| i.component == component.id)
            {
                let label = self.fill(
                    "figure.crisp.bar",
                    &[
                        ("number", &self.int(indicator.number)),
                        ("name", indicator.name.get(self.lang)),
                    ],
                )?;
                bars.push(match row.result {
                    Some(result) => Bar {
                        label,
                        value: Some(result.crisp.to_f64()),
                        value_label: self.num(&result.crisp.round_half_away(DISPLAY_DECIMALS)),
                        style: match result.status {
                            Status::Accepted => BarStyle::Accepted,
                            Status::Rejected => BarStyle::Rejected,
                        },
                    },
                    None => Bar {
                        label,
                        value: None,
                        value_label: self.status_text(None)?,
                        style: BarStyle::Missing,
                    },
                });
            }
            if !bars.is_empty() {
                groups.push(BarGroup {
                    label: component.name.get(self.lang).to_string(),
                    bars,
                });
            }
        }
        let ticks = (0..=4)
            .map(|quarter| {
                let value = f64::from(quarter) / 4.0;
                Tick {
                    value,
                    label: self.num(&format!("{value:.2}")),
                }
            })
            .collect();
        Ok(Figure {
            id: "crisp".to_string(),
            caption: self.fill(
                "figure.crisp.caption",
                &[("threshold", &self.threshold_text())],
            )?,
            file: format!("figures/crisp.{}.svg", self.lang.code()),
            description: self.fill(
                "figure.crisp.description",
                &[
                    ("indicators", &self.int(self.results.screening.len())),
                    ("components", &self.int(groups.len())),
                    ("threshold", &self.threshold_text()),
                ],
            )?,
            chart: Chart::Bars(BarChart {
                axis_label: self.t("figure.crisp.axis")?,
                min: 0.0,
                max: 1.0,
                ticks,
                reference: Some(Tick {
                    value: threshold,
                    label: self.fill(
                        "figure.crisp.threshold",
                        &[("threshold", &self.threshold_text())],
                    )?,
                }),
                groups,
                legend: vec![
                    LegendEntry {
                        style: BarStyle::Accepted,
                        label: self.t("status.accepted")?,
                    },
                    LegendEntry {
                        style: BarStyle::Rejected,
                        label: self.t("status.rejected")?,
                    },
                ],
            }),
        })
    }

    /// A short exact decimal (a configured parameter) without trailing zeros: `0.2`, `0.75`.
    fn exact_text(&self, value: Exact) -> String {
        self.num(&value.short_decimal())
    }

    /// A share as a percentage: `75`, `86.7` (one decimal at most).
    fn percent(&self, share: Exact) -> String {
        let text = share
            .checked_mul_int(100)
            .map(|p| p.round_half_away(1))
            .unwrap_or_default();
        let text = text.strip_suffix(".0").unwrap_or(&text).to_string();
        self.num(&text)
    }

    fn value(&self, value: Num) -> String {
        self.num(&value.round_half_away(DISPLAY_DECIMALS))
    }

    fn yes_no(&self, yes: bool) -> Result<String> {
        self.t(if yes { "answer.yes" } else { "answer.no" })
    }

    /// The failed conditions of the decision rule, worded with the study's limits.
    fn shortfalls_text(&self, shortfalls: &[Shortfall]) -> Result<String> {
        let method = self.results.study.method();
        let items: Vec<String> = shortfalls
            .iter()
            .map(|s| {
                self.fill(
                    &format!("shortfall.{}", s.name()),
                    &[
                        ("threshold", &self.threshold_text()),
                        ("distance", &self.exact_text(method.max_distance)),
                        ("agreement", &self.percent(method.min_agreement)),
                    ],
                )
            })
            .collect::<Result<_>>()?;
        if items.is_empty() {
            return Ok(String::new());
        }
        Ok(items.join(&self.t("list.separator")?))
    }

    fn rounds_cell(&self, number: usize) -> Result<Cell> {
        let study = self.results.study;
        let trajectories = self.results.trajectories;
        let rounds = study.data_files().ratings_files();
        let labels: Vec<String> = rounds
            .iter()
            .enumerate()
            .map(|(index, round)| match &round.label {
                Some(label) => Ok(label.get(self.lang).to_string()),
                None => self.fill("round.label", &[("number", &self.int(index + 1))]),
            })
            .collect::<Result<_>>()?;
        let mut cell = self.cell("rounds", number, "cell.rounds.title")?;
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Indicators,
            InputRole::Ratings,
            InputRole::Weights,
        ])?;
        let escaped: Vec<String> = labels.iter().map(|l| escape_markdown(l)).collect();
        cell.method.push(self.fill(
            "cell.rounds.text",
            &[
                ("rounds", &self.int(labels.len())),
                ("labels", &self.join(&escaped)?),
                ("max_change", &self.exact_text(study.max_change())),
            ],
        )?);
        let mut headers = vec![self.t("col.number")?, self.t("col.indicator")?];
        for label in &labels {
            headers.push(self.fill("col.crisp_in", &[("round", label)])?);
        }
        for pair in labels.windows(2) {
            headers.push(self.fill("col.change", &[("from", &pair[0]), ("to", &pair[1])])?);
        }
        headers.push(self.t("col.stable")?);
        let mut rows = Vec::new();
        let mut unstable: Vec<String> = Vec::new();
        let mut stable = 0;
        for (indicator, trajectory) in self.results.data.indicators.iter().zip(trajectories) {
            let mut row = vec![
                self.int(indicator.number),
                indicator.name.get(self.lang).to_string(),
            ];
            row.extend(
                trajectory
                    .crisp
                    .iter()
                    .map(|c| c.map(|v| self.value(v)).unwrap_or_default()),
            );
            row.extend(
                trajectory
                    .changes
                    .iter()
                    .map(|c| c.map(|v| self.value(v)).unwrap_or_default()),
            );
            row.push(match trajectory.stable {
                Some(yes) => self.yes_no(yes)?,
                None => String::new(),
            });
            match trajectory.stable {
                Some(true) => stable += 1,
                Some(false) => unstable.push(format!(
                    "{} ({})",
                    escape_markdown(indicator.name.get(self.lang)),
                    self.int(indicator.number)
                )),
                None => {}
            }
            rows.push(row);
        }
        cell.tables.push(Table {
            caption: self.t("cell.rounds.caption")?,
            headers,
            rows,
        });
        cell.notes.push(self.fill(
            "cell.rounds.stable",
            &[
                ("stable", &self.int(stable)),
                ("total", &self.int(trajectories.len())),
                ("max_change", &self.exact_text(study.max_change())),
            ],
        )?);
        cell.notes.push(if unstable.is_empty() {
            self.t("cell.rounds.stop")?
        } else {
            self.fill("cell.rounds.continue", &[("list", &self.join(&unstable)?)])?
        });
        Ok(cell)
    }

    fn agreement_cell(&self, number: usize) -> Result<Cell> {
        let study = self.results.study;
        let method = study.method();
        let mut cell = self.cell("agreement", number, "cell.agreement.title")?;
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Indicators,
            InputRole::Ratings,
            InputRole::Weights,
        ])?;
        let limits: [(&str, &str); 2] = [
            ("distance", &self.exact_text(method.max_distance)),
            ("agreement", &self.percent(method.min_agreement)),
        ];
        cell.method.push(self.fill("cell.agreement.text", &limits)?);
        if method.aggregation != Aggregation::ArithmeticMean || method.weighted {
            cell.method.push(self.t("cell.agreement.group_number")?);
        }
        let screened: Vec<_> = self
            .results
            .data
            .indicators
            .iter()
            .zip(self.results.screening)
            .filter_map(|(indicator, row)| row.result.map(|s| (indicator, s)))
            .collect();
        if method.decision == DecisionRule::Threshold {
            let combined_accepted = screened
                .iter()
                .filter(|(_, s)| {
                    s.status_at(study.threshold(), DecisionRule::ThresholdAndConsensus)
                        == Status::Accepted
                })
                .count();
            cell.narrative.push(self.fill(
                "cell.agreement.informative",
                &[
                    ("threshold", &self.threshold_text()),
                    ("distance", &self.exact_text(method.max_distance)),
                    ("agreement", &self.percent(method.min_agreement)),
                    ("accepted", &self.int(combined_accepted)),
                    ("total", &self.int(screened.len())),
                ],
            )?);
        }
        let mut rows = Vec::new();
        for (indicator, screened) in &screened {
            let agreement = screened.agreement;
            rows.push(vec![
                self.int(indicator.number),
                indicator.name.get(self.lang).to_string(),
                self.value(agreement.mean_distance),
                self.fill(
                    "agreement.count",
                    &[
                        ("agreeing", &self.int(agreement.agreeing)),
                        ("responses", &self.int(agreement.responses)),
                    ],
                )?,
                self.percent(agreement.share),
                self.yes_no(agreement.close)?,
                self.yes_no(agreement.consensus)?,
            ]);
        }
        cell.tables.push(Table {
            caption: self.t("cell.agreement.caption")?,
            headers: vec![
                self.t("col.number")?,
                self.t("col.indicator")?,
                self.t("col.mean_distance")?,
                self.t("col.agreeing")?,
                self.t("col.agreement_percent")?,
                self.fill("col.close", &limits)?,
                self.fill("col.consensus", &limits)?,
            ],
            rows,
        });
        let consensus = screened
            .iter()
            .filter(|(_, s)| s.agreement.consensus)
            .count();
        let close = screened.iter().filter(|(_, s)| s.agreement.close).count();
        cell.notes.push(self.fill(
            "cell.agreement.summary",
            &[
                ("consensus", &self.int(consensus)),
                ("close", &self.int(close)),
                ("total", &self.int(screened.len())),
                ("distance", &self.exact_text(method.max_distance)),
                ("agreement", &self.percent(method.min_agreement)),
            ],
        )?);
        Ok(cell)
    }

    fn sensitivity_cell(&self, number: usize) -> Result<Cell> {
        let study = self.results.study;
        let thresholds = study.sensitivity_thresholds();
        let verdicts = self.results.sensitivity;
        let mut cell = self.cell("sensitivity", number, "cell.sensitivity.title")?;
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Indicators,
            InputRole::Ratings,
            InputRole::Weights,
        ])?;
        let threshold_label = |t: &Exact| -> Result<String> {
            if *t == study.threshold() {
                self.fill(
                    "sensitivity.study_threshold",
                    &[("threshold", &self.exact_text(*t))],
                )
            } else {
                Ok(self.exact_text(*t))
            }
        };
        let first = thresholds.first().copied().unwrap_or(study.threshold());
        let last = thresholds.last().copied().unwrap_or(study.threshold());
        cell.method.push(self.fill(
            "cell.sensitivity.text",
            &[
                ("from", &self.exact_text(first)),
                ("to", &self.exact_text(last)),
                ("count", &self.int(thresholds.len())),
                ("threshold", &self.threshold_text()),
                (
                    "rule",
                    &self.t(&format!(
                        "sensitivity.rule.{}",
                        study.method().decision.name()
                    ))?,
                ),
            ],
        )?);
        let accepted = accepted_counts(verdicts, thresholds.len());
        let decided = verdicts
            .iter()
            .filter(|v| v.statuses.iter().any(Option::is_some))
            .count();
        let mut rows = Vec::new();
        for (threshold, count) in thresholds.iter().zip(&accepted) {
            rows.push(vec![
                threshold_label(threshold)?,
                self.int(count),
                self.int(decided - count),
            ]);
        }
        cell.tables.push(Table {
            caption: self.t("cell.sensitivity.counts_caption")?,
            headers: vec![
                self.t("col.threshold")?,
                self.t("col.accepted")?,
                self.t("col.rejected")?,
            ],
            rows,
        });
        let crisp_of = |id: &str| {
            self.results
                .screening
                .iter()
                .find(|r| r.indicator == id)
                .and_then(|r| r.result)
                .map(|s| s.crisp)
        };
        let flipping: Vec<(&crate::analysis::Indicator, &Verdicts)> = self
            .results
            .data
            .indicators
            .iter()
            .zip(verdicts)
            .filter(|(_, v)| v.flips())
            .collect();
        if !flipping.is_empty() {
            let mut headers = vec![
                self.t("col.number")?,
                self.t("col.indicator")?,
                self.t("col.crisp")?,
            ];
            for threshold in thresholds.iter() {
                headers.push(threshold_label(threshold)?);
            }
            let mark = |status: &Option<Status>| -> Result<String> {
                match status {
                    Some(Status::Accepted) => self.t("sensitivity.accepted"),
                    Some(Status::Rejected) => self.t("sensitivity.rejected"),
                    None => Ok(String::new()),
                }
            };
            let mut rows = Vec::new();
            for (indicator, verdict) in &flipping {
                let mut row = vec![
                    self.int(indicator.number),
                    indicator.name.get(self.lang).to_string(),
                    crisp_of(&indicator.id)
                        .map(|c| self.value(c))
                        .unwrap_or_default(),
                ];
                for status in &verdict.statuses {
                    row.push(mark(status)?);
                }
                rows.push(row);
            }
            cell.tables.push(Table {
                caption: self.t("cell.sensitivity.flips_caption")?,
                headers,
                rows,
            });
            let mut figure_rows = Vec::with_capacity(flipping.len());
            for (indicator, verdict) in &flipping {
                let crisp = crisp_of(&indicator.id);
                figure_rows.push(VerdictRow {
                    label: self.fill(
                        "sensitivity.figure_row",
                        &[
                            ("number", &self.int(indicator.number)),
                            ("crisp", &crisp.map(|c| self.value(c)).unwrap_or_default()),
                        ],
                    )?,
                    crisp: crisp.map(Num::to_f64).unwrap_or(0.0),
                    accepted: verdict
                        .statuses
                        .iter()
                        .map(|s| *s == Some(Status::Accepted))
                        .collect(),
                });
            }
            let column_labels: Vec<String> =
                thresholds.iter().map(|t| self.exact_text(*t)).collect();
            let study_column = thresholds.iter().position(|t| *t == study.threshold());
            let caption = self.t("cell.sensitivity.figure_caption")?;
            let grid = VerdictGrid {
                axis_label: self.t("col.threshold")?,
                thresholds: column_labels,
                study_column,
                accepted_label: self.t("status.accepted")?,
                rejected_label: self.t("status.rejected")?,
                rows: figure_rows,
            };
            cell.figures.push(Figure {
                id: "sensitivity".to_string(),
                description: caption.clone(),
                caption,
                file: format!("figures/sensitivity.{}.svg", self.lang.code()),
                chart: Chart::Verdicts(grid),
            });
        }
        let always = |status: Status| {
            verdicts
                .iter()
                .filter(|v| !v.flips() && v.statuses.iter().flatten().next() == Some(&status))
                .count()
        };
        cell.notes.push(self.fill(
            "cell.sensitivity.summary",
            &[
                ("flips", &self.int(flipping.len())),
                ("always_accepted", &self.int(always(Status::Accepted))),
                ("always_rejected", &self.int(always(Status::Rejected))),
                ("total", &self.int(decided)),
            ],
        )?);
        Ok(cell)
    }

    fn audit_cell(&self, number: usize, audit: &Audit) -> Result<Cell> {
        let study = self.results.study;
        let wording = self.wording();
        let counts_table = self.int(study.tables().counts.number);
        let screening_table = self.int(study.tables().screening.number);
        let panel = self.int(audit.panel_size);
        let mut cell = self.cell("audit", number, "cell.audit.title")?;
        cell.narrative.push(self.audit_findings(audit)?);
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Indicators,
            InputRole::Ratings,
            InputRole::PublishedCounts,
            InputRole::PublishedScreening,
        ])?;
        cell.method.push(self.fill(
            "cell.audit.text",
            &[
                ("counts_table", &counts_table),
                ("screening_table", &screening_table),
                ("panel", &panel),
            ],
        )?);
        match audit.search {
            Ok(vectors) => cell.method.push(self.fill(
                "cell.audit.search",
                &[
                    ("vectors", &self.int(vectors)),
                    ("panel", &panel),
                    ("levels", &self.int(study.scale().len())),
                ],
            )?),
            Err(limit) => cell.method.push(self.fill(
                "cell.audit.not_searched",
                &[(
                    "reason",
                    &wording.finding(&crate::analysis::audit::Finding::NotSearched { limit })?,
                )],
            )?),
        }
        if !audit.panel_fits.is_empty() {
            cell.method.push(self.fill(
                "cell.audit.panel_sizes",
                &[("max", &self.int(crate::analysis::panel_size::MAX_PANEL))],
            )?);
        }
        match &audit.respondents {
            Some(Ok(search)) => cell.method.push(self.fill(
                "cell.audit.respondents",
                &[
                    (
                        "pairs",
                        &if search.pairs {
                            self.t("cell.audit.respondents_pairs")?
                        } else {
                            String::new()
                        },
                    ),
                    (
                        "doubled",
                        &if search.duplications {
                            self.t("cell.audit.respondents_doubled")?
                        } else {
                            String::new()
                        },
                    ),
                    ("searched", &self.int(search.searched)),
                ],
            )?),
            Some(Err(reason)) => cell.method.push(self.t(&format!(
                "cell.audit.respondents_not_searched.{}",
                reason.name()
            ))?),
            None => {}
        }
        if audit.has_table(AuditedTable::Counts) {
            let key = if audit.counts_compared_with_ratings {
                "cell.audit.counts_compared"
            } else {
                "cell.audit.counts_are_ratings"
            };
            cell.method
                .push(self.fill(key, &[("counts_table", &counts_table), ("panel", &panel)])?);
        }

        // Verdict counts per table.
        let tables: Vec<(AuditedTable, u32)> = [
            (AuditedTable::Counts, study.tables().counts.number),
            (AuditedTable::Screening, study.tables().screening.number),
        ]
        .into_iter()
        .filter(|(table, _)| audit.has_table(*table))
        .collect();
        let mut headers = vec![self.t("col.verdict")?];
        for (_, table_number) in &tables {
            headers.push(self.fill("col.table_number", &[("number", &self.int(*table_number))])?);
        }
        headers.push(self.t("col.total")?);
        let mut rows = Vec::new();
        for verdict in Verdict::ALL {
            let mut row = vec![wording.verdict(verdict)?];
            let mut total = 0;
            for (table, _) in &tables {
                let count = audit.count(*table, verdict);
                total += count;
                row.push(self.int(count));
            }
            row.push(self.int(total));
            rows.push(row);
        }
        cell.tables.push(Table {
            caption: self.t("cell.audit.verdicts_caption")?,
            headers,
            rows,
        });

        // Every value that is not a plain match.
        let table_number = |table: AuditedTable| match table {
            AuditedTable::Counts => study.tables().counts.number,
            AuditedTable::Screening => study.tables().screening.number,
        };
        let mut rows = Vec::new();
        for value in audit.values.iter().filter(|v| v.verdict != Verdict::Match) {
            rows.push(vec![
                self.int(table_number(value.table)),
                self.int(value.row),
                wording.column(&value.column)?,
                wording.cell_value(&value.column, &value.published)?,
                wording.cell_value(&value.column, &value.reproduced)?,
                wording.verdict(value.verdict)?,
                wording.diagnosis(&value.findings)?,
            ]);
        }
        if rows.is_empty() {
            cell.notes.push(self.t("cell.audit.all_match")?);
        } else {
            cell.tables.push(Table {
                caption: self.t("cell.audit.values_caption")?,
                headers: vec![
                    self.t("col.table")?,
                    self.t("col.number")?,
                    self.t("col.column")?,
                    self.t("col.printed")?,
                    self.t("col.reproduced")?,
                    self.t("col.verdict")?,
                    self.t("col.diagnosis")?,
                ],
                rows,
            });
        }
        if audit.rows.is_empty() {
            return Ok(cell);
        }

        // Rows: agreement, decisions and ranks.
        let discrepant: Vec<usize> = audit
            .rows
            .iter()
            .filter(|r| r.discrepant)
            .map(|r| r.row)
            .collect();
        cell.notes.push(self.fill(
            "cell.audit.rows",
            &[
                ("screening_table", &screening_table),
                ("agree", &self.int(audit.rows.len() - discrepant.len())),
                ("total", &self.int(audit.rows.len())),
                ("list", &self.join_rows(&discrepant)?),
            ],
        )?);
        let changed: Vec<usize> = audit
            .rows
            .iter()
            .filter(|r| r.decision_changed())
            .map(|r| r.row)
            .collect();
        cell.notes.push(if changed.is_empty() {
            self.fill(
                "cell.audit.no_decision_changed",
                &[("threshold", &self.threshold_text())],
            )?
        } else {
            self.fill(
                "cell.audit.decisions_changed",
                &[("list", &self.join_rows(&changed)?)],
            )?
        });
        let ranked = audit
            .rows
            .iter()
            .filter(|r| r.printed_rank.is_some() && r.reproduced_rank.is_some())
            .count();
        let moved: Vec<usize> = audit
            .rows
            .iter()
            .filter(|r| r.rank_changed())
            .map(|r| r.row)
            .collect();
        let moved_list = if moved.is_empty() {
            String::new()
        } else {
            self.fill(
                "cell.audit.ranks_list",
                &[("list", &self.join_rows(&moved)?)],
            )?
        };
        cell.notes.push(self.fill(
            "cell.audit.ranks",
            &[
                ("count", &self.int(moved.len())),
                ("total", &self.int(ranked)),
                ("list", &moved_list),
            ],
        )?);
        let checkable = |check: fn(&crate::analysis::audit::RowAudit) -> Consistency| {
            audit
                .rows
                .iter()
                .filter(|r| check(r) != Consistency::NotCheckable)
                .count()
        };
        let inconsistent = |check: fn(&crate::analysis::audit::RowAudit) -> Consistency| {
            let rows: Vec<usize> = audit
                .rows
                .iter()
                .filter(|r| check(r) == Consistency::Inconsistent)
                .map(|r| r.row)
                .collect();
            self.join_rows(&rows)
        };
        cell.notes.push(self.fill(
            "cell.audit.consistency",
            &[
                (
                    "formula",
                    &self.t(&format!(
                        "formula.{}",
                        self.results.study.method().defuzzification.name()
                    ))?,
                ),
                ("crisp_checkable", &self.int(checkable(|r| r.crisp_check))),
                ("crisp_list", &inconsistent(|r| r.crisp_check)?),
                ("status_checkable", &self.int(checkable(|r| r.status_check))),
                ("status_list", &inconsistent(|r| r.status_check)?),
            ],
        )?);
        let mut rows = Vec::new();
        for row in audit.rows.iter().filter(|r| r.discrepant) {
            let status = |s: Option<Status>| self.status_text(s);
            rows.push(vec![
                self.int(row.row),
                self.indicator_name(&row.indicator),
                row.printed_crisp
                    .as_deref()
                    .map(|c| self.num(c))
                    .unwrap_or_default(),
                row.reproduced_crisp
                    .as_deref()
                    .map(|c| self.num(c))
                    .unwrap_or_default(),
                status(row.printed_status)?,
                status(row.reproduced_status)?,
                self.t(if row.decision_changed() {
                    "decision.changed"
                } else {
                    "decision.same"
                })?,
                row.printed_rank.map(|r| self.int(r)).unwrap_or_default(),
                row.reproduced_rank.map(|r| self.int(r)).unwrap_or_default(),
            ]);
        }
        if !rows.is_empty() {
            cell.tables.push(Table {
                caption: self.t("cell.audit.decisions_caption")?,
                headers: vec![
                    self.t("col.number")?,
                    self.t("col.indicator")?,
                    self.t("col.printed_crisp")?,
                    self.t("col.reproduced_crisp")?,
                    self.t("col.printed_status")?,
                    self.t("col.reproduced_status")?,
                    self.t("col.decision")?,
                    self.t("col.printed_rank")?,
                    self.t("col.reproduced_rank")?,
                ],
                rows,
            });
        }
        Ok(cell)
    }

    /// The audit's findings as a Markdown list, one line per cause, expert ids escaped.
    fn audit_findings(&self, audit: &Audit) -> Result<String> {
        let headlines = self.audit_headlines(audit)?;
        if headlines.is_empty() {
            return self.t("cell.audit.no_findings");
        }
        let mut text = self.t("cell.audit.findings")?;
        text.push('\n');
        for headline in headlines {
            text.push_str("\n- ");
            text.push_str(&headline);
        }
        Ok(text)
    }

    /// The audit's findings, one trusted Markdown line per cause, expert ids escaped.
    fn audit_headlines(&self, audit: &Audit) -> Result<Vec<String>> {
        use crate::analysis::audit::Headline;
        use crate::report::findings::HeadlineContext;
        let study = self.results.study;
        let context = HeadlineContext {
            counts_table: self.int(study.tables().counts.number),
            screening_table: self.int(study.tables().screening.number),
            threshold: self.threshold_text(),
            formula: self.t(&format!(
                "formula.{}",
                study.method().defuzzification.name()
            ))?,
        };
        let escaped = |c: &crate::analysis::respondents::Candidate| {
            let mut c = c.clone();
            c.experts = c.experts.iter().map(|e| escape_markdown(e)).collect();
            c
        };
        let wording = self.wording();
        let mut lines = Vec::new();
        for headline in audit.headlines() {
            let headline = match headline {
                Headline::Respondents {
                    candidate,
                    printed,
                    with_everyone,
                } => Headline::Respondents {
                    candidate: escaped(&candidate),
                    printed,
                    with_everyone,
                },
                Headline::NoRespondents {
                    closest,
                    printed,
                    with_everyone,
                    pairs,
                    duplications,
                } => Headline::NoRespondents {
                    closest: closest.as_ref().map(escaped),
                    printed,
                    with_everyone,
                    pairs,
                    duplications,
                },
                other => other,
            };
            lines.push(wording.headline(&headline, &context)?);
        }
        Ok(lines)
    }

    fn join_rows(&self, rows: &[usize]) -> Result<String> {
        let items: Vec<String> = rows.iter().map(|r| self.int(r)).collect();
        self.join(&items)
    }

    /// Whole numbers as ranges: `19, 23, 27–31`.
    fn number_ranges(&self, numbers: &[u64]) -> Result<String> {
        let items: Vec<String> = ranges(numbers)
            .into_iter()
            .map(|(from, to)| {
                if from == to {
                    Ok(self.int(from))
                } else {
                    self.fill(
                        "range.item",
                        &[("from", &self.int(from)), ("to", &self.int(to))],
                    )
                }
            })
            .collect::<Result<_>>()?;
        self.join(&items)
    }

    fn aggregates_cell(&self, number: usize) -> Result<Cell> {
        let mut cell = self.cell("aggregates", number, "cell.aggregates.title")?;
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Components,
            InputRole::Indicators,
            InputRole::Ratings,
            InputRole::PublishedDemographics,
            InputRole::PublishedCodingCounts,
        ])?;
        if let Some(sets) = self.results.demographics {
            let max_n = sets.first().map_or(0, |s| s.max_n);
            cell.method
                .push(self.fill("cell.aggregates.text", &[("max_n", &self.int(max_n))])?);
            let mut headers = vec![
                self.t("col.set")?,
                self.t("col.printed")?,
                self.t("col.exhaustive")?,
            ];
            if let Some(first) = sets.first() {
                for (panel, n, _) in &first.panels {
                    headers.push(self.fill(
                        "col.panel_n",
                        &[
                            ("n", &self.int(n)),
                            ("panel", &self.t(&format!("panel.{}", panel.as_str()))?),
                        ],
                    )?);
                }
            }
            headers.push(self.fill("col.feasible_n", &[("max_n", &self.int(max_n))])?);
            let answer = |yes: bool| self.t(if yes { "answer.yes" } else { "answer.no" });
            let mut rows = Vec::new();
            for audited in sets {
                let shares: Vec<String> = audited
                    .set
                    .shares
                    .iter()
                    .map(|share| {
                        self.fill(
                            "share.item",
                            &[
                                (
                                    "label",
                                    &localize_digits(self.lang, share.label.get(self.lang)),
                                ),
                                (
                                    "relation",
                                    &self.t(&format!("relation.{}", share.relation.name()))?,
                                ),
                                ("percent", &self.int(share.percent)),
                            ],
                        )
                    })
                    .collect::<Result<_>>()?;
                let mut row = vec![
                    audited.set.label.get(self.lang).to_string(),
                    self.join(&shares)?,
                    answer(audited.set.exhaustive)?,
                ];
                for (_, _, feasible) in &audited.panels {
                    row.push(answer(*feasible)?);
                }
                row.push(self.number_ranges(&audited.feasible_sizes)?);
                rows.push(row);
            }
            cell.tables.push(Table {
                caption: self.t("cell.aggregates.shares_caption")?,
                headers,
                rows,
            });
        }
        if let Some(counts) = self.results.coding_counts {
            cell.notes.push(self.t("cell.aggregates.counts_text")?);
            let mut rows = Vec::new();
            for audited in counts {
                let target = match audited.count.checked_against {
                    Some(target) => self.t(&format!("target.{}", target.as_str()))?,
                    None => self.t("target.none")?,
                };
                rows.push(vec![
                    localize_digits(self.lang, audited.count.label.get(self.lang)),
                    format!(
                        "{}{}",
                        self.t(&format!("relation.{}", audited.count.relation.name()))?,
                        self.int(audited.count.value)
                    ),
                    self.int(audited.count.source_line),
                    target,
                    audited.study_value.map(|v| self.int(v)).unwrap_or_default(),
                    self.t(&format!("result.{}", audited.result.as_str()))?,
                ]);
            }
            cell.tables.push(Table {
                caption: self.t("cell.aggregates.counts_caption")?,
                headers: vec![
                    self.t("col.count")?,
                    self.t("col.printed")?,
                    self.t("col.source_line")?,
                    self.t("col.checked_against")?,
                    self.t("col.study_value")?,
                    self.t("col.result")?,
                ],
                rows,
            });
        }
        Ok(cell)
    }
}
