//! The qualitative analyses, once for both report languages: the sample described by its attributes,
//! the coded interviews (counts per level, the code x interview matrix, saturation, concepts), and the
//! link from concepts to the screened indicators.

use crate::analysis::coding::{
    self, CodeMatrix, CodingCounts, ComponentLink, ConceptCodes, LevelRule, SaturationStep,
};
use crate::analysis::demographics::{self, AttributeSpec, Frequencies};
use crate::analysis::fuzzy::ScreeningRow;
use crate::analysis::{Status, StudyData};

/// Where the concept-to-indicator links of a report come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkSource {
    /// The codebook of the coded data links concepts to indicators.
    CodedData,
    /// The publication's printed table of concepts (a sample), linked by transcription.
    PrintedSample,
    /// Nothing links concepts to indicators.
    None,
}

/// Everything computed from the study's qualitative data, once for both languages.
pub(crate) struct QualitativeAnalysis {
    pub(crate) demographics: Vec<Frequencies>,
    pub(crate) coding: Option<CodingAnalysis>,
    pub(crate) links: Vec<ComponentLink>,
    pub(crate) link_source: LinkSource,
}

/// What the coded interviews give: counts per level, the level rule, the code x interview matrix, the
/// saturation curve and the concepts with their codes.
pub(crate) struct CodingAnalysis {
    pub(crate) counts: CodingCounts,
    /// What the level rule did: codings folded up from below the last level, codings above it.
    pub(crate) rule: LevelRule,
    pub(crate) matrix: CodeMatrix,
    pub(crate) saturation: Vec<SaturationStep>,
    pub(crate) concepts: Vec<ConceptCodes>,
}

impl QualitativeAnalysis {
    /// Runs the demographic and coding analyses over a study's data. `sample` is the study's panels
    /// and attributes in report order (`demographics` in study.yaml), when it describes its sample.
    pub(crate) fn compute(
        sample: Option<(&[String], &[AttributeSpec])>,
        data: &StudyData,
        screening: &[ScreeningRow],
    ) -> QualitativeAnalysis {
        let demographics = match sample {
            Some((panels, attributes)) if !data.respondents.is_empty() => {
                demographics::describe(panels, attributes, &data.respondents)
            }
            _ => Vec::new(),
        };
        let coding = data.coding.as_ref().map(|coded| CodingAnalysis {
            counts: coding::counts(coded),
            rule: coding::level_rule(coded),
            matrix: coding::matrix(coded),
            saturation: coding::saturation(coded),
            concepts: coding::concepts(coded),
        });
        let statuses: Vec<Option<Status>> = screening
            .iter()
            .map(|r| r.result.map(|s| s.status))
            .collect();
        let printed: Vec<ConceptCodes> = data
            .published_coding
            .concepts
            .iter()
            .map(|c| ConceptCodes {
                concept: c.concept.clone(),
                indicator: c.indicator.as_ref().map(|(id, _)| id.clone()),
                codes: c.codes.clone(),
                segments: None,
            })
            .collect();
        let (concepts, link_source) = match &coding {
            Some(results) if results.concepts.iter().any(|c| c.indicator.is_some()) => {
                (results.concepts.clone(), LinkSource::CodedData)
            }
            _ if !printed.is_empty() => (printed, LinkSource::PrintedSample),
            _ => (Vec::new(), LinkSource::None),
        };
        let links = coding::link_components(
            &data.indicator_groups(),
            &data.indicators,
            &statuses,
            &concepts,
        );
        QualitativeAnalysis {
            demographics,
            coding,
            links,
            link_source,
        }
    }
}
