//! What the report computes from the study's qualitative data, once for both languages: demographics,
//! the coding counts, level rule, matrix, saturation and concepts, and where the links from concepts to
//! indicators come from. The qualitative cells that show them are in `report::cells`.

use crate::analysis::coding::{
    self, CodeMatrix, CodingCounts, ComponentLink, ConceptCodes, LevelRule, SaturationStep,
};
use crate::analysis::demographics::{self, AttributeSpec, Frequencies};
use crate::analysis::fuzzy::ScreeningRow;
use crate::analysis::Status;
use crate::analysis::StudyData;
use crate::config::Study;

/// Where the concept-to-indicator links of a report come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkSource {
    /// The codebook of the coded data links concepts to indicators.
    CodedData,
    /// The publication's printed table of concepts (a sample), linked by transcription.
    PrintedSample,
    /// Nothing links concepts to indicators.
    None,
}

/// Everything computed from the study's qualitative data, once for both languages.
pub struct QualitativeResults {
    pub demographics: Vec<Frequencies>,
    pub coding: Option<CodingResults>,
    pub links: Vec<ComponentLink>,
    pub link_source: LinkSource,
}

pub struct CodingResults {
    pub counts: CodingCounts,
    /// What the level rule did: codings folded up from below the last level, codings above it.
    pub rule: LevelRule,
    pub matrix: CodeMatrix,
    pub saturation: Vec<SaturationStep>,
    pub concepts: Vec<ConceptCodes>,
}

impl QualitativeResults {
    /// Runs the demographic and coding analyses over a study's data.
    pub fn compute(
        study: &Study,
        data: &StudyData,
        screening: &[ScreeningRow],
    ) -> QualitativeResults {
        let demographics = match study.demographics() {
            Some(config) if !data.respondents.is_empty() => {
                let panels: Vec<String> = config.panels.iter().map(|p| p.id.clone()).collect();
                let attributes: Vec<AttributeSpec> = config
                    .attributes
                    .iter()
                    .map(|a| AttributeSpec {
                        id: a.id.clone(),
                        categories: a.categories.iter().map(|c| c.id.clone()).collect(),
                    })
                    .collect();
                demographics::describe(&panels, &attributes, &data.respondents)
            }
            _ => Vec::new(),
        };
        let coding = data.coding.as_ref().map(|coded| CodingResults {
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
            &super::indicator_groups(data),
            &data.indicators,
            &statuses,
            &concepts,
        );
        QualitativeResults {
            demographics,
            coding,
            links,
            link_source,
        }
    }
}
