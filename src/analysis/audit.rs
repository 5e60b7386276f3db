//! The audit of published tables: every printed value against its reproduction, its feasibility for the
//! panel, its consistency with the other printed values, and a neutral diagnosis of what does not match.
//!
//! Verdicts, per printed value:
//! - `match`: the reproduced value rounded half away from zero at the printed precision is the print;
//! - `match-by-rounding`: it is the print only under another defensible rounding (ties to even, or a crisp
//!   value computed from the rounded l, m and u);
//! - `infeasible`: no count vector of panel-size ratings on the scale gives the print at its precision;
//! - `mismatch`: any other disagreement;
//! - `not-published`: the cell is empty.
//!
//! Every value that is not a plain match carries findings: structured, language-free facts that the
//! report words in neutral terms ("inconsistent with", never "error").

use std::collections::BTreeMap;

use crate::analysis::feasibility::{Candidate, CountVectors, Measure, PrintedMeans, SearchLimit};
use crate::analysis::fuzzy::{Screened, ScreeningRow};
use crate::analysis::panel_size::{counts_fit, screening_fits, PanelFit};
use crate::analysis::respondents::{self, NotSearched, PrintedIndicator, RespondentSearch};
use crate::analysis::ExpertRatings;
use crate::analysis::{CountsTable, Indicator, PublishedScreeningRow, Status};
use crate::domain::{Aggregation, DecisionRule, Method, ScaleLevel};
use crate::number::{Exact, Num, Printed, RoundingRule};

/// Decimals used to show a reproduced value when the print has none to compare with.
pub(crate) const DEFAULT_DECIMALS: u32 = 3;

/// How a printed value compares with the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Verdict {
    Match,
    MatchByRounding,
    Mismatch,
    Infeasible,
    NotPublished,
}

impl Verdict {
    pub(crate) const ALL: [Verdict; 5] = [
        Verdict::Match,
        Verdict::MatchByRounding,
        Verdict::Mismatch,
        Verdict::Infeasible,
        Verdict::NotPublished,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Verdict::Match => "match",
            Verdict::MatchByRounding => "match-by-rounding",
            Verdict::Mismatch => "mismatch",
            Verdict::Infeasible => "infeasible",
            Verdict::NotPublished => "not-published",
        }
    }

    /// A disagreement between the print and the data (not an empty cell, not a rounding variant).
    pub(crate) fn is_discrepancy(self) -> bool {
        matches!(self, Verdict::Mismatch | Verdict::Infeasible)
    }
}

/// Which published table a value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum AuditedTable {
    /// Experts per indicator and level (the paper's Table 6).
    Counts,
    /// Fuzzy means, crisp values and status (the paper's Table 7).
    Screening,
}

/// The column of a published value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Column {
    /// A row's number of responses (the sum of its printed counts).
    Responses,
    /// The printed count of one scale level, by level id.
    Level(String),
    Measure(Measure),
    Status,
}

impl Column {
    /// The column name used in CSV files.
    pub(crate) fn name(&self) -> &str {
        match self {
            Column::Responses => "responses",
            Column::Level(id) => id,
            Column::Measure(measure) => measure.name(),
            Column::Status => "status",
        }
    }
}

/// One fact about a value or a row. Numbers are ASCII text at the printed precision; the report
/// localizes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Finding {
    /// The cell is empty in the published table.
    NotPublished,
    /// Matches only when ties are rounded to the even digit.
    TiesToEven,
    /// The printed crisp equals the centroid of the reproduced l, m, u after rounding them.
    FromRoundedComponents { crisp: String },
    /// No count vector of `ratings` ratings gives this value; the nearest producible values.
    Unproducible {
        ratings: u64,
        below: Option<String>,
        above: Option<String>,
    },
    /// Printed and reproduced differ in exactly one digit.
    OneDigitDiffers { reproduced: String },
    /// Printed and reproduced differ by two adjacent digits exchanged.
    DigitsTransposed { reproduced: String },
    /// The data hold no responses for this indicator.
    NothingReproduced,
    /// A counts row whose responses differ from the panel size.
    ResponsesDiffer { responses: u64, panel: u64 },
    /// A printed count that differs from the count the ratings give.
    CountDiffers { from_ratings: u64 },
    /// The row lies in a block of consecutive printed rows that equal the reproductions of the rows
    /// `offset` places away; this row equals reproduced row `source`.
    ShiftedBlock {
        first: usize,
        last: usize,
        offset: i64,
        source: usize,
    },
    /// This printed row equals the reproduction of row `with`, and row `with` equals this row's.
    Exchanged { with: usize },
    /// The printed row equals the reproductions of these other rows.
    EqualsRows { rows: Vec<usize> },
    /// The printed row equals the reproductions of these rows in every printed value but one, which is
    /// one unit of its last digit away.
    NearRows {
        rows: Vec<usize>,
        measure: Measure,
        theirs: String,
    },
    /// Several printed values differ from the row's reproduction and no other row's reproduction
    /// gives them either.
    EqualsNoRow,
    /// The counts row behind this row does not have the panel's number of responses.
    IncompleteResponses { responses: u64, panel: u64 },
    /// `total` count vectors of `ratings` ratings give every printed value of the row; the nearest to
    /// `reference` (the printed counts row, else the data's) come first.
    Producible {
        ratings: u64,
        total: usize,
        reference: Vec<u64>,
        nearest: Vec<Candidate>,
    },
    /// Every printed value is producible alone, but no count vector gives them all together.
    JointlyUnproducible { ratings: u64 },
    /// The feasibility search was not run.
    NotSearched { limit: SearchLimit },
    /// The printed crisp cannot be the centroid of any l, m, u that round to the printed ones;
    /// `printed_centroid` is (l + m + u) / 3 of the printed values.
    CrispInconsistent { printed_centroid: String },
    /// The printed status contradicts the printed crisp value and the threshold.
    StatusInconsistent { crisp: String, threshold: String },
    /// The printed status differs from the reproduced decision.
    DecisionChanged { printed: Status, reproduced: Status },
}

/// One printed value and its verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ValueAudit {
    pub(crate) table: AuditedTable,
    /// The indicator's 1-based number: the row the publication prints it in.
    pub(crate) row: usize,
    pub(crate) indicator: String,
    pub(crate) column: Column,
    /// As printed (ASCII digits); a status as `accepted` or `rejected`; empty when not published.
    pub(crate) published: String,
    /// The reproduced value at the printed precision (`DEFAULT_DECIMALS` when nothing was printed);
    /// for a row's responses, the panel size it should have.
    pub(crate) reproduced: String,
    pub(crate) verdict: Verdict,
    /// Value findings first, then the row's; empty only for plain matches.
    pub(crate) findings: Vec<Finding>,
}

/// Whether two printed things agree with each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Consistency {
    Consistent,
    Inconsistent,
    /// A value the check needs was not printed.
    NotCheckable,
}

/// One printed screening row: its explanation, consistency and the decision it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RowAudit {
    pub(crate) row: usize,
    pub(crate) indicator: String,
    /// Some printed value of the row (or of its counts row) is a mismatch or infeasible.
    pub(crate) discrepant: bool,
    /// Row-level findings (explanations, feasibility, consistency), shared by its discrepant values.
    pub(crate) findings: Vec<Finding>,
    pub(crate) printed_crisp: Option<String>,
    pub(crate) reproduced_crisp: Option<String>,
    pub(crate) printed_status: Option<Status>,
    pub(crate) reproduced_status: Option<Status>,
    /// Rank by printed crisp, highest first (1 + the number of rows printed strictly higher).
    pub(crate) printed_rank: Option<usize>,
    /// Rank by reproduced crisp at the printed precision, the same way.
    pub(crate) reproduced_rank: Option<usize>,
    /// Printed crisp against printed (l + m + u) / 3.
    pub(crate) crisp_check: Consistency,
    /// Printed status against printed crisp and the threshold.
    pub(crate) status_check: Consistency,
}

impl RowAudit {
    pub(crate) fn decision_changed(&self) -> bool {
        matches!((self.printed_status, self.reproduced_status), (Some(p), Some(r)) if p != r)
    }

    pub(crate) fn rank_changed(&self) -> bool {
        matches!((self.printed_rank, self.reproduced_rank), (Some(p), Some(r)) if p != r)
    }
}

/// The whole audit of a study's published tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    pub(crate) panel_size: u64,
    /// Every audited value: counts rows first, then screening rows, each in row order.
    pub(crate) values: Vec<ValueAudit>,
    /// One entry per printed screening row, in row order.
    pub(crate) rows: Vec<RowAudit>,
    /// Count vectors searched for the panel size, or why no search was run.
    pub search: Result<usize, SearchLimit>,
    /// Whether printed counts were compared cell by cell with the ratings (false when they are the ratings).
    pub(crate) counts_compared_with_ratings: bool,
    /// Per printed column, the panel sizes that fit every printed value: the counts table's responses,
    /// then the screening table's l, m, u and crisp.
    pub(crate) panel_fits: Vec<PanelFit>,
    /// Why the screening table's panel sizes were not inferred, when they were not.
    pub(crate) panel_fit_limit: Option<SearchLimit>,
    /// The search for dropped or extra respondents, run when some printed value disagrees with the
    /// data; `Err` says why it could not run.
    pub respondents: Option<Result<RespondentSearch, NotSearched>>,
}

/// Impossible values of one column from which they are one finding, not one each.
pub(crate) const IMPOSSIBLE_RUN: usize = 3;

/// One line of the audit's summary for a person: one cause, however many printed values it explains.
/// Language-free, like [`Finding`]; the report words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Headline {
    /// A printed respondent set reproduces every printed value: the table was computed without (or
    /// with a second copy of) these respondents.
    Respondents {
        candidate: respondents::Candidate,
        printed: usize,
        with_everyone: usize,
    },
    /// No single respondent (or pair) reproduces every printed value; the closest, if any, reproduces
    /// more than everyone does.
    NoRespondents {
        closest: Option<respondents::Candidate>,
        printed: usize,
        with_everyone: usize,
        pairs: bool,
        duplications: bool,
    },
    /// The stated panel gives fewer than half the printed values of some column of the screening
    /// table: over all its columns, it gives `stated_fits` of `values`; `fitting` are the panel sizes
    /// that give every printed value of every column.
    PanelMisfit {
        stated: u64,
        stated_fits: usize,
        values: usize,
        fitting: Vec<u64>,
    },
    /// Counts rows whose responses are not the panel size: (row, responses).
    ResponsesDiffer {
        rows: Vec<(usize, u64)>,
        panel: u64,
    },
    /// Printed counts that differ from the ratings': how many cells, in which rows.
    CountsDiffer {
        cells: usize,
        rows: Vec<usize>,
    },
    ShiftedBlock {
        first: usize,
        last: usize,
        offset: i64,
    },
    Exchanged {
        row: usize,
        with: usize,
    },
    EqualsRows {
        row: usize,
        rows: Vec<usize>,
    },
    NearRows {
        row: usize,
        rows: Vec<usize>,
        measure: Measure,
        theirs: String,
    },
    /// One printed value no `ratings` ratings give; the nearest values they give.
    Impossible {
        row: usize,
        measure: Measure,
        printed: String,
        ratings: u64,
        below: Option<String>,
        above: Option<String>,
    },
    /// `IMPOSSIBLE_RUN` or more printed values of one column that no `ratings` ratings give.
    ImpossibleRun {
        measure: Measure,
        rows: Vec<usize>,
        ratings: u64,
    },
    /// Rows whose printed values equal no row's reproduction.
    MatchesNoRow {
        rows: Vec<usize>,
    },
    /// Rows whose printed values are possible alone but not together.
    JointlyUnproducible {
        rows: Vec<usize>,
        ratings: u64,
    },
    CrispInconsistent {
        rows: Vec<usize>,
    },
    StatusInconsistent {
        rows: Vec<usize>,
    },
    DecisionChanged {
        rows: Vec<usize>,
    },
}

impl Audit {
    /// The findings, one line per cause, most explaining first: respondents, panel sizes, row
    /// displacements, impossible values, then the rest. When one or two respondents explain every
    /// printed value, the per-row lines are their consequences and are left out.
    pub(crate) fn headlines(&self) -> Vec<Headline> {
        let mut lines = Vec::new();
        let explained_by_respondents = match &self.respondents {
            Some(Ok(search)) => match search.exact() {
                Some(candidate) => {
                    lines.push(Headline::Respondents {
                        candidate: candidate.clone(),
                        printed: search.printed,
                        with_everyone: search.with_everyone,
                    });
                    true
                }
                None => {
                    lines.push(Headline::NoRespondents {
                        closest: search.best.first().cloned(),
                        printed: search.printed,
                        with_everyone: search.with_everyone,
                        pairs: search.pairs,
                        duplications: search.duplications,
                    });
                    false
                }
            },
            _ => false,
        };
        let screening_fits: Vec<&PanelFit> = self
            .panel_fits
            .iter()
            .filter(|f| f.table == AuditedTable::Screening)
            .collect();
        let misfits: Vec<&PanelFit> = screening_fits
            .iter()
            .copied()
            .filter(|f| f.stated_fits.is_some_and(|fits| fits * 2 < f.values))
            .collect();
        if !misfits.is_empty() {
            // One cause, one line: the table's columns together.
            let fitting = screening_fits
                .iter()
                .map(|f| f.fitting.clone())
                .reduce(|a, b| a.into_iter().filter(|n| b.contains(n)).collect())
                .unwrap_or_default();
            lines.push(Headline::PanelMisfit {
                stated: self.panel_size,
                stated_fits: screening_fits.iter().filter_map(|f| f.stated_fits).sum(),
                values: screening_fits.iter().map(|f| f.values).sum(),
                fitting,
            });
        }
        if explained_by_respondents {
            return lines;
        }
        let counts_values = || {
            self.values
                .iter()
                .filter(|v| v.table == AuditedTable::Counts)
        };
        let short: Vec<(usize, u64)> = counts_values()
            .filter(|v| v.column == Column::Responses && v.verdict.is_discrepancy())
            .filter_map(|v| v.published.parse().ok().map(|n| (v.row, n)))
            .collect();
        if !short.is_empty() {
            lines.push(Headline::ResponsesDiffer {
                rows: short,
                panel: self.panel_size,
            });
        }
        let differing: Vec<&ValueAudit> = counts_values()
            .filter(|v| matches!(v.column, Column::Level(_)) && v.verdict.is_discrepancy())
            .collect();
        if !differing.is_empty() {
            let mut rows: Vec<usize> = differing.iter().map(|v| v.row).collect();
            rows.dedup();
            lines.push(Headline::CountsDiffer {
                cells: differing.len(),
                rows,
            });
        }
        // Row displacements: each block, pair and equal row once.
        for row in &self.rows {
            for finding in &row.findings {
                match finding {
                    Finding::ShiftedBlock {
                        first,
                        last,
                        offset,
                        ..
                    } if *first == row.row => lines.push(Headline::ShiftedBlock {
                        first: *first,
                        last: *last,
                        offset: *offset,
                    }),
                    Finding::Exchanged { with } if row.row < *with => {
                        lines.push(Headline::Exchanged {
                            row: row.row,
                            with: *with,
                        })
                    }
                    Finding::EqualsRows { rows } => lines.push(Headline::EqualsRows {
                        row: row.row,
                        rows: rows.clone(),
                    }),
                    Finding::NearRows {
                        rows,
                        measure,
                        theirs,
                    } => lines.push(Headline::NearRows {
                        row: row.row,
                        rows: rows.clone(),
                        measure: *measure,
                        theirs: theirs.clone(),
                    }),
                    _ => {}
                }
            }
        }
        // Impossible values, per column: one line each, or one for a run.
        for measure in Measure::ALL {
            if misfits.iter().any(|f| f.column == Column::Measure(measure)) {
                continue;
            }
            let impossible: Vec<(&ValueAudit, &Finding)> = self
                .values
                .iter()
                .filter(|v| {
                    v.table == AuditedTable::Screening && v.column == Column::Measure(measure)
                })
                .filter_map(|v| {
                    v.findings
                        .iter()
                        .find(|f| matches!(f, Finding::Unproducible { .. }))
                        .map(|f| (v, f))
                })
                .collect();
            if impossible.len() >= IMPOSSIBLE_RUN {
                lines.push(Headline::ImpossibleRun {
                    measure,
                    rows: impossible.iter().map(|(v, _)| v.row).collect(),
                    ratings: self.panel_size,
                });
                continue;
            }
            for (value, finding) in impossible {
                if let Finding::Unproducible {
                    ratings,
                    below,
                    above,
                } = finding
                {
                    lines.push(Headline::Impossible {
                        row: value.row,
                        measure,
                        printed: value.published.clone(),
                        ratings: *ratings,
                        below: below.clone(),
                        above: above.clone(),
                    });
                }
            }
        }
        let rows_where = |keep: &dyn Fn(&RowAudit) -> bool| -> Vec<usize> {
            self.rows
                .iter()
                .filter(|r| keep(r))
                .map(|r| r.row)
                .collect()
        };
        let rows_with = |wanted: fn(&Finding) -> bool| {
            rows_where(&|r: &RowAudit| r.findings.iter().any(wanted))
        };
        let no_row = rows_with(|f| matches!(f, Finding::EqualsNoRow));
        if !no_row.is_empty() {
            lines.push(Headline::MatchesNoRow { rows: no_row });
        }
        let jointly = rows_with(|f| matches!(f, Finding::JointlyUnproducible { .. }));
        if !jointly.is_empty() {
            lines.push(Headline::JointlyUnproducible {
                rows: jointly,
                ratings: self.panel_size,
            });
        }
        let crisp = rows_where(&|r| r.crisp_check == Consistency::Inconsistent);
        if !crisp.is_empty() {
            lines.push(Headline::CrispInconsistent { rows: crisp });
        }
        let status = rows_where(&|r| r.status_check == Consistency::Inconsistent);
        if !status.is_empty() {
            lines.push(Headline::StatusInconsistent { rows: status });
        }
        let changed = rows_where(&|r| r.decision_changed());
        if !changed.is_empty() {
            lines.push(Headline::DecisionChanged { rows: changed });
        }
        lines
    }

    pub(crate) fn count(&self, table: AuditedTable, verdict: Verdict) -> usize {
        self.values
            .iter()
            .filter(|v| v.table == table && v.verdict == verdict)
            .count()
    }

    pub(crate) fn has_table(&self, table: AuditedTable) -> bool {
        self.values.iter().any(|v| v.table == table)
    }
}

/// What the audit reads: the study's scale and rules, the data, the reproduction and the prints.
pub struct AuditInput<'a> {
    /// The study's scale, lowest level first.
    pub scale: &'a [ScaleLevel],
    /// The indicators, in the publication's order.
    pub indicators: &'a [Indicator],
    /// The panel size every indicator should have (`panels.delphi_experts`).
    pub panel_size: u64,
    /// The effective threshold.
    pub threshold: Exact,
    /// The study's method: the feasibility search and the consistency checks cover only what they model.
    pub method: Method,
    /// Counts per indicator and level from the ratings.
    pub data_counts: &'a CountsTable,
    /// The reproduction, one row per indicator in indicator order.
    pub screening: &'a [ScreeningRow],
    /// The publication's counts table as printed, if the study has one.
    pub published_counts: Option<&'a CountsTable>,
    /// True when the printed counts table is itself the ratings input; its cells are then not
    /// compared with themselves, only its rows' responses with the panel size.
    pub published_counts_are_ratings: bool,
    /// The publication's screening table as printed, if the study has one.
    pub published_screening: Option<&'a [PublishedScreeningRow]>,
    /// Each expert's ratings, when the ratings file names its experts.
    pub experts: Option<&'a ExpertRatings>,
}

/// Audits every published value.
pub fn audit(input: &AuditInput) -> Audit {
    let numbers: BTreeMap<&str, usize> = input
        .indicators
        .iter()
        .map(|i| (i.id.as_str(), i.number))
        .collect();
    let mut values = Vec::new();
    if let Some(published) = input.published_counts {
        values.extend(audit_counts(input, published, &numbers));
    }
    let search = match searched_crisp_weights(&input.method) {
        Some(weights) => CountVectors::enumerate(input.scale, input.panel_size)
            .map(|vectors| vectors.with_crisp_weights(weights)),
        None => Err(SearchLimit::MethodNotModelled),
    };
    let mut rows = Vec::new();
    if let Some(published) = input.published_screening {
        let (screening_values, screening_rows) =
            audit_screening(input, published, &numbers, search.as_ref().map_err(|e| *e));
        values.extend(screening_values);
        rows = screening_rows;
    }
    let (panel_fits, panel_fit_limit) = infer_panel_sizes(input);
    let disagrees = values
        .iter()
        .any(|v| v.verdict.is_discrepancy() && v.column != Column::Responses);
    let respondents = disagrees.then(|| search_respondents(input, &panel_fits));
    Audit {
        panel_size: input.panel_size,
        values,
        rows,
        search: search.map(|vectors| vectors.len()),
        counts_compared_with_ratings: input.published_counts.is_some()
            && !input.published_counts_are_ratings,
        panel_fits,
        panel_fit_limit,
        respondents,
    }
}

/// Removals, and duplications when the print suggests a larger panel than the data's: the stated
/// panel is larger, or every printed column fits a panel one or two respondents larger.
fn search_respondents(
    input: &AuditInput,
    fits: &[PanelFit],
) -> Result<RespondentSearch, NotSearched> {
    let experts = input.experts.ok_or(NotSearched::NoExpertRatings)?;
    if input.method.weighted {
        return Err(NotSearched::Weighted);
    }
    let respondents = experts.len() as u64;
    let screening_fits: Vec<&PanelFit> = fits
        .iter()
        .filter(|f| f.table == AuditedTable::Screening)
        .collect();
    let larger_fits = (respondents + 1..=respondents + 2).any(|n| {
        !screening_fits.is_empty() && screening_fits.iter().all(|f| f.fitting.contains(&n))
    });
    let duplications = input.panel_size > respondents || larger_fits;
    let printed_counts = |id: &str| {
        input
            .published_counts
            .filter(|_| !input.published_counts_are_ratings)
            .and_then(|t| t.rows.iter().find(|r| r.indicator == id))
            .map(|r| r.counts.clone())
    };
    let printed: Vec<PrintedIndicator> = input
        .indicators
        .iter()
        .enumerate()
        .filter_map(|(position, indicator)| {
            let row = input
                .published_screening
                .and_then(|rows| rows.iter().find(|r| r.indicator == indicator.id));
            // The search is given the printed values only, not the printed decision.
            let means = row.map_or_else(PrintedMeans::default, |row| PrintedMeans {
                status: None,
                ..row.means()
            });
            let counts = printed_counts(&indicator.id);
            (means.has_numbers() || counts.is_some()).then_some(PrintedIndicator {
                position,
                means,
                counts,
            })
        })
        .collect();
    let data_counts: Vec<Vec<u64>> = input
        .data_counts
        .rows
        .iter()
        .map(|r| r.counts.clone())
        .collect();
    Ok(respondents::search(
        &input.method,
        input.scale,
        experts,
        &data_counts,
        &printed,
        duplications,
    ))
}

/// Which panel sizes fit each printed column (see `panel_size`).
fn infer_panel_sizes(input: &AuditInput) -> (Vec<PanelFit>, Option<SearchLimit>) {
    let mut fits = Vec::new();
    if let Some(published) = input.published_counts {
        let responses: Vec<u64> = published.rows.iter().map(|r| r.responses()).collect();
        fits.extend(counts_fit(&responses, input.panel_size));
    }
    let Some(published) = input.published_screening else {
        return (fits, None);
    };
    let Some(weights) = searched_crisp_weights(&input.method) else {
        return (fits, Some(SearchLimit::MethodNotModelled));
    };
    let columns: Vec<(Measure, Vec<crate::number::RoundingInterval>)> = Measure::ALL
        .iter()
        .map(|&measure| {
            let intervals = published
                .iter()
                .filter_map(|row| {
                    let cell = match measure {
                        Measure::L => &row.l,
                        Measure::M => &row.m,
                        Measure::U => &row.u,
                        Measure::Crisp => &row.crisp,
                    };
                    cell.value.map(|p| p.interval_any_rule())
                })
                .collect();
            (measure, intervals)
        })
        .collect();
    match screening_fits(input.scale, weights, &columns, input.panel_size) {
        Ok(screening) => {
            fits.extend(screening);
            (fits, None)
        }
        Err(limit) => (fits, Some(limit)),
    }
}

fn audit_counts(
    input: &AuditInput,
    published: &CountsTable,
    numbers: &BTreeMap<&str, usize>,
) -> Vec<ValueAudit> {
    let mut printed_rows: Vec<(usize, &crate::analysis::CountsRow)> = published
        .rows
        .iter()
        .filter_map(|row| numbers.get(row.indicator.as_str()).map(|&n| (n, row)))
        .collect();
    printed_rows.sort_by_key(|(number, _)| *number);
    let mut values = Vec::new();
    for (number, row) in printed_rows {
        if !input.published_counts_are_ratings {
            let data = input
                .data_counts
                .rows
                .iter()
                .find(|r| r.indicator == row.indicator);
            for (index, (&printed, level)) in row.counts.iter().zip(&published.levels).enumerate() {
                let from_ratings = data.map_or(0, |d| d.counts[index]);
                let matches = printed == from_ratings;
                values.push(ValueAudit {
                    table: AuditedTable::Counts,
                    row: number,
                    indicator: row.indicator.clone(),
                    column: Column::Level(level.clone()),
                    published: printed.to_string(),
                    reproduced: from_ratings.to_string(),
                    verdict: if matches {
                        Verdict::Match
                    } else {
                        Verdict::Mismatch
                    },
                    findings: if matches {
                        Vec::new()
                    } else {
                        vec![Finding::CountDiffers { from_ratings }]
                    },
                });
            }
        }
        let responses = row.responses();
        let complete = responses == input.panel_size;
        values.push(ValueAudit {
            table: AuditedTable::Counts,
            row: number,
            indicator: row.indicator.clone(),
            column: Column::Responses,
            published: responses.to_string(),
            reproduced: input.panel_size.to_string(),
            verdict: if complete {
                Verdict::Match
            } else {
                Verdict::Mismatch
            },
            findings: if complete {
                Vec::new()
            } else {
                vec![Finding::ResponsesDiffer {
                    responses,
                    panel: input.panel_size,
                }]
            },
        });
    }
    values
}

/// A printed screening row with everything the audit needs about it.
struct PrintedRow<'a> {
    number: usize,
    source: &'a PublishedScreeningRow,
    means: PrintedMeans,
    text: [&'a str; 4],
    reproduced: Option<Screened>,
    responses: Option<u64>,
}

/// The linear defuzzification weights the feasibility search can use for `method`: it models the
/// unweighted arithmetic mean with a linear defuzzification, nothing else.
fn searched_crisp_weights(method: &Method) -> Option<[i128; 3]> {
    (method.aggregation == Aggregation::ArithmeticMean && !method.weighted)
        .then(|| method.defuzzification.linear_weights())
        .flatten()
}

fn measure_value(screened: &Screened, measure: Measure) -> Num {
    match measure {
        Measure::L => screened.fuzzy.l,
        Measure::M => screened.fuzzy.m,
        Measure::U => screened.fuzzy.u,
        Measure::Crisp => screened.crisp,
    }
}

/// Whether every printed number of `row` (at least two of them) and its status, if printed, could be
/// a rounding of `other`.
fn prints_as(row: &PrintedMeans, other: &Screened) -> bool {
    let printed: Vec<(Measure, Printed)> = Measure::ALL
        .iter()
        .filter_map(|&m| row.get(m).map(|p| (m, p)))
        .collect();
    printed.len() >= 2
        && printed
            .iter()
            .all(|(m, p)| p.interval_any_rule().contains_num(measure_value(other, *m)))
        && row.status.is_none_or(|s| s == other.status)
}

fn audit_screening(
    input: &AuditInput,
    published: &[PublishedScreeningRow],
    numbers: &BTreeMap<&str, usize>,
    vectors: Result<&CountVectors, SearchLimit>,
) -> (Vec<ValueAudit>, Vec<RowAudit>) {
    let reproduced_by_number: BTreeMap<usize, &ScreeningRow> = input
        .screening
        .iter()
        .filter_map(|r| numbers.get(r.indicator.as_str()).map(|&n| (n, r)))
        .collect();
    let mut printed_rows: Vec<PrintedRow> = published
        .iter()
        .filter_map(|row| {
            let number = *numbers.get(row.indicator.as_str())?;
            let reproduced = reproduced_by_number.get(&number);
            Some(PrintedRow {
                number,
                source: row,
                means: row.means(),
                text: [&row.l.text, &row.m.text, &row.u.text, &row.crisp.text],
                reproduced: reproduced.and_then(|r| r.result),
                responses: reproduced.map(|r| r.responses),
            })
        })
        .collect();
    printed_rows.sort_by_key(|r| r.number);

    // Per value verdicts and value findings.
    let mut values_by_row: Vec<Vec<ValueAudit>> = printed_rows
        .iter()
        .map(|row| row_values(input, row, vectors.ok()))
        .collect();
    for values in &mut values_by_row {
        // A digit-level likeness says "typo" only when it is the row's one discrepant number; among
        // several it is a coincidence.
        let discrepant_numbers = values
            .iter()
            .filter(|v| matches!(v.column, Column::Measure(_)) && v.verdict.is_discrepancy())
            .count();
        if discrepant_numbers > 1 {
            for value in values.iter_mut() {
                value.findings.retain(|f| !is_digit_slip(f));
            }
        }
    }

    let discrepant: Vec<bool> = printed_rows
        .iter()
        .zip(&values_by_row)
        .map(|(row, values)| {
            values.iter().any(|v| v.verdict.is_discrepancy())
                || row.responses.is_some_and(|n| n != input.panel_size)
        })
        .collect();

    let explanations = explain_rows(&printed_rows, &discrepant, &reproduced_by_number);
    let printed_ranks = ranks(printed_rows.iter().map(|r| {
        let ranked = r.means.crisp.and_then(|p| {
            Printed::parse(&p.value.round_half_away(p.rank_decimals()))
                .ok()
                .map(|q| q.value)
        });
        (r.number, ranked)
    }));
    let reproduced_ranks = ranks(input.screening.iter().filter_map(|r| {
        let number = *numbers.get(r.indicator.as_str())?;
        let decimals = printed_rows
            .iter()
            .find(|p| p.number == number)
            .and_then(|p| p.means.crisp)
            .map_or(DEFAULT_DECIMALS, |p| p.rank_decimals());
        Some((
            number,
            r.result.and_then(|s| {
                Printed::parse(&s.crisp.round_half_away(decimals))
                    .ok()
                    .map(|p| p.value)
            }),
        ))
    }));

    let mut rows = Vec::new();
    for (index, row) in printed_rows.iter().enumerate() {
        let crisp_weights = input.method.defuzzification.linear_weights();
        let crisp_check = check_crisp(&row.means, crisp_weights);
        let status_check = if input.method.decision == DecisionRule::Threshold {
            check_status(&row.means, input.threshold)
        } else {
            // The printed status also depends on the experts' agreement, which was not printed.
            Consistency::NotCheckable
        };
        let mut findings = explanations.get(&row.number).cloned().unwrap_or_default();
        // Equal to another row's reproduction: that explains the row better than its own digits.
        let explained = findings.iter().any(|f| {
            matches!(
                f,
                Finding::ShiftedBlock { .. }
                    | Finding::Exchanged { .. }
                    | Finding::EqualsRows { .. }
            )
        });
        let incomplete = row.responses.filter(|&n| n != input.panel_size);
        if let Some(responses) = incomplete {
            findings.push(Finding::IncompleteResponses {
                responses,
                panel: input.panel_size,
            });
        }
        let discrepant_numbers = values_by_row[index]
            .iter()
            .filter(|v| matches!(v.column, Column::Measure(_)) && v.verdict.is_discrepancy())
            .count();
        if discrepant_numbers > 1 && findings.is_empty() {
            findings.push(Finding::EqualsNoRow);
        }
        if discrepant[index] && (!explained || incomplete.is_some()) {
            findings.extend(feasibility_findings(input, row, vectors));
        }
        if crisp_check == Consistency::Inconsistent {
            findings.push(Finding::CrispInconsistent {
                printed_centroid: printed_centroid(&row.means, crisp_weights),
            });
        }
        if status_check == Consistency::Inconsistent {
            if let Some(crisp) = row.means.crisp {
                findings.push(Finding::StatusInconsistent {
                    crisp: crisp.canonical(),
                    threshold: threshold_text(input.threshold),
                });
            }
        }
        for value in &mut values_by_row[index] {
            if value.verdict.is_discrepancy() {
                if explained {
                    // The row equals another row's reproduction: a digit-level likeness to its own
                    // reproduction is a coincidence, not an explanation.
                    value.findings.retain(|f| !is_digit_slip(f));
                }
                value.findings.extend(findings.iter().cloned());
            }
        }
        let show_crisp = |value: Num| match row.means.crisp {
            Some(p) => p.show(value),
            None => value.round_half_away(DEFAULT_DECIMALS),
        };
        rows.push(RowAudit {
            row: row.number,
            indicator: row.source.indicator.clone(),
            discrepant: discrepant[index],
            findings,
            printed_crisp: row.means.crisp.map(|p| p.canonical()),
            reproduced_crisp: row.reproduced.map(|s| show_crisp(s.crisp)),
            printed_status: row.means.status,
            reproduced_status: row.reproduced.map(|s| s.status),
            printed_rank: printed_ranks.get(&row.number).copied(),
            reproduced_rank: reproduced_ranks.get(&row.number).copied(),
            crisp_check,
            status_check,
        });
    }
    (values_by_row.into_iter().flatten().collect(), rows)
}

/// The four numbers and the status of one printed row, each with its verdict and value findings.
fn row_values(
    input: &AuditInput,
    row: &PrintedRow,
    vectors: Option<&CountVectors>,
) -> Vec<ValueAudit> {
    let mut values = Vec::new();
    for (position, measure) in Measure::ALL.into_iter().enumerate() {
        let printed = row.means.get(measure);
        let reproduced = row.reproduced.map(|s| measure_value(&s, measure));
        let (verdict, findings) = match (printed, reproduced) {
            (None, _) => (Verdict::NotPublished, vec![Finding::NotPublished]),
            (Some(p), reproduced) => number_verdict(input, row, measure, p, reproduced, vectors),
        };
        values.push(ValueAudit {
            table: AuditedTable::Screening,
            row: row.number,
            indicator: row.source.indicator.clone(),
            column: Column::Measure(measure),
            published: row.text[position].to_string(),
            reproduced: reproduced
                .map(|r| match printed {
                    Some(p) => p.show(r),
                    None => r.round_half_away(DEFAULT_DECIMALS),
                })
                .unwrap_or_default(),
            verdict,
            findings,
        });
    }
    let reproduced_status = row.reproduced.map(|s| s.status);
    let (verdict, findings) = match (row.means.status, reproduced_status) {
        (None, _) => (Verdict::NotPublished, vec![Finding::NotPublished]),
        (Some(_), None) => (Verdict::Mismatch, vec![Finding::NothingReproduced]),
        (Some(p), Some(r)) if p == r => (Verdict::Match, Vec::new()),
        (Some(printed), Some(reproduced)) => (
            Verdict::Mismatch,
            vec![Finding::DecisionChanged {
                printed,
                reproduced,
            }],
        ),
    };
    values.push(ValueAudit {
        table: AuditedTable::Screening,
        row: row.number,
        indicator: row.source.indicator.clone(),
        column: Column::Status,
        published: row
            .means
            .status
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        reproduced: reproduced_status
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        verdict,
        findings,
    });
    values
}

fn number_verdict(
    input: &AuditInput,
    row: &PrintedRow,
    measure: Measure,
    printed: Printed,
    reproduced: Option<Num>,
    vectors: Option<&CountVectors>,
) -> (Verdict, Vec<Finding>) {
    if let Some(exact) = reproduced {
        if printed
            .interval(RoundingRule::HalfAwayFromZero)
            .contains_num(exact)
        {
            return (Verdict::Match, Vec::new());
        }
        if printed.interval(RoundingRule::HalfEven).contains_num(exact) {
            return (Verdict::MatchByRounding, vec![Finding::TiesToEven]);
        }
        // Rounded components explain a decimal print only; a full-precision print rounds nothing.
        if measure == Measure::Crisp && !printed.is_full_precision() {
            let weights = input.method.defuzzification.linear_weights();
            if let Some(crisp) = crisp_from_rounded_components(row, printed.decimals, weights) {
                if printed.interval_any_rule().contains(crisp) {
                    return (
                        Verdict::MatchByRounding,
                        vec![Finding::FromRoundedComponents {
                            crisp: crisp.round_half_away(printed.decimals),
                        }],
                    );
                }
            }
        }
    }
    let mut findings = Vec::new();
    let mut verdict = Verdict::Mismatch;
    if let Some(vectors) = vectors {
        if !vectors.producible(measure, printed) {
            verdict = Verdict::Infeasible;
            let (below, above) = vectors.nearest_producible(measure, printed);
            findings.push(Finding::Unproducible {
                ratings: input.panel_size,
                below: below.map(|v| printed.show(Num::Exact(v))),
                above: above.map(|v| printed.show(Num::Exact(v))),
            });
        }
    }
    match reproduced {
        None => findings.push(Finding::NothingReproduced),
        Some(exact) => {
            let canonical = printed.canonical();
            let ours = printed.show(exact);
            findings.extend(digit_slip(&canonical, &ours));
        }
    }
    (verdict, findings)
}

/// The crisp value (linear defuzzification with `weights`, the centroid for `(1, 1, 1)`) of the
/// reproduced l, m, u after rounding each half away from zero at its printed precision (or the
/// crisp's, where it was not printed). `None` for a defuzzification that is not linear.
fn crisp_from_rounded_components(
    row: &PrintedRow,
    crisp_decimals: u32,
    weights: Option<[i128; 3]>,
) -> Option<Exact> {
    let screened = row.reproduced?;
    let weights = weights?;
    let mut sum = Exact::ZERO;
    for (measure, weight) in [Measure::L, Measure::M, Measure::U]
        .into_iter()
        .zip(weights)
    {
        let decimals = row
            .means
            .get(measure)
            .map_or(crisp_decimals, |p| p.decimals);
        let rounded = Printed::parse(&measure_value(&screened, measure).round_half_away(decimals))
            .ok()?
            .value;
        sum = sum.checked_add(rounded.checked_mul_int(weight)?)?;
    }
    sum.checked_div_int(weights.iter().sum())
}

fn is_digit_slip(finding: &Finding) -> bool {
    matches!(
        finding,
        Finding::OneDigitDiffers { .. } | Finding::DigitsTransposed { .. }
    )
}

/// One digit replaced, or two adjacent digits exchanged, between two numbers of the same width.
fn digit_slip(printed: &str, reproduced: &str) -> Option<Finding> {
    let a: Vec<char> = printed.chars().collect();
    let b: Vec<char> = reproduced.chars().collect();
    if a.len() != b.len() || a == b {
        return None;
    }
    let differing: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    match differing[..] {
        [_] => Some(Finding::OneDigitDiffers {
            reproduced: reproduced.to_string(),
        }),
        [i, j] if j == i + 1 && a[i] == b[j] && a[j] == b[i] => Some(Finding::DigitsTransposed {
            reproduced: reproduced.to_string(),
        }),
        _ => None,
    }
}

/// Explanations by other rows: shifted blocks, exchanged pairs, rows equal or one digit away from
/// other rows' reproductions. Only discrepant rows are explained.
fn explain_rows(
    rows: &[PrintedRow],
    discrepant: &[bool],
    reproduced: &BTreeMap<usize, &ScreeningRow>,
) -> BTreeMap<usize, Vec<Finding>> {
    let others = |row: &PrintedRow| -> Vec<usize> {
        reproduced
            .iter()
            .filter(|(&number, r)| {
                number != row.number && r.result.is_some_and(|s| prints_as(&row.means, &s))
            })
            .map(|(&number, _)| number)
            .collect()
    };
    let candidates: BTreeMap<usize, Vec<usize>> = rows
        .iter()
        .zip(discrepant)
        .filter(|(_, &d)| d)
        .map(|(row, _)| (row.number, others(row)))
        .collect();
    let equals = |row: usize, source: i64| {
        candidates
            .get(&row)
            .is_some_and(|c| c.iter().any(|&n| n as i64 == source))
    };

    // Runs of consecutive discrepant rows that each equal the row `offset` away.
    let mut offsets: Vec<i64> = candidates
        .iter()
        .flat_map(|(&row, c)| c.iter().map(move |&n| n as i64 - row as i64))
        .collect();
    offsets.sort_unstable();
    offsets.dedup();
    let discrepant_rows: Vec<usize> = candidates.keys().copied().collect();
    let mut runs: Vec<(usize, i64, usize, usize)> = Vec::new(); // (length, offset, first, last)
    for &offset in &offsets {
        let mut run: Vec<usize> = Vec::new();
        for &row in &discrepant_rows {
            let continues = equals(row, row as i64 + offset);
            if !continues || run.last().is_some_and(|&last| last + 1 != row) {
                close_run(&mut run, offset, &mut runs);
            }
            if continues {
                run.push(row);
            }
        }
        close_run(&mut run, offset, &mut runs);
    }
    // Longest runs first, then the smallest shift, then the earliest.
    runs.sort_by_key(|&(length, offset, first, _)| {
        (std::cmp::Reverse(length), offset.abs(), first)
    });

    let mut explained: BTreeMap<usize, Vec<Finding>> = BTreeMap::new();
    for (_, offset, first, last) in runs {
        if (first..=last).any(|row| explained.contains_key(&row)) {
            continue;
        }
        for row in first..=last {
            explained.insert(
                row,
                vec![Finding::ShiftedBlock {
                    first,
                    last,
                    offset,
                    source: (row as i64 + offset) as usize,
                }],
            );
        }
    }
    for (&row, found) in &candidates {
        if explained.contains_key(&row) {
            continue;
        }
        let partner = found.iter().copied().find(|&other| {
            !explained.contains_key(&other)
                && candidates.get(&other).is_some_and(|c| c.contains(&row))
        });
        if let Some(other) = partner {
            explained.insert(row, vec![Finding::Exchanged { with: other }]);
            explained.insert(other, vec![Finding::Exchanged { with: row }]);
        }
    }
    for row in rows {
        let Some(found) = candidates.get(&row.number) else {
            continue;
        };
        if explained.contains_key(&row.number) {
            continue;
        }
        if !found.is_empty() {
            explained.insert(
                row.number,
                vec![Finding::EqualsRows {
                    rows: found.clone(),
                }],
            );
            continue;
        }
        let near = near_rows(row, reproduced);
        if !near.is_empty() {
            explained.insert(row.number, near);
        }
    }
    explained
}

/// Records a run of at least two rows as a shifted block and starts a new run.
fn close_run(run: &mut Vec<usize>, offset: i64, runs: &mut Vec<(usize, i64, usize, usize)>) {
    if let (Some(&first), Some(&last)) = (run.first(), run.last()) {
        if run.len() >= 2 {
            runs.push((run.len(), offset, first, last));
        }
    }
    run.clear();
}

/// Rows whose reproduction prints as every printed value of `row` but one, that one being a single
/// unit of its last digit away.
fn near_rows(row: &PrintedRow, reproduced: &BTreeMap<usize, &ScreeningRow>) -> Vec<Finding> {
    let printed: Vec<(Measure, Printed)> = Measure::ALL
        .iter()
        .filter_map(|&m| row.means.get(m).map(|p| (m, p)))
        .collect();
    if printed.len() < 2 {
        return Vec::new();
    }
    // (measure, their value) -> rows
    let mut groups: BTreeMap<(Measure, String), Vec<usize>> = BTreeMap::new();
    for (&number, other) in reproduced {
        let Some(screened) = other.result else {
            continue;
        };
        if number == row.number || row.means.status.is_some_and(|s| s != screened.status) {
            continue;
        }
        let differing: Vec<&(Measure, Printed)> = printed
            .iter()
            .filter(|(m, p)| {
                !p.interval_any_rule()
                    .contains_num(measure_value(&screened, *m))
            })
            .collect();
        if let [(measure, p)] = differing[..] {
            let theirs = p.show(measure_value(&screened, *measure));
            // One unit of the last digit: a decimal print's neighbour (a double's last digit is noise).
            let one_unit = !p.is_full_precision()
                && Printed::parse(&theirs)
                    .map(|t| (t.units() - p.units()).abs() == 1)
                    .unwrap_or(false);
            if one_unit {
                groups.entry((*measure, theirs)).or_default().push(number);
            }
        }
    }
    groups
        .into_iter()
        .map(|((measure, theirs), rows)| Finding::NearRows {
            rows,
            measure,
            theirs,
        })
        .collect()
}

/// Joint feasibility of a row's printed values for the panel size.
fn feasibility_findings(
    input: &AuditInput,
    row: &PrintedRow,
    vectors: Result<&CountVectors, SearchLimit>,
) -> Vec<Finding> {
    if !row.means.has_numbers() {
        return Vec::new();
    }
    let vectors = match vectors {
        Ok(vectors) => vectors,
        Err(limit) => return vec![Finding::NotSearched { limit }],
    };
    let alone_unproducible = Measure::ALL
        .iter()
        .any(|&m| row.means.get(m).is_some_and(|p| !vectors.producible(m, p)));
    if alone_unproducible {
        // The value finding already says it; the row cannot be produced either.
        return Vec::new();
    }
    // Under the combined rule the printed status also depends on agreement: not modelled, left out.
    let means = if input.method.decision == DecisionRule::Threshold {
        row.means
    } else {
        PrintedMeans {
            status: None,
            ..row.means
        }
    };
    let found = vectors.matching(&means, input.threshold);
    if found.is_empty() {
        return vec![Finding::JointlyUnproducible {
            ratings: input.panel_size,
        }];
    }
    let reference: Vec<u64> = input
        .published_counts
        .and_then(|t| t.rows.iter().find(|r| r.indicator == row.source.indicator))
        .or_else(|| {
            input
                .data_counts
                .rows
                .iter()
                .find(|r| r.indicator == row.source.indicator)
        })
        .map(|r| r.counts.clone())
        .unwrap_or_else(|| vec![0; input.scale.len()]);
    let nearest = vectors.nearest_first(&found, &reference);
    vec![Finding::Producible {
        ratings: input.panel_size,
        total: nearest.len(),
        reference,
        nearest,
    }]
}

/// Printed crisp against the defuzzification of the printed l, m, u (linear, with `weights`; the
/// centroid for `(1, 1, 1)`): consistent when some l, m, u that print as the printed ones give a crisp
/// value that prints as the printed crisp (closed rounding intervals). The linear formula increases
/// with each vertex, so the interval ends bound it. Not checkable for the geometric defuzzification.
fn check_crisp(row: &PrintedMeans, weights: Option<[i128; 3]>) -> Consistency {
    let (Some(l), Some(m), Some(u), Some(crisp), Some([a, b, c])) =
        (row.l, row.m, row.u, row.crisp, weights)
    else {
        return Consistency::NotCheckable;
    };
    let ends = |p: Printed| {
        let i = p.interval_any_rule();
        (i.low, i.high)
    };
    let sum = |x: Exact, y: Exact, z: Exact| {
        x.checked_mul_int(a)?
            .checked_add(y.checked_mul_int(b)?)?
            .checked_add(z.checked_mul_int(c)?)?
            .checked_div_int(a + b + c)
    };
    let ((l0, l1), (m0, m1), (u0, u1)) = (ends(l), ends(m), ends(u));
    let (c0, c1) = ends(crisp);
    match (sum(l0, m0, u0), sum(l1, m1, u1)) {
        (Some(low), Some(high)) if low <= c1 && c0 <= high => Consistency::Consistent,
        (Some(_), Some(_)) => Consistency::Inconsistent,
        _ => Consistency::NotCheckable,
    }
}

/// The linear defuzzification of the printed l, m, u, at the crisp's precision.
fn printed_centroid(row: &PrintedMeans, weights: Option<[i128; 3]>) -> String {
    let show = |value: Exact| match row.crisp {
        Some(p) => p.show(Num::Exact(value)),
        None => value.round_half_away(DEFAULT_DECIMALS),
    };
    match (row.l, row.m, row.u, weights) {
        (Some(l), Some(m), Some(u), Some([a, b, c])) => l
            .value
            .checked_mul_int(a)
            .and_then(|s| s.checked_add(m.value.checked_mul_int(b)?))
            .and_then(|s| s.checked_add(u.value.checked_mul_int(c)?))
            .and_then(|s| s.checked_div_int(a + b + c))
            .map(show)
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// Printed status against printed crisp: `accepted` needs a crisp that may be at least the
/// threshold, `rejected` one that may be below it.
fn check_status(row: &PrintedMeans, threshold: Exact) -> Consistency {
    let (Some(crisp), Some(status)) = (row.crisp, row.status) else {
        return Consistency::NotCheckable;
    };
    let interval = crisp.interval_any_rule();
    let possible = match status {
        Status::Accepted => interval.high >= threshold,
        Status::Rejected => interval.low < threshold,
    };
    if possible {
        Consistency::Consistent
    } else {
        Consistency::Inconsistent
    }
}

fn threshold_text(threshold: Exact) -> String {
    threshold.short_decimal()
}

/// Competition ranks, highest value first: 1 + the number of values strictly higher.
fn ranks(values: impl Iterator<Item = (usize, Option<Exact>)>) -> BTreeMap<usize, usize> {
    let present: Vec<(usize, Exact)> = values.filter_map(|(n, v)| v.map(|v| (n, v))).collect();
    present
        .iter()
        .map(|&(number, value)| {
            (
                number,
                1 + present.iter().filter(|(_, other)| *other > value).count(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fuzzy::{screen, tests::quarter_scale};
    use crate::analysis::{CountsRow, PrintedCell};
    use crate::domain::{Lang, Names};
    use crate::number::q;

    /// SYNTHETIC counts (VL, L, M, H, VH) of 15 experts for 12 indicators, chosen so that no two
    /// indicators print alike at 3 decimals (checked in `study`).
    const TRUE_COUNTS: [[u64; 5]; 12] = [
        [0, 1, 2, 6, 6],
        [0, 0, 1, 5, 9],
        [1, 1, 4, 3, 6],
        [0, 0, 6, 5, 4],
        [0, 0, 4, 6, 5],
        [0, 0, 2, 4, 9],
        [1, 2, 6, 3, 3],
        [0, 1, 5, 4, 5],
        [0, 0, 2, 5, 8],
        [2, 2, 6, 3, 2],
        [3, 2, 5, 3, 2],
        [0, 2, 5, 6, 2],
    ];

    /// A synthetic study: indicators S01.., the printed counts (which are also the ratings), and the
    /// printed screening table as strings `[l, m, u, crisp, status]` per row.
    struct Synthetic {
        indicators: Vec<Indicator>,
        counts: CountsTable,
        published: Vec<PublishedScreeningRow>,
        panel: u64,
    }

    /// SYNTHETIC indicators 1..=n of one component, named by their number.
    fn synthetic_indicators(n: usize) -> Vec<Indicator> {
        (1..=n)
            .map(|number| Indicator {
                id: indicator_id(number),
                number,
                component: "c".into(),
                name: Names::of(&[
                    (Lang::EN, format!("Indicator {number}")),
                    (Lang::FA, format!("شاخص {number}")),
                ]),
                translated: Vec::new(),
            })
            .collect()
    }

    fn indicator_id(number: usize) -> String {
        format!("S{number:02}")
    }

    fn counts_table(rows: &[[u64; 5]]) -> CountsTable {
        CountsTable {
            levels: quarter_scale().iter().map(|l| l.id.clone()).collect(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, c)| CountsRow {
                    indicator: indicator_id(i + 1),
                    counts: c.to_vec(),
                })
                .collect(),
        }
    }

    fn cell(text: &str) -> PrintedCell {
        PrintedCell {
            text: text.to_string(),
            value: (!text.is_empty()).then(|| Printed::parse(text).unwrap()),
        }
    }

    fn published_row(number: usize, printed: &[String; 5]) -> PublishedScreeningRow {
        PublishedScreeningRow {
            indicator: indicator_id(number),
            l: cell(&printed[0]),
            m: cell(&printed[1]),
            u: cell(&printed[2]),
            crisp: cell(&printed[3]),
            status: match printed[4].as_str() {
                "accepted" => Some(Status::Accepted),
                "rejected" => Some(Status::Rejected),
                _ => None,
            },
        }
    }

    /// The screening table a faithful author would print for `counts`: every value rounded half away
    /// from zero at 3 decimals.
    fn faithful_print(counts: &[[u64; 5]], panel: u64) -> Vec<[String; 5]> {
        let reproduced = screen(&quarter_scale(), &counts_table(counts), panel, q(1, 2)).unwrap();
        reproduced
            .iter()
            .map(|r| {
                let s = r.result.unwrap();
                [
                    s.fuzzy.l.round_half_away(3),
                    s.fuzzy.m.round_half_away(3),
                    s.fuzzy.u.round_half_away(3),
                    s.crisp.round_half_away(3),
                    s.status.as_str().to_string(),
                ]
            })
            .collect()
    }

    fn study(printed_counts: &[[u64; 5]], printed: &[[String; 5]], panel: u64) -> Synthetic {
        let indicators = synthetic_indicators(printed_counts.len());
        Synthetic {
            indicators,
            counts: counts_table(printed_counts),
            published: printed
                .iter()
                .enumerate()
                .map(|(i, p)| published_row(i + 1, p))
                .collect(),
            panel,
        }
    }

    fn run(study: &Synthetic) -> Audit {
        let scale = quarter_scale();
        let screening = screen(&scale, &study.counts, study.panel, q(1, 2)).unwrap();
        audit(&AuditInput {
            scale: &scale,
            indicators: &study.indicators,
            panel_size: study.panel,
            threshold: q(1, 2),
            method: Method::paper(q(1, 2)),
            data_counts: &study.counts,
            screening: &screening,
            published_counts: Some(&study.counts),
            published_counts_are_ratings: true,
            published_screening: Some(&study.published),
            experts: None,
        })
    }

    /// (table, row, column, verdict) of every value that is not a plain match.
    fn flagged(audit: &Audit) -> Vec<(AuditedTable, usize, String, Verdict)> {
        audit
            .values
            .iter()
            .filter(|v| v.verdict != Verdict::Match)
            .map(|v| (v.table, v.row, v.column.name().to_string(), v.verdict))
            .collect()
    }

    fn value<'a>(
        audit: &'a Audit,
        table: AuditedTable,
        row: usize,
        column: &str,
    ) -> &'a ValueAudit {
        audit
            .values
            .iter()
            .find(|v| v.table == table && v.row == row && v.column.name() == column)
            .unwrap()
    }

    #[test]
    fn a_faithful_print_is_all_plain_matches_and_no_two_synthetic_rows_print_alike() {
        let printed = faithful_print(&TRUE_COUNTS, 15);
        for (i, a) in printed.iter().enumerate() {
            for b in &printed[i + 1..] {
                assert_ne!(a[..4], b[..4], "synthetic rows must differ");
            }
        }
        let audit = run(&study(&TRUE_COUNTS, &printed, 15));
        assert_eq!(flagged(&audit), vec![]);
        // 12 responses checks and 12 x 5 screening values.
        assert_eq!(audit.values.len(), 12 + 60);
        assert_eq!(audit.search, Ok(3876));
        assert!(audit
            .rows
            .iter()
            .all(|r| !r.discrepant && r.findings.is_empty()));
        assert!(audit
            .rows
            .iter()
            .all(|r| r.crisp_check == Consistency::Consistent
                && r.status_check == Consistency::Consistent));
    }

    #[test]
    fn every_planted_problem_is_found_and_nothing_else_is_flagged() {
        let mut printed_counts = TRUE_COUNTS;
        let mut printed = faithful_print(&TRUE_COUNTS, 15);
        let truth = printed.clone();
        // 1. An impossible value: row 1 crisp 0.750 (135/180) printed 0.751, which is no k/180.
        assert_eq!(printed[0][3], "0.750");
        printed[0][3] = "0.751".into();
        // 2. A typo: row 2 m 0.883 (53/60) printed 0.833 (50/60, producible alone).
        assert_eq!(printed[1][1], "0.883");
        printed[1][1] = "0.833".into();
        // 3. A wrong panel size: row 3's counts printed with 14 responses (one very-high rating lost),
        //    its screening row printed from the 15 true ratings.
        printed_counts[2] = [1, 1, 4, 3, 5];
        // 4. Two rows exchanged: rows 4 and 9.
        printed.swap(3, 8);
        // 5. A shifted block: printed rows 6-8 show the values of rows 5-7.
        for row in [8, 7, 6] {
            printed[row - 1] = truth[row - 2].clone();
        }
        let audit = run(&study(&printed_counts, &printed, 15));

        use AuditedTable::{Counts, Screening};
        use Verdict::{Infeasible, Mismatch};
        let mut expected = vec![
            (Counts, 3, "responses".to_string(), Mismatch),
            (Screening, 1, "crisp".to_string(), Infeasible),
            (Screening, 2, "m".to_string(), Mismatch),
        ];
        for row in [3, 4, 6, 7, 8, 9] {
            for column in ["l", "m", "u", "crisp"] {
                expected.push((Screening, row, column.to_string(), Mismatch));
            }
        }
        assert_eq!(flagged(&audit), expected);

        // 1. 0.751: nearest producible crisp values 0.750 (135/180) and 0.756 (136/180). The printed
        //    l, m, u (0.533, 0.783, 0.933) allow a centroid in [2.2475, 2.2505] / 3 = [0.74917, 0.75017],
        //    which cannot print as 0.751 ([0.7505, 0.7515]).
        assert_eq!(
            value(&audit, Screening, 1, "crisp").findings,
            vec![
                Finding::Unproducible {
                    ratings: 15,
                    below: Some("0.750".into()),
                    above: Some("0.756".into()),
                },
                Finding::OneDigitDiffers {
                    reproduced: "0.750".into()
                },
                Finding::CrispInconsistent {
                    printed_centroid: "0.750".into()
                },
            ]
        );
        // 2. The typo is one digit; with it the row's values cannot come from 15 ratings together,
        //    and the printed crisp 0.833 is inconsistent with (0.633 + 0.833 + 0.983) / 3 = 0.816.
        assert_eq!(
            value(&audit, Screening, 2, "m").findings,
            vec![
                Finding::OneDigitDiffers {
                    reproduced: "0.883".into()
                },
                Finding::JointlyUnproducible { ratings: 15 },
                Finding::CrispInconsistent {
                    printed_centroid: "0.816".into()
                },
            ]
        );
        // 3. Table 6 row 3 has 14 responses; Table 7 row 3 is producible by 15 ratings and the
        //    nearest vector to the printed counts (1, 1, 4, 3, 5) is the true one, one rating away.
        assert_eq!(
            value(&audit, Counts, 3, "responses").findings,
            vec![Finding::ResponsesDiffer {
                responses: 14,
                panel: 15
            }]
        );
        let row3 = &value(&audit, Screening, 3, "l").findings;
        assert_eq!(
            row3[0],
            Finding::IncompleteResponses {
                responses: 14,
                panel: 15
            }
        );
        match &row3[1] {
            Finding::Producible {
                ratings: 15,
                nearest,
                reference,
                ..
            } => {
                assert_eq!(reference, &vec![1, 1, 4, 3, 5]);
                assert_eq!(nearest[0].counts, vec![1, 1, 4, 3, 6]);
                assert_eq!(nearest[0].distance, 1);
                assert!(nearest.iter().skip(1).all(|c| c.distance > 1));
            }
            other => panic!("expected Producible, found {other:?}"),
        }
        // 4. Rows 4 and 9 exchanged.
        assert_eq!(
            value(&audit, Screening, 4, "u").findings,
            vec![Finding::Exchanged { with: 9 }]
        );
        assert_eq!(
            value(&audit, Screening, 9, "crisp").findings,
            vec![Finding::Exchanged { with: 4 }]
        );
        // 5. The block 6-8 shows rows 5-7.
        for row in 6..=8 {
            assert_eq!(
                value(&audit, Screening, row, "l").findings,
                vec![Finding::ShiftedBlock {
                    first: 6,
                    last: 8,
                    offset: -1,
                    source: row - 1
                }]
            );
        }
        // No decision changes: every planted row keeps its status.
        assert!(audit.rows.iter().all(|r| !r.decision_changed()));
        let discrepant: Vec<usize> = audit
            .rows
            .iter()
            .filter(|r| r.discrepant)
            .map(|r| r.row)
            .collect();
        assert_eq!(discrepant, [1, 2, 3, 4, 6, 7, 8, 9]);
    }

    #[test]
    fn a_flipped_status_changes_the_decision_and_contradicts_the_printed_crisp() {
        let mut printed = faithful_print(&TRUE_COUNTS, 15);
        // Row 11: (3, 2, 5, 3, 2) -> crisp 22/45 = 0.489, rejected; printed as accepted.
        assert_eq!(printed[10][3..], ["0.489", "rejected"]);
        printed[10][4] = "accepted".into();
        let audit = run(&study(&TRUE_COUNTS, &printed, 15));
        assert_eq!(
            flagged(&audit),
            vec![(
                AuditedTable::Screening,
                11,
                "status".to_string(),
                Verdict::Mismatch
            )]
        );
        let status = value(&audit, AuditedTable::Screening, 11, "status");
        assert_eq!(
            status.findings,
            vec![
                Finding::DecisionChanged {
                    printed: Status::Accepted,
                    reproduced: Status::Rejected
                },
                // The printed status cannot come from any ratings either: crisp 0.489 < 0.5.
                Finding::JointlyUnproducible { ratings: 15 },
                Finding::StatusInconsistent {
                    crisp: "0.489".into(),
                    threshold: "0.5".into()
                },
            ]
        );
        let row = audit.rows.iter().find(|r| r.row == 11).unwrap();
        assert!(row.decision_changed());
        assert_eq!(row.status_check, Consistency::Inconsistent);
    }

    #[test]
    fn ranks_follow_the_crisp_values_highest_first_with_shared_ranks_for_ties() {
        // Printed crisps 0.700, 0.650, 0.700, 0.600 -> ranks 1, 3, 1, 4.
        let values = [(1, "0.700"), (2, "0.650"), (3, "0.700"), (4, "0.600")]
            .map(|(n, t)| (n, Some(Printed::parse(t).unwrap().value)));
        let ranked = ranks(values.into_iter());
        assert_eq!(ranked.values().copied().collect::<Vec<_>>(), [1, 3, 1, 4]);
        // A row exchange moves ranks: rows 4 and 9 of the synthetic study swap places.
        let mut printed = faithful_print(&TRUE_COUNTS, 15);
        printed.swap(3, 8);
        let audit = run(&study(&TRUE_COUNTS, &printed, 15));
        let changed: Vec<usize> = audit
            .rows
            .iter()
            .filter(|r| r.rank_changed())
            .map(|r| r.row)
            .collect();
        assert_eq!(changed, [4, 9]);
    }

    #[test]
    fn other_defensible_roundings_are_matches_by_rounding_and_say_which() {
        // Ties to even: 8 experts (4, 0, 4, 0, 0) give l = (4 * 1/4) / 8 = 1/8 = 0.125, which half away
        // from zero prints as 0.13 and half-even as 0.12. m = 2/8 = 0.25, u = (4/4 + 4 * 3/4) / 8 = 0.5,
        // crisp = (0.125 + 0.25 + 0.5) / 3 = 0.2917.
        let counts = [[4, 0, 4, 0, 0]];
        let printed = [[
            "0.12".to_string(),
            "0.25".into(),
            "0.50".into(),
            "0.29".into(),
            "rejected".into(),
        ]];
        let audit = run(&study(&counts, &printed, 8));
        let l = value(&audit, AuditedTable::Screening, 1, "l");
        assert_eq!(l.verdict, Verdict::MatchByRounding);
        assert_eq!(l.findings, vec![Finding::TiesToEven]);
        assert_eq!(l.reproduced, "0.13");

        // From rounded components: 15 experts (0, 0, 0, 1, 14) give l = 44/60 = 0.7333, m = 59/60 =
        // 0.9833, u = 1, crisp = 163/180 = 0.90556 -> 0.906; from the rounded values
        // (0.733 + 0.983 + 1.000) / 3 = 0.905333 -> 0.905. 0.905 is no k/180, yet it is explained.
        let counts = [[0, 0, 0, 1, 14]];
        let printed = [[
            "0.733".to_string(),
            "0.983".into(),
            "1.000".into(),
            "0.905".into(),
            "accepted".into(),
        ]];
        let audit = run(&study(&counts, &printed, 15));
        let crisp = value(&audit, AuditedTable::Screening, 1, "crisp");
        assert_eq!(crisp.verdict, Verdict::MatchByRounding);
        assert_eq!(
            crisp.findings,
            vec![Finding::FromRoundedComponents {
                crisp: "0.905".into()
            }]
        );
        assert!(!audit.rows[0].discrepant);
    }

    #[test]
    fn panels_too_large_to_search_are_reported_as_not_searched_never_as_infeasible() {
        // 68 ratings on 5 levels: C(72, 4) = 72 * 71 * 70 * 69 / 24 = 1,028,790 count vectors, over the limit.
        let counts = [[10, 10, 20, 14, 14]];
        let mut printed = faithful_print(&counts, 68);
        printed[0][3] = "0.001".into();
        let audit = run(&study(&counts, &printed, 68));
        assert_eq!(
            audit.search,
            Err(SearchLimit::TooManyVectors {
                vectors: Some(1_028_790)
            })
        );
        let crisp = value(&audit, AuditedTable::Screening, 1, "crisp");
        assert_eq!(crisp.verdict, Verdict::Mismatch);
        assert!(crisp.findings.contains(&Finding::NotSearched {
            limit: SearchLimit::TooManyVectors {
                vectors: Some(1_028_790)
            }
        }));
    }

    #[test]
    fn a_printed_row_without_any_responses_in_the_data_is_flagged_with_nothing_reproduced() {
        // Row 2 has no ratings at all; the print gives it the values of (0, 0, 1, 5, 9).
        let printed = faithful_print(&TRUE_COUNTS[..2], 15);
        let counts = [TRUE_COUNTS[0], [0, 0, 0, 0, 0]];
        let audit = run(&study(&counts, &printed, 15));
        let flagged_row2: Vec<(String, Verdict)> = audit
            .values
            .iter()
            .filter(|v| v.row == 2)
            .map(|v| (v.column.name().to_string(), v.verdict))
            .collect();
        assert_eq!(
            flagged_row2,
            [
                ("responses".to_string(), Verdict::Mismatch),
                ("l".to_string(), Verdict::Mismatch),
                ("m".to_string(), Verdict::Mismatch),
                ("u".to_string(), Verdict::Mismatch),
                ("crisp".to_string(), Verdict::Mismatch),
                ("status".to_string(), Verdict::Mismatch),
            ]
        );
        let crisp = value(&audit, AuditedTable::Screening, 2, "crisp");
        assert_eq!(crisp.reproduced, "");
        assert_eq!(crisp.findings[0], Finding::NothingReproduced);
        assert!(crisp.findings.contains(&Finding::IncompleteResponses {
            responses: 0,
            panel: 15
        }));
        assert!(audit
            .values
            .iter()
            .filter(|v| v.row == 1)
            .all(|v| v.verdict == Verdict::Match));
    }

    #[test]
    fn empty_cells_are_not_published_and_do_not_make_a_row_discrepant() {
        let mut printed = faithful_print(&TRUE_COUNTS, 15);
        printed[0][0] = String::new();
        let audit = run(&study(&TRUE_COUNTS, &printed, 15));
        assert_eq!(
            flagged(&audit),
            vec![(
                AuditedTable::Screening,
                1,
                "l".to_string(),
                Verdict::NotPublished
            )]
        );
        let l = value(&audit, AuditedTable::Screening, 1, "l");
        assert_eq!(l.findings, vec![Finding::NotPublished]);
        assert_eq!(l.reproduced, "0.533");
        assert!(!audit.rows[0].discrepant);
        assert_eq!(audit.rows[0].crisp_check, Consistency::NotCheckable);
    }

    #[test]
    fn printed_counts_that_are_not_the_ratings_are_compared_cell_by_cell() {
        let printed = faithful_print(&TRUE_COUNTS, 15);
        let synthetic = study(&TRUE_COUNTS, &printed, 15);
        let mut printed_counts = synthetic.counts.clone();
        // The print says 7 high ratings for row 1 where the ratings hold 6 (and 16 responses).
        printed_counts.rows[0].counts[3] = 7;
        let scale = quarter_scale();
        let screening = screen(&scale, &synthetic.counts, 15, q(1, 2)).unwrap();
        let audit = audit(&AuditInput {
            scale: &scale,
            indicators: &synthetic.indicators,
            panel_size: 15,
            threshold: q(1, 2),
            method: Method::paper(q(1, 2)),
            data_counts: &synthetic.counts,
            screening: &screening,
            published_counts: Some(&printed_counts),
            published_counts_are_ratings: false,
            published_screening: Some(&synthetic.published),
            experts: None,
        });
        assert!(audit.counts_compared_with_ratings);
        assert_eq!(
            flagged(&audit),
            vec![
                (
                    AuditedTable::Counts,
                    1,
                    "level4".to_string(),
                    Verdict::Mismatch
                ),
                (
                    AuditedTable::Counts,
                    1,
                    "responses".to_string(),
                    Verdict::Mismatch
                ),
            ]
        );
        assert_eq!(
            value(&audit, AuditedTable::Counts, 1, "level4").findings,
            vec![Finding::CountDiffers { from_ratings: 6 }]
        );
        // 12 rows x (5 levels + responses) + 60 screening values.
        assert_eq!(audit.values.len(), 72 + 60);
    }

    /// The screening table as the tool's own CSV writes it: every value at full f64 precision.
    fn full_print(
        scale: &[ScaleLevel],
        method: &Method,
        counts: &CountsTable,
        panel: u64,
    ) -> Vec<PublishedScreeningRow> {
        use crate::number::full_precision;
        let screened =
            crate::analysis::fuzzy::screen_with(method, scale, counts, None, panel).unwrap();
        screened
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let s = r.result.unwrap();
                published_row(
                    i + 1,
                    &[
                        full_precision(s.fuzzy.l),
                        full_precision(s.fuzzy.m),
                        full_precision(s.fuzzy.u),
                        full_precision(s.crisp),
                        s.status.as_str().to_string(),
                    ],
                )
            })
            .collect()
    }

    /// Audits `printed` against the ratings `counts` (which are also the printed counts table).
    fn run_with(
        scale: &[ScaleLevel],
        method: Method,
        counts: &CountsTable,
        panel: u64,
        printed: &[PublishedScreeningRow],
    ) -> Audit {
        let indicators = synthetic_indicators(counts.rows.len());
        let screening =
            crate::analysis::fuzzy::screen_with(&method, scale, counts, None, panel).unwrap();
        audit(&AuditInput {
            scale,
            indicators: &indicators,
            panel_size: panel,
            threshold: method.threshold,
            method,
            data_counts: counts,
            screening: &screening,
            published_counts: Some(counts),
            published_counts_are_ratings: true,
            published_screening: Some(printed),
            experts: None,
        })
    }

    fn general_counts(rows: &[Vec<u64>], scale: &[ScaleLevel]) -> CountsTable {
        CountsTable {
            levels: scale.iter().map(|l| l.id.clone()).collect(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, c)| CountsRow {
                    indicator: indicator_id(i + 1),
                    counts: c.clone(),
                })
                .collect(),
        }
    }

    #[test]
    fn full_precision_prints_of_the_reproduction_are_plain_matches() {
        // SYNTHETIC: the 12 rows above printed as Python or our CSV writer would print them.
        let counts = counts_table(&TRUE_COUNTS);
        let scale = quarter_scale();
        let printed = full_print(&scale, &Method::paper(q(1, 2)), &counts, 15);
        // Row 1 (0, 1, 2, 6, 6): l = 32/60, printed as the f64 nearest it.
        assert_eq!(printed[0].l.text, "0.5333333333333333");
        let audit = run_with(&scale, Method::paper(q(1, 2)), &counts, 15, &printed);
        assert_eq!(flagged(&audit), vec![]);
        // The reproduced values are shown in the print's own form.
        assert_eq!(
            value(&audit, AuditedTable::Screening, 1, "l").reproduced,
            "0.5333333333333333"
        );
    }

    #[test]
    fn problems_in_full_precision_prints_are_found_at_double_precision() {
        let counts = counts_table(&TRUE_COUNTS);
        let scale = quarter_scale();
        let mut printed = full_print(&scale, &Method::paper(q(1, 2)), &counts, 15);
        // 1. Row 1 crisp 135/180 = 0.75 printed 0.7500000000000002 (two ulps of 2^-53 away: the sum
        //    of three rounded doubles divided by 3): within a few ulps, a match.
        assert_eq!(printed[0].crisp.text, "0.75");
        printed[0].crisp = cell("0.7500000000000002");
        // 2. Row 2 m 53/60 = 0.8833333333333333 printed 0.8833333333333933: one digit, 6e-14 away,
        //    hundreds of ulps: no k/60 is that close, so it is infeasible.
        assert_eq!(printed[1].m.text, "0.8833333333333333");
        printed[1].m = cell("0.8833333333333933");
        // 3. Rows 4 and 9 exchanged.
        printed.swap(3, 8);
        printed[3].indicator = indicator_id(4);
        printed[8].indicator = indicator_id(9);
        let audit = run_with(&scale, Method::paper(q(1, 2)), &counts, 15, &printed);
        let mut expected = vec![(
            AuditedTable::Screening,
            2,
            "m".to_string(),
            Verdict::Infeasible,
        )];
        for row in [4, 9] {
            for column in ["l", "m", "u", "crisp"] {
                expected.push((
                    AuditedTable::Screening,
                    row,
                    column.to_string(),
                    Verdict::Mismatch,
                ));
            }
        }
        assert_eq!(flagged(&audit), expected);
        let m = value(&audit, AuditedTable::Screening, 2, "m");
        assert_eq!(m.reproduced, "0.8833333333333333");
        assert_eq!(
            m.findings[..2],
            [
                Finding::Unproducible {
                    ratings: 15,
                    below: Some("0.8833333333333333".into()),
                    above: Some("0.9".into()),
                },
                Finding::OneDigitDiffers {
                    reproduced: "0.8833333333333333".into()
                },
            ]
        );
        assert_eq!(
            value(&audit, AuditedTable::Screening, 4, "l").findings,
            vec![Finding::Exchanged { with: 9 }]
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 48,
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]
        /// SYNTHETIC random studies (1-6 indicators, 1-20 experts, any preset scale, any aggregation and
        /// defuzzification): the tool's own full-precision outputs read back as the printed table give
        /// only plain matches.
        #[test]
        fn the_tools_own_full_precision_outputs_fed_back_give_only_matches(
            preset in 0usize..4,
            aggregation in 0usize..3,
            defuzzification in 0usize..4,
            panel in 1u64..=20,
            seeds in proptest::collection::vec(proptest::collection::vec(0usize..1000, 20), 1..=6),
        ) {
            use crate::domain::{Aggregation, Defuzzification};
            let scale = crate::config::presets::ScalePreset::ALL[preset].levels();
            let rows: Vec<Vec<u64>> = seeds
                .iter()
                .map(|ratings| {
                    let mut counts = vec![0u64; scale.len()];
                    for &r in &ratings[..panel as usize] {
                        counts[r % scale.len()] += 1;
                    }
                    counts
                })
                .collect();
            let method = Method {
                aggregation: [
                    Aggregation::ArithmeticMean,
                    Aggregation::GeometricMean,
                    Aggregation::MinGeometricMax,
                ][aggregation],
                defuzzification: [
                    Defuzzification::Centroid,
                    Defuzzification::AlphaCutMean,
                    Defuzzification::GradedMean,
                    Defuzzification::Geometric,
                ][defuzzification],
                ..Method::paper(q(1, 2))
            };
            let counts = general_counts(&rows, &scale);
            let printed = full_print(&scale, &method, &counts, panel);
            let audit = run_with(&scale, method, &counts, panel, &printed);
            proptest::prop_assert_eq!(flagged(&audit), vec![]);
        }
    }
}
