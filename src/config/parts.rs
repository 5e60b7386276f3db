//! The parts a study has: the Delphi part (ratings of indicators on a scale, screened by a method) and
//! the qualitative part (coded interviews, or the publication's tables of its coding), one or both.
//! A study with ratings needs what screening them takes (scale, method, panel size, indicators); a
//! study without ratings may not give those settings, which nothing would read. Every missing or idle
//! setting is named by its key, in one error.

use std::path::Path;

use super::schema::StudyConfig;
use crate::error::{InputError, Problems};

/// Which parts a study has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Parts {
    /// Ratings of indicators (`data.ratings` or `data.rounds`): the fuzzy Delphi screening.
    pub ratings: bool,
    /// Coded interviews (`coding.segments`) or the publication's tables of its coding
    /// (`coding.published`).
    pub coding: bool,
}

/// What a study without ratings cannot use.
const DELPHI_KEYS: &str =
    "belongs to the Delphi part, which needs the experts' ratings (data.ratings or data.rounds)";

impl StudyConfig {
    /// The study's parts, with the settings each needs and no setting of a part it does not have.
    pub(super) fn validate_parts(&self, file: &Path) -> Result<Parts, InputError> {
        let parts = Parts {
            ratings: self.data.ratings.is_some() || self.data.rounds.is_some(),
            coding: self
                .coding
                .as_ref()
                .is_some_and(|c| c.segments.is_some() || c.published.is_some()),
        };
        if !parts.ratings && !parts.coding {
            return Err(InputError::key(
                file,
                "data.ratings",
                "nothing to report: give the experts' ratings (data.ratings, or data.rounds) for a fuzzy Delphi study, coded interviews (coding.segments) for a qualitative one, or both",
            ));
        }
        let mut problems = Problems::new();
        let settings = [
            (
                "scale",
                self.scale.is_some(),
                "the fuzzy scale: `preset: <name>` or its `levels`",
            ),
            (
                "method",
                self.method.is_some(),
                "the method: aggregation, defuzzification and threshold",
            ),
            (
                "panels.delphi_experts",
                self.panels.delphi_experts.is_some(),
                "the number of experts every indicator should have responses from",
            ),
            (
                "data.indicators",
                self.data.indicators.is_some(),
                "the indicators file the ratings are of",
            ),
        ];
        for (key, given, what) in settings {
            match (parts.ratings, given) {
                // The scale's own words, as for a scale block with neither preset nor levels.
                (true, false) if key == "scale" => {
                    problems.push(InputError::key(file, key, super::scale::NO_SCALE_CHOSEN))
                }
                (true, false) => problems.push(InputError::key(
                    file,
                    key,
                    format!("missing: a study with ratings needs {what}"),
                )),
                (false, true) => problems.push(InputError::key(file, key, DELPHI_KEYS)),
                _ => {}
            }
        }
        if !parts.ratings {
            let published = self.data.published.as_ref();
            let idle = [
                ("data.components", self.data.components.is_some()),
                ("data.weights", self.data.weights.is_some()),
                (
                    "data.published.counts",
                    published.is_some_and(|p| p.counts.is_some()),
                ),
                (
                    "data.published.screening",
                    published.is_some_and(|p| p.screening.is_some()),
                ),
            ];
            for (key, _) in idle.iter().filter(|(_, given)| *given) {
                problems.push(InputError::key(file, key, DELPHI_KEYS));
            }
        }
        problems.into_result()?;
        Ok(parts)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{load, MINIMAL};

    /// SYNTHETIC: the minimal study without its Delphi part, with coded interviews.
    fn coding_only() -> String {
        let text = MINIMAL
            .replace("panels: {delphi_experts: 3}\n", "")
            .replace(
                "scale:\n  levels:\n    - {id: low, label: {en: Low, fa: کم}, tfn: [0, 0, 0.5]}\n    - {id: high, label: {en: High, fa: زیاد}, tfn: [0.5, 1, 1]}\n",
                "",
            )
            .replace(
                "method: {aggregation: arithmetic-mean, defuzzification: centroid, threshold: 0.5}\n",
                "",
            )
            .replace(
                "data:\n  components: c.csv\n  indicators: i.csv\n  ratings: {shape: long, path: r.csv}\n",
                "coding:\n  segments: {format: project-csv, path: s.csv}\n",
            );
        assert!(!text.contains("scale") && !text.contains("data:"), "{text}");
        text
    }

    #[test]
    fn a_study_of_coded_interviews_needs_no_delphi_settings() {
        let study = load(&coding_only()).unwrap();
        assert!(!study.has_ratings());
        assert!(study.has_coding());
        assert!(study.scale().is_empty());
        assert_eq!(study.delphi_experts(), 0);
        let study = load(MINIMAL).unwrap();
        assert!(study.has_ratings() && !study.has_coding());
        assert_eq!(study.delphi_experts(), 3);
    }

    #[test]
    fn a_study_needs_ratings_or_coding_and_each_part_its_settings() {
        let nothing = coding_only().replace(
            "coding:\n  segments: {format: project-csv, path: s.csv}\n",
            "",
        );
        let error = load(&nothing).unwrap_err();
        assert_eq!(error.yaml_key(), Some("data.ratings"));
        assert!(error.message.contains("nothing to report"), "{error}");
        // Ratings without what screening them takes: every missing key, in one error.
        let bare = coding_only().replace(
            "coding:\n  segments: {format: project-csv, path: s.csv}\n",
            "data:\n  ratings: {shape: long, path: r.csv}\n",
        );
        let error = load(&bare).unwrap_err();
        assert_eq!(error.problems(), 4);
        assert_eq!(error.yaml_key(), Some("scale"));
        assert!(error.message.starts_with("no scale chosen"), "{error}");
        let text = error.to_string();
        for key in ["method", "panels.delphi_experts", "data.indicators"] {
            assert!(text.contains(&format!("key '{key}': missing")), "{text}");
        }
        // Delphi settings in a study without ratings would be read by nothing.
        let idle = coding_only().replace(
            "coding:",
            "panels: {delphi_experts: 3}\ndata:\n  weights: w.csv\ncoding:",
        );
        let error = load(&idle).unwrap_err();
        assert_eq!(error.problems(), 2);
        assert_eq!(error.yaml_key(), Some("panels.delphi_experts"));
        assert!(error.to_string().contains("key 'data.weights'"), "{error}");
    }
}
