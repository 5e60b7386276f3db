//! One serialisable model of the whole report, per language: numbered cells of narrative, method, inputs and output.
//!
//! Everything here is already in the reader's language. `narrative` paragraphs are trusted Markdown
//! built from fixed texts with escaped data; table cells and titles are plain text, escaped by the templates.

use anyhow::Result;
use serde::Serialize;

use crate::analysis::compare::{CellVerdict, RowComparison, DEFAULT_DECIMALS};
use crate::analysis::fuzzy::ScreeningRow;
use crate::analysis::Status;
use crate::config::{RatingsShape, Study};
use crate::ingest::StudyData;
use crate::report::i18n::{localize_number, Strings};
use crate::report::render::escape_markdown;
use crate::Lang;

/// Decimals of the reproduced tables: the publication's precision.
pub const DISPLAY_DECIMALS: u32 = DEFAULT_DECIMALS;

#[derive(Debug, Clone, Serialize)]
pub struct ReportDocument {
    pub lang: &'static str,
    pub dir: &'static str,
    pub title: String,
    /// Trusted Markdown shown under the title.
    pub preamble: String,
    pub other_language: OtherLanguage,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OtherLanguage {
    pub lang: &'static str,
    pub label: String,
    pub markdown_file: String,
    pub html_file: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// Stable anchor, the same in both languages.
    pub id: String,
    /// "Cell 3" in the reader's language and digits.
    pub label: String,
    pub title: String,
    /// Trusted Markdown paragraphs.
    pub narrative: Vec<String>,
    pub tables: Vec<Table>,
    /// Trusted Markdown paragraphs after the tables.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Everything the report shows, computed once and shared by both languages.
pub struct Results<'a> {
    pub study: &'a Study,
    pub data: &'a StudyData,
    pub screening: &'a [ScreeningRow],
    pub comparison: Option<&'a [RowComparison]>,
}

struct Builder<'a> {
    lang: Lang,
    strings: &'a Strings,
    results: &'a Results<'a>,
}

/// Builds the report model for one language.
pub fn build(lang: Lang, strings: &Strings, results: &Results) -> Result<ReportDocument> {
    Builder {
        lang,
        strings,
        results,
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

    fn table_caption(&self, number: u32, caption: &str) -> Result<String> {
        self.fill(
            "table.caption",
            &[("number", &self.int(number)), ("caption", caption)],
        )
    }

    fn cell(&self, id: &str, number: usize, title_key: &str) -> Result<Cell> {
        Ok(Cell {
            id: id.to_string(),
            label: self.fill("cell.label", &[("number", &self.int(number))])?,
            title: self.t(title_key)?,
            narrative: Vec::new(),
            tables: Vec::new(),
            notes: Vec::new(),
        })
    }

    fn document(&self) -> Result<ReportDocument> {
        let config = &self.results.study.config;
        let cells = vec![
            self.study_cell(1)?,
            self.method_cell(2)?,
            self.inputs_cell(3)?,
            self.counts_cell(4)?,
            self.screening_cell(5)?,
            self.summary_cell(6)?,
        ];
        let mut cells = cells;
        if let Some(comparison) = self.results.comparison {
            cells.push(self.compare_cell(7, comparison)?);
        }
        let (other, dir) = match self.lang {
            Lang::En => (Lang::Fa, "ltr"),
            Lang::Fa => (Lang::En, "rtl"),
        };
        Ok(ReportDocument {
            lang: self.lang.code(),
            dir,
            title: self.fill("doc.title", &[("title", config.title.get(self.lang))])?,
            preamble: self.fill(
                "doc.generated_by",
                &[
                    ("version", env!("CARGO_PKG_VERSION")),
                    ("study", &config.id),
                    ("inputs_cell", &self.int(3)),
                ],
            )?,
            other_language: OtherLanguage {
                lang: other.code(),
                label: self.t("doc.other_language")?,
                markdown_file: format!("report.{}.md", other.code()),
                html_file: format!("report.{}.html", other.code()),
            },
            cells,
        })
    }

    fn study_cell(&self, number: usize) -> Result<Cell> {
        let config = &self.results.study.config;
        let mut cell = self.cell("study", number, "cell.study.title")?;
        if let Some(citation) = &config.citation {
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
            cell.narrative.push(self.fill(
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
            )?);
        }
        let interviewees = match config.panels.interviewees {
            Some(n) => self.fill("cell.study.interviewees", &[("n", &self.int(n))])?,
            None => String::new(),
        };
        cell.narrative.push(self.fill(
            "cell.study.panels",
            &[
                ("delphi", &self.int(config.panels.delphi_experts)),
                ("interviewees", &interviewees),
            ],
        )?);
        cell.narrative.push(self.fill(
            "cell.study.scope",
            &[
                ("indicators", &self.int(self.results.data.indicators.len())),
                ("components", &self.int(self.results.data.components.len())),
                ("counts_table", &self.int(config.tables.counts.number)),
                ("screening_table", &self.int(config.tables.screening.number)),
            ],
        )?);
        if self.lang == Lang::En
            && self
                .results
                .data
                .indicators
                .iter()
                .any(|i| i.name_en_is_translation)
        {
            cell.narrative.push(self.t("cell.study.translation_note")?);
        }
        Ok(cell)
    }

    fn method_cell(&self, number: usize) -> Result<Cell> {
        let study = self.results.study;
        let mut cell = self.cell("method", number, "cell.method.title")?;
        cell.narrative.push(self.fill(
            "cell.method.scale",
            &[("levels", &self.int(study.scale.len()))],
        )?);
        cell.tables.push(Table {
            caption: self.t("cell.method.scale_caption")?,
            headers: vec![
                self.t("col.level")?,
                self.t("col.label")?,
                self.t("col.l")?,
                self.t("col.m")?,
                self.t("col.u")?,
            ],
            rows: study
                .scale
                .iter()
                .enumerate()
                .map(|(index, level)| {
                    let mut row = vec![self.int(index + 1), level.label.get(self.lang).to_string()];
                    row.extend(level.tfn.iter().map(|v| self.num(&v.round_half_away(2))));
                    row
                })
                .collect(),
        });
        cell.notes.push(self.t("cell.method.aggregation")?);
        cell.notes.push(self.t("cell.method.defuzzification")?);
        cell.notes.push(self.fill(
            "cell.method.threshold",
            &[(
                "threshold",
                &self.num(&format!("{}", study.threshold.to_f64())),
            )],
        )?);
        cell.notes.push(self.fill(
            "cell.method.precision",
            &[("decimals", &self.int(DISPLAY_DECIMALS))],
        )?);
        Ok(cell)
    }

    fn inputs_cell(&self, number: usize) -> Result<Cell> {
        let mut cell = self.cell("inputs", number, "cell.inputs.title")?;
        cell.narrative.push(self.t("cell.inputs.text")?);
        let mut rows = Vec::new();
        for input in &self.results.data.inputs {
            rows.push(vec![
                self.t(&format!("role.{}", input.role))?,
                input.path.clone(),
                self.int(input.rows),
                input.sha256.clone(),
            ]);
        }
        cell.tables.push(Table {
            caption: self.t("cell.inputs.caption")?,
            headers: vec![
                self.t("col.role")?,
                self.t("col.file")?,
                self.t("col.rows")?,
                self.t("col.sha256")?,
            ],
            rows,
        });
        Ok(cell)
    }

    fn counts_cell(&self, number: usize) -> Result<Cell> {
        let study = self.results.study;
        let panel = u64::from(study.config.panels.delphi_experts);
        let mut cell = self.cell("counts", number, "cell.counts.title")?;
        let shape = match study.config.data.ratings.shape {
            RatingsShape::Counts => "shape.counts",
            RatingsShape::Long => "shape.long",
            RatingsShape::Wide => "shape.wide",
        };
        cell.narrative.push(self.fill(
            "cell.counts.text",
            &[("shape", &self.t(shape)?), ("panel", &self.int(panel))],
        )?);
        let mut headers = vec![
            self.t("col.number")?,
            self.t("col.component")?,
            self.t("col.indicator")?,
        ];
        headers.extend(
            study
                .scale
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
                study.config.tables.counts.number,
                study.config.tables.counts.caption.get(self.lang),
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
        let mut cell = self.cell("screening", number, "cell.screening.title")?;
        cell.narrative.push(self.t("cell.screening.text")?);
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
                }
                None => {
                    cells.extend(std::iter::repeat_n(String::new(), 4));
                    cells.push(self.status_text(None)?);
                }
            }
            rows.push(cells);
        }
        cell.tables.push(Table {
            caption: self.table_caption(
                study.config.tables.screening.number,
                study.config.tables.screening.caption.get(self.lang),
            )?,
            headers: vec![
                self.t("col.number")?,
                self.t("col.indicator")?,
                self.t("col.l")?,
                self.t("col.m")?,
                self.t("col.u")?,
                self.t("col.crisp")?,
                self.t("col.status")?,
            ],
            rows,
        });
        Ok(cell)
    }

    fn summary_cell(&self, number: usize) -> Result<Cell> {
        let study = self.results.study;
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
            .map(|(id, _)| {
                format!(
                    "{} ({})",
                    escape_markdown(&self.indicator_name(id)),
                    self.indicator_number(id)
                )
            })
            .collect();
        cell.narrative.push(self.fill(
            "cell.summary.text",
            &[
                (
                    "threshold",
                    &self.num(&format!("{}", study.threshold.to_f64())),
                ),
                ("accepted", &self.int(accepted)),
                ("rejected", &self.int(rejected.len())),
                ("total", &self.int(self.results.screening.len())),
            ],
        )?);
        cell.narrative.push(if rejected.is_empty() {
            self.t("cell.summary.none_rejected")?
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
        Ok(cell)
    }

    fn compare_cell(&self, number: usize, comparison: &[RowComparison]) -> Result<Cell> {
        let study = self.results.study;
        let screening_table = self.int(study.config.tables.screening.number);
        let mut cell = self.cell("comparison", number, "cell.compare.title")?;
        cell.narrative.push(self.fill(
            "cell.compare.text",
            &[("screening_table", &screening_table)],
        )?);
        let agreeing: Vec<String> = comparison
            .iter()
            .filter(|r| r.agrees())
            .map(|r| self.indicator_number(&r.indicator))
            .collect();
        let disagreeing: Vec<&RowComparison> = comparison.iter().filter(|r| !r.agrees()).collect();
        let not_printed = comparison
            .iter()
            .flat_map(|r| &r.cells)
            .filter(|c| c.verdict == CellVerdict::NotPrinted)
            .count();
        cell.narrative.push(self.fill(
            "cell.compare.summary",
            &[
                ("agree", &self.int(agreeing.len())),
                ("total", &self.int(comparison.len())),
                ("disagree", &self.int(disagreeing.len())),
                ("not_printed", &self.int(not_printed)),
            ],
        )?);
        cell.narrative
            .push(self.fill("cell.compare.agreeing", &[("list", &self.join(&agreeing)?)])?);
        let disagreeing_numbers: Vec<String> = disagreeing
            .iter()
            .map(|r| self.indicator_number(&r.indicator))
            .collect();
        cell.narrative.push(self.fill(
            "cell.compare.disagreeing",
            &[("list", &self.join(&disagreeing_numbers)?)],
        )?);
        if disagreeing.is_empty() {
            return Ok(cell);
        }
        let panel = u64::from(study.config.panels.delphi_experts);
        let mut rows = Vec::new();
        for row in disagreeing {
            let responses = self
                .results
                .screening
                .iter()
                .find(|r| r.indicator == row.indicator)
                .map(|r| r.responses);
            let responses_text = match responses {
                Some(n) if n == panel => self.int(n),
                Some(n) => self.fill(
                    "flag.incomplete",
                    &[("responses", &self.int(n)), ("panel", &self.int(panel))],
                )?,
                None => String::new(),
            };
            for compared in row.cells.iter().filter(|c| {
                c.verdict == CellVerdict::Differs || c.verdict == CellVerdict::NotReproduced
            }) {
                let (printed, reproduced) = if compared.column == "status" {
                    (
                        self.status_text(status_from(&compared.printed))?,
                        self.status_text(status_from(&compared.reproduced))?,
                    )
                } else {
                    (self.num(&compared.printed), self.num(&compared.reproduced))
                };
                rows.push(vec![
                    self.indicator_number(&row.indicator),
                    self.indicator_name(&row.indicator),
                    self.t(&format!("col.{}", compared.column))?,
                    printed,
                    reproduced,
                    responses_text.clone(),
                ]);
            }
        }
        cell.tables.push(Table {
            caption: self.fill(
                "cell.compare.caption",
                &[("screening_table", &screening_table)],
            )?,
            headers: vec![
                self.t("col.number")?,
                self.t("col.indicator")?,
                self.t("col.column")?,
                self.t("col.printed")?,
                self.t("col.reproduced")?,
                self.t("col.responses_in_data")?,
            ],
            rows,
        });
        Ok(cell)
    }
}

fn status_from(text: &str) -> Option<Status> {
    match text {
        "accepted" => Some(Status::Accepted),
        "rejected" => Some(Status::Rejected),
        _ => None,
    }
}
