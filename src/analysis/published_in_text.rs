//! What a publication prints in its running text rather than its tables: the sample's percentages
//! (gender, education, ...) and counts of its coding and screening (initial codes, concepts, accepted
//! indicators, ...). Could the printed percentages come from the stated panels, and do the printed
//! counts agree with the study's own data? (Not to be confused with `Aggregation`, the fuzzy mean.)
//!
//! A printed whole percentage `p` stands for any share in [p - 1/2, p + 1/2] (rounded to the nearest
//! whole percent, ties either way); "more than p" and "less than p" are strict bounds on the unrounded
//! share. For a set whose categories cover the whole sample (exhaustive), the counts must add up to n.

use crate::domain::Names;
use crate::number::cmp_ratio;
use std::cmp::Ordering;

/// How a printed figure bounds the true one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Relation {
    /// `=`: the printed figure is the (rounded) value.
    Equal,
    /// `>`: the true value is more than the printed figure.
    MoreThan,
    /// `<`: the true value is less than the printed figure.
    LessThan,
}

impl Relation {
    pub(crate) fn parse(text: &str) -> Option<Relation> {
        match text {
            "=" => Some(Relation::Equal),
            ">" => Some(Relation::MoreThan),
            "<" => Some(Relation::LessThan),
            _ => None,
        }
    }

    /// A name for the relation, for text keys.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Relation::Equal => "equal",
            Relation::MoreThan => "more_than",
            Relation::LessThan => "less_than",
        }
    }

    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Relation::Equal => "=",
            Relation::MoreThan => ">",
            Relation::LessThan => "<",
        }
    }
}

/// One printed percentage of a category of the sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Share {
    pub(crate) category: String,
    pub(crate) label: Names,
    pub(crate) relation: Relation,
    pub(crate) percent: u32,
    /// Line of the source text where the figure is printed.
    pub(crate) source_line: u32,
}

/// The printed percentages of one characteristic (gender, education, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShareSet {
    pub(crate) id: String,
    pub(crate) label: Names,
    /// True when the categories cover the whole sample, so their counts must add up to n.
    pub(crate) exhaustive: bool,
    pub(crate) shares: Vec<Share>,
}

/// The counts of `n` people whose share satisfies the printed percentage: a range of whole numbers,
/// because the share grows with the count; `None` when no count does.
pub(crate) fn count_range(share: &Share, n: u64) -> Option<(u64, u64)> {
    let n_i = i128::from(n);
    let percent = i128::from(share.percent);
    // Compare 100 c / n with p - 1/2, p + 1/2 (as (2p -+ 1) / 2) or p.
    let satisfies = |c: u64| {
        let (num, den) = (100 * i128::from(c), n_i);
        match share.relation {
            Relation::Equal => {
                cmp_ratio(num, den, 2 * percent - 1, 2) != Ordering::Less
                    && cmp_ratio(num, den, 2 * percent + 1, 2) != Ordering::Greater
            }
            Relation::MoreThan => cmp_ratio(num, den, percent, 1) == Ordering::Greater,
            Relation::LessThan => cmp_ratio(num, den, percent, 1) == Ordering::Less,
        }
    };
    let fitting: Vec<u64> = (0..=n).filter(|&c| satisfies(c)).collect();
    Some((*fitting.first()?, *fitting.last()?))
}

/// Whether `n` people can show every printed percentage of the set at once. Each category's counts
/// form a range, so counts adding up to exactly n exist when n lies between the sums of the range
/// ends; categories that need not cover the sample only need to fit in it.
pub(crate) fn feasible(set: &ShareSet, n: u64) -> bool {
    if n == 0 {
        return false;
    }
    let mut low = 0;
    let mut high = 0;
    for share in &set.shares {
        match count_range(share, n) {
            Some((a, b)) => {
                low += a;
                high += b;
            }
            None => return false,
        }
    }
    if set.exhaustive {
        low <= n && n <= high
    } else {
        low <= n
    }
}

/// A panel whose size the percentages are checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Panel {
    Interviewees,
    Delphi,
    /// Both panels together.
    Both,
}

impl Panel {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Panel::Interviewees => "interviewees",
            Panel::Delphi => "delphi",
            Panel::Both => "both",
        }
    }
}

/// One set of percentages checked against the panels and every sample size up to a bound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShareSetAudit {
    pub(crate) set: ShareSet,
    /// Per stated panel: its size and whether the set is feasible for it.
    pub(crate) panels: Vec<(Panel, u64, bool)>,
    /// Every n from 1 to `max_n` for which the set is feasible.
    pub(crate) feasible_sizes: Vec<u64>,
    pub(crate) max_n: u64,
}

pub(crate) fn audit_shares(
    sets: &[ShareSet],
    panels: &[(Panel, u64)],
    max_n: u64,
) -> Vec<ShareSetAudit> {
    sets.iter()
        .map(|set| ShareSetAudit {
            set: set.clone(),
            panels: panels
                .iter()
                .map(|&(panel, n)| (panel, n, feasible(set, n)))
                .collect(),
            feasible_sizes: (1..=max_n).filter(|&n| feasible(set, n)).collect(),
            max_n,
        })
        .collect()
}

/// What a printed count of the coding or the screening is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CountTarget {
    /// The number of indicators in the study (concepts of the focused coding become indicators).
    Indicators,
    Components,
    /// Indicators accepted by the reproduced screening.
    Accepted,
    Rejected,
}

impl CountTarget {
    pub(crate) fn parse(text: &str) -> Option<CountTarget> {
        match text {
            "indicators" => Some(CountTarget::Indicators),
            "components" => Some(CountTarget::Components),
            "accepted" => Some(CountTarget::Accepted),
            "rejected" => Some(CountTarget::Rejected),
            _ => None,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            CountTarget::Indicators => "indicators",
            CountTarget::Components => "components",
            CountTarget::Accepted => "accepted",
            CountTarget::Rejected => "rejected",
        }
    }
}

/// A count printed in the text (initial codes, concepts, components, accepted indicators, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PublishedCount {
    pub(crate) id: String,
    pub(crate) label: Names,
    pub(crate) relation: Relation,
    pub(crate) value: u64,
    /// `None` when the study holds nothing to check it against.
    pub(crate) checked_against: Option<CountTarget>,
    pub(crate) source_line: u32,
}

/// The study's own numbers a printed count can be checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StudyCounts {
    pub(crate) indicators: u64,
    pub(crate) components: u64,
    pub(crate) accepted: u64,
    pub(crate) rejected: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CountResult {
    Match,
    Mismatch,
    /// Nothing in the study to check it against (for example initial codes without coded data).
    Unchecked,
}

impl CountResult {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            CountResult::Match => "match",
            CountResult::Mismatch => "mismatch",
            CountResult::Unchecked => "unchecked",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CountAudit {
    pub(crate) count: PublishedCount,
    pub(crate) study_value: Option<u64>,
    pub(crate) result: CountResult,
}

pub(crate) fn audit_counts(counts: &[PublishedCount], study: StudyCounts) -> Vec<CountAudit> {
    counts
        .iter()
        .map(|count| {
            let study_value = count.checked_against.map(|target| match target {
                CountTarget::Indicators => study.indicators,
                CountTarget::Components => study.components,
                CountTarget::Accepted => study.accepted,
                CountTarget::Rejected => study.rejected,
            });
            let result = match study_value {
                None => CountResult::Unchecked,
                Some(ours) => {
                    let holds = match count.relation {
                        Relation::Equal => ours == count.value,
                        Relation::MoreThan => ours > count.value,
                        Relation::LessThan => ours < count.value,
                    };
                    if holds {
                        CountResult::Match
                    } else {
                        CountResult::Mismatch
                    }
                }
            };
            CountAudit {
                count: count.clone(),
                study_value,
                result,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;

    fn share(percent: u32, relation: Relation) -> Share {
        Share {
            category: format!("c{percent}"),
            label: Names::of(&[
                (Lang::EN, format!("{percent}")),
                (Lang::FA, format!("{percent}")),
            ]),
            relation,
            percent,
            source_line: 1,
        }
    }

    fn set(shares: &[(u32, Relation)], exhaustive: bool) -> ShareSet {
        ShareSet {
            id: "s".into(),
            label: Names::of(&[(Lang::EN, "S"), (Lang::FA, "S")]),
            exhaustive,
            shares: shares.iter().map(|&(p, r)| share(p, r)).collect(),
        }
    }

    #[test]
    fn a_printed_percentage_allows_a_range_of_counts() {
        // 74% of 19: 14/19 = 73.7% rounds to 74; 13/19 = 68.4%, 15/19 = 78.9% do not.
        assert_eq!(count_range(&share(74, Relation::Equal), 19), Some((14, 14)));
        // 74% of 15: 11/15 = 73.33%, 12/15 = 80%: no count.
        assert_eq!(count_range(&share(74, Relation::Equal), 15), None);
        // 50% of 200: 99/200 = 49.5% and 101/200 = 50.5% are ties, kept under one rule or the other.
        assert_eq!(
            count_range(&share(50, Relation::Equal), 200),
            Some((99, 101))
        );
        // More than 75% of 11: 9/11 = 81.8% and up; 8/11 = 72.7% is not.
        assert_eq!(
            count_range(&share(75, Relation::MoreThan), 11),
            Some((9, 11))
        );
        // More than 75% of 4: 3/4 is exactly 75%, not more.
        assert_eq!(count_range(&share(75, Relation::MoreThan), 4), Some((4, 4)));
        assert_eq!(count_range(&share(25, Relation::LessThan), 4), Some((0, 0)));
    }

    #[test]
    fn exhaustive_sets_must_add_up_to_n() {
        let gender = set(&[(74, Relation::Equal), (26, Relation::Equal)], true);
        // n = 19: 14 + 5 = 19 with 73.7% and 26.3%.
        assert!(feasible(&gender, 19));
        // n = 11: 8/11 = 72.7%, 9/11 = 81.8%: no count gives 74.
        assert!(!feasible(&gender, 11));
        assert!(!feasible(&gender, 15));
        // n = 26: 19/26 = 73.1%, 20/26 = 76.9%.
        assert!(!feasible(&gender, 26));
        // Education 9/50/41 at n = 22: 2/22 = 9.1%, 11/22 = 50%, 9/22 = 40.9%, and 2 + 11 + 9 = 22.
        let education = set(
            &[
                (9, Relation::Equal),
                (50, Relation::Equal),
                (41, Relation::Equal),
            ],
            true,
        );
        assert!(feasible(&education, 22));
        // n = 15: 50% needs 7.5 people.
        assert!(!feasible(&education, 15));
        // Sum constraint alone: 33/33/33 of 3 is 1 + 1 + 1 = 3, each 33.3%.
        let thirds = set(
            &[
                (33, Relation::Equal),
                (33, Relation::Equal),
                (33, Relation::Equal),
            ],
            true,
        );
        assert!(feasible(&thirds, 3));
        // 60/60 cannot add up to n, though each alone is possible for n = 5 (3/5).
        let too_much = set(&[(60, Relation::Equal), (60, Relation::Equal)], true);
        assert!(!feasible(&too_much, 5));
        let partial = set(&[(60, Relation::Equal)], false);
        assert!(feasible(&partial, 5));
        assert!(!feasible(&partial, 0));
    }

    #[test]
    fn sets_are_checked_for_every_panel_and_every_size_up_to_the_bound() {
        let gender = set(&[(74, Relation::Equal), (26, Relation::Equal)], true);
        let audits = audit_shares(
            &[gender],
            &[
                (Panel::Interviewees, 11),
                (Panel::Delphi, 15),
                (Panel::Both, 26),
            ],
            30,
        );
        assert_eq!(
            audits[0].panels,
            vec![
                (Panel::Interviewees, 11, false),
                (Panel::Delphi, 15, false),
                (Panel::Both, 26, false)
            ]
        );
        // Up to 30: 19 (14 + 5), 23 (17 + 6: 73.9%, 26.1%), 27 (20 + 7: 74.1%, 25.9%).
        assert_eq!(audits[0].feasible_sizes, [19, 23, 27]);
    }

    #[test]
    fn printed_counts_are_checked_against_the_study_or_left_unchecked() {
        let count = |id: &str, value, target| PublishedCount {
            id: id.into(),
            label: Names::of(&[(Lang::EN, id), (Lang::FA, id)]),
            relation: Relation::Equal,
            value,
            checked_against: target,
            source_line: 1,
        };
        let study = StudyCounts {
            indicators: 48,
            components: 9,
            accepted: 47,
            rejected: 1,
        };
        let audits = audit_counts(
            &[
                count("concepts", 48, Some(CountTarget::Indicators)),
                count("components", 8, Some(CountTarget::Components)),
                count("initial_codes", 331, None),
            ],
            study,
        );
        let results: Vec<(CountResult, Option<u64>)> =
            audits.iter().map(|a| (a.result, a.study_value)).collect();
        assert_eq!(
            results,
            [
                (CountResult::Match, Some(48)),
                (CountResult::Mismatch, Some(9)),
                (CountResult::Unchecked, None)
            ]
        );
    }
}
