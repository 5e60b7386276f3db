//! A document's segments assembled into the numbered report: cells numbered in the order the document
//! places them, figures numbered in reading order, the front page's key findings and contents, and
//! the anchors the page gives its tables. Also what a document may name ([`names`]) and the study's
//! metadata it may read ([`metadata`]).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{anyhow, Result};

use super::values::VALUES;
use super::{Builder, CellSpec, CELLS};
use crate::domain::Lang;
use crate::report::document::{self, CellNames, Metadata, Names, Segment};
use crate::report::i18n::InLanguage;
use crate::report::i18n::Strings;
use crate::report::model::{
    input_anchor, Block, Cell, ContentsEntry, FrontPage, InputLink, Labels, OtherLanguage,
    ReportDocument, ReportInput, TableAnchor, INPUTS_TABLE_ANCHOR,
};
use crate::report::render::{escape_markdown, CONTENTS_ANCHOR, FINDINGS_ANCHOR};

/// The cells the study has, in the built-in order.
pub(super) fn available(input: &ReportInput) -> Vec<&'static CellSpec> {
    CELLS
        .iter()
        .filter(|spec| spec.availability.missing(input).is_none())
        .collect()
}

/// The cell registered as `id`.
pub(crate) fn spec(id: &str) -> Option<&'static CellSpec> {
    CELLS.iter().find(|spec| spec.id == id)
}

/// Everything a document may name for this study: every registered cell (with why the study lacks it,
/// or its tables and figures) and every value in `lang`.
pub(crate) fn names(lang: Lang, strings: &Strings, input: &ReportInput) -> Result<Names> {
    let specs = available(input);
    let builder = Builder::new(lang, strings, input, &specs);
    let mut cells = Vec::new();
    for spec in &CELLS {
        let missing = spec.availability.missing(input);
        let (tables, figures) = match missing {
            Some(_) => (Vec::new(), Vec::new()),
            None => {
                let cell = (spec.build)(&builder)?;
                (
                    cell.method_tables
                        .iter()
                        .chain(&cell.tables)
                        .map(|t| t.id.clone())
                        .collect(),
                    cell.figures.iter().map(|f| f.id.clone()).collect(),
                )
            }
        };
        cells.push(CellNames {
            id: spec.id,
            missing,
            tables,
            figures,
        });
    }
    let values = VALUES
        .iter()
        .map(|value| Ok((value.name, value.compute(&builder)?)))
        .collect::<Result<_>>()?;
    Ok(Names { cells, values })
}

/// The study's title and citation as a document reads them.
pub(crate) fn metadata(lang: Lang, strings: &Strings, input: &ReportInput) -> Result<Metadata> {
    let builder = Builder::new(lang, strings, input, &[]);
    Ok(Metadata {
        title: escape_markdown(input.study.title().get(lang)),
        citation: builder.citation()?,
        study_id: input.study.id().to_string(),
        lang: lang.code(),
    })
}

/// The report of a document's `segments` in `lang`.
pub(crate) fn assemble(
    lang: Lang,
    strings: &Strings,
    input: &ReportInput,
    segments: &[Segment],
    allow_html: bool,
) -> Result<ReportDocument> {
    let specs: Vec<&CellSpec> = segments
        .iter()
        .filter_map(|segment| match segment {
            Segment::Cell(id) => spec(id),
            _ => None,
        })
        .collect();
    Builder::new(lang, strings, input, &specs).assemble(segments, allow_html)
}

impl Builder<'_> {
    /// The cell whose table (or figure) is `id`, built; an error when no cell has it.
    fn owner_of(
        &self,
        built: &mut BTreeMap<&'static str, Cell>,
        id: &str,
        figure: bool,
    ) -> Result<Cell> {
        for spec in available(self.input) {
            if !built.contains_key(spec.id) {
                built.insert(spec.id, (spec.build)(self)?);
            }
            let cell = &built[spec.id];
            let found = if figure {
                cell.figures.iter().any(|f| f.id == id)
            } else {
                cell.method_tables
                    .iter()
                    .chain(&cell.tables)
                    .any(|t| t.id == id)
            };
            if found {
                return Ok(cell.clone());
            }
        }
        Err(anyhow!(
            "no cell has the {} '{id}'",
            if figure { "figure" } else { "table" }
        ))
    }

    fn assemble(&self, segments: &[Segment], allow_html: bool) -> Result<ReportDocument> {
        let study = self.input.study;
        // Cells whose table or figure stands alone, built once each.
        let mut owners = BTreeMap::new();
        let mut taken_ids: BTreeSet<String> = [FINDINGS_ANCHOR, CONTENTS_ANCHOR]
            .iter()
            .map(|id| id.to_string())
            .chain(CELLS.iter().map(|spec| spec.id.to_string()))
            .collect();
        let mut blocks = Vec::new();
        for segment in segments {
            blocks.push(match segment {
                Segment::Text(text) => {
                    let (markdown, headings) = document::author_text(text, allow_html);
                    let sections = headings
                        .iter()
                        .map(|heading| document::section_id(heading, &mut taken_ids))
                        .collect();
                    Block::Text {
                        markdown,
                        headings,
                        sections,
                    }
                }
                Segment::Front => Block::Front,
                Segment::Cell(id) => {
                    let spec = spec(id).ok_or_else(|| anyhow!("no cell '{id}'"))?;
                    Block::Cell((spec.build)(self)?)
                }
                Segment::Table(id) => {
                    let owner = self.owner_of(&mut owners, id, false)?;
                    let table = owner
                        .method_tables
                        .into_iter()
                        .chain(owner.tables)
                        .find(|t| &t.id == id)
                        .ok_or_else(|| anyhow!("no table '{id}'"))?;
                    Block::Table(table)
                }
                Segment::Figure(id) => {
                    let owner = self.owner_of(&mut owners, id, true)?;
                    let figure = owner
                        .figures
                        .into_iter()
                        .find(|f| &f.id == id)
                        .ok_or_else(|| anyhow!("no figure '{id}'"))?;
                    Block::Figure(figure)
                }
            });
        }
        self.number_figures(&mut blocks)?;
        // The inputs line links each file to its row of the inputs table, when the document shows it.
        let inputs_table_shown = blocks.iter().any(|block| match block {
            Block::Cell(cell) => cell.tables.iter().any(|t| t.id == "input-files"),
            Block::Table(table) => table.id == "input-files",
            _ => false,
        });
        for block in &mut blocks {
            if let Block::Cell(cell) = block {
                let mut seen = BTreeSet::new();
                cell.input_links = cell
                    .inputs
                    .iter()
                    .filter(|i| seen.insert(i.path.clone()))
                    .map(|i| InputLink {
                        path: i.path.clone(),
                        anchor: if inputs_table_shown {
                            i.anchor.clone()
                        } else {
                            String::new()
                        },
                    })
                    .collect();
            }
        }
        let cells: Vec<Cell> = blocks
            .iter()
            .filter_map(|block| match block {
                Block::Cell(cell) => Some(cell.clone()),
                _ => None,
            })
            .collect();
        let (anchors, contents) = self.anchors_and_contents(&blocks);
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
            title: self.fill(
                if study.has_ratings() {
                    "doc.title"
                } else {
                    "doc.title_coding"
                },
                &[("title", study.title().get(self.lang))],
            )?,
            preamble: self.preamble()?,
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
            blocks,
            allow_html,
            included: Vec::new(),
        })
    }

    /// What the report is and where its inputs are listed, and the settings `--set` overrode.
    fn preamble(&self) -> Result<String> {
        let study = self.input.study;
        let mut preamble = self.fill(
            if self.has_publication() {
                "doc.generated_by"
            } else {
                "doc.generated_by_unpublished"
            },
            &[
                ("version", env!("CARGO_PKG_VERSION")),
                ("study", study.id()),
                ("inputs_cell", &self.cell_reference("inputs")?),
            ],
        )?;
        if let Some(set) = self.parameters_set()? {
            preamble.push_str("\n\n");
            preamble.push_str(&set);
        }
        Ok(preamble)
    }

    /// Numbers every figure in the order the document shows them: "Figure 1. ...", once, in the caption.
    fn number_figures(&self, blocks: &mut [Block]) -> Result<()> {
        let figures = blocks.iter_mut().flat_map(|block| match block {
            Block::Cell(cell) => cell.figures.iter_mut().collect::<Vec<_>>(),
            Block::Figure(figure) => vec![figure],
            _ => Vec::new(),
        });
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

    /// The ids the page gives the inputs table (and its rows) and each numbered table, and the
    /// contents: the author's sections, the cells with their numbered tables and figures under them,
    /// and the tables and figures placed on their own.
    fn anchors_and_contents(&self, blocks: &[Block]) -> (Vec<TableAnchor>, Vec<ContentsEntry>) {
        let inputs_table = blocks
            .iter()
            .flat_map(|block| match block {
                Block::Cell(cell) => cell.tables.iter().collect::<Vec<_>>(),
                Block::Table(table) => vec![table],
                _ => Vec::new(),
            })
            .find(|table| table.id == "input-files");
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
        let entry = |contents: &mut Vec<ContentsEntry>, text: &str, anchor: String, nested| {
            contents.push(ContentsEntry {
                text: text.to_string(),
                anchor,
                nested,
            });
        };
        for block in blocks {
            let (tables, figures, nested) = match block {
                Block::Text {
                    headings, sections, ..
                } => {
                    for (heading, id) in headings.iter().zip(sections) {
                        entry(&mut contents, heading, id.clone(), false);
                    }
                    continue;
                }
                Block::Front => continue,
                Block::Cell(cell) => {
                    entry(&mut contents, &cell.heading, cell.id.clone(), false);
                    (
                        cell.tables.iter().collect(),
                        cell.figures.iter().collect(),
                        true,
                    )
                }
                Block::Table(table) => (vec![table], Vec::new(), false),
                Block::Figure(figure) => (Vec::new(), vec![figure], false),
            };
            for table in tables {
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
                    entry(&mut contents, &table.caption, id, nested);
                }
            }
            let figures: Vec<&crate::report::model::Figure> = figures;
            for figure in figures {
                entry(
                    &mut contents,
                    &figure.caption,
                    format!("figure-{}", figure.id),
                    nested,
                );
            }
        }
        (anchors, contents)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::cells::tiny::Tiny;

    fn text(markdown: &str) -> Segment {
        Segment::Text(markdown.to_string())
    }

    #[test]
    fn parts_are_numbered_in_the_documents_order() {
        let tiny = Tiny::plain();
        let strings = Strings::builtin().unwrap();
        let segments = [
            text("## Results\n\nWe screened the indicators.\n"),
            Segment::Cell("summary".into()),
            Segment::Table("screening".into()),
            Segment::Figure("sensitivity".into()),
            Segment::Cell("method".into()),
        ];
        let document = assemble(Lang::EN, &strings, &tiny.input(), &segments, false).unwrap();
        let kinds: Vec<String> = document
            .blocks
            .iter()
            .map(|block| match block {
                Block::Text { sections, .. } => format!("text {sections:?}"),
                Block::Front => "front".into(),
                Block::Cell(cell) => format!("cell {}", cell.heading),
                Block::Table(table) => format!("table {}", table.caption),
                Block::Figure(figure) => format!("figure {}", figure.caption),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "text [\"results\"]",
                "cell Cell 1 · Screening summary",
                "table Table 2. Fuzzy means and crisp values of the experts' ratings",
                "figure Figure 2. Verdict of each indicator whose verdict changes, by threshold (filled: accepted; outlined column: this study's threshold); rows from the highest crisp value.",
                "cell Cell 2 · Method",
            ]
        );
        // The summary's crisp figure comes first: Figure 1.
        let Block::Cell(summary) = &document.blocks[1] else {
            panic!("the summary cell")
        };
        assert!(summary.figures[0].caption.starts_with("Figure 1. "));
        let contents: Vec<(&str, bool)> = document
            .front
            .contents
            .iter()
            .map(|c| (c.anchor.as_str(), c.nested))
            .collect();
        assert_eq!(
            contents,
            [
                ("results", false),
                ("summary", false),
                ("figure-crisp", true),
                ("table-2", false),
                ("figure-sensitivity", false),
                ("method", false),
            ]
        );
        // The key findings link to the cells the document has and name the others by title.
        assert!(document.front.findings[0]
            .text
            .starts_with("[Cell 1](#summary): "));
        assert!(
            document.front.findings[1]
                .text
                .starts_with("Inputs: 4 input files"),
            "{}",
            document.front.findings[1].text
        );
        assert!(
            document
                .preamble
                .contains("listed in cell “Inputs” (not in this report)"),
            "{}",
            document.preamble
        );
    }

    #[test]
    fn the_built_in_document_places_every_cell_the_study_has() {
        let tiny = Tiny::rich();
        let strings = Strings::builtin().unwrap();
        let names = names(Lang::EN, &strings, &tiny.input()).unwrap();
        let ids: Vec<&str> = names.cells.iter().map(|c| c.id).collect();
        assert_eq!(ids.len(), CELLS.len());
        let summary = names.cells.iter().find(|c| c.id == "summary").unwrap();
        assert_eq!(summary.tables, ["components-summary"]);
        assert_eq!(summary.figures, ["crisp"]);
        let document = tiny.document(Lang::EN);
        assert!(matches!(document.blocks[0], Block::Front));
        assert_eq!(document.cells().count(), 21);
        let plain = Tiny::plain();
        let names = super::names(Lang::EN, &strings, &plain.input()).unwrap();
        let rounds = names.cells.iter().find(|c| c.id == "rounds").unwrap();
        assert_eq!(rounds.missing, Some("the study has one round of ratings"));
        assert_eq!(plain.document(Lang::EN).cells().count(), 9);
    }

    #[test]
    fn a_study_of_its_own_data_is_not_said_to_reproduce_a_publication() {
        // The plain tiny study cites nothing and holds nothing printed; the rich one holds a printed
        // screening table.
        let plain = Tiny::plain();
        let document = plain.document(Lang::EN);
        assert_eq!(
            document.preamble,
            format!(
                "Generated by delphi-report {} from the study `tiny`. Every number below is computed from the data files listed in cell 3.",
                env!("CARGO_PKG_VERSION")
            )
        );
        let method = plain.cell(Lang::EN, "method");
        assert_eq!(
            method.method.last().unwrap(),
            "Computations are exact (rational arithmetic); values are rounded half away from zero only for display, at 3 decimals. The CSV tables keep full precision."
        );
        assert_eq!(
            plain.cell(Lang::FA, "screening").narrative[0],
            "میانگین عدد فازی مثلثی (l, m, u)، مقدار قطعی و وضعیت هر شاخص، تا ۳ رقم اعشار."
        );
        let rich = Tiny::rich();
        assert!(rich.document(Lang::EN).preamble.ends_with(
            "nothing is copied from the publication except where a table says *printed*."
        ));
        assert!(rich
            .cell(Lang::EN, "method")
            .method
            .last()
            .unwrap()
            .contains("at 3 decimals as in the publication"));
        assert_eq!(
            rich.cell(Lang::EN, "screening").narrative[0],
            rich.text(Lang::EN, "cell.screening.text")
        );
    }
}
