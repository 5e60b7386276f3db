//! The audit of the printed tables: verdict counts, every value that does not match, the decisions and ranks that change.

use anyhow::{anyhow, Result};

use super::{audit_values, Availability, Builder, CellSpec};
use crate::analysis::audit::{Audit, AuditedTable, Consistency, Verdict};
use crate::analysis::Status;
use crate::domain::InputRole;
use crate::report::i18n::InLanguage;
use crate::report::model::{Cell, Table};
use crate::report::render::escape_markdown;

/// The `audit` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "audit",
    title_key: "cell.audit.title",
    description: "The audit of the printed tables against the data: verdicts, mismatching values, changed decisions and ranks",
    availability: Availability::Audit,
    build: |builder| builder.audit_cell(),
};

impl Builder<'_> {
    pub(super) fn audit_cell(&self) -> Result<Cell> {
        let audit = self
            .input
            .table_audit
            .ok_or_else(|| anyhow!("the audit cell needs a printed table to audit"))?;
        let study = self.input.study;
        let wording = self.wording();
        let counts_table = self.int(study.tables().counts.number);
        let screening_table = self.int(study.tables().screening.number);
        let panel = self.int(audit.panel_size);
        let mut cell = self.cell("audit", "cell.audit.title")?;
        cell.narrative.push(self.audit_findings(audit)?);
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Indicators,
            InputRole::Ratings,
            InputRole::PublishedCounts,
            InputRole::PublishedScreening,
        ])?;
        cell.method.push(self.fill(
            "cell.audit.text",
            &[
                ("counts_table", &counts_table),
                ("screening_table", &screening_table),
                ("panel", &panel),
            ],
        )?);
        match audit.search {
            Ok(vectors) => cell.method.push(self.fill(
                "cell.audit.search",
                &[
                    ("vectors", &self.int(vectors)),
                    ("panel", &panel),
                    ("levels", &self.int(study.scale().len())),
                ],
            )?),
            Err(limit) => cell.method.push(self.fill(
                "cell.audit.not_searched",
                &[(
                    "reason",
                    &wording.finding(&crate::analysis::audit::Finding::NotSearched { limit })?,
                )],
            )?),
        }
        if !audit.panel_fits.is_empty() {
            cell.method.push(self.fill(
                "cell.audit.panel_sizes",
                &[("max", &self.int(crate::analysis::panel_size::MAX_PANEL))],
            )?);
        }
        match &audit.respondents {
            Some(Ok(search)) => cell.method.push(self.fill(
                "cell.audit.respondents",
                &[
                    (
                        "pairs",
                        &if search.pairs {
                            self.t("cell.audit.respondents_pairs")?
                        } else {
                            String::new()
                        },
                    ),
                    (
                        "doubled",
                        &if search.duplications {
                            self.t("cell.audit.respondents_doubled")?
                        } else {
                            String::new()
                        },
                    ),
                    ("searched", &self.int(search.searched)),
                ],
            )?),
            Some(Err(reason)) => cell.method.push(self.t(&format!(
                "cell.audit.respondents_not_searched.{}",
                reason.name()
            ))?),
            None => {}
        }
        if audit.has_table(AuditedTable::Counts) {
            let key = if audit.counts_compared_with_ratings {
                "cell.audit.counts_compared"
            } else {
                "cell.audit.counts_are_ratings"
            };
            cell.method
                .push(self.fill(key, &[("counts_table", &counts_table), ("panel", &panel)])?);
        }

        // Verdict counts per table.
        let tables: Vec<(AuditedTable, u32)> = [
            (AuditedTable::Counts, study.tables().counts.number),
            (AuditedTable::Screening, study.tables().screening.number),
        ]
        .into_iter()
        .filter(|(table, _)| audit.has_table(*table))
        .collect();
        let mut headers = vec![self.t("col.verdict")?];
        for (_, table_number) in &tables {
            headers.push(self.fill("col.table_number", &[("number", &self.int(*table_number))])?);
        }
        headers.push(self.t("col.total")?);
        let mut rows = Vec::new();
        for verdict in Verdict::ALL {
            let mut row = vec![wording.verdict(verdict)?];
            let mut total = 0;
            for (table, _) in &tables {
                let count = audit.count(*table, verdict);
                total += count;
                row.push(self.int(count));
            }
            row.push(self.int(total));
            rows.push(row);
        }
        cell.tables.push(Table {
            id: "audit-verdicts".to_string(),
            caption: self.t("cell.audit.verdicts_caption")?,
            headers,
            rows,
        });

        // Every value that is not a plain match, values with one cause in one row.
        let groups = audit_values::group_values(&audit.values);
        if groups.is_empty() {
            cell.notes.push(self.t("cell.audit.all_match")?);
        } else {
            cell.method.push(self.t("cell.audit.values_grouped")?);
            let table_number = |table: AuditedTable| {
                self.int(match table {
                    AuditedTable::Counts => study.tables().counts.number,
                    AuditedTable::Screening => study.tables().screening.number,
                })
            };
            cell.tables.push(Table {
                id: "audit-values".to_string(),
                caption: self.t("cell.audit.values_caption")?,
                headers: vec![
                    self.t("col.table")?,
                    self.t("col.rows")?,
                    self.t("col.columns")?,
                    self.t("col.printed")?,
                    self.t("col.reproduced")?,
                    self.t("col.verdict")?,
                    self.t("col.diagnosis")?,
                ],
                rows: audit_values::group_rows(&wording, &groups, table_number)?,
            });
        }
        if audit.rows.is_empty() {
            return Ok(cell);
        }

        // Rows: agreement, decisions and ranks.
        let discrepant: Vec<usize> = audit
            .rows
            .iter()
            .filter(|r| r.discrepant)
            .map(|r| r.row)
            .collect();
        cell.notes.push(self.fill(
            "cell.audit.rows",
            &[
                ("screening_table", &screening_table),
                ("agree", &self.int(audit.rows.len() - discrepant.len())),
                ("total", &self.int(audit.rows.len())),
                ("list", &self.join_rows(&discrepant)?),
            ],
        )?);
        let changed: Vec<usize> = audit
            .rows
            .iter()
            .filter(|r| r.decision_changed())
            .map(|r| r.row)
            .collect();
        cell.notes.push(if changed.is_empty() {
            self.fill(
                "cell.audit.no_decision_changed",
                &[("threshold", &self.threshold_text())],
            )?
        } else {
            self.fill(
                "cell.audit.decisions_changed",
                &[("list", &self.join_rows(&changed)?)],
            )?
        });
        let ranked = audit
            .rows
            .iter()
            .filter(|r| r.printed_rank.is_some() && r.reproduced_rank.is_some())
            .count();
        let moved: Vec<usize> = audit
            .rows
            .iter()
            .filter(|r| r.rank_changed())
            .map(|r| r.row)
            .collect();
        let moved_list = if moved.is_empty() {
            String::new()
        } else {
            self.fill(
                "cell.audit.ranks_list",
                &[("list", &self.join_rows(&moved)?)],
            )?
        };
        cell.notes.push(self.fill(
            "cell.audit.ranks",
            &[
                ("count", &self.int(moved.len())),
                ("total", &self.int(ranked)),
                ("list", &moved_list),
            ],
        )?);
        let checkable = |check: fn(&crate::analysis::audit::RowAudit) -> Consistency| {
            audit
                .rows
                .iter()
                .filter(|r| check(r) != Consistency::NotCheckable)
                .count()
        };
        let inconsistent = |check: fn(&crate::analysis::audit::RowAudit) -> Consistency| {
            let rows: Vec<usize> = audit
                .rows
                .iter()
                .filter(|r| check(r) == Consistency::Inconsistent)
                .map(|r| r.row)
                .collect();
            self.join_rows(&rows)
        };
        cell.notes.push(self.fill(
            "cell.audit.consistency",
            &[
                (
                    "formula",
                    &self.t(&format!(
                        "formula.{}",
                        self.input.study.method().defuzzification.name()
                    ))?,
                ),
                ("crisp_checkable", &self.int(checkable(|r| r.crisp_check))),
                ("crisp_list", &inconsistent(|r| r.crisp_check)?),
                ("status_checkable", &self.int(checkable(|r| r.status_check))),
                ("status_list", &inconsistent(|r| r.status_check)?),
            ],
        )?);
        let mut rows = Vec::new();
        for row in audit.rows.iter().filter(|r| r.discrepant) {
            let status = |s: Option<Status>| self.status_text(s);
            rows.push(vec![
                self.int(row.row),
                self.indicator_name(&row.indicator),
                row.printed_crisp
                    .as_deref()
                    .map(|c| self.num(c))
                    .unwrap_or_default(),
                row.reproduced_crisp
                    .as_deref()
                    .map(|c| self.num(c))
                    .unwrap_or_default(),
                status(row.printed_status)?,
                status(row.reproduced_status)?,
                self.t(if row.decision_changed() {
                    "decision.changed"
                } else {
                    "decision.same"
                })?,
                row.printed_rank.map(|r| self.int(r)).unwrap_or_default(),
                row.reproduced_rank.map(|r| self.int(r)).unwrap_or_default(),
            ]);
        }
        if !rows.is_empty() {
            cell.tables.push(Table {
                id: "audit-decisions".to_string(),
                caption: self.t("cell.audit.decisions_caption")?,
                headers: vec![
                    self.t("col.number")?,
                    self.t("col.indicator")?,
                    self.t("col.printed_crisp")?,
                    self.t("col.reproduced_crisp")?,
                    self.t("col.printed_status")?,
                    self.t("col.reproduced_status")?,
                    self.t("col.decision")?,
                    self.t("col.printed_rank")?,
                    self.t("col.reproduced_rank")?,
                ],
                rows,
            });
        }
        Ok(cell)
    }

    /// The audit's findings as a Markdown list, one line per cause, expert ids escaped.
    fn audit_findings(&self, audit: &Audit) -> Result<String> {
        let headlines = self.audit_headlines(audit)?;
        if headlines.is_empty() {
            return self.t("cell.audit.no_findings");
        }
        let mut text = self.t("cell.audit.findings")?;
        text.push('\n');
        for headline in headlines {
            text.push_str("\n- ");
            text.push_str(&headline);
        }
        Ok(text)
    }

    /// The audit's findings, one trusted Markdown line per cause, expert ids escaped.
    pub(super) fn audit_headlines(&self, audit: &Audit) -> Result<Vec<String>> {
        use crate::analysis::audit::Headline;
        use crate::report::findings::HeadlineContext;
        let study = self.input.study;
        let context = HeadlineContext {
            counts_table: self.int(study.tables().counts.number),
            screening_table: self.int(study.tables().screening.number),
            threshold: self.threshold_text(),
            formula: self.t(&format!(
                "formula.{}",
                study.method().defuzzification.name()
            ))?,
        };
        let escaped = |c: &crate::analysis::respondents::Candidate| {
            let mut c = c.clone();
            c.experts = c.experts.iter().map(|e| escape_markdown(e)).collect();
            c
        };
        let wording = self.wording();
        let mut lines = Vec::new();
        for headline in audit.headlines() {
            let headline = match headline {
                Headline::Respondents {
                    candidate,
                    printed,
                    with_everyone,
                } => Headline::Respondents {
                    candidate: escaped(&candidate),
                    printed,
                    with_everyone,
                },
                Headline::NoRespondents {
                    closest,
                    printed,
                    with_everyone,
                    pairs,
                    duplications,
                } => Headline::NoRespondents {
                    closest: closest.as_ref().map(escaped),
                    printed,
                    with_everyone,
                    pairs,
                    duplications,
                },
                other => other,
            };
            lines.push(wording.headline(&headline, &context)?);
        }
        Ok(lines)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::{rows, Tiny};

    #[test]
    fn the_audit_cell_finds_the_misprinted_crisp_value() {
        let tiny = Tiny::rich();
        let cell = tiny.cell(Lang::EN, "audit");
        let ids: Vec<&str> = cell.tables.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["audit-verdicts", "audit-values", "audit-decisions"]);
        // 3 rows x 5 printed values: 14 match, I3's crisp 0.621 is infeasible (3 ratings on two
        // levels give 0.389, 0.611 or 0.833 and 0.5/3).
        assert_eq!(rows(&cell.tables[0])[0], "match | 14 | 14");
        assert_eq!(rows(&cell.tables[0])[3], "infeasible | 1 | 1");
        assert!(
            rows(&cell.tables[1])[0].starts_with("2 | 3 | Crisp | 0.621 | 0.611 | infeasible |"),
            "{:?}",
            rows(&cell.tables[1])
        );
        assert_eq!(
            rows(&cell.tables[2]),
            ["3 | Patents | 0.621 | 0.611 | accepted | accepted | unchanged | 2 | 2"]
        );
        assert!(
            cell.narrative[0].contains("Table 2, row 3: the printed crisp 0.621"),
            "{}",
            cell.narrative[0]
        );
        assert!(Tiny::plain().missing("audit").is_some());
    }
}
