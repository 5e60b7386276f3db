//! Dropped or extra respondents: whose removal from the ratings (or whose second counting) reproduces
//! the printed tables.
//!
//! A printed table computed from a different set of respondents than the data holds (the first data
//! row read as a header, a respondent dropped or pasted twice in a spreadsheet) disagrees everywhere,
//! yet one or two respondents explain it. With per-expert ratings, every single respondent and, for
//! panels of at most [`MAX_PAIR_PANEL`], every pair is tried: the indicator's counts change by the
//! removed (or doubled) ratings, the screening is recomputed by the study's method, and the printed
//! values it reproduces at their printed precision are counted.
//!
//! An indicator's counts after changing at most two ratings take at most (k + 1)(k + 2) / 2 forms for k
//! levels, so each form is screened once per indicator and every candidate costs a table look-up per
//! indicator.

use crate::analysis::feasibility::{Measure, PrintedMeans};
use crate::analysis::fuzzy::{screen_counts, Screened};
use crate::analysis::ExpertRatings;
use crate::domain::{Method, ScaleLevel};
use crate::number::Num;

/// The largest panel for which pairs of respondents are searched (C(60, 2) = 1770 pairs).
pub(crate) const MAX_PAIR_PANEL: usize = 60;

/// Candidates kept, best first.
pub(crate) const MAX_CANDIDATES: usize = 5;

/// What a candidate does to the data's respondents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Change {
    /// The respondents' ratings are left out.
    Removed,
    /// The respondents' ratings are counted twice.
    Duplicated,
}

impl Change {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Change::Removed => "removed",
            Change::Duplicated => "duplicated",
        }
    }
}

/// One set of respondents and how many printed values the data give without them (or with them twice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub(crate) change: Change,
    /// Expert ids, in the order the ratings name them.
    pub experts: Vec<String>,
    /// Printed values reproduced at their printed precision.
    pub(crate) reproduced: usize,
    /// The panel the candidate leaves: the data's respondents minus (or plus) the candidate's.
    pub panel: u64,
}

/// The outcome of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RespondentSearch {
    /// Respondents in the data.
    pub(crate) respondents: u64,
    /// Candidate sets tried.
    pub searched: usize,
    /// Whether pairs were tried (the panel is at most `MAX_PAIR_PANEL`).
    pub(crate) pairs: bool,
    /// Whether duplications were tried as well as removals.
    pub(crate) duplications: bool,
    /// Printed values compared.
    pub(crate) printed: usize,
    /// Printed values the data reproduce with every respondent counted once.
    pub(crate) with_everyone: usize,
    /// The candidates that reproduce more printed values than everyone does, most first (singles
    /// before pairs, then in the ratings' order), at most `MAX_CANDIDATES`.
    pub(crate) best: Vec<Candidate>,
}

impl RespondentSearch {
    /// The best candidate, when it reproduces every printed value.
    pub fn exact(&self) -> Option<&Candidate> {
        self.best.first().filter(|c| c.reproduced == self.printed)
    }
}

/// Why no search was run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotSearched {
    /// The ratings are counts per level: they do not say who rated what.
    NoExpertRatings,
    /// Removing a weighted expert changes the weights; the search models unweighted panels.
    Weighted,
}

impl NotSearched {
    pub(crate) fn name(self) -> &'static str {
        match self {
            NotSearched::NoExpertRatings => "no-expert-ratings",
            NotSearched::Weighted => "weighted",
        }
    }
}

/// One indicator's printed values: the screening numbers and, when the printed counts are not the
/// ratings, its printed counts per level.
#[derive(Debug, Clone, Default)]
pub struct PrintedIndicator {
    /// The indicator's position in the ratings.
    pub position: usize,
    /// The printed screening values.
    pub means: PrintedMeans,
    /// The printed counts per level, when they are not the ratings.
    pub counts: Option<Vec<u64>>,
}

impl PrintedIndicator {
    fn values(&self) -> usize {
        Measure::ALL
            .iter()
            .filter(|&&m| self.means.get(m).is_some())
            .count()
            + self.counts.as_ref().map_or(0, Vec::len)
    }

    /// Printed values that `counts` reproduce, by `method`.
    fn reproduced(&self, method: &Method, scale: &[ScaleLevel], counts: &[u64]) -> usize {
        let from_counts = self.counts.as_ref().map_or(0, |printed| {
            printed.iter().zip(counts).filter(|(a, b)| a == b).count()
        });
        let screened = if counts.iter().any(|&c| c > 0) {
            screen_counts(method, scale, counts, None)
        } else {
            None
        };
        let numbers = screened.map_or(0, |s| {
            Measure::ALL
                .iter()
                .filter(|&&m| {
                    self.means
                        .get(m)
                        .is_some_and(|p| p.interval_any_rule().contains_num(value(&s, m)))
                })
                .count()
        });
        from_counts + numbers
    }
}

fn value(screened: &Screened, measure: Measure) -> Num {
    match measure {
        Measure::L => screened.fuzzy.l,
        Measure::M => screened.fuzzy.m,
        Measure::U => screened.fuzzy.u,
        Measure::Crisp => screened.crisp,
    }
}

/// Per indicator, the printed values reproduced by each form its counts take after removing (or
/// doubling) at most two ratings, computed on first use. A form is the pair of changed levels, each
/// `0` for none or `level + 1`, smaller first.
struct Memo<'a> {
    method: &'a Method,
    scale: &'a [ScaleLevel],
    change: Change,
    /// Per printed indicator: its data counts and its table of forms.
    rows: Vec<(Vec<u64>, Vec<Option<usize>>)>,
}

impl Memo<'_> {
    fn reproduced(&mut self, row: usize, printed: &PrintedIndicator, levels: [usize; 2]) -> usize {
        let k = self.scale.len() + 1;
        let [a, b] = if levels[0] <= levels[1] {
            levels
        } else {
            [levels[1], levels[0]]
        };
        let (base, forms) = &mut self.rows[row];
        if let Some(known) = forms[a * k + b] {
            return known;
        }
        let mut counts = base.clone();
        let mut possible = true;
        for level in [a, b].into_iter().filter(|&l| l > 0) {
            match self.change {
                Change::Removed => match counts[level - 1].checked_sub(1) {
                    Some(c) => counts[level - 1] = c,
                    None => possible = false,
                },
                Change::Duplicated => counts[level - 1] += 1,
            }
        }
        let found = if possible {
            printed.reproduced(self.method, self.scale, &counts)
        } else {
            0
        };
        forms[a * k + b] = Some(found);
        found
    }
}

/// Tries every single respondent and, for panels of at most `MAX_PAIR_PANEL`, every pair: removed,
/// and also duplicated when `duplications` is set. `data_counts[position]` are the ratings' counts.
pub fn search(
    method: &Method,
    scale: &[ScaleLevel],
    ratings: &ExpertRatings,
    data_counts: &[Vec<u64>],
    printed: &[PrintedIndicator],
    duplications: bool,
) -> RespondentSearch {
    let respondents = ratings.len();
    let total: usize = printed.iter().map(PrintedIndicator::values).sum();
    let k = scale.len() + 1;
    let new_memo = |change| Memo {
        method,
        scale,
        change,
        rows: printed
            .iter()
            .map(|p| {
                (
                    data_counts.get(p.position).cloned().unwrap_or_default(),
                    vec![None; k * k],
                )
            })
            .collect(),
    };
    let level =
        |expert: usize, position: usize| ratings.level(expert, position).map_or(0, |l| l + 1);
    let with_everyone: usize = {
        let mut memo = new_memo(Change::Removed);
        printed
            .iter()
            .enumerate()
            .map(|(row, p)| memo.reproduced(row, p, [0, 0]))
            .sum()
    };
    let pairs = respondents <= MAX_PAIR_PANEL;
    let mut changes = vec![Change::Removed];
    if duplications {
        changes.push(Change::Duplicated);
    }
    let mut found: Vec<(usize, Change, Vec<usize>)> = Vec::new();
    let mut searched = 0;
    for change in changes {
        let mut memo = new_memo(change);
        let mut sets: Vec<Vec<usize>> = (0..respondents).map(|e| vec![e]).collect();
        if pairs {
            for a in 0..respondents {
                for b in a + 1..respondents {
                    sets.push(vec![a, b]);
                }
            }
        }
        for set in sets {
            searched += 1;
            let reproduced: usize = printed
                .iter()
                .enumerate()
                .map(|(row, p)| {
                    let first = level(set[0], p.position);
                    let second = set.get(1).map_or(0, |&e| level(e, p.position));
                    memo.reproduced(row, p, [first, second])
                })
                .sum();
            if reproduced > with_everyone {
                found.push((reproduced, change, set));
            }
        }
    }
    // Most values first; then fewer respondents, removals before duplications, the ratings' order.
    found.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.2.len().cmp(&b.2.len()))
            .then(a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    let best = found
        .into_iter()
        .take(MAX_CANDIDATES)
        .map(|(reproduced, change, set)| Candidate {
            change,
            panel: match change {
                Change::Removed => (respondents - set.len()) as u64,
                Change::Duplicated => (respondents + set.len()) as u64,
            },
            experts: set.iter().map(|&e| ratings.experts[e].clone()).collect(),
            reproduced,
        })
        .collect();
    RespondentSearch {
        respondents: respondents as u64,
        searched,
        pairs,
        duplications,
        printed: total,
        with_everyone,
        best,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fuzzy::tests::quarter_scale;
    use crate::number::{Exact, Printed};

    const EXPERTS: usize = 8;
    const INDICATORS: usize = 6;

    /// SYNTHETIC ratings: expert e gives indicator i the level (7e + 3i + ei mod 4) mod 5; no two
    /// experts rate every indicator alike (checked below).
    fn level_of(e: usize, i: usize) -> usize {
        (7 * e + 3 * i + (e * i) % 4) % 5
    }

    fn ratings() -> ExpertRatings {
        let mut cells = Vec::new();
        for e in 0..EXPERTS {
            for i in 0..INDICATORS {
                cells.push(level_of(e, i) as u8 + 1);
            }
        }
        let names = (1..=EXPERTS).map(|e| format!("E{e}")).collect();
        ExpertRatings::new(names, INDICATORS, cells).unwrap()
    }

    /// Counts per indicator of the experts in `panel` (an expert listed twice counts twice).
    fn counts(panel: &[usize]) -> Vec<Vec<u64>> {
        (0..INDICATORS)
            .map(|i| {
                let mut c = vec![0u64; 5];
                for &e in panel {
                    c[level_of(e, i)] += 1;
                }
                c
            })
            .collect()
    }

    /// The screening table of `panel` printed at 3 decimals, as the printed values of every indicator.
    fn printed_from(panel: &[usize]) -> Vec<PrintedIndicator> {
        let method = Method::paper(Exact::new(1, 2).unwrap());
        counts(panel)
            .iter()
            .enumerate()
            .map(|(position, c)| {
                let s = screen_counts(&method, &quarter_scale(), c, None).unwrap();
                let print = |v: Num| Some(Printed::parse(&v.round_half_away(3)).unwrap());
                PrintedIndicator {
                    position,
                    means: PrintedMeans {
                        l: print(s.fuzzy.l),
                        m: print(s.fuzzy.m),
                        u: print(s.fuzzy.u),
                        crisp: print(s.crisp),
                        status: None,
                    },
                    counts: None,
                }
            })
            .collect()
    }

    fn run(printed: &[PrintedIndicator], duplications: bool) -> RespondentSearch {
        let everyone: Vec<usize> = (0..EXPERTS).collect();
        search(
            &Method::paper(Exact::new(1, 2).unwrap()),
            &quarter_scale(),
            &ratings(),
            &counts(&everyone),
            printed,
            duplications,
        )
    }

    #[test]
    fn the_synthetic_experts_are_all_different() {
        for a in 0..EXPERTS {
            for b in a + 1..EXPERTS {
                assert!((0..INDICATORS).any(|i| level_of(a, i) != level_of(b, i)));
            }
        }
    }

    #[test]
    fn a_table_computed_without_the_first_respondent_names_that_respondent() {
        let printed = printed_from(&[1, 2, 3, 4, 5, 6, 7]);
        let found = run(&printed, false);
        // 8 singles and C(8, 2) = 28 pairs; 6 indicators x 4 printed numbers.
        assert_eq!((found.searched, found.printed, found.pairs), (36, 24, true));
        assert!(found.with_everyone < 24);
        let exact = found.exact().expect("an exact candidate");
        assert_eq!(
            exact,
            &Candidate {
                change: Change::Removed,
                experts: vec!["E1".into()],
                reproduced: 24,
                panel: 7,
            }
        );
        // No other single or pair reproduces everything.
        assert!(found.best.iter().skip(1).all(|c| c.reproduced < 24));
    }

    #[test]
    fn a_pair_of_dropped_respondents_is_found() {
        let printed = printed_from(&[0, 2, 3, 5, 6, 7]);
        let exact = run(&printed, false).exact().cloned().unwrap();
        assert_eq!(exact.experts, ["E2", "E5"]);
        assert_eq!((exact.change, exact.panel), (Change::Removed, 6));
    }

    #[test]
    fn a_respondent_counted_twice_is_found_when_duplications_are_searched() {
        let printed = printed_from(&[0, 1, 2, 2, 3, 4, 5, 6, 7]);
        assert!(run(&printed, false).exact().is_none());
        let found = run(&printed, true);
        // Removals and duplications: 36 each.
        assert_eq!(found.searched, 72);
        let exact = found.exact().unwrap();
        assert_eq!(exact.experts, ["E3"]);
        assert_eq!((exact.change, exact.panel), (Change::Duplicated, 9));
    }

    #[test]
    fn when_no_set_of_respondents_explains_the_print_none_is_claimed() {
        // The print of the full panel with one crisp value changed: removing anyone only loses values.
        let everyone: Vec<usize> = (0..EXPERTS).collect();
        let mut printed = printed_from(&everyone);
        printed[0].means.crisp = Some(Printed::parse("0.999").unwrap());
        let found = run(&printed, true);
        assert_eq!(found.with_everyone, 23);
        assert!(found.exact().is_none());
        assert!(found.best.is_empty(), "{:?}", found.best);
    }
}
