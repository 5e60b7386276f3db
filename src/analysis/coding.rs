//! Qualitative coding: the code tree (component > concept > initial code), coded segments, and what is
//! computed from them: counts per level, the code x interviewee matrix, the saturation curve, and the link
//! from concepts to the Delphi indicators they became.

use std::collections::BTreeSet;

use crate::analysis::{Component, Indicator, Status};
use crate::config::Bilingual;

/// Depth of the code tree: component (1) > concept (2) > initial code (3).
pub const LEVELS: usize = 3;

/// A code of the tree, identified by its path of names as coded (one name per level).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeNode {
    pub path: Vec<String>,
    pub name: Bilingual,
    /// True when the codebook gives no names in both languages: both show the name as coded.
    pub untranslated: bool,
    /// True when the English name is our translation (codebook `name_en_source = translation`).
    pub name_en_is_translation: bool,
    /// For a concept: the Delphi indicator it became, if linked.
    pub indicator: Option<String>,
}

impl CodeNode {
    pub fn level(&self) -> usize {
        self.path.len()
    }
}

/// One application of an initial code to a passage of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodedSegment {
    /// Index into `CodedData::documents`.
    pub document: usize,
    /// Index into `CodedData::codes` (always an initial code).
    pub code: usize,
    /// The passage (document and span) coded: segments with the same number are one passage carrying
    /// several codes. Numbered from 0 in the order passages are first met.
    pub passage: usize,
    /// The passage's text; `None` when the export's source text is not available.
    pub text: Option<String>,
}

/// Why a coding of the export is not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum UncountedReason {
    /// A coding on a picture, PDF, audio or video source: only text sources are analysed.
    NonTextSource,
    /// A coding on a code that is not an initial code (a path of other than three names).
    OutsideLevels,
}

/// Codings of one kind the counts leave out, with what they sit on (sources or codes, first met first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncounted {
    pub reason: UncountedReason,
    pub codings: usize,
    pub names: Vec<String>,
}

/// Coded interviews, whatever format they came in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodedData {
    /// Documents (interviewees) in interview order: the order of the saturation curve. Every text source
    /// the export defines, coded or not.
    pub documents: Vec<String>,
    /// Every code of the tree, parents before children, in codebook order.
    pub codes: Vec<CodeNode>,
    pub segments: Vec<CodedSegment>,
    /// Codings the export holds that are not counted, by reason (none when every coding is counted).
    pub uncounted: Vec<Uncounted>,
}

impl CodedData {
    /// Whether a document holds at least one counted coding.
    pub fn is_coded(&self, document: usize) -> bool {
        self.segments.iter().any(|s| s.document == document)
    }
}

/// How many codes of each level there are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LevelCounts {
    pub components: usize,
    pub concepts: usize,
    pub initial_codes: usize,
}

/// What the coded segments hold, level by level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodingCounts {
    /// Codes of the tree, used or not.
    pub defined: LevelCounts,
    /// Codes applied to at least one segment (a concept or component counts when one of its codes is).
    pub used: LevelCounts,
    /// Coded segments (one per segment and code).
    pub segments: usize,
    /// Documents the export defines (every text source).
    pub documents: usize,
    /// Documents with at least one counted coding.
    pub documents_used: usize,
}

pub fn counts(data: &CodedData) -> CodingCounts {
    let used_codes: BTreeSet<usize> = data.segments.iter().map(|s| s.code).collect();
    let used_paths: Vec<&[String]> = used_codes
        .iter()
        .map(|&i| data.codes[i].path.as_slice())
        .collect();
    let distinct_prefixes = |depth: usize| -> usize {
        used_paths
            .iter()
            .map(|p| &p[..depth])
            .collect::<BTreeSet<_>>()
            .len()
    };
    let defined = |level: usize| data.codes.iter().filter(|c| c.level() == level).count();
    CodingCounts {
        defined: LevelCounts {
            components: defined(1),
            concepts: defined(2),
            initial_codes: defined(3),
        },
        used: LevelCounts {
            components: distinct_prefixes(1),
            concepts: distinct_prefixes(2),
            initial_codes: distinct_prefixes(3),
        },
        segments: data.segments.len(),
        documents: data.documents.len(),
        documents_used: (0..data.documents.len())
            .filter(|&d| data.is_coded(d))
            .count(),
    }
}

/// Segments per initial code (rows, in code order) and coded document (columns, in interview order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeMatrix {
    /// The columns: indices into `CodedData::documents` of the documents with at least one coding.
    pub documents: Vec<usize>,
    pub rows: Vec<MatrixRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRow {
    /// Index into `CodedData::codes`.
    pub code: usize,
    pub per_document: Vec<u64>,
}

impl MatrixRow {
    pub fn total(&self) -> u64 {
        self.per_document.iter().sum()
    }
}

/// Every initial code of the tree against every document that holds codings (a source with none is
/// defined but was not coded, so it is no column of zeros).
pub fn matrix(data: &CodedData) -> CodeMatrix {
    let documents: Vec<usize> = (0..data.documents.len())
        .filter(|&d| data.is_coded(d))
        .collect();
    let rows = data
        .codes
        .iter()
        .enumerate()
        .filter(|(_, c)| c.level() == LEVELS)
        .map(|(index, _)| {
            let mut per_document = vec![0; documents.len()];
            for segment in data.segments.iter().filter(|s| s.code == index) {
                if let Some(column) = documents.iter().position(|&d| d == segment.document) {
                    per_document[column] += 1;
                }
            }
            MatrixRow {
                code: index,
                per_document,
            }
        })
        .collect();
    CodeMatrix { documents, rows }
}

/// One step of the saturation curve: what the k-th interview added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaturationStep {
    /// Index into `CodedData::documents`.
    pub document: usize,
    /// Initial codes first seen in this interview.
    pub new_codes: usize,
    /// Distinct initial codes seen up to and including this interview.
    pub cumulative: usize,
    /// Segments coded in this interview.
    pub segments: usize,
}

/// New initial codes per successive coded interview, in interview order (a document with no coding
/// is not an interview of the curve).
pub fn saturation(data: &CodedData) -> Vec<SaturationStep> {
    let mut seen = BTreeSet::new();
    (0..data.documents.len())
        .filter(|&document| data.is_coded(document))
        .map(|document| {
            let in_document: Vec<&CodedSegment> = data
                .segments
                .iter()
                .filter(|s| s.document == document)
                .collect();
            let before = seen.len();
            seen.extend(in_document.iter().map(|s| s.code));
            SaturationStep {
                document,
                new_codes: seen.len() - before,
                cumulative: seen.len(),
                segments: in_document.len(),
            }
        })
        .collect()
}

/// A concept with the initial codes under it, from coded data or from a published sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConceptCodes {
    pub concept: Bilingual,
    /// The Delphi indicator the concept became, if linked.
    pub indicator: Option<String>,
    pub codes: Vec<Bilingual>,
    /// Segments coded with the concept's codes (`None` for a published sample, which prints none).
    pub segments: Option<usize>,
}

/// Every concept of the coded data with its initial codes (used or not) and its segments.
pub fn concepts(data: &CodedData) -> Vec<ConceptCodes> {
    data.codes
        .iter()
        .filter(|c| c.level() == 2)
        .map(|concept| {
            let children: Vec<usize> = data
                .codes
                .iter()
                .enumerate()
                .filter(|(_, c)| c.level() == LEVELS && c.path[..2] == concept.path[..])
                .map(|(i, _)| i)
                .collect();
            ConceptCodes {
                concept: concept.name.clone(),
                indicator: concept.indicator.clone(),
                codes: children
                    .iter()
                    .map(|&i| data.codes[i].name.clone())
                    .collect(),
                segments: Some(
                    data.segments
                        .iter()
                        .filter(|s| children.contains(&s.code))
                        .count(),
                ),
            }
        })
        .collect()
}

/// Per component of the Delphi framework: its indicators, their screening, and the coding behind them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentLink {
    pub component: String,
    pub indicators: usize,
    pub accepted: usize,
    pub rejected: usize,
    /// Concepts linked to one of the component's indicators.
    pub linked_concepts: usize,
    /// Initial codes under those concepts.
    pub initial_codes: usize,
    /// Segments coded with those codes (`None` when the concepts come from a published sample).
    pub segments: Option<usize>,
}

/// Links concepts to the indicators they became, component by component.
///
/// `statuses` holds each indicator's screening decision (`None` when it had no responses), in indicator
/// order. A concept linked to an unknown indicator is not counted (the reader rejects such links).
pub fn link_components(
    components: &[Component],
    indicators: &[Indicator],
    statuses: &[Option<Status>],
    concepts: &[ConceptCodes],
) -> Vec<ComponentLink> {
    components
        .iter()
        .map(|component| {
            let members: Vec<(&Indicator, Option<Status>)> = indicators
                .iter()
                .zip(statuses.iter().copied())
                .filter(|(i, _)| i.component == component.id)
                .collect();
            let linked: Vec<&ConceptCodes> = concepts
                .iter()
                .filter(|c| {
                    c.indicator
                        .as_ref()
                        .is_some_and(|id| members.iter().any(|(i, _)| &i.id == id))
                })
                .collect();
            let segments = if linked.iter().all(|c| c.segments.is_some()) {
                Some(linked.iter().filter_map(|c| c.segments).sum())
            } else {
                None
            };
            ComponentLink {
                component: component.id.clone(),
                indicators: members.len(),
                accepted: members
                    .iter()
                    .filter(|(_, s)| *s == Some(Status::Accepted))
                    .count(),
                rejected: members
                    .iter()
                    .filter(|(_, s)| *s == Some(Status::Rejected))
                    .count(),
                linked_concepts: linked.len(),
                initial_codes: linked.iter().map(|c| c.codes.len()).sum(),
                segments,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(path: &[&str], indicator: Option<&str>) -> CodeNode {
        let name = path.last().unwrap().to_string();
        CodeNode {
            path: path.iter().map(|s| s.to_string()).collect(),
            name: Bilingual {
                en: name.clone(),
                fa: name,
            },
            untranslated: true,
            name_en_is_translation: false,
            indicator: indicator.map(String::from),
        }
    }

    /// Synthetic coding: components N and R; concepts N>a (I1), N>b (I2), R>c (I3);
    /// codes N>a>x, N>a>y, N>b>z, R>c>w (w never used). Documents D1, D2, D3, and D4 with no coding.
    fn synthetic() -> CodedData {
        let codes = vec![
            node(&["N"], None),
            node(&["N", "a"], Some("I1")),
            node(&["N", "a", "x"], None),
            node(&["N", "a", "y"], None),
            node(&["N", "b"], Some("I2")),
            node(&["N", "b", "z"], None),
            node(&["R"], None),
            node(&["R", "c"], Some("I3")),
            node(&["R", "c", "w"], None),
        ];
        let segment = |document, code| CodedSegment {
            document,
            code,
            passage: 0,
            text: None,
        };
        CodedData {
            documents: vec!["D1".into(), "D2".into(), "D3".into(), "D4".into()],
            uncounted: Vec::new(),
            codes,
            // D1: x, x, y; D2: y, z; D3: x.
            segments: vec![
                segment(0, 2),
                segment(0, 2),
                segment(0, 3),
                segment(1, 3),
                segment(1, 5),
                segment(2, 2),
            ],
        }
    }

    #[test]
    fn counts_per_level_distinguish_defined_from_used() {
        // Defined: components N, R (2); concepts a, b, c (3); codes x, y, z, w (4).
        // Used: codes x, y, z (3); concepts a, b (2); component N (1); 6 segments; 4 documents defined,
        // 3 of them coded.
        let counts = counts(&synthetic());
        assert_eq!(
            counts.defined,
            LevelCounts {
                components: 2,
                concepts: 3,
                initial_codes: 4
            }
        );
        assert_eq!(
            counts.used,
            LevelCounts {
                components: 1,
                concepts: 2,
                initial_codes: 3
            }
        );
        assert_eq!(
            (counts.segments, counts.documents, counts.documents_used),
            (6, 4, 3)
        );
    }

    #[test]
    fn matrix_counts_segments_per_code_and_document() {
        // x: D1 2, D3 1; y: D1 1, D2 1; z: D2 1; w: none. D4 has no coding, so no column.
        let matrix = matrix(&synthetic());
        assert_eq!(matrix.documents, vec![0, 1, 2]);
        let rows: Vec<(usize, Vec<u64>)> = matrix
            .rows
            .iter()
            .map(|r| (r.code, r.per_document.clone()))
            .collect();
        assert_eq!(
            rows,
            vec![
                (2, vec![2, 0, 1]),
                (3, vec![1, 1, 0]),
                (5, vec![0, 1, 0]),
                (8, vec![0, 0, 0])
            ]
        );
        assert_eq!(matrix.rows[0].total(), 3);
    }

    #[test]
    fn saturation_counts_codes_first_seen_in_each_interview() {
        // D1 brings x, y (2 new, 2 in all); D2 brings z (y already seen: 1 new, 3); D3 nothing new (0, 3);
        // D4, with no coding, is no step of the curve.
        let steps = saturation(&synthetic());
        let summary: Vec<(usize, usize, usize)> = steps
            .iter()
            .map(|s| (s.new_codes, s.cumulative, s.segments))
            .collect();
        assert_eq!(summary, vec![(2, 2, 3), (1, 3, 2), (0, 3, 1)]);
    }

    #[test]
    fn components_gather_the_codes_of_concepts_linked_to_their_indicators() {
        // Delphi component P holds I1, I2 (accepted, rejected); Q holds I3 (accepted).
        // Concepts: a -> I1 (codes x, y; x 3 + y 2 = 5 segments), b -> I2 (z; 1), c -> I3 (w; 0).
        // P: 2 indicators, 1 accepted, 1 rejected, 2 concepts, 3 codes, 6 segments; Q: 1, 1, 0, 1, 1, 0.
        let data = synthetic();
        let component = |id: &str| Component {
            id: id.into(),
            name: Bilingual {
                en: id.into(),
                fa: id.into(),
            },
            name_en_is_translation: false,
        };
        let indicator = |id: &str, component: &str, number| Indicator {
            id: id.into(),
            number,
            component: component.into(),
            name: Bilingual {
                en: id.into(),
                fa: id.into(),
            },
            name_en_is_translation: false,
        };
        let links = link_components(
            &[component("P"), component("Q")],
            &[
                indicator("I1", "P", 1),
                indicator("I2", "P", 2),
                indicator("I3", "Q", 3),
            ],
            &[
                Some(Status::Accepted),
                Some(Status::Rejected),
                Some(Status::Accepted),
            ],
            &concepts(&data),
        );
        let summary: Vec<_> = links
            .iter()
            .map(|l| {
                (
                    l.indicators,
                    l.accepted,
                    l.rejected,
                    l.linked_concepts,
                    l.initial_codes,
                    l.segments,
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![(2, 1, 1, 2, 3, Some(6)), (1, 1, 0, 1, 1, Some(0))]
        );
    }
}
