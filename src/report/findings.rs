//! Words for the audit: verdicts, columns and one-line diagnoses in the reader's language, from
//! `templates/strings.yaml`. The CSV tables use the English wording with ASCII digits.

use anyhow::Result;

use crate::analysis::audit::{Column, Finding, Headline, Verdict};
use crate::analysis::feasibility::{Candidate, SearchLimit, MAX_COUNT_VECTORS};
use crate::analysis::panel_size::MAX_PANEL;
use crate::analysis::respondents::Candidate as Respondents;
use crate::analysis::Status;
use crate::domain::Lang;
use crate::domain::ScaleLevel;
use crate::report::i18n::{ranges, InLanguage, Strings};

/// Most count vectors a diagnosis lists.
pub(crate) const LISTED_VECTORS: usize = 3;

/// Most ranges of panel sizes a finding lists.
pub(crate) const LISTED_RANGES: usize = 8;

pub(crate) struct Wording<'a> {
    pub(crate) lang: Lang,
    pub(crate) strings: &'a Strings,
    pub(crate) scale: &'a [ScaleLevel],
}

impl InLanguage for Wording<'_> {
    fn lang(&self) -> Lang {
        self.lang
    }

    fn strings(&self) -> &Strings {
        self.strings
    }
}

impl Wording<'_> {
    /// Items joined with the language's list separator.
    pub(crate) fn list(&self, items: &[String]) -> Result<String> {
        Ok(items.join(&self.t("list.separator")?))
    }

    /// Names that may be Latin (column names) as a list: in Persian each stays its own run, read
    /// from the right in the list's order.
    pub(crate) fn names(&self, items: &[String]) -> Result<String> {
        Ok(items.join(&self.t("list.names_separator")?))
    }

    /// "row 38", "rows 10 and 30", "rows 15, 18 and 32".
    fn rows_phrase(&self, rows: &[usize]) -> Result<String> {
        let items: Vec<String> = rows.iter().map(|r| self.int(r)).collect();
        match items.split_last() {
            Some((last, [])) => self.fill("audit.row_one", &[("rows", last)]),
            Some((last, rest)) => {
                let listed = format!("{}{}{}", self.list(rest)?, self.t("audit.and")?, last);
                self.fill("audit.row_many", &[("rows", &listed)])
            }
            None => Ok(String::new()),
        }
    }

    /// A count vector as `(1, 1, 7, 4, 2)`.
    pub(crate) fn counts(&self, counts: &[u64]) -> Result<String> {
        let items: Vec<String> = counts.iter().map(|c| self.int(c)).collect();
        Ok(format!("({})", self.list(&items)?))
    }

    pub(crate) fn verdict(&self, verdict: Verdict) -> Result<String> {
        self.t(&format!("verdict.{}", verdict.as_str()))
    }

    pub(crate) fn status(&self, status: Status) -> Result<String> {
        self.t(&format!("status.{}", status.as_str()))
    }

    pub(crate) fn column(&self, column: &Column) -> Result<String> {
        match column {
            Column::Responses => self.t("col.responses"),
            Column::Level(id) => Ok(self.scale.iter().find(|level| &level.id == id).map_or_else(
                || id.clone(),
                |level| level.label.get(self.lang).to_string(),
            )),
            Column::Measure(measure) => self.t(&format!("col.{}", measure.name())),
            Column::Status => self.t("col.status"),
        }
    }

    /// A printed or reproduced cell: numbers localized, statuses named.
    pub(crate) fn cell_value(&self, column: &Column, ascii: &str) -> Result<String> {
        match (column, ascii) {
            (_, "") => Ok(String::new()),
            (Column::Status, "accepted") => self.status(Status::Accepted),
            (Column::Status, "rejected") => self.status(Status::Rejected),
            _ => Ok(self.num(ascii)),
        }
    }

    /// All findings as one line: joined, first letter capitalised, ending with a full stop.
    pub(crate) fn diagnosis(&self, findings: &[Finding]) -> Result<String> {
        let parts: Vec<String> = findings
            .iter()
            .map(|f| self.finding(f))
            .collect::<Result<_>>()?;
        self.sentence(&parts)
    }

    /// The diagnosis shared by several values, in `rows`: as [`Wording::diagnosis`], but said of
    /// them all: empty cells in the plural (their reproduced values are not shown beside them), and
    /// a shifted block over several rows for the whole run ("printed rows 26-34 show reproduced
    /// rows 25-33"), not for one row's source.
    pub(crate) fn run_diagnosis(&self, findings: &[Finding], rows: &[usize]) -> Result<String> {
        let parts: Vec<String> = findings
            .iter()
            .map(|finding| match finding {
                Finding::NotPublished => self.t("audit.finding.not_published_run"),
                Finding::ShiftedBlock {
                    first,
                    last,
                    offset,
                    ..
                } if rows.len() > 1 => {
                    let source = |row: usize| self.int(row as i64 + offset);
                    self.fill(
                        "audit.finding.shifted_run",
                        &[
                            ("first", &self.int(first)),
                            ("last", &self.int(last)),
                            ("source_first", &source(*first)),
                            ("source_last", &source(*last)),
                            ("shift", &self.shift(*offset)?),
                        ],
                    )
                }
                other => self.finding(other),
            })
            .collect::<Result<_>>()?;
        self.sentence(&parts)
    }

    /// `- 1` or `+ 2`: the offset of a shifted block as "printed row k shows reproduced row k - 1" says it.
    fn shift(&self, offset: i64) -> Result<String> {
        let sign = self.t(if offset < 0 {
            "audit.minus"
        } else {
            "audit.plus"
        })?;
        Ok(format!("{sign} {}", self.int(offset.unsigned_abs())))
    }

    /// Clauses joined into one sentence: first letter capitalised, ending with a full stop.
    fn sentence(&self, parts: &[String]) -> Result<String> {
        if parts.is_empty() {
            return Ok(String::new());
        }
        let joined = parts.join(&self.t("audit.clause_separator")?);
        let mut chars = joined.chars();
        let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
        Ok(format!(
            "{}{}{}",
            first.unwrap_or_default(),
            chars.as_str(),
            self.t("audit.full_stop")?
        ))
    }

    fn candidate(&self, candidate: &Candidate) -> Result<String> {
        self.fill(
            "audit.finding.candidate",
            &[
                ("counts", &self.counts(&candidate.counts)?),
                ("distance", &self.int(candidate.distance)),
            ],
        )
    }

    pub(crate) fn finding(&self, finding: &Finding) -> Result<String> {
        match finding {
            Finding::NotPublished => self.t("audit.finding.not_published"),
            Finding::TiesToEven => self.t("audit.finding.ties_to_even"),
            Finding::FromRoundedComponents { crisp } => self.fill(
                "audit.finding.from_rounded_components",
                &[("crisp", &self.num(crisp))],
            ),
            Finding::Unproducible {
                ratings,
                below,
                above,
            } => {
                let nearest: Vec<String> = [below, above]
                    .into_iter()
                    .flatten()
                    .map(|v| self.num(v))
                    .collect();
                if nearest.is_empty() {
                    self.fill(
                        "audit.finding.unproducible_alone",
                        &[("n", &self.int(ratings))],
                    )
                } else {
                    self.fill(
                        "audit.finding.unproducible",
                        &[
                            ("n", &self.int(ratings)),
                            ("nearest", &nearest.join(&self.t("audit.and")?)),
                        ],
                    )
                }
            }
            Finding::OneDigitDiffers { reproduced } => self.fill(
                "audit.finding.one_digit",
                &[("reproduced", &self.num(reproduced))],
            ),
            Finding::DigitsTransposed { reproduced } => self.fill(
                "audit.finding.transposed",
                &[("reproduced", &self.num(reproduced))],
            ),
            Finding::NothingReproduced => self.t("audit.finding.nothing_reproduced"),
            Finding::ResponsesDiffer { responses, panel } => self.fill(
                "audit.finding.responses_differ",
                &[
                    ("responses", &self.int(responses)),
                    ("panel", &self.int(panel)),
                ],
            ),
            Finding::CountDiffers { from_ratings } => self.fill(
                "audit.finding.count_differs",
                &[("count", &self.int(from_ratings))],
            ),
            Finding::ShiftedBlock {
                first,
                last,
                offset,
                source,
            } => self.fill(
                "audit.finding.shifted_block",
                &[
                    ("first", &self.int(first)),
                    ("last", &self.int(last)),
                    ("shift", &self.shift(*offset)?),
                    ("source", &self.int(source)),
                ],
            ),
            Finding::Exchanged { with } => {
                self.fill("audit.finding.exchanged", &[("with", &self.int(with))])
            }
            Finding::EqualsRows { rows } => self.fill(
                "audit.finding.equals_rows",
                &[("rows", &self.rows_phrase(rows)?)],
            ),
            Finding::NearRows {
                rows,
                measure,
                theirs,
            } => self.fill(
                "audit.finding.near_rows",
                &[
                    ("rows", &self.rows_phrase(rows)?),
                    ("column", &self.t(&format!("measure.{}", measure.name()))?),
                    ("theirs", &self.num(theirs)),
                ],
            ),
            Finding::EqualsNoRow => self.t("audit.finding.equals_no_row"),
            Finding::IncompleteResponses { responses, panel } => self.fill(
                "audit.finding.incomplete",
                &[
                    ("responses", &self.int(responses)),
                    ("panel", &self.int(panel)),
                ],
            ),
            Finding::Producible {
                ratings,
                total,
                reference,
                nearest,
            } => {
                let listed: Vec<String> = nearest
                    .iter()
                    .take(LISTED_VECTORS)
                    .map(|c| self.candidate(c))
                    .collect::<Result<_>>()?;
                self.fill(
                    "audit.finding.producible",
                    &[
                        ("total", &self.int(total)),
                        ("n", &self.int(ratings)),
                        ("reference", &self.counts(reference)?),
                        ("nearest", &self.list(&listed)?),
                    ],
                )
            }
            Finding::JointlyUnproducible { ratings } => self.fill(
                "audit.finding.jointly_unproducible",
                &[("n", &self.int(ratings))],
            ),
            Finding::NotSearched { limit } => match limit {
                SearchLimit::TooManyVectors { vectors } => self.fill(
                    "audit.finding.not_searched",
                    &[
                        (
                            "vectors",
                            &vectors.map_or_else(|| self.num("> 10^38"), |v| self.int(v)),
                        ),
                        ("limit", &self.int(MAX_COUNT_VECTORS)),
                    ],
                ),
                SearchLimit::NoRatings => self.t("audit.finding.no_ratings"),
                SearchLimit::MethodNotModelled => self.t("audit.finding.method_not_modelled"),
            },
            Finding::CrispInconsistent { printed_centroid } => self.fill(
                "audit.finding.crisp_inconsistent",
                &[("centroid", &self.num(printed_centroid))],
            ),
            Finding::StatusInconsistent { crisp, threshold } => self.fill(
                "audit.finding.status_inconsistent",
                &[
                    ("crisp", &self.num(crisp)),
                    ("threshold", &self.num(threshold)),
                ],
            ),
            Finding::DecisionChanged {
                printed,
                reproduced,
            } => self.fill(
                "audit.finding.decision_changed",
                &[
                    ("printed", &self.status(*printed)?),
                    ("reproduced", &self.status(*reproduced)?),
                ],
            ),
        }
    }
}

/// What a headline needs beyond the audit: the tables' numbers and the method's words, localized.
pub(crate) struct HeadlineContext {
    pub(crate) counts_table: String,
    pub(crate) screening_table: String,
    pub(crate) threshold: String,
    /// The defuzzification's formula, as the method cell writes it.
    pub(crate) formula: String,
}

impl Wording<'_> {
    /// Whole numbers as a list of ranges: `19, 23, 27–31`.
    pub(crate) fn number_ranges(&self, numbers: &[u64]) -> Result<String> {
        self.list(&self.range_items(numbers)?)
    }

    /// The first `LISTED_RANGES` ranges of `numbers`, then an ellipsis if there are more.
    fn first_ranges(&self, numbers: &[u64]) -> Result<String> {
        let all = ranges(numbers);
        let shown: Vec<u64> = numbers
            .iter()
            .copied()
            .filter(|&n| {
                all.iter()
                    .take(LISTED_RANGES)
                    .any(|&(from, to)| (from..=to).contains(&n))
            })
            .collect();
        let mut text = self.number_ranges(&shown)?;
        if all.len() > LISTED_RANGES {
            text.push_str(&self.t("audit.headline.more")?);
        }
        Ok(text)
    }

    /// "without E1" or "with E3 counted twice".
    pub(crate) fn respondents(&self, candidate: &Respondents) -> Result<String> {
        // Expert ids are data: shown as the ratings file writes them.
        let experts = candidate.experts.clone();
        let listed = match experts.split_last() {
            Some((last, rest)) if !rest.is_empty() => {
                format!("{}{}{}", self.list(rest)?, self.t("audit.and")?, last)
            }
            _ => experts.concat(),
        };
        self.fill(
            &format!("audit.candidate.{}", candidate.change.name()),
            &[("experts", &listed)],
        )
    }

    /// One line of the audit's summary.
    pub(crate) fn headline(
        &self,
        headline: &Headline,
        context: &HeadlineContext,
    ) -> Result<String> {
        let screening = context.screening_table.as_str();
        let measure =
            |m: &crate::analysis::feasibility::Measure| self.t(&format!("measure.{}", m.name()));
        match headline {
            Headline::Respondents {
                candidate,
                printed,
                with_everyone,
            } => self.fill(
                "audit.headline.respondents",
                &[
                    ("candidate", &self.respondents(candidate)?),
                    ("panel", &self.int(candidate.panel)),
                    ("printed", &self.int(printed)),
                    ("with_everyone", &self.int(with_everyone)),
                ],
            ),
            Headline::NoRespondents {
                closest,
                printed,
                with_everyone,
                pairs,
                duplications,
            } => {
                let closest = match closest {
                    Some(c) => self.fill(
                        "audit.headline.closest",
                        &[
                            ("candidate", &self.respondents(c)?),
                            ("reproduced", &self.int(c.reproduced)),
                        ],
                    )?,
                    None => String::new(),
                };
                self.fill(
                    "audit.headline.no_respondents",
                    &[
                        (
                            "set",
                            &self.t(if *pairs {
                                "audit.search.singles_pairs"
                            } else {
                                "audit.search.singles"
                            })?,
                        ),
                        (
                            "doubled",
                            &if *duplications {
                                self.t("audit.search.doubled")?
                            } else {
                                String::new()
                            },
                        ),
                        ("printed", &self.int(printed)),
                        ("with_everyone", &self.int(with_everyone)),
                        ("closest", &closest),
                    ],
                )
            }
            Headline::PanelMisfit {
                stated,
                stated_fits,
                values,
                fitting,
            } => {
                let fitting = if fitting.is_empty() {
                    self.fill(
                        "audit.headline.no_fitting_size",
                        &[("max", &self.int(MAX_PANEL))],
                    )?
                } else {
                    self.fill(
                        "audit.headline.fitting_sizes",
                        &[
                            ("max", &self.int(MAX_PANEL)),
                            ("sizes", &self.first_ranges(fitting)?),
                        ],
                    )?
                };
                self.fill(
                    "audit.headline.panel_misfit",
                    &[
                        ("table", screening),
                        ("stated", &self.int(stated)),
                        ("fits", &self.int(stated_fits)),
                        ("values", &self.int(values)),
                        ("fitting", &fitting),
                    ],
                )
            }
            Headline::ResponsesDiffer { rows, panel } => {
                let items: Vec<String> = rows
                    .iter()
                    .map(|(row, responses)| {
                        self.fill(
                            "audit.headline.responses_item",
                            &[("row", &self.int(row)), ("responses", &self.int(responses))],
                        )
                    })
                    .collect::<Result<_>>()?;
                self.fill(
                    "audit.headline.responses",
                    &[
                        ("table", &context.counts_table),
                        ("panel", &self.int(panel)),
                        ("list", &self.list(&items)?),
                    ],
                )
            }
            Headline::CountsDiffer { cells, rows } => self.fill(
                "audit.headline.counts_differ",
                &[
                    ("table", &context.counts_table),
                    ("cells", &self.int(cells)),
                    ("rows", &self.rows_phrase(rows)?),
                ],
            ),
            Headline::ShiftedBlock {
                first,
                last,
                offset,
            } => {
                let source = |row: usize| self.int(row as i64 + offset);
                self.fill(
                    "audit.headline.shifted_block",
                    &[
                        ("table", screening),
                        ("first", &self.int(first)),
                        ("last", &self.int(last)),
                        ("source_first", &source(*first)),
                        ("source_last", &source(*last)),
                        ("shift", &self.shift(*offset)?),
                    ],
                )
            }
            Headline::Exchanged { row, with } => self.fill(
                "audit.headline.exchanged",
                &[
                    ("table", screening),
                    ("row", &self.int(row)),
                    ("with", &self.int(with)),
                ],
            ),
            Headline::EqualsRows { row, rows } => self.fill(
                "audit.headline.equals_rows",
                &[
                    ("table", screening),
                    ("row", &self.int(row)),
                    ("rows", &self.rows_phrase(rows)?),
                ],
            ),
            Headline::NearRows {
                row,
                rows,
                measure: m,
                theirs,
            } => self.fill(
                "audit.headline.near_rows",
                &[
                    ("table", screening),
                    ("row", &self.int(row)),
                    ("rows", &self.rows_phrase(rows)?),
                    ("column", &measure(m)?),
                    ("theirs", &self.num(theirs)),
                ],
            ),
            Headline::Impossible {
                row,
                measure: m,
                printed,
                ratings,
                below,
                above,
            } => {
                let nearest: Vec<String> = [below, above]
                    .into_iter()
                    .flatten()
                    .map(|v| self.num(v))
                    .collect();
                let nearest = if nearest.is_empty() {
                    String::new()
                } else {
                    self.fill(
                        "audit.headline.nearest",
                        &[("nearest", &nearest.join(&self.t("audit.and")?))],
                    )?
                };
                self.fill(
                    "audit.headline.impossible",
                    &[
                        ("table", screening),
                        ("row", &self.int(row)),
                        ("column", &measure(m)?),
                        ("printed", &self.num(printed)),
                        ("n", &self.int(ratings)),
                        ("nearest", &nearest),
                    ],
                )
            }
            Headline::ImpossibleRun {
                measure: m,
                rows,
                ratings,
            } => self.fill(
                "audit.headline.impossible_run",
                &[
                    ("table", screening),
                    ("count", &self.int(rows.len())),
                    ("column", &measure(m)?),
                    ("n", &self.int(ratings)),
                    ("rows", &self.rows_phrase(rows)?),
                ],
            ),
            Headline::MatchesNoRow { rows } => self.fill(
                "audit.headline.matches_no_row",
                &[("table", screening), ("rows", &self.rows_phrase(rows)?)],
            ),
            Headline::JointlyUnproducible { rows, ratings } => self.fill(
                "audit.headline.jointly_unproducible",
                &[
                    ("table", screening),
                    ("rows", &self.rows_phrase(rows)?),
                    ("n", &self.int(ratings)),
                ],
            ),
            Headline::CrispInconsistent { rows } => self.fill(
                "audit.headline.crisp_inconsistent",
                &[
                    ("table", screening),
                    ("rows", &self.rows_phrase(rows)?),
                    ("formula", &context.formula),
                ],
            ),
            Headline::StatusInconsistent { rows } => self.fill(
                "audit.headline.status_inconsistent",
                &[
                    ("table", screening),
                    ("rows", &self.rows_phrase(rows)?),
                    ("threshold", &context.threshold),
                ],
            ),
            Headline::DecisionChanged { rows } => self.fill(
                "audit.headline.decision_changed",
                &[("table", screening), ("rows", &self.rows_phrase(rows)?)],
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::feasibility::Measure;

    #[test]
    fn consecutive_numbers_become_ranges() {
        assert_eq!(
            ranges(&[19, 23, 27, 34, 35, 36, 40]),
            [(19, 19), (23, 23), (27, 27), (34, 36), (40, 40)]
        );
        assert!(ranges(&[]).is_empty());
    }

    #[test]
    fn every_finding_has_words_in_both_languages() {
        let strings = Strings::builtin().unwrap();
        let candidate = Candidate {
            counts: vec![1, 1, 7, 4, 2],
            distance: 4,
        };
        let findings = [
            Finding::NotPublished,
            Finding::TiesToEven,
            Finding::FromRoundedComponents {
                crisp: "0.905".into(),
            },
            Finding::Unproducible {
                ratings: 15,
                below: Some("0.672".into()),
                above: Some("0.678".into()),
            },
            Finding::Unproducible {
                ratings: 15,
                below: None,
                above: None,
            },
            Finding::OneDigitDiffers {
                reproduced: "0.533".into(),
            },
            Finding::DigitsTransposed {
                reproduced: "0.533".into(),
            },
            Finding::NothingReproduced,
            Finding::ResponsesDiffer {
                responses: 8,
                panel: 15,
            },
            Finding::CountDiffers { from_ratings: 6 },
            Finding::ShiftedBlock {
                first: 26,
                last: 34,
                offset: -1,
                source: 25,
            },
            Finding::Exchanged { with: 9 },
            Finding::EqualsRows { rows: vec![10, 30] },
            Finding::NearRows {
                rows: vec![10, 30],
                measure: Measure::Crisp,
                theirs: "0.572".into(),
            },
            Finding::EqualsNoRow,
            Finding::IncompleteResponses {
                responses: 8,
                panel: 15,
            },
            Finding::Producible {
                ratings: 15,
                total: 5,
                reference: vec![2, 2, 6, 3, 2],
                nearest: vec![candidate],
            },
            Finding::JointlyUnproducible { ratings: 15 },
            Finding::NotSearched {
                limit: SearchLimit::TooManyVectors {
                    vectors: Some(1_705_904_746),
                },
            },
            Finding::NotSearched {
                limit: SearchLimit::NoRatings,
            },
            Finding::CrispInconsistent {
                printed_centroid: "0.746".into(),
            },
            Finding::StatusInconsistent {
                crisp: "0.489".into(),
                threshold: "0.5".into(),
            },
            Finding::DecisionChanged {
                printed: Status::Accepted,
                reproduced: Status::Rejected,
            },
        ];
        for lang in Lang::all() {
            let wording = Wording {
                lang,
                strings: &strings,
                scale: &[],
            };
            for finding in &findings {
                let text = wording.finding(finding).unwrap();
                assert!(!text.is_empty(), "{finding:?}");
                assert!(!text.to_lowercase().contains("error"), "{text}");
                if lang == Lang::FA {
                    assert!(!text.chars().any(|c| c.is_ascii_digit()), "{text}");
                }
            }
        }
        let english = Wording {
            lang: Lang::EN,
            strings: &strings,
            scale: &[],
        };
        assert_eq!(
            english
                .finding(&Finding::ShiftedBlock {
                    first: 26,
                    last: 34,
                    offset: -1,
                    source: 25
                })
                .unwrap(),
            "printed rows 26-34 each equal the reproduction of the row at a constant offset (printed row k shows reproduced row k - 1); this row shows reproduced row 25"
        );
        assert_eq!(
            english
                .diagnosis(&[
                    Finding::OneDigitDiffers {
                        reproduced: "0.533".into()
                    },
                    Finding::JointlyUnproducible { ratings: 15 }
                ])
                .unwrap(),
            "One digit differs from the reproduced 0.533; each printed value is possible alone, but no 15 ratings on the scale give the row's printed values and status together."
        );
    }
}
