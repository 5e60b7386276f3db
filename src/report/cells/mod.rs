//! The report's cells, one unit each, registered by a stable id: the id is the cell's anchor on the
//! page, its name in a document, and what other cells use to refer to it. Each unit builds its cell
//! (narrative, method, inputs, tables, figures, notes) in one language from the analysis input;
//! this module holds the registry, the helpers every cell shares, and the assembly of the cells into
//! one numbered document with its front page.
//!
//! Everything here is already in the reader's language. `narrative` paragraphs are trusted Markdown
//! built from fixed texts with escaped data; table cells and titles are plain text, escaped by the templates.

use std::cell::RefCell;
use std::collections::BTreeMap;

use anyhow::{anyhow, Result};

use super::findings::Wording;
use super::i18n::{InLanguage, Strings};
use super::model::{input_anchor, Cell, CellInput, ReportDocument, ReportInput, DISPLAY_DECIMALS};
use crate::analysis::fuzzy::Shortfall;
use crate::analysis::{Component, Status};
use crate::config::Study;
use crate::domain::InputRole;
use crate::domain::Lang;
use crate::number::{Exact, Num};
use crate::report::document;

mod agreement;
mod assemble;
mod audit;
mod audit_values;
mod code_matrix;
mod coded;
mod coding_counts;
mod concept_links;
mod concepts;
mod counts;
mod demographics;
mod design;
mod framework;
mod front;
mod identify;
mod initial_coding;
mod inputs;
mod method;
mod published_in_text;
mod rounds;
mod saturation;
mod screening;
mod sensitivity;
mod study;
mod summary;
mod values;
mod variants;

/// A cell the report can show: its stable id, what it shows (one line, for `cells`), when a study
/// has it, and how it is built.
pub(crate) struct CellSpec {
    pub(crate) id: &'static str,
    /// The strings key of the cell's title.
    pub(crate) title_key: &'static str,
    pub(crate) description: &'static str,
    pub(crate) availability: Availability,
    build: fn(&Builder) -> Result<Cell>,
}

/// When a study has a cell. Most cells are in every report and say so when the study lacks their
/// data; the others need what only some studies have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Availability {
    Always,
    /// Ratings to screen: the Delphi part.
    Ratings,
    /// More than one round of ratings.
    Rounds,
    /// At least one indicator with responses.
    Screened,
    /// A printed counts or screening table to audit.
    Audit,
    /// A printed screening table to identify the method by.
    Identification,
    /// Printed sample percentages or coding counts to check.
    PublishedInText,
    /// A qualitative part: coded interviews, the publication's tables of its coding, or the coding
    /// counts it prints. A ratings-only study has none, so its report holds no coding cells that
    /// would only say so.
    Coding,
    /// Respondents to describe: a demographics section, or coded interviews whose cases may carry
    /// attributes.
    Sample,
    /// Both parts: ratings to screen and a qualitative part whose concepts may lead to the
    /// indicators. A ratings-only study has nothing to link, and no cell that would only say so.
    RatingsAndCoding,
    /// A qualitative part of a study that reproduces a publication: the cell shows what it printed,
    /// or says the study folder lacks it. A study of its author's own data has no such cell.
    PublishedCoding,
}

impl Availability {
    /// Why the study does not have the cell, or `None` when it has it.
    pub(crate) fn missing(self, input: &ReportInput) -> Option<&'static str> {
        match self {
            Availability::Always => None,
            Availability::Ratings if !input.study.has_ratings() => {
                Some("the study has no ratings (data.ratings)")
            }
            Availability::Rounds if input.trajectories.is_empty() => {
                Some("the study has one round of ratings")
            }
            Availability::Screened if input.screening.iter().all(|r| r.result.is_none()) => {
                Some("no indicator has responses")
            }
            Availability::Audit if input.table_audit.is_none() => {
                Some("the study has no printed counts or screening table (data.published)")
            }
            Availability::Identification if input.identification.is_none() => {
                Some("the study has no printed screening table (data.published.screening)")
            }
            Availability::PublishedInText
                if input.shares_audit.is_none() && input.counts_audit.is_none() =>
            {
                Some("the study has no printed percentages or coding counts (data.published)")
            }
            Availability::Coding
                if !input.study.has_coding()
                    && input
                        .study
                        .data_files()
                        .published
                        .as_ref()
                        .is_none_or(|published| published.coding_counts.is_none()) =>
            {
                Some("the study has no coded interviews and no printed coding (coding:, data.published.coding_counts)")
            }
            // Without a demographics section the cell can only say that the respondents are not
            // there: worth saying of a publication's study, not of an author's own data.
            Availability::Sample
                if input.study.demographics().is_none()
                    && !(input.study.has_coding() && reproduces_publication(input.study)) =>
            {
                Some("the study has no respondents (demographics:)")
            }
            Availability::PublishedCoding if !reproduces_publication(input.study) => {
                Availability::Coding.missing(input).or(Some(
                    "the study reproduces no publication (citation:, data.published, coding.published)",
                ))
            }
            Availability::PublishedCoding => Availability::Coding.missing(input),
            Availability::RatingsAndCoding => Availability::Ratings
                .missing(input)
                .or_else(|| Availability::Coding.missing(input)),
            _ => None,
        }
    }
}

/// Whether the study reproduces a publication: it cites one or holds tables or numbers it printed.
/// A study of its author's own data has none, and the report does not speak of one.
fn reproduces_publication(study: &Study) -> bool {
    study.citation().is_some()
        || study.data_files().published.is_some()
        || study.coding().is_some_and(|c| c.published.is_some())
}

/// Every cell, in the order of the built-in report.
pub(crate) const CELLS: [CellSpec; 21] = [
    study::CELL,
    method::CELL,
    inputs::CELL,
    counts::CELL,
    screening::CELL,
    summary::CELL,
    rounds::CELL,
    agreement::CELL,
    sensitivity::CELL,
    audit::CELL,
    identify::CELL,
    published_in_text::CELL,
    design::CELL,
    demographics::CELL,
    initial_coding::CELL,
    concepts::CELL,
    coding_counts::CELL,
    code_matrix::CELL,
    saturation::CELL,
    framework::CELL,
    concept_links::CELL,
];

/// Builds the report of one language from its document: the study's own (`document:` in study.yaml)
/// when it has one, else the built-in one; both go through the same rendering and assembly.
pub(crate) fn build(lang: Lang, strings: &Strings, input: &ReportInput) -> Result<ReportDocument> {
    let names = assemble::names(lang, strings, input)?;
    let metadata = assemble::metadata(lang, strings, input)?;
    let study = input.study;
    let authored = input.data.documents.iter().find(|d| d.lang == lang);
    let file = match authored {
        Some(document) => study.folder().join(&document.path),
        None => std::path::PathBuf::from(document::BUILTIN_DOCUMENT_PATH),
    };
    let source = document::Source {
        text: authored.map_or(document::BUILTIN_DOCUMENT, |d| d.text.as_str()),
        file: &file,
        folder: authored.map(|_| study.folder()),
        includes: authored.map(|_| &input.data.document_includes),
    };
    let rendered = document::render(&source, &names, &metadata)?;
    let allow_html = authored.is_some() && study.document().is_some_and(|d| d.allow_html);
    let mut report = assemble::assemble(lang, strings, input, &rendered.segments, allow_html)?;
    report.included = rendered.included;
    Ok(report)
}

/// The kinds of thing a document can name (and `delphi-report cells` lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A whole cell: `cell("<id>")`.
    Cell,
    /// One table of a cell: `table("<id>")`.
    Table,
    /// One figure of a cell: `figure("<id>")`.
    Figure,
    /// A computed number or sentence: `value("<name>")`.
    Value,
}

impl Kind {
    /// The kind as `delphi-report cells` prints it, and as the document's function is named.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Cell => "cell",
            Kind::Table => "table",
            Kind::Figure => "figure",
            Kind::Value => "value",
        }
    }
}

/// A name a document can use: its kind, its id, and one line saying what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What the name names.
    pub kind: Kind,
    /// The id (or value name) a document writes.
    pub id: String,
    /// One line saying what it is (a table's or figure's caption).
    pub description: String,
}

/// Every cell, table, figure and value the study has, in `lang`: each cell of the built-in report
/// followed by its tables and figures (described by their captions), then the values the study has.
pub(crate) fn catalogue(lang: Lang, strings: &Strings, input: &ReportInput) -> Result<Vec<Entry>> {
    let specs = assemble::available(input);
    let builder = Builder::new(lang, strings, input, &specs);
    let mut entries = Vec::new();
    for spec in &specs {
        let cell = (spec.build)(&builder)?;
        entries.push(Entry {
            kind: Kind::Cell,
            id: spec.id.to_string(),
            description: spec.description.to_string(),
        });
        for table in cell.method_tables.iter().chain(&cell.tables) {
            entries.push(Entry {
                kind: Kind::Table,
                id: table.id.clone(),
                description: table.caption.clone(),
            });
        }
        for figure in &cell.figures {
            entries.push(Entry {
                kind: Kind::Figure,
                id: figure.id.clone(),
                description: figure.caption.clone(),
            });
        }
    }
    for value in &values::VALUES {
        if value.compute(&builder)?.is_some() {
            entries.push(Entry {
                kind: Kind::Value,
                id: value.name.to_string(),
                description: value.description.to_string(),
            });
        }
    }
    Ok(entries)
}

/// What every cell is built with: the language, its texts, the input, and the number each cell of
/// the document has.
pub(crate) struct Builder<'a> {
    lang: Lang,
    strings: &'a Strings,
    input: &'a ReportInput<'a>,
    /// The number of every cell of the document, by id, in document order from 1.
    numbers: BTreeMap<&'static str, usize>,
    /// Captions made by `table_caption`, with their numbers: the tables the contents list.
    numbered_tables: RefCell<Vec<(String, u32)>>,
}

impl<'a> Builder<'a> {
    /// A builder for the document of `cells`, numbered in their order.
    fn new(
        lang: Lang,
        strings: &'a Strings,
        input: &'a ReportInput<'a>,
        cells: &[&CellSpec],
    ) -> Builder<'a> {
        Builder {
            lang,
            strings,
            input,
            numbers: cells
                .iter()
                .enumerate()
                .map(|(index, spec)| (spec.id, index + 1))
                .collect(),
            numbered_tables: RefCell::default(),
        }
    }
}

impl InLanguage for Builder<'_> {
    fn lang(&self) -> Lang {
        self.lang
    }

    fn strings(&self) -> &Strings {
        self.strings
    }
}

impl Builder<'_> {
    /// How one cell refers to another: by its number in this document, in the reader's digits; by its
    /// title, said to be elsewhere, when the document does not place it.
    fn cell_reference(&self, id: &str) -> Result<String> {
        match self.numbers.get(id) {
            Some(number) => Ok(self.int(number)),
            None => {
                let spec = assemble::spec(id).ok_or_else(|| anyhow!("no cell '{id}'"))?;
                self.fill(
                    "cell.absent_reference",
                    &[("title", &self.t(spec.title_key)?)],
                )
            }
        }
    }

    /// A table's column headers: the texts of `keys`.
    fn headers(&self, keys: &[&str]) -> Result<Vec<String>> {
        keys.iter().map(|key| self.t(key)).collect()
    }

    fn join(&self, items: &[String]) -> Result<String> {
        if items.is_empty() {
            return self.t("none");
        }
        Ok(items.join(&self.t("list.separator")?))
    }

    fn indicator_name(&self, id: &str) -> String {
        self.input
            .data
            .indicators
            .iter()
            .find(|i| i.id == id)
            .map(|i| i.name.get(self.lang).to_string())
            .unwrap_or_else(|| id.to_string())
    }

    fn indicator_number(&self, id: &str) -> String {
        self.input
            .data
            .indicators
            .iter()
            .find(|i| i.id == id)
            .map_or_else(|| id.to_string(), |i| self.int(i.number))
    }

    fn component_name(&self, id: &str) -> String {
        self.groups()
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.get(self.lang).to_string())
            .unwrap_or_else(|| id.to_string())
    }

    /// Whether the study reproduces a publication (see [`reproduces_publication`]).
    fn has_publication(&self) -> bool {
        reproduces_publication(self.input.study)
    }

    /// Whether the study groups its indicators in components.
    fn grouped(&self) -> bool {
        !self.input.data.components.is_empty()
    }

    /// The groups the report shows indicators in: the study's components, or one group of every
    /// indicator for a study without components.
    fn groups(&self) -> Vec<Component> {
        self.input.data.indicator_groups()
    }

    fn status_text(&self, status: Option<Status>) -> Result<String> {
        self.t(match status {
            Some(Status::Accepted) => "status.accepted",
            Some(Status::Rejected) => "status.rejected",
            None => "status.none",
        })
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

    /// An empty cell titled by `title_key`, labelled with its number in the document.
    /// A cell the document does not number (one whose table or figure stands alone) has its title only.
    fn cell(&self, id: &str, title_key: &str) -> Result<Cell> {
        let title = self.t(title_key)?;
        let (label, heading) = match self.numbers.get(id) {
            Some(number) => {
                let label = self.fill("cell.label", &[("number", &self.int(number))])?;
                let heading = self.fill("cell.heading", &[("label", &label), ("title", &title)])?;
                (label, heading)
            }
            None => (String::new(), title.clone()),
        };
        Ok(Cell {
            id: id.to_string(),
            heading,
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
            let source = self.input.study.source();
            inputs.push(CellInput {
                role: self.t(&InputRole::Configuration.strings_key())?,
                path: crate::config::STUDY_FILE.to_string(),
                rows: self.fill("input.lines", &[("n", &self.int(source.lines))])?,
                sha256: source.sha256.clone(),
                anchor: input_anchor(crate::config::STUDY_FILE),
            });
        }
        let mut seen = std::collections::BTreeSet::new();
        for input in &self.input.data.inputs {
            if roles.contains(&input.role) && seen.insert((input.role, &input.path)) {
                // A document is text: its rows are lines, as for study.yaml.
                let rows = if input.role.is_text() {
                    self.fill("input.lines", &[("n", &self.int(input.rows))])?
                } else {
                    self.int(input.rows)
                };
                inputs.push(CellInput {
                    role: self.t(&input.role.strings_key())?,
                    path: input.path.clone(),
                    rows,
                    sha256: input.sha256.clone(),
                    anchor: input_anchor(&input.path),
                });
            }
        }
        Ok(inputs)
    }

    /// The threshold as running text shows it: as written for a fixed threshold; a relative one at up
    /// to 6 decimals (the method cell gives its exact value).
    fn threshold_text(&self) -> String {
        let study = self.input.study;
        match study.threshold_rule() {
            crate::config::ThresholdRule::Fixed => {
                self.num(&format!("{}", study.threshold().to_f64()))
            }
            crate::config::ThresholdRule::Relative { .. } => self.exact_text(study.threshold()),
        }
    }

    fn wording(&self) -> Wording<'_> {
        Wording {
            lang: self.lang,
            strings: self.strings,
            scale: self.input.study.scale(),
        }
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
        let method = self.input.study.method();
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

    fn join_rows(&self, rows: &[usize]) -> Result<String> {
        let items: Vec<String> = rows.iter().map(|r| self.int(r)).collect();
        self.join(&items)
    }

    /// The sentence that says which settings `--set` overrode for this build, as trusted Markdown
    /// (each `key=value` a code span); `None` for a plain build.
    fn parameters_set(&self) -> Result<Option<String>> {
        let overrides = self.input.study.overrides();
        if overrides.is_empty() {
            return Ok(None);
        }
        let items: Vec<String> = overrides
            .iter()
            .map(|o| format!("`{}`", o.to_string().replace('`', "'")))
            .collect();
        Ok(Some(self.fill(
            "parameters.set",
            &[("list", &items.join(&self.t("list.separator")?))],
        )?))
    }

    /// Whole numbers as ranges: `19, 23, 27–31`.
    fn number_ranges(&self, numbers: &[u64]) -> Result<String> {
        self.join(&self.range_items(numbers)?)
    }
}

#[cfg(test)]
mod tiny;

#[cfg(test)]
mod tests {
    use super::assemble::spec;
    use super::tiny::Tiny;
    use super::*;

    #[test]
    fn cell_ids_are_unique_and_found_by_id() {
        let mut ids: Vec<&str> = CELLS.iter().map(|c| c.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), CELLS.len());
        assert_eq!(spec("code-matrix").map(|c| c.id), Some("code-matrix"));
        assert!(spec("matrix").is_none());
    }

    #[test]
    fn the_built_in_report_has_every_cell_the_study_has_numbered_in_order() {
        let tiny = Tiny::plain();
        let document = tiny.document(Lang::EN);
        let ids: Vec<&str> = document.cells().map(|c| c.id.as_str()).collect();
        // One round, no printed tables, no qualitative part: no rounds, audit, printed-figures,
        // coding or concept-links cell.
        assert_eq!(
            ids,
            [
                "study",
                "method",
                "inputs",
                "counts",
                "screening",
                "summary",
                "agreement",
                "sensitivity",
                "framework",
            ]
        );
        let labels: Vec<&str> = document.cells().map(|c| c.label.as_str()).collect();
        assert_eq!(labels[6], "Cell 7");
        assert_eq!(labels.last(), Some(&"Cell 9"));
        // Figures are numbered in the order the report shows them.
        let captions: Vec<&str> = document
            .figures()
            .map(|f| f.caption.split('.').next().unwrap_or_default())
            .collect();
        assert_eq!(captions, ["Figure 1", "Figure 2", "Figure 3"]);
        assert_eq!(Tiny::rich().document(Lang::EN).cells().count(), 21);
    }

    #[test]
    fn cells_refer_to_each_other_by_id_and_take_their_numbers_from_the_document() {
        let tiny = Tiny::plain();
        let input = tiny.input();
        let strings = Strings::builtin().unwrap();
        let screening_first = [spec("screening").unwrap(), spec("method").unwrap()];
        let builder = Builder::new(Lang::EN, &strings, &input, &screening_first);
        let cell = builder.screening_cell().unwrap();
        assert_eq!(cell.label, "Cell 1");
        assert!(cell.method[0].contains("of cell 2:"), "{}", cell.method[0]);
        // A document without the method cell names it by its title, said to be elsewhere, rather
        // than by a number that is another cell's.
        let alone = [spec("screening").unwrap()];
        let builder = Builder::new(Lang::EN, &strings, &input, &alone);
        let cell = builder.screening_cell().unwrap();
        assert!(
            cell.method[0].contains("of cell “Method” (not in this report):"),
            "{}",
            cell.method[0]
        );
    }

    #[test]
    fn the_catalogue_lists_what_the_study_has() {
        let tiny = Tiny::plain();
        let strings = Strings::builtin().unwrap();
        let entries = catalogue(Lang::EN, &strings, &tiny.input()).unwrap();
        let line = |e: &Entry| format!("{} {}", e.kind.name(), e.id);
        let lines: Vec<String> = entries.iter().map(line).collect();
        assert_eq!(
            &lines[..5],
            [
                "cell study",
                "cell method",
                "table scale",
                "cell inputs",
                "table input-files"
            ]
        );
        assert!(lines.contains(&"figure crisp".to_string()));
        assert!(lines.contains(&"value accepted-count".to_string()));
        // What the study lacks is not offered: one round, no interviewees, nothing audited.
        for absent in [
            "cell rounds",
            "cell audit",
            "value stable-count",
            "value interviewee-count",
        ] {
            assert!(!lines.contains(&absent.to_string()), "{absent}");
        }
        let counts = entries
            .iter()
            .find(|e| e.id == "counts" && e.kind == Kind::Table)
            .unwrap();
        assert_eq!(
            counts.description,
            "Table 1. Experts' ratings per indicator"
        );
        assert!(entries
            .iter()
            .all(|e| !e.description.is_empty() && !e.description.contains('\n')));
    }

    #[test]
    fn availability_says_why_a_cell_is_missing() {
        let plain = Tiny::plain();
        let input = plain.input();
        assert_eq!(Availability::Always.missing(&input), None);
        assert_eq!(Availability::Screened.missing(&input), None);
        assert_eq!(
            Availability::Rounds.missing(&input),
            Some("the study has one round of ratings")
        );
        assert!(Availability::Audit.missing(&input).is_some());
        assert!(Availability::PublishedInText.missing(&input).is_some());
        // A ratings-only study has no qualitative part: no coding cells, no sample cell.
        assert!(Availability::Coding.missing(&input).is_some());
        assert!(Availability::Sample.missing(&input).is_some());
        for id in [
            "design",
            "demographics",
            "initial-coding",
            "concepts",
            "coding-counts",
            "code-matrix",
            "saturation",
        ] {
            assert!(plain.missing(id).is_some(), "{id}");
        }
        // The rich study codes its interviews and describes its sample.
        let rich = Tiny::rich();
        assert_eq!(Availability::Coding.missing(&rich.input()), None);
        assert_eq!(Availability::Sample.missing(&rich.input()), None);
        let unrated = Tiny::plain_with(|data| {
            for row in &mut data.counts.rows {
                row.counts = vec![0, 0];
            }
            data.rounds[0].counts = data.counts.clone();
        });
        assert_eq!(
            Availability::Screened.missing(&unrated.input()),
            Some("no indicator has responses")
        );
    }
}
