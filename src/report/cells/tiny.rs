//! SYNTHETIC tiny studies for the cells' unit tests: three invented indicators rated by three invented
//! experts, small enough to compute by hand. Not the reference study.
//!
//! Scale: low (0, 0, 0.5), high (0.5, 1, 1); arithmetic mean, centroid, threshold 0.5. Last round:
//! - I1 (Market) 0 low, 3 high: (0.5, 1, 1), crisp 2.5 / 3 = 0.833, accepted;
//! - I2 (Market) 2 low, 1 high: (0.5/3, 1/3, 2/3) = (0.167, 0.333, 0.667), crisp 3.5 / 9 = 0.389, rejected;
//! - I3 (Technology) 1 low, 2 high: (1/3, 2/3, 2.5/3) = (0.333, 0.667, 0.833), crisp 5.5 / 9 = 0.611,
//!   accepted.
//!
//! The rich study adds a first round (I1 rated 1 low, 2 high: crisp 0.611, so it moves by 0.222), a
//! printed screening table whose crisp value of I3 is misprinted as 0.621, a printed count of
//! indicators, two respondents, a design table and coded interviews of two documents.

use std::path::Path;

use crate::analysis::coding::{CodeNode, CodedData, CodedSegment};
use crate::analysis::demographics::Respondent;
use crate::analysis::published::DesignCell;
use crate::analysis::published_in_text::{CountTarget, PublishedCount, Relation};
use crate::analysis::{
    Component, CountsRow, CountsTable, Indicator, PrintedCell, PublishedScreeningRow, Round,
    Status, StudyData,
};
use crate::config::Study;
use crate::domain::{InputFile, InputRole, Names};
use crate::number::Printed;
use crate::report::i18n::Strings;
use crate::report::model::{Cell, ReportDocument, ReportInput};
use crate::{Analysis, Lang};

use super::{Builder, CellSpec, CELLS};

const PLAIN_YAML: &str = r#"
id: tiny
title: {en: Tiny study, fa: پژوهش کوچک}
panels: {delphi_experts: 3}
scale:
  levels:
    - {id: low, label: {en: Low, fa: کم}, tfn: [0, 0, 0.5]}
    - {id: high, label: {en: High, fa: زیاد}, tfn: [0.5, 1, 1]}
method: {aggregation: arithmetic-mean, defuzzification: centroid, threshold: 0.5}
data:
  components: components.csv
  indicators: indicators.csv
  ratings: {shape: counts, path: counts.csv}
"#;

const RICH_YAML: &str = r#"
id: tiny-rich
title: {en: Tiny study, fa: پژوهش کوچک}
panels: {delphi_experts: 3, interviewees: 2}
scale:
  levels:
    - {id: low, label: {en: Low, fa: کم}, tfn: [0, 0, 0.5]}
    - {id: high, label: {en: High, fa: زیاد}, tfn: [0.5, 1, 1]}
method: {aggregation: arithmetic-mean, defuzzification: centroid, threshold: 0.5}
data:
  components: components.csv
  indicators: indicators.csv
  rounds:
    - {shape: counts, path: round1.csv}
    - {shape: counts, path: round2.csv}
  published: {screening: printed.csv, coding_counts: printed_counts.csv}
demographics:
  respondents: respondents.csv
  panels: [{id: delphi, label: {en: Delphi panel, fa: هیئت دلفی}}]
  attributes:
    - id: gender
      label: {en: Gender, fa: جنسیت}
      categories:
        - {id: female, label: {en: Female, fa: زن}}
        - {id: male, label: {en: Male, fa: مرد}}
coding:
  published:
    design:
      path: design.csv
      number: 3
      caption: {en: Design, fa: طرح}
"#;

fn names(en: &str, fa: &str) -> Names {
    Names::of(&[(Lang::EN, en), (Lang::FA, fa)])
}

fn counts(rows: [[u64; 2]; 3]) -> CountsTable {
    CountsTable {
        levels: vec!["low".into(), "high".into()],
        rows: ["I1", "I2", "I3"]
            .iter()
            .zip(rows)
            .map(|(id, counts)| CountsRow {
                indicator: id.to_string(),
                counts: counts.to_vec(),
            })
            .collect(),
    }
}

fn round(rows: [[u64; 2]; 3]) -> Round {
    Round {
        counts: counts(rows),
        weights: None,
        experts: None,
    }
}

fn input(role: InputRole, path: &str, rows: usize) -> InputFile {
    InputFile::new(role, Path::new(path), rows, format!("{:0>64}", rows))
}

/// The last round's counts: (low, high) per indicator.
const LAST_ROUND: [[u64; 2]; 3] = [[0, 3], [2, 1], [1, 2]];

fn plain_data() -> StudyData {
    let component = |id: &str, en: &str, fa: &str| Component {
        id: id.into(),
        name: names(en, fa),
        translated: Vec::new(),
    };
    let indicator = |number: usize, component: &str, en: &str, fa: &str| Indicator {
        id: format!("I{number}"),
        number,
        component: component.into(),
        name: names(en, fa),
        translated: Vec::new(),
    };
    StudyData {
        components: vec![
            component("market", "Market", "بازار"),
            component("technology", "Technology", "فناوری"),
        ],
        indicators: vec![
            indicator(1, "market", "Distribution networks", "شبکه‌های توزیع"),
            indicator(2, "market", "Export incentives", "مشوق‌های صادراتی"),
            indicator(3, "technology", "Patents", "حق اختراع"),
        ],
        counts: counts(LAST_ROUND),
        weights: None,
        rounds: vec![round(LAST_ROUND)],
        published_counts: None,
        published_counts_are_ratings: false,
        published_screening: None,
        published_demographics: None,
        published_coding_counts: None,
        respondents: Vec::new(),
        coding: None,
        published_coding: Default::default(),
        inputs: vec![
            input(InputRole::Components, "components.csv", 2),
            input(InputRole::Indicators, "indicators.csv", 3),
            input(InputRole::Ratings, "counts.csv", 3),
        ],
        reversed: Vec::new(),
        documents: Vec::new(),
        document_includes: Default::default(),
        page_templates: Vec::new(),
    }
}

fn printed(text: &str) -> PrintedCell {
    PrintedCell {
        text: text.into(),
        value: Some(Printed::parse(text).expect("a printed decimal")),
    }
}

fn printed_row(id: &str, values: [&str; 4], status: Status) -> PublishedScreeningRow {
    PublishedScreeningRow {
        indicator: id.into(),
        l: printed(values[0]),
        m: printed(values[1]),
        u: printed(values[2]),
        crisp: printed(values[3]),
        status: Some(status),
    }
}

fn code(path: &[&str], indicator: Option<&str>) -> CodeNode {
    let name = path.last().copied().unwrap_or_default();
    CodeNode {
        path: path.iter().map(|p| p.to_string()).collect(),
        name: names(name, name),
        untranslated: true,
        translated: Vec::new(),
        indicator: indicator.map(str::to_string),
    }
}

fn segment(document: usize, code: usize, passage: usize, start: u64, text: &str) -> CodedSegment {
    CodedSegment {
        document,
        code,
        coded: code,
        passage,
        start: Some(start),
        text: Some(text.into()),
    }
}

fn rich_data() -> StudyData {
    let mut data = plain_data();
    data.rounds = vec![round([[1, 2], [2, 1], [1, 2]]), round(LAST_ROUND)];
    data.published_screening = Some(vec![
        printed_row("I1", ["0.5", "1", "1", "0.833"], Status::Accepted),
        printed_row("I2", ["0.167", "0.333", "0.667", "0.389"], Status::Rejected),
        printed_row("I3", ["0.333", "0.667", "0.833", "0.621"], Status::Accepted),
    ]);
    data.published_coding_counts = Some(vec![PublishedCount {
        id: "indicators".into(),
        label: names("indicators", "شاخص"),
        relation: Relation::Equal,
        value: 3,
        checked_against: Some(CountTarget::Indicators),
        source_line: 12,
    }]);
    data.respondents = vec![
        Respondent {
            id: "E1".into(),
            panel: "delphi".into(),
            values: vec![Some("female".into())],
        },
        Respondent {
            id: "E2".into(),
            panel: "delphi".into(),
            values: vec![Some("male".into())],
        },
    ];
    data.published_coding.design = vec![DesignCell {
        phase: "qualitative".into(),
        phase_label: names("Qualitative", "کیفی"),
        field: "tool".into(),
        field_label: names("Tool", "ابزار"),
        value: names("Interviews", "مصاحبه"),
    }];
    data.coding = Some(CodedData {
        documents: vec!["A1".into(), "A2".into()],
        codes: vec![
            code(&["Networking"], None),
            code(&["Networking", "Partners"], Some("I1")),
            code(&["Networking", "Partners", "Trade fairs"], None),
            code(&["Networking", "Partners", "Agents"], None),
        ],
        segments: vec![
            segment(0, 2, 0, 0, "We meet buyers at fairs."),
            segment(0, 3, 1, 30, "Our agent abroad sells."),
            segment(1, 2, 2, 0, "Fairs matter most."),
        ],
        uncounted: Vec::new(),
        levels: 3,
    });
    data.inputs.extend([
        input(InputRole::PublishedScreening, "printed.csv", 3),
        input(InputRole::PublishedCodingCounts, "printed_counts.csv", 1),
        input(InputRole::Respondents, "respondents.csv", 2),
        input(InputRole::PublishedDesign, "design.csv", 1),
    ]);
    data
}

/// A tiny study with its data and analysis, ready to build cells from.
pub(super) struct Tiny {
    study: Study,
    data: StudyData,
    analysis: Analysis,
    strings: Strings,
}

impl Tiny {
    fn new(yaml: &str, data: StudyData) -> Tiny {
        let study =
            Study::from_yaml_with(Path::new("tiny"), Path::new("tiny/study.yaml"), yaml, &[])
                .expect("the tiny study.yaml is valid");
        let analysis = crate::analyse(&study, &data).expect("the tiny study computes");
        Tiny {
            study,
            data,
            analysis,
            strings: Strings::builtin().expect("the built-in strings parse"),
        }
    }

    /// One round, no printed tables, no qualitative data.
    pub(super) fn plain() -> Tiny {
        Tiny::new(PLAIN_YAML, plain_data())
    }

    /// The plain study with its data changed by `change`.
    pub(super) fn plain_with(change: impl FnOnce(&mut StudyData)) -> Tiny {
        let mut data = plain_data();
        change(&mut data);
        Tiny::new(PLAIN_YAML, data)
    }

    /// Two rounds, a printed screening table and count, respondents, a design table, coded interviews.
    pub(super) fn rich() -> Tiny {
        Tiny::new(RICH_YAML, rich_data())
    }

    /// Coded interviews (project CSV segments) and the rich study's data, but no printed design
    /// table: the design cell exists and says the study folder holds none.
    pub(super) fn coded_without_design() -> Tiny {
        let start = RICH_YAML
            .find("coding:")
            .expect("the rich study has a coding section");
        let yaml = format!(
            "{}coding:\n  segments: {{format: project-csv, path: segments.csv}}\n",
            &RICH_YAML[..start]
        );
        let mut data = rich_data();
        data.published_coding.design.clear();
        Tiny::new(&yaml, data)
    }

    /// The rich study's ratings and coded interviews as an author's own data: no citation, nothing
    /// printed, no demographics section. Its report speaks of no publication.
    pub(super) fn own_data() -> Tiny {
        Tiny::without_demographics(false)
    }

    /// The rich study's ratings, coded interviews and printed tables, but no demographics section.
    pub(super) fn published_without_demographics() -> Tiny {
        Tiny::without_demographics(true)
    }

    fn without_demographics(printed: bool) -> Tiny {
        let start = RICH_YAML
            .find("demographics:")
            .expect("the rich study has a demographics section");
        let mut settings = RICH_YAML[..start].to_string();
        let mut data = rich_data();
        data.published_coding = Default::default();
        data.respondents.clear();
        if !printed {
            settings = settings.replace(
                "  published: {screening: printed.csv, coding_counts: printed_counts.csv}\n",
                "",
            );
            assert!(!settings.contains("published"), "{settings}");
            data.published_screening = None;
            data.published_coding_counts = None;
        }
        let yaml =
            format!("{settings}coding:\n  segments: {{format: project-csv, path: segments.csv}}\n");
        Tiny::new(&yaml, data)
    }

    /// The rich study's settings (a qualitative part, a sample) with none of its qualitative data:
    /// no coded segments, no printed coding tables or counts, no respondents. Its coding cells exist
    /// and say what the study folder lacks.
    pub(super) fn qualitative_without_data() -> Tiny {
        let mut data = rich_data();
        data.coding = None;
        data.published_coding = Default::default();
        data.published_coding_counts = None;
        data.respondents.clear();
        Tiny::new(RICH_YAML, data)
    }

    pub(super) fn input(&self) -> ReportInput<'_> {
        self.analysis.report_input(&self.study, &self.data)
    }

    /// The built-in report of this study in `lang`.
    pub(super) fn document(&self, lang: Lang) -> ReportDocument {
        super::build(lang, &self.strings, &self.input()).expect("the document builds")
    }

    /// The fixed text `key` in `lang`.
    pub(super) fn text(&self, lang: Lang, key: &str) -> String {
        self.strings
            .get(lang, key)
            .expect("a known key")
            .to_string()
    }

    /// Why the study has no cell `id`, or `None` when it has it.
    pub(super) fn missing(&self, id: &str) -> Option<&'static str> {
        let spec = super::assemble::spec(id).expect("a registered cell");
        spec.availability.missing(&self.input())
    }

    /// `f` run with the builder of the built-in report in `lang`.
    pub(super) fn with_builder<T>(&self, lang: Lang, f: impl FnOnce(&Builder) -> T) -> T {
        let results = self.input();
        let specs = self.builtin_cells();
        f(&Builder::new(lang, &self.strings, &results, &specs))
    }

    /// The cells of the built-in report.
    fn builtin_cells(&self) -> Vec<&'static CellSpec> {
        let results = self.input();
        CELLS
            .iter()
            .filter(|spec| spec.availability.missing(&results).is_none())
            .collect()
    }

    /// Cell `id` as the built-in report numbers it, in `lang`.
    pub(super) fn cell(&self, lang: Lang, id: &str) -> Cell {
        let spec = *self
            .builtin_cells()
            .iter()
            .find(|spec| spec.id == id)
            .unwrap_or_else(|| panic!("the tiny study has no cell '{id}'"));
        self.with_builder(lang, |builder| (spec.build)(builder))
            .expect("the cell builds")
    }
}

/// Every row of a table as `a | b | c` lines, for assertions that read like the table.
pub(super) fn rows(table: &crate::report::model::Table) -> Vec<String> {
    table.rows.iter().map(|row| row.join(" | ")).collect()
}
