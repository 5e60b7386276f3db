//! The headline values the report computes, each by a stable name: the numbers (and the one sentence)
//! a document can write into its prose with `value("<name>")`, in the reader's language and digits.
//! They are the same numbers the cells print, computed from the same results.

use crate::report::i18n::InLanguage;
use anyhow::Result;

use super::front::combined_digest;
use super::Builder;
use crate::analysis::Status;

/// A value a document can use: its name, what it is (one line, for `cells`), and how it is worked
/// out; `None` when the study has no such value (no interviewees, a single round, nothing audited).
pub(crate) struct ValueSpec {
    pub(crate) name: &'static str,
    pub(crate) description: &'static str,
    compute: fn(&Builder) -> Result<Option<String>>,
}

impl ValueSpec {
    /// The value in the builder's language, or `None` when the study does not have it.
    pub(crate) fn compute(&self, builder: &Builder) -> Result<Option<String>> {
        (self.compute)(builder)
    }
}

/// Every value, in the order `cells` lists them.
pub(crate) const VALUES: [ValueSpec; 15] = [
    ValueSpec {
        name: "indicator-count",
        description: "Indicators screened",
        compute: |b| Ok(Some(b.int(b.input.data.indicators.len()))),
    },
    ValueSpec {
        name: "component-count",
        description: "Components the indicators are grouped in",
        compute: |b| Ok(Some(b.int(b.input.data.components.len()))),
    },
    ValueSpec {
        name: "expert-count",
        description: "Experts of the Delphi panel (panels.delphi_experts)",
        compute: |b| {
            let study = b.input.study;
            Ok(study.has_ratings().then(|| b.int(study.delphi_experts())))
        },
    },
    ValueSpec {
        name: "interviewee-count",
        description: "Interviewees of the qualitative part (panels.interviewees)",
        compute: |b| Ok(b.input.study.panels().interviewees.map(|n| b.int(n))),
    },
    ValueSpec {
        name: "threshold",
        description: "The threshold a crisp value must reach to be accepted",
        compute: |b| Ok(Some(b.threshold_text())),
    },
    ValueSpec {
        name: "accepted-count",
        description: "Indicators accepted by the screening",
        compute: |b| Ok(Some(b.int(b.decided(Status::Accepted)))),
    },
    ValueSpec {
        name: "rejected-count",
        description: "Indicators rejected by the screening",
        compute: |b| Ok(Some(b.int(b.decided(Status::Rejected)))),
    },
    ValueSpec {
        name: "accepted-percent",
        description: "Accepted indicators as a percentage of those with responses (one decimal at most)",
        compute: |b| {
            let decided = b.decided(Status::Accepted) + b.decided(Status::Rejected);
            let share = crate::number::Exact::new(
                b.decided(Status::Accepted) as i128,
                decided as i128,
            );
            Ok(share.map(|share| b.percent(share)))
        },
    },
    ValueSpec {
        name: "screening-result",
        description: "The screening result in one sentence (the summary cell's first line)",
        compute: |b| b.screening_result().map(Some),
    },
    ValueSpec {
        name: "consensus-count",
        description: "Indicators on which the experts reach consensus (method.consensus)",
        compute: |b| {
            let screened: Vec<_> = b.input.screening.iter().filter_map(|r| r.result).collect();
            Ok((!screened.is_empty())
                .then(|| b.int(screened.iter().filter(|s| s.agreement.consensus).count())))
        },
    },
    ValueSpec {
        name: "round-count",
        description: "Rounds of ratings",
        compute: |b| Ok(Some(b.int(b.input.data.rounds.len()))),
    },
    ValueSpec {
        name: "stable-count",
        description: "Indicators whose crisp value is stable between the last two rounds (several rounds only)",
        compute: |b| {
            let trajectories = b.input.trajectories;
            Ok((!trajectories.is_empty()).then(|| {
                b.int(
                    trajectories
                        .iter()
                        .filter(|t| t.stable == Some(true))
                        .count(),
                )
            }))
        },
    },
    ValueSpec {
        name: "unmatched-count",
        description: "Printed values of the audited tables that are not a plain match (printed tables only)",
        compute: |b| {
            Ok(b.input.table_audit.map(|audit| {
                b.int(
                    audit
                        .values
                        .iter()
                        .filter(|v| v.verdict != crate::analysis::audit::Verdict::Match)
                        .count(),
                )
            }))
        },
    },
    ValueSpec {
        name: "input-count",
        description: "Input files read, study.yaml included",
        compute: |b| Ok(Some(b.int(b.input_files()?.len()))),
    },
    ValueSpec {
        name: "inputs-digest",
        description: "Combined SHA-256 of every input file (as the inputs cell explains)",
        compute: |b| Ok(Some(combined_digest(&b.input_files()?))),
    },
];

impl Builder<'_> {
    /// Indicators whose screening decided `status`.
    fn decided(&self, status: Status) -> usize {
        self.input
            .screening
            .iter()
            .filter(|r| r.result.is_some_and(|s| s.status == status))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;
    use crate::report::cells::tiny::Tiny;

    fn value_spec(name: &str) -> Option<&'static ValueSpec> {
        VALUES.iter().find(|spec| spec.name == name)
    }

    fn values(tiny: &Tiny, lang: Lang) -> Vec<(&'static str, Option<String>)> {
        tiny.with_builder(lang, |builder| {
            VALUES
                .iter()
                .map(|spec| (spec.name, spec.compute(builder).unwrap()))
                .collect()
        })
    }

    #[test]
    fn every_value_is_worked_out_from_the_results() {
        let tiny = Tiny::plain();
        let found = values(&tiny, Lang::EN);
        let get = |name: &str| found.iter().find(|(n, _)| *n == name).unwrap().1.clone();
        assert_eq!(get("indicator-count").as_deref(), Some("3"));
        assert_eq!(get("component-count").as_deref(), Some("2"));
        assert_eq!(get("expert-count").as_deref(), Some("3"));
        assert_eq!(get("interviewee-count"), None);
        assert_eq!(get("threshold").as_deref(), Some("0.5"));
        assert_eq!(get("accepted-count").as_deref(), Some("2"));
        assert_eq!(get("rejected-count").as_deref(), Some("1"));
        // 2 of 3: 66.666...% at one decimal.
        assert_eq!(get("accepted-percent").as_deref(), Some("66.7"));
        assert_eq!(
            get("screening-result").as_deref(),
            Some("At the threshold 0.5, **2** of 3 indicators are accepted and **1** rejected.")
        );
        // Only I1 has every expert within 0.2 (all three rated high).
        assert_eq!(get("consensus-count").as_deref(), Some("1"));
        assert_eq!(get("round-count").as_deref(), Some("1"));
        assert_eq!(get("stable-count"), None);
        assert_eq!(get("unmatched-count"), None);
        assert_eq!(get("input-count").as_deref(), Some("4"));
        assert_eq!(get("inputs-digest").map(|d| d.len()), Some(64));
        let rich = Tiny::rich();
        let found = values(&rich, Lang::FA);
        let get = |name: &str| found.iter().find(|(n, _)| *n == name).unwrap().1.clone();
        assert_eq!(get("interviewee-count").as_deref(), Some("۲"));
        assert_eq!(get("stable-count").as_deref(), Some("۲"));
        // I3's crisp value is the one printed value that does not match.
        assert_eq!(get("unmatched-count").as_deref(), Some("۱"));
        assert_eq!(get("accepted-percent").as_deref(), Some("۶۶٫۷"));
    }

    #[test]
    fn value_names_are_unique_and_found_by_name() {
        let mut names: Vec<&str> = VALUES.iter().map(|v| v.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), VALUES.len());
        assert_eq!(value_spec("threshold").map(|v| v.name), Some("threshold"));
        assert!(value_spec("thresold").is_none());
    }
}
