//! The `data` section of `study.yaml`: the files a study reads (components, indicators, ratings of one
//! round or several, expert weights, the publication's tables), each a relative path inside the study
//! folder, and the rules that tie ratings shapes, survey blocks and weights together.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::domain::Names;
use crate::error::InputError;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DataFiles {
    /// CSV `id,name_<code>` (a name in each report language; optional `name_<code>_source`: `paper`
    /// or `translation`). Optional: without it, indicators belong to no component and the report
    /// shows them as one group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) components: Option<PathBuf>,
    /// CSV `id,component,name_<code>` (`component` only when there is a components file): the
    /// indicators the ratings screen. Required with ratings, absent without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) indicators: Option<PathBuf>,
    /// The experts' ratings (one round). Give either `ratings` or `rounds`.
    #[serde(default)]
    pub(crate) ratings: Option<RatingsFile>,
    /// The experts' ratings of every round, first round first; the last one is screened.
    #[serde(default)]
    pub(crate) rounds: Option<Vec<RatingsFile>>,
    /// CSV `expert,weight`: one positive weight per expert; needs ratings that name their expert.
    #[serde(default)]
    pub(crate) weights: Option<PathBuf>,
    /// Tables as the publication printed them, for comparison.
    #[serde(default)]
    pub(crate) published: Option<PublishedFiles>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum RatingsShape {
    /// One row per indicator, one column per scale level id, holding counts.
    Counts,
    /// One row per rating: `expert,indicator,rating`.
    Long,
    /// One row per expert: `expert` then one column per indicator id.
    Wide,
    /// A survey export (Google Forms, Microsoft Forms): one row per respondent, question texts as
    /// headers, mapped to indicators by the `survey` block.
    Survey,
}

impl RatingsShape {
    /// Whether the shape says which expert gave each rating (so expert weights can apply).
    pub(crate) fn names_experts(self) -> bool {
        !matches!(self, RatingsShape::Counts)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RatingsFile {
    pub(crate) shape: RatingsShape,
    /// A `.csv` file, or a `.xlsx` workbook (counts, wide and survey shapes).
    pub(crate) path: PathBuf,
    /// The worksheet of a `.xlsx` file; the first one when absent.
    #[serde(default)]
    pub(crate) sheet: Option<String>,
    /// The round's name in reports; "Round k" when absent.
    #[serde(default)]
    pub(crate) label: Option<Names>,
    /// How a survey export's columns map to indicators (shape `survey` only).
    #[serde(default)]
    pub(crate) survey: Option<SurveyColumns>,
}

/// The columns of a survey export.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SurveyColumns {
    /// The column that identifies the respondent (an e-mail or name column); rows are numbered
    /// `row 1`, `row 2`, ... when absent. Needed for expert weights.
    #[serde(default)]
    pub(crate) expert_column: Option<String>,
    /// Metadata columns to skip (`Timestamp`, `Start time`, ...). Every other column must be a question.
    #[serde(default)]
    pub(crate) ignore: Vec<String>,
    /// Column header as exported -> indicator id. Headers match after trimming and collapsing spaces.
    pub(crate) questions: BTreeMap<String, String>,
    /// Answer text -> level id, for answers that are not a level's number, id or label.
    #[serde(default)]
    pub(crate) answers: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PublishedFiles {
    /// Counts per indicator and level, as printed (`indicator,<level ids>`).
    #[serde(default)]
    pub(crate) counts: Option<PathBuf>,
    /// Fuzzy means, crisp values and status as printed (`indicator,l,m,u,crisp,status`).
    #[serde(default)]
    pub(crate) screening: Option<PathBuf>,
    /// Percentages describing the sample, as printed
    /// (`set,set_en,set_fa,exhaustive,category,category_en,category_fa,relation,percent,source_line`).
    #[serde(default)]
    pub(crate) demographics: Option<PathBuf>,
    /// Counts printed in the text, such as initial codes or concepts
    /// (`count,label_en,label_fa,relation,value,checked_against,source_line`).
    #[serde(default)]
    pub(crate) coding_counts: Option<PathBuf>,
}

impl DataFiles {
    /// The ratings file of every round, first round first (one for `ratings`).
    pub(crate) fn ratings_files(&self) -> Vec<&RatingsFile> {
        match (&self.ratings, &self.rounds) {
            (Some(one), None) => vec![one],
            (None, Some(rounds)) => rounds.iter().collect(),
            _ => Vec::new(),
        }
    }

    /// The study.yaml key of round `index` (0-based), for error messages: `data.rounds[k]` or
    /// `data.ratings`.
    pub(crate) fn ratings_key(&self, index: usize) -> String {
        if self.rounds.is_some() {
            format!("data.rounds[{}]", index + 1)
        } else {
            "data.ratings".to_string()
        }
    }

    /// Ratings come as `ratings` or as `rounds` (or not at all, see `parts`); a `survey` block goes with
    /// shape `survey` only; expert weights need ratings that name their expert in every round.
    pub(super) fn validate_ratings(&self, file: &Path) -> Result<(), InputError> {
        let rounds = self.ratings_files();
        if self.ratings.is_some() && self.rounds.is_some() {
            return Err(InputError::key(
                file,
                "data.ratings",
                "give the ratings either as `ratings` (one round) or as `rounds` (a list, first round first), not both",
            ));
        }
        if self.rounds.as_ref().is_some_and(Vec::is_empty) {
            return Err(InputError::key(
                file,
                "data.rounds",
                "the list is empty; give the ratings of each round, first round first",
            ));
        }
        for (index, round) in rounds.iter().enumerate() {
            let key = self.ratings_key(index);
            match (round.shape, &round.survey) {
                (RatingsShape::Survey, None) => return Err(InputError::key(
                    file,
                    &format!("{key}.survey"),
                    "shape `survey` needs a `survey` block mapping question columns to indicators",
                )),
                (RatingsShape::Survey, Some(_)) | (_, None) => {}
                (_, Some(_)) => {
                    return Err(InputError::key(
                        file,
                        &format!("{key}.survey"),
                        "a `survey` block belongs only to shape `survey`",
                    ))
                }
            }
            if self.weights.is_some() {
                let expert_named = round.shape.names_experts()
                    && round
                        .survey
                        .as_ref()
                        .is_none_or(|s| s.expert_column.is_some());
                if !expert_named {
                    return Err(InputError::key(
                        file,
                        "data.weights",
                        format!(
                            "expert weights need ratings that say which expert gave each rating; {key} {}",
                            if round.shape == RatingsShape::Counts {
                                "holds counts per level, which cannot carry weights (use shape long, wide or survey)"
                            } else {
                                "is a survey without `expert_column`"
                            }
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Every path of the section is relative and inside the study folder.
    pub(super) fn check_paths(&self, file: &Path) -> Result<(), InputError> {
        let rounds = self.ratings_files();
        let round_keys: Vec<String> = (0..rounds.len())
            .map(|index| format!("{}.path", self.ratings_key(index)))
            .collect();
        let mut paths: Vec<(&str, &PathBuf)> = Vec::new();
        paths.extend(self.indicators.iter().map(|p| ("data.indicators", p)));
        paths.extend(self.components.iter().map(|p| ("data.components", p)));
        paths.extend(
            round_keys
                .iter()
                .map(String::as_str)
                .zip(rounds.iter().map(|r| &r.path)),
        );
        paths.extend(self.weights.iter().map(|p| ("data.weights", p)));
        if let Some(published) = &self.published {
            paths.extend(
                published
                    .counts
                    .iter()
                    .map(|p| ("data.published.counts", p)),
            );
            paths.extend(
                published
                    .screening
                    .iter()
                    .map(|p| ("data.published.screening", p)),
            );
            paths.extend(
                published
                    .demographics
                    .iter()
                    .map(|p| ("data.published.demographics", p)),
            );
            paths.extend(
                published
                    .coding_counts
                    .iter()
                    .map(|p| ("data.published.coding_counts", p)),
            );
        }
        for (key, path) in paths {
            check_inside_folder(file, key, path)?;
        }
        Ok(())
    }
}

/// Data paths are relative and may not climb out of the study folder.
pub(super) fn check_inside_folder(file: &Path, key: &str, path: &Path) -> Result<(), InputError> {
    let escapes = path
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if escapes || path.as_os_str().is_empty() {
        return Err(InputError::key(
            file,
            key,
            format!(
                "'{}' must be a relative path inside the study folder",
                path.display()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::fixtures::{load, MINIMAL};

    #[test]
    fn paths_may_not_leave_the_study_folder() {
        let error = load(&MINIMAL.replace("path: r.csv", "path: ../../etc/passwd")).unwrap_err();
        assert_eq!(error.yaml_key(), Some("data.ratings.path"));
        let error =
            load(&MINIMAL.replace("components: c.csv", "components: /etc/passwd")).unwrap_err();
        assert_eq!(error.yaml_key(), Some("data.components"));
    }

    #[test]
    fn ratings_come_as_one_file_or_as_rounds_and_weights_need_experts() {
        let rounds = MINIMAL.replace(
            "ratings: {shape: long, path: r.csv}",
            "rounds:\n    - {shape: counts, path: r1.csv}\n    - {shape: long, path: r2.csv, label: {en: Second, fa: دوم}}",
        );
        let study = load(&rounds).unwrap();
        let files = study.data_files().ratings_files();
        assert_eq!(files.len(), 2);
        assert_eq!(files[1].path, Path::new("r2.csv"));
        let both = rounds.replace(
            "  rounds:",
            "  ratings: {shape: long, path: r.csv}\n  rounds:",
        );
        let error = load(&both).unwrap_err();
        assert!(error.message.contains("not both"), "{error}");
        // Weights need raw ratings in every round: counts cannot say who rated what.
        let weighted = rounds.replace("  rounds:", "  weights: w.csv\n  rounds:");
        let error = load(&weighted).unwrap_err();
        assert_eq!(error.yaml_key(), Some("data.weights"));
        assert!(
            error
                .message
                .contains("data.rounds[1] holds counts per level"),
            "{error}"
        );
        let weighted_long = MINIMAL.replace(
            "ratings: {shape: long, path: r.csv}",
            "ratings: {shape: long, path: r.csv}\n  weights: w.csv",
        );
        assert!(load(&weighted_long).unwrap().method.weighted);
        let error =
            load(&weighted_long.replace("weights: w.csv", "weights: ../w.csv")).unwrap_err();
        assert_eq!(error.yaml_key(), Some("data.weights"));
    }

    #[test]
    fn a_survey_needs_its_block_and_weights_need_its_expert_column() {
        let survey = MINIMAL.replace(
            "ratings: {shape: long, path: r.csv}",
            "ratings:\n    shape: survey\n    path: export.csv\n    survey:\n      ignore: [Timestamp]\n      questions: {\"Question one?\": A}",
        );
        let study = load(&survey).unwrap();
        let columns = study
            .data_files()
            .ratings
            .as_ref()
            .unwrap()
            .survey
            .as_ref()
            .unwrap();
        assert_eq!(columns.questions["Question one?"], "A");
        let error = load(&survey.replace(
            "    survey:\n      ignore: [Timestamp]\n      questions: {\"Question one?\": A}\n",
            "",
        ))
        .unwrap_err();
        assert_eq!(error.yaml_key(), Some("data.ratings.survey"));
        let error = load(&survey.replace("shape: survey", "shape: wide")).unwrap_err();
        assert!(
            error.message.contains("belongs only to shape `survey`"),
            "{error}"
        );
        let weighted = survey.replace("  ratings:", "  weights: w.csv\n  ratings:");
        let error = load(&weighted).unwrap_err();
        assert!(error.message.contains("without `expert_column`"), "{error}");
        let with_column = weighted.replace(
            "ignore: [Timestamp]",
            "expert_column: Email\n      ignore: [Timestamp]",
        );
        assert!(load(&with_column).is_ok());
    }
}
