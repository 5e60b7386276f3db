//! Qualitative coding: the code tree (any depth; its analysis levels named from the root, by default
//! component > concept > initial code), coded segments, and what is computed from them: counts per
//! level, the code x interviewee matrix, the saturation curve, and the link from concepts to the
//! Delphi indicators they became.
//!
//! The level rule: every coding is counted exactly once, on its *counted code*. A coding on a code
//! deeper than the last analysis level is counted as that code's ancestor at the last level (folded
//! up); a coding on a code above the last level is counted at the code's own level. Every code of the
//! tree, at any depth and used or not, appears in the counts per level.

use std::collections::BTreeSet;

use crate::analysis::{Component, Indicator, Status};
use crate::domain::{Lang, Names};

/// A code of the tree, identified by its path of names as coded (one name per depth).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeNode {
    /// Names from the root to the code, as coded.
    pub path: Vec<String>,
    /// The code's name in each report language, from the codebook.
    pub name: Names,
    /// True when the codebook gives no names in both languages: both show the name as coded.
    pub untranslated: bool,
    /// The languages in which the name is our translation (codebook `name_<code>_source =
    /// translation`) rather than the publication's words.
    pub(crate) translated: Vec<Lang>,
    /// For a concept: the Delphi indicator it became, if linked.
    pub(crate) indicator: Option<String>,
}

impl CodeNode {
    /// Depth in the tree, from 1 at the root.
    pub(crate) fn level(&self) -> usize {
        self.path.len()
    }
}

/// One application of a code to a passage of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodedSegment {
    /// Index into `CodedData::documents`.
    pub document: usize,
    /// Index into `CodedData::codes` of the code the coding is counted on: the code as coded, or its
    /// ancestor at the last analysis level when the code is deeper (see the module's level rule).
    pub code: usize,
    /// Index into `CodedData::codes` of the code as the export names it.
    pub(crate) coded: usize,
    /// The passage (document and span) coded: segments with the same number are one passage carrying
    /// several codes. Numbered from 0 in the order passages are first met.
    pub passage: usize,
    /// Where the passage begins in its document (a character offset or a paragraph number), when the
    /// export says: the earliest passage of a document is the one with the smallest start.
    pub(crate) start: Option<u64>,
    /// The passage's text; `None` when the export's source text is not available.
    pub text: Option<String>,
}

/// Why a coding of the export is not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum UncountedReason {
    /// A coding on a picture, PDF, audio or video source: only text sources are analysed.
    NonTextSource,
}

/// Codings of one kind the counts leave out, with what they sit on (sources or codes, first met first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncounted {
    pub(crate) reason: UncountedReason,
    pub(crate) codings: usize,
    pub(crate) names: Vec<String>,
}

/// Coded interviews, whatever format they came in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodedData {
    /// Documents (interviewees) in interview order: the order of the saturation curve. Every text source
    /// the export defines, coded or not.
    pub documents: Vec<String>,
    /// Every code of the tree, parents before children, in codebook order.
    pub codes: Vec<CodeNode>,
    /// Every coded segment, in document order.
    pub segments: Vec<CodedSegment>,
    /// Codings the export holds that are not counted, by reason (none when every coding is counted).
    pub uncounted: Vec<Uncounted>,
    /// How many analysis levels there are (`coding.levels`): the depth of the last level.
    pub(crate) levels: usize,
}

impl CodedData {
    /// Whether a document holds at least one counted coding.
    pub(crate) fn is_coded(&self, document: usize) -> bool {
        self.segments.iter().any(|s| s.document == document)
    }

    /// Whether a code is a unit of the matrix and the curve: a code at the last level, or a code
    /// above it that carries codings of its own.
    pub(crate) fn is_counted_code(&self, code: usize) -> bool {
        let level = self.codes[code].level();
        level == self.levels
            || (level < self.levels && self.segments.iter().any(|s| s.code == code))
    }

    /// The depth of the concepts (the level above the last), if there are two levels or more.
    pub(crate) fn concept_level(&self) -> Option<usize> {
        (self.levels >= 2).then(|| self.levels - 1)
    }

    /// The first coded passage of a document: the earliest by start when the export gives starts
    /// (an export may write its selections grouped by code), else the first met.
    pub fn first_segment(&self, document: usize) -> Option<&CodedSegment> {
        self.segments
            .iter()
            .enumerate()
            .filter(|(_, s)| s.document == document)
            .min_by_key(|(index, s)| (s.start.is_none(), s.start, *index))
            .map(|(_, s)| s)
    }
}

/// Codes and codings of one depth of the tree (an analysis level, or every depth below the last).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LevelCount {
    /// Codes of the tree at this depth, used or not.
    pub defined: usize,
    /// Codes at this depth applied to at least one segment, themselves or through a code below them
    /// down to the last level (below it: codes carrying a coding themselves).
    pub used: usize,
    /// Codings on codes at this depth as coded.
    pub coded: usize,
    /// Codings counted at this depth (at the last level: its own and those folded up from below;
    /// below the last level: none).
    pub counted: usize,
}

/// What the coded segments hold, level by level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodingCounts {
    /// One entry per analysis level, from the root.
    pub levels: Vec<LevelCount>,
    /// Codes deeper than the last level, together.
    pub deeper: LevelCount,
    /// Coded segments (one per segment and code).
    pub segments: usize,
    /// Documents the export defines (every text source).
    pub documents: usize,
    /// Documents with at least one counted coding.
    pub documents_used: usize,
}

impl CodingCounts {
    /// The counts of analysis level `level` (from 1 at the root), zero for a level the tree lacks.
    pub fn level(&self, level: usize) -> LevelCount {
        level
            .checked_sub(1)
            .and_then(|i| self.levels.get(i))
            .copied()
            .unwrap_or_default()
    }
}

/// Codes defined, used, coded and counted at each level of the tree (see [`CodingCounts`]).
pub fn counts(data: &CodedData) -> CodingCounts {
    let last = data.levels;
    let counted_paths: BTreeSet<&[String]> = data
        .segments
        .iter()
        .map(|s| data.codes[s.code].path.as_slice())
        .collect();
    let distinct_prefixes = |depth: usize| -> usize {
        counted_paths
            .iter()
            .filter(|p| p.len() >= depth)
            .map(|p| &p[..depth])
            .collect::<BTreeSet<_>>()
            .len()
    };
    let coded_at = |depth: usize| {
        data.segments
            .iter()
            .filter(|s| data.codes[s.coded].level() == depth)
            .count()
    };
    let levels = (1..=last)
        .map(|depth| LevelCount {
            defined: data.codes.iter().filter(|c| c.level() == depth).count(),
            used: distinct_prefixes(depth),
            coded: coded_at(depth),
            counted: data
                .segments
                .iter()
                .filter(|s| data.codes[s.code].level() == depth)
                .count(),
        })
        .collect();
    let deeper_coded: BTreeSet<usize> = data
        .segments
        .iter()
        .filter(|s| data.codes[s.coded].level() > last)
        .map(|s| s.coded)
        .collect();
    CodingCounts {
        levels,
        deeper: LevelCount {
            defined: data.codes.iter().filter(|c| c.level() > last).count(),
            used: deeper_coded.len(),
            coded: data
                .segments
                .iter()
                .filter(|s| data.codes[s.coded].level() > last)
                .count(),
            counted: 0,
        },
        segments: data.segments.len(),
        documents: data.documents.len(),
        documents_used: (0..data.documents.len())
            .filter(|&d| data.is_coded(d))
            .count(),
    }
}

/// What the level rule did to one code: the codings on it, and the code they are counted on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuledCode {
    /// Index into `CodedData::codes`.
    pub code: usize,
    /// Codings on the code as coded.
    pub codings: usize,
    /// Index into `CodedData::codes` of the code the codings are counted on (itself above the last level).
    pub(crate) counted_as: usize,
}

/// What the level rule did: codes below the last level (every one, used or not) with the codings folded
/// up from them, and codes above the last level that carry codings of their own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LevelRule {
    /// Codes deeper than the last level, in code order, with their ancestor at the last level.
    pub(crate) deeper: Vec<RuledCode>,
    /// Codes above the last level that carry codings, in code order.
    pub above: Vec<RuledCode>,
}

impl LevelRule {
    /// Codings on codes deeper than the last level, counted as their ancestor at that level.
    pub(crate) fn folded_codings(&self) -> usize {
        self.deeper.iter().map(|c| c.codings).sum()
    }

    /// Codings on codes above the last level, counted at their own level.
    pub(crate) fn above_codings(&self) -> usize {
        self.above.iter().map(|c| c.codings).sum()
    }
}

/// What the level rule does to the codings: which are folded up from below the last level, which sit above it.
pub fn level_rule(data: &CodedData) -> LevelRule {
    let codings_on = |code: usize| data.segments.iter().filter(|s| s.coded == code).count();
    let mut rule = LevelRule::default();
    for (index, code) in data.codes.iter().enumerate() {
        if code.level() > data.levels {
            let ancestor = &code.path[..data.levels];
            let counted_as = data
                .codes
                .iter()
                .position(|c| c.path == ancestor)
                .unwrap_or(index);
            rule.deeper.push(RuledCode {
                code: index,
                codings: codings_on(index),
                counted_as,
            });
        } else if code.level() < data.levels && codings_on(index) > 0 {
            rule.above.push(RuledCode {
                code: index,
                codings: codings_on(index),
                counted_as: index,
            });
        }
    }
    rule
}

/// Segments per counted code (rows, in code order) and coded document (columns, in interview order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeMatrix {
    /// The columns: indices into `CodedData::documents` of the documents with at least one coding.
    pub documents: Vec<usize>,
    /// One row per counted code, in code order.
    pub rows: Vec<MatrixRow>,
}

/// One row of the code x interview matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRow {
    /// Index into `CodedData::codes`.
    pub code: usize,
    /// Segments counted on the code in each column's document.
    pub per_document: Vec<u64>,
}

impl MatrixRow {
    pub(crate) fn total(&self) -> u64 {
        self.per_document.iter().sum()
    }
}

/// Every code of the last level (used or not), and every code above it that carries codings, against
/// every document that holds codings (a source with none is defined but was not coded, so it is no
/// column of zeros). Every counted coding is in exactly one cell.
pub fn matrix(data: &CodedData) -> CodeMatrix {
    let documents: Vec<usize> = (0..data.documents.len())
        .filter(|&d| data.is_coded(d))
        .collect();
    let rows = (0..data.codes.len())
        .filter(|&index| data.is_counted_code(index))
        .map(|index| {
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
    /// Counted codes first seen in this interview.
    pub new_codes: usize,
    /// Distinct counted codes seen up to and including this interview.
    pub cumulative: usize,
    /// Segments coded in this interview.
    pub segments: usize,
}

/// New counted codes (codes of the last level, and codes above it coded themselves) per successive
/// coded interview, in interview order (a document with no coding is not an interview of the curve).
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
    pub(crate) concept: Names,
    /// The Delphi indicator the concept became, if linked.
    pub(crate) indicator: Option<String>,
    pub(crate) codes: Vec<Names>,
    /// Segments coded with the concept's codes (`None` for a published sample, which prints none).
    pub(crate) segments: Option<usize>,
}

/// Every concept of the coded data (a code at the level above the last) with the codes of the last
/// level under it (used or not) and the segments counted on it or under it.
pub fn concepts(data: &CodedData) -> Vec<ConceptCodes> {
    let Some(depth) = data.concept_level() else {
        return Vec::new();
    };
    data.codes
        .iter()
        .enumerate()
        .filter(|(_, c)| c.level() == depth)
        .map(|(index, concept)| {
            let children = concept_children(data, index);
            let under = |code: usize| data.codes[code].path.starts_with(&concept.path);
            ConceptCodes {
                concept: concept.name.clone(),
                indicator: concept.indicator.clone(),
                codes: children
                    .iter()
                    .map(|&i| data.codes[i].name.clone())
                    .collect(),
                segments: Some(data.segments.iter().filter(|s| under(s.code)).count()),
            }
        })
        .collect()
}

/// The codes of the last level under the concept `concept` (an index into `CodedData::codes`).
pub(crate) fn concept_children(data: &CodedData, concept: usize) -> Vec<usize> {
    let path = &data.codes[concept].path;
    data.codes
        .iter()
        .enumerate()
        .filter(|(_, c)| c.level() == data.levels && c.path.starts_with(path))
        .map(|(i, _)| i)
        .collect()
}

/// Per component of the Delphi framework: its indicators, their screening, and the coding behind them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ComponentLink {
    pub(crate) component: String,
    pub(crate) indicators: usize,
    pub(crate) accepted: usize,
    pub(crate) rejected: usize,
    /// Concepts linked to one of the component's indicators.
    pub(crate) linked_concepts: usize,
    /// Initial codes under those concepts.
    pub(crate) initial_codes: usize,
    /// Segments coded with those codes (`None` when the concepts come from a published sample).
    pub(crate) segments: Option<usize>,
}

/// Links concepts to the indicators they became, component by component.
///
/// `statuses` holds each indicator's screening decision (`None` when it had no responses), in indicator
/// order. A concept linked to an unknown indicator is not counted (the reader rejects such links).
pub(crate) fn link_components(
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
            name: Names::of(&[(Lang::EN, name.clone()), (Lang::FA, name)]),
            untranslated: true,
            translated: Vec::new(),
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
            coded: code,
            passage: 0,
            start: None,
            text: None,
        };
        CodedData {
            documents: vec!["D1".into(), "D2".into(), "D3".into(), "D4".into()],
            uncounted: Vec::new(),
            levels: 3,
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
        let defined: Vec<usize> = counts.levels.iter().map(|l| l.defined).collect();
        let used: Vec<usize> = counts.levels.iter().map(|l| l.used).collect();
        assert_eq!(defined, vec![2, 3, 4]);
        assert_eq!(used, vec![1, 2, 3]);
        assert_eq!(counts.deeper, LevelCount::default());
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
            name: Names::of(&[(Lang::EN, id), (Lang::FA, id)]),
            translated: Vec::new(),
        };
        let indicator = |id: &str, component: &str, number| Indicator {
            id: id.into(),
            number,
            component: component.into(),
            name: Names::of(&[(Lang::EN, id), (Lang::FA, id)]),
            translated: Vec::new(),
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

    /// The synthetic tree with a fourth depth and codings above the last level: code N>a>x>d (below
    /// x) and N>a>x>e (below x, never used); D1 codes d twice and the concept N>b once; D2 codes the
    /// component R once. Segment indices as in `synthetic`, then these four.
    fn deeper_and_above() -> CodedData {
        let mut data = synthetic();
        data.codes = vec![
            node(&["N"], None),
            node(&["N", "a"], Some("I1")),
            node(&["N", "a", "x"], None),
            node(&["N", "a", "x", "d"], None),
            node(&["N", "a", "x", "e"], None),
            node(&["N", "a", "y"], None),
            node(&["N", "b"], Some("I2")),
            node(&["N", "b", "z"], None),
            node(&["R"], None),
            node(&["R", "c"], Some("I3")),
            node(&["R", "c", "w"], None),
        ];
        let segment = |document, code, coded| CodedSegment {
            document,
            code,
            coded,
            passage: 0,
            start: None,
            text: None,
        };
        // D1: x, x, y, d (as x), d (as x), b; D2: y, z, R; D3: x.
        data.segments = vec![
            segment(0, 2, 2),
            segment(0, 2, 2),
            segment(0, 5, 5),
            segment(1, 5, 5),
            segment(1, 7, 7),
            segment(2, 2, 2),
            segment(0, 2, 3),
            segment(0, 2, 3),
            segment(0, 6, 6),
            segment(1, 8, 8),
        ];
        data
    }

    #[test]
    fn every_coding_is_counted_once_and_every_code_appears_in_the_counts() {
        let data = deeper_and_above();
        let counts = counts(&data);
        // Defined: components N, R; concepts a, b, c; codes x, y, z, w; below: d, e.
        // Used (counted codes x, y, z, b, R): components N, R (2); concepts a, b (2; b coded itself);
        // codes x, y, z (3); below: d (1; e unused).
        let summary: Vec<(usize, usize, usize, usize)> = counts
            .levels
            .iter()
            .map(|l| (l.defined, l.used, l.coded, l.counted))
            .collect();
        // Coded as: R once at depth 1; b once at depth 2; x 3, y 2, z 1 at depth 3 (6); d twice below.
        // Counted: depth 3 gets its 6 and the 2 folded up from d: 8.
        assert_eq!(summary, vec![(2, 2, 1, 1), (3, 2, 1, 1), (4, 3, 6, 8)]);
        assert_eq!(
            counts.deeper,
            LevelCount {
                defined: 2,
                used: 1,
                coded: 2,
                counted: 0
            }
        );
        // Exactly once: 1 + 1 + 8 = 10 codings, the segments held.
        let counted: usize = counts.levels.iter().map(|l| l.counted).sum();
        assert_eq!((counted, counts.segments), (10, 10));

        let rule = level_rule(&data);
        assert_eq!(
            rule.deeper,
            vec![
                RuledCode {
                    code: 3,
                    codings: 2,
                    counted_as: 2
                },
                RuledCode {
                    code: 4,
                    codings: 0,
                    counted_as: 2
                }
            ]
        );
        assert_eq!(
            rule.above,
            vec![
                RuledCode {
                    code: 6,
                    codings: 1,
                    counted_as: 6
                },
                RuledCode {
                    code: 8,
                    codings: 1,
                    counted_as: 8
                }
            ]
        );
        assert_eq!((rule.folded_codings(), rule.above_codings()), (2, 2));

        // The matrix: x (D1 4 with the folded d, D3 1), y, concept b (coded itself), z, component R,
        // w (unused): every coding in one cell, 10 in all.
        let matrix = matrix(&data);
        let rows: Vec<(usize, Vec<u64>)> = matrix
            .rows
            .iter()
            .map(|r| (r.code, r.per_document.clone()))
            .collect();
        assert_eq!(
            rows,
            vec![
                (2, vec![4, 0, 1]),
                (5, vec![1, 1, 0]),
                (6, vec![1, 0, 0]),
                (7, vec![0, 1, 0]),
                (8, vec![0, 1, 0]),
                (10, vec![0, 0, 0])
            ]
        );
        assert_eq!(matrix.rows.iter().map(MatrixRow::total).sum::<u64>(), 10);
        // Saturation: D1 brings x, y, b (3); D2 brings z, R (2 new, 5); D3 nothing.
        let steps: Vec<(usize, usize, usize)> = saturation(&data)
            .iter()
            .map(|s| (s.new_codes, s.cumulative, s.segments))
            .collect();
        assert_eq!(steps, vec![(3, 3, 6), (2, 5, 3), (0, 5, 1)]);
        // Concept a holds x and y (d, e fold into x): 4 + 1 + 1 + 1 = 7 segments; b: z 1 and itself 1.
        let concepts = concepts(&data);
        assert_eq!(concepts[0].codes.len(), 2);
        assert_eq!(concepts[0].segments, Some(7));
        assert_eq!(concepts[1].segments, Some(2));
    }

    #[test]
    fn the_first_segment_of_a_document_is_the_earliest_by_start() {
        let mut data = synthetic();
        for (segment, start) in data.segments.iter_mut().zip([40, 7, 12, 3, 1, 0]) {
            segment.start = Some(start);
        }
        // D1's segments start at 40, 7, 12: the second is the earliest. Without starts, the first met.
        assert_eq!(data.first_segment(0), Some(&data.segments[1]));
        assert_eq!(data.first_segment(3), None);
        for segment in &mut data.segments {
            segment.start = None;
        }
        assert_eq!(data.first_segment(0), Some(&data.segments[0]));
    }
}
