//! Machine-readable tables: CSV with ASCII digits and full precision, for CI diffs and re-analysis.

use anyhow::Result;

use crate::analysis::audit::AuditedTable;
use crate::analysis::panel_size::MAX_PANEL;
use crate::config::ThresholdRule;
use crate::domain::DecisionRule;
use crate::domain::Lang;
use crate::number::{Exact, Num};
use crate::report::findings::Wording;
use crate::report::i18n::Strings;
use crate::report::model::ReportInput;

/// The language of the words in CSV tables (the audit's diagnoses): they are data for re-analysis,
/// the same whatever languages the study's reports are written in.
pub(crate) const CSV_LANGUAGE: Lang = Lang::EN;

/// Quotes a CSV field when it holds a separator, quote or line break.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn line(fields: &[String]) -> String {
    let mut out = fields
        .iter()
        .map(|f| field(f))
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    out
}

/// `indicator,component,<level ids>,responses` (the paper's Table 6 layout, one column per level);
/// when the study has reverse-coded items, a last column `reversed` (`yes` or empty): their counts are
/// after reversal.
pub(crate) fn counts_csv(input: &ReportInput) -> String {
    let counts = &input.data.counts;
    let mut header = vec!["indicator".to_string(), "component".to_string()];
    header.extend(counts.levels.iter().cloned());
    header.push("responses".into());
    let reversed = reversed_column(input, &mut header);
    let mut out = line(&header);
    for (indicator, row) in input.data.indicators.iter().zip(&counts.rows) {
        let mut fields = vec![indicator.id.clone(), indicator.component.clone()];
        fields.extend(row.counts.iter().map(u64::to_string));
        fields.push(row.responses().to_string());
        fields.extend(reversed(&indicator.id));
        out.push_str(&line(&fields));
    }
    out
}

/// Adds the `reversed` column to `header` when the study has reverse-coded items, and gives the
/// column's value for an indicator (`yes` or empty; nothing without the column).
fn reversed_column<'a>(
    input: &'a ReportInput,
    header: &mut Vec<String>,
) -> impl Fn(&str) -> Option<String> + 'a {
    let reversed = &input.data.reversed;
    if !reversed.is_empty() {
        header.push("reversed".into());
    }
    move |id: &str| {
        (!reversed.is_empty()).then(|| {
            if reversed.iter().any(|r| r == id) {
                "yes".to_string()
            } else {
                String::new()
            }
        })
    }
}

/// A value at full f64 precision (shortest round-trip form).
fn full(value: Num) -> String {
    crate::number::full_precision(value)
}

/// A configured exact parameter as a short decimal (`0.55`).
fn short(value: Exact) -> String {
    value.short_decimal()
}

/// `indicator,component,l,m,u,crisp,status` at full f64 precision (shortest round-trip form); under
/// the combined decision rule a last column `reason` lists the failed conditions
/// (`below-threshold`, `mean-distance`, `agreement`, separated by spaces); with reverse-coded items a
/// last column `reversed` (`yes` or empty).
pub(crate) fn screening_csv(input: &ReportInput) -> String {
    let method = input.study.method();
    let combined = method.decision == DecisionRule::ThresholdAndConsensus;
    let mut header: Vec<String> = ["indicator", "component", "l", "m", "u", "crisp", "status"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    if combined {
        header.push("reason".into());
    }
    let reversed = reversed_column(input, &mut header);
    let mut out = line(&header);
    for (indicator, row) in input.data.indicators.iter().zip(input.screening) {
        let mut fields = vec![indicator.id.clone(), indicator.component.clone()];
        match row.result {
            Some(result) => {
                for value in [result.fuzzy.l, result.fuzzy.m, result.fuzzy.u, result.crisp] {
                    fields.push(full(value));
                }
                fields.push(result.status.as_str().to_string());
                if combined {
                    let reasons: Vec<&str> = result
                        .shortfalls(method.threshold, method.decision)
                        .iter()
                        .map(|s| s.name())
                        .collect();
                    fields.push(reasons.join(" "));
                }
            }
            // No responses: nothing to average, so no values and no decision.
            None => fields.extend(std::iter::repeat_n(
                String::new(),
                5 + usize::from(combined),
            )),
        }
        fields.extend(reversed(&indicator.id));
        out.push_str(&line(&fields));
    }
    out
}

/// `rule,of,factor,statistic,threshold,threshold_fraction`: the threshold the screening used, one row.
/// `rule` is `fixed` or `relative`; for a relative rule `of` (`mean` or `median`), `factor` and
/// `statistic` (that statistic of the crisp values) say how it was worked out. Numbers at full
/// precision; `threshold_fraction` is the threshold as an exact fraction where the method is exact
/// (always for a fixed threshold; empty when the crisp values are f64).
pub(crate) fn threshold_csv(input: &ReportInput) -> String {
    let study = input.study;
    let header: Vec<String> = [
        "rule",
        "of",
        "factor",
        "statistic",
        "threshold",
        "threshold_fraction",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let threshold = full(Num::Exact(study.threshold()));
    let fields = match study.threshold_rule() {
        ThresholdRule::Fixed => vec![
            "fixed".to_string(),
            String::new(),
            String::new(),
            String::new(),
            threshold,
            study.threshold().to_string(),
        ],
        ThresholdRule::Relative {
            of,
            factor,
            statistic,
        } => vec![
            "relative".to_string(),
            of.name().to_string(),
            short(factor),
            statistic.map(full).unwrap_or_default(),
            threshold,
            if statistic.is_some_and(Num::is_exact) {
                study.threshold().to_string()
            } else {
                String::new()
            },
        ],
    };
    let mut out = line(&header);
    out.push_str(&line(&fields));
    out
}

/// `rank,tied,scale,aggregation,defuzzification,columns_read_as,reproduced,rows`: every combination
/// `identify` tried that reproduces at least one printed row, best first (as the identification cell
/// ranks them; the others reproduce none and share the last rank, which the cell states). `tied` is `yes` or `no`;
/// `scale` is `study.yaml` (the study's own) or a preset; `columns_read_as` the level id each printed
/// counts column is read as, in the printed columns' order, separated by spaces; `reproduced` the
/// printed rows the combination reproduces, of `rows`. `None` without a printed screening table.
pub(crate) fn identify_csv(input: &ReportInput) -> Option<String> {
    let found = input.identification?;
    let header: Vec<String> = [
        "rank",
        "tied",
        "scale",
        "aggregation",
        "defuzzification",
        "columns_read_as",
        "reproduced",
        "rows",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut out = line(&header);
    for entry in found.ranked.iter().take_while(|r| r.reproduced > 0) {
        let scale = &found.scales[entry.scale];
        let reading: Vec<&str> = entry
            .reading
            .iter()
            .map(|&level| scale.levels.get(level).map_or("", |l| l.id.as_str()))
            .collect();
        out.push_str(&line(&[
            entry.rank.to_string(),
            if entry.tied { "yes" } else { "no" }.to_string(),
            scale.name.clone(),
            entry.aggregation.name().to_string(),
            entry.defuzzification.name().to_string(),
            reading.join(" "),
            entry.reproduced.to_string(),
            found.rows.to_string(),
        ]));
    }
    Some(out)
}

/// `indicator,component,responses,agreeing,share,mean_distance,close,consensus`: expert agreement per
/// indicator (share and mean distance at full precision; `close` and `consensus` are `yes` or `no`).
pub(crate) fn agreement_csv(input: &ReportInput) -> String {
    let header: Vec<String> = [
        "indicator",
        "component",
        "responses",
        "agreeing",
        "share",
        "mean_distance",
        "close",
        "consensus",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
    let mut out = line(&header);
    for (indicator, row) in input.data.indicators.iter().zip(input.screening) {
        let mut fields = vec![indicator.id.clone(), indicator.component.clone()];
        match row.result {
            Some(result) => {
                let a = result.agreement;
                fields.extend([
                    a.responses.to_string(),
                    a.agreeing.to_string(),
                    full(Num::Exact(a.share)),
                    full(a.mean_distance),
                    yes_no(a.close),
                    yes_no(a.consensus),
                ]);
            }
            None => {
                fields.push("0".into());
                fields.extend(std::iter::repeat_n(String::new(), 5));
            }
        }
        out.push_str(&line(&fields));
    }
    out
}

/// `indicator,component,level,experts,distance,agrees`: for every level an indicator's experts chose,
/// how many chose it, their vertex distance to the group's number (full precision) and whether they
/// agree (`yes`/`no`). Every expert at a level has the same distance, so this is each expert's
/// distance without a row per expert.
pub(crate) fn distances_csv(input: &ReportInput) -> String {
    use crate::analysis::fuzzy::{level_agrees, vertex_distance};
    let header: Vec<String> = [
        "indicator",
        "component",
        "level",
        "experts",
        "distance",
        "agrees",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let max_distance = input.study.method().max_distance;
    let mut out = line(&header);
    for ((indicator, row), counts) in input
        .data
        .indicators
        .iter()
        .zip(input.screening)
        .zip(&input.data.counts.rows)
    {
        let Some(result) = row.result else {
            continue;
        };
        for (level, &experts) in input.study.scale().iter().zip(&counts.counts) {
            if experts == 0 {
                continue;
            }
            let distance = vertex_distance(level, &result.fuzzy);
            let agrees = level_agrees(level, &result.fuzzy, max_distance);
            out.push_str(&line(&[
                indicator.id.clone(),
                indicator.component.clone(),
                level.id.clone(),
                experts.to_string(),
                distance.map(full).unwrap_or_default(),
                match agrees {
                    Some(true) => "yes".into(),
                    Some(false) => "no".into(),
                    None => String::new(),
                },
            ]));
        }
    }
    out
}

/// `indicator,component,crisp,<one column per threshold>`: `accepted` or `rejected` at each threshold
/// of the sweep (columns named by the threshold, such as `0.55`).
pub(crate) fn sensitivity_csv(input: &ReportInput) -> String {
    let mut header = vec![
        "indicator".to_string(),
        "component".to_string(),
        "crisp".to_string(),
    ];
    header.extend(
        input
            .study
            .sensitivity_thresholds()
            .iter()
            .map(|t| short(*t)),
    );
    let mut out = line(&header);
    for ((indicator, row), verdicts) in input
        .data
        .indicators
        .iter()
        .zip(input.screening)
        .zip(input.sensitivity)
    {
        let mut fields = vec![
            indicator.id.clone(),
            indicator.component.clone(),
            row.result.map(|s| full(s.crisp)).unwrap_or_default(),
        ];
        fields.extend(
            verdicts
                .statuses
                .iter()
                .map(|s| s.map(|s| s.as_str().to_string()).unwrap_or_default()),
        );
        out.push_str(&line(&fields));
    }
    out
}

/// `indicator,component,crisp_1..crisp_k,change_2..change_k,stable`: crisp value per round, change
/// from the previous round, and `yes`/`no` for the stop rule on the last change. `None` for one round.
pub(crate) fn rounds_csv(input: &ReportInput) -> Option<String> {
    let first = input.trajectories.first()?;
    let rounds = first.crisp.len();
    let mut header = vec!["indicator".to_string(), "component".to_string()];
    header.extend((1..=rounds).map(|r| format!("crisp_{r}")));
    header.extend((2..=rounds).map(|r| format!("change_{r}")));
    header.push("stable".into());
    let mut out = line(&header);
    for (indicator, trajectory) in input.data.indicators.iter().zip(input.trajectories) {
        let mut fields = vec![indicator.id.clone(), indicator.component.clone()];
        fields.extend(
            trajectory
                .crisp
                .iter()
                .map(|c| c.map(full).unwrap_or_default()),
        );
        fields.extend(
            trajectory
                .changes
                .iter()
                .map(|c| c.map(full).unwrap_or_default()),
        );
        fields.push(match trajectory.stable {
            Some(true) => "yes".into(),
            Some(false) => "no".into(),
            None => String::new(),
        });
        out.push_str(&line(&fields));
    }
    Some(out)
}

/// `table,row,column,published,reproduced,verdict,detail`: every audited value of the published
/// tables, counts table first, each in row order; `detail` is the English diagnosis (empty for a
/// plain match). For a row's `responses`, `reproduced` is the panel size it should have.
pub(crate) fn audit_csv(input: &ReportInput, strings: &Strings) -> Result<Option<String>> {
    let Some(audit) = input.table_audit else {
        return Ok(None);
    };
    let wording = Wording {
        lang: CSV_LANGUAGE,
        strings,
        scale: input.study.scale(),
    };
    let tables = input.study.tables();
    let header: Vec<String> = [
        "table",
        "row",
        "column",
        "published",
        "reproduced",
        "verdict",
        "detail",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut out = line(&header);
    for value in &audit.values {
        let table = match value.table {
            AuditedTable::Counts => tables.counts.number,
            AuditedTable::Screening => tables.screening.number,
        };
        out.push_str(&line(&[
            table.to_string(),
            value.row.to_string(),
            value.column.name().to_string(),
            value.published.clone(),
            value.reproduced.clone(),
            value.verdict.as_str().to_string(),
            wording.diagnosis(&value.findings)?,
        ]));
    }
    // Panel sizes: one row per printed column, `row` = `panel`, `published` the stated panel,
    // `reproduced` every fitting size from 1 to MAX_PANEL (space-separated).
    for fit in &audit.panel_fits {
        let table = match fit.table {
            AuditedTable::Counts => tables.counts.number,
            AuditedTable::Screening => tables.screening.number,
        };
        let sizes: Vec<String> = fit.fitting.iter().map(u64::to_string).collect();
        let all = if sizes.is_empty() {
            format!("no panel size from 1 to {MAX_PANEL} gives them all")
        } else {
            format!(
                "{} panel sizes from 1 to {MAX_PANEL} give them all",
                sizes.len()
            )
        };
        let detail = match fit.stated_fits {
            Some(fits) => format!(
                "The stated panel of {} gives {fits} of the {} printed values; {all}.",
                fit.stated, fit.values
            ),
            None => format!(
                "The stated panel of {} is larger than {MAX_PANEL} and was not checked; {all}.",
                fit.stated
            ),
        };
        out.push_str(&line(&[
            table.to_string(),
            "panel".into(),
            fit.column.name().to_string(),
            fit.stated.to_string(),
            sizes.join(" "),
            // As for the values themselves: a counts row with other responses is a mismatch, a
            // screening value no stated panel can give is infeasible.
            // Empty when the stated panel was not checked.
            match (fit.stated_fits_all(), fit.table) {
                (None, _) => "",
                (Some(true), _) => "match",
                (Some(false), AuditedTable::Counts) => "mismatch",
                (Some(false), AuditedTable::Screening) => "infeasible",
            }
            .into(),
            detail,
        ]));
    }
    // Respondents: one row per candidate, best first, `row` = `respondents`, `column` removed or
    // duplicated, `published` the expert ids (space-separated), `reproduced` the printed values they
    // reproduce; none when no set of respondents does better than everyone.
    if let Some(Ok(search)) = &audit.respondents {
        for candidate in &search.best {
            out.push_str(&line(&[
                String::new(),
                "respondents".into(),
                candidate.change.name().into(),
                candidate.experts.join(" "),
                candidate.reproduced.to_string(),
                if candidate.reproduced == search.printed {
                    "match"
                } else {
                    "mismatch"
                }
                .into(),
                format!(
                    "{} of {} printed values reproduced {} ({} respondents); {} with every respondent once.",
                    candidate.reproduced,
                    search.printed,
                    wording.respondents(candidate)?,
                    candidate.panel,
                    search.with_everyone
                ),
            ]));
        }
    }
    Ok(Some(out))
}

/// `set,printed,exhaustive,n_interviewees,feasible_interviewees,n_delphi,feasible_delphi,n_both,
/// feasible_both,feasible_n`: one row per set of printed percentages; `printed` lists
/// `category<relation>percent` separated by spaces, `feasible_n` every feasible size up to the bound.
pub(crate) fn demographics_csv(input: &ReportInput) -> Option<String> {
    use crate::analysis::published_in_text::Panel;
    let sets = input.shares_audit?;
    let header: Vec<String> = [
        "set",
        "printed",
        "exhaustive",
        "n_interviewees",
        "feasible_interviewees",
        "n_delphi",
        "feasible_delphi",
        "n_both",
        "feasible_both",
        "feasible_n",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
    let mut out = line(&header);
    for audited in sets {
        let printed: Vec<String> = audited
            .set
            .shares
            .iter()
            .map(|s| format!("{}{}{}", s.category, s.relation.symbol(), s.percent))
            .collect();
        let mut fields = vec![
            audited.set.id.clone(),
            printed.join(" "),
            yes_no(audited.set.exhaustive),
        ];
        for panel in [Panel::Interviewees, Panel::Delphi, Panel::Both] {
            match audited.panels.iter().find(|(p, _, _)| *p == panel) {
                Some((_, n, feasible)) => {
                    fields.push(n.to_string());
                    fields.push(yes_no(*feasible));
                }
                None => fields.extend([String::new(), String::new()]),
            }
        }
        fields.push(
            audited
                .feasible_sizes
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(" "),
        );
        out.push_str(&line(&fields));
    }
    Some(out)
}

/// `count,relation,published,checked_against,study_value,result,source_line`.
pub(crate) fn coding_counts_csv(input: &ReportInput) -> Option<String> {
    let counts = input.counts_audit?;
    let header: Vec<String> = [
        "count",
        "relation",
        "published",
        "checked_against",
        "study_value",
        "result",
        "source_line",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut out = line(&header);
    for audited in counts {
        out.push_str(&line(&[
            audited.count.id.clone(),
            audited.count.relation.symbol().to_string(),
            audited.count.value.to_string(),
            audited
                .count
                .checked_against
                .map(|t| t.as_str().to_string())
                .unwrap_or_default(),
            audited
                .study_value
                .map(|v| v.to_string())
                .unwrap_or_default(),
            audited.result.as_str().to_string(),
            audited.count.source_line.to_string(),
        ]));
    }
    Some(out)
}

/// The level id of a code at `depth`: its analysis level, or `below_last_level` deeper than the last.
fn level_id(levels: &[String], depth: usize) -> String {
    levels
        .get(depth.wrapping_sub(1))
        .cloned()
        .unwrap_or_else(|| "below_last_level".to_string())
}

/// `level,depth,defined,used,coded,counted`: one line per analysis level from the root, then
/// `below_last_level` (depth empty) for the codes deeper than the last level. `defined`: codes of the
/// tree at that depth; `used`: those applied to a segment (themselves or through a code below them);
/// `coded`: codings on codes at that depth as coded; `counted`: codings counted at that level (the last
/// level also counts those folded up from below it). `coded` and `counted` each sum to the segments.
pub(crate) fn codes_per_level_csv(input: &ReportInput) -> Option<String> {
    let coding = input.qualitative.coding.as_ref()?;
    let levels = input.study.code_levels();
    let header: Vec<String> = ["level", "depth", "defined", "used", "coded", "counted"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut out = line(&header);
    let counts = &coding.counts;
    for (index, level) in counts.levels.iter().enumerate() {
        out.push_str(&line(&[
            level_id(&levels, index + 1),
            (index + 1).to_string(),
            level.defined.to_string(),
            level.used.to_string(),
            level.coded.to_string(),
            level.counted.to_string(),
        ]));
    }
    out.push_str(&line(&[
        "below_last_level".to_string(),
        String::new(),
        counts.deeper.defined.to_string(),
        counts.deeper.used.to_string(),
        counts.deeper.coded.to_string(),
        counts.deeper.counted.to_string(),
    ]));
    Some(out)
}

/// `code,level,<document>...,total`: one line per counted code (every code of the last level, and
/// every code above it that carries codings), in codebook order; `code` is its path as coded
/// (`A > B > C`), `level` its level id; one column per coded document, in interview order, holding
/// the segments counted on the code there.
pub(crate) fn code_matrix_csv(input: &ReportInput) -> Option<String> {
    let coding = input.qualitative.coding.as_ref()?;
    let data = input.data.coding.as_ref()?;
    let levels = input.study.code_levels();
    let mut header = vec!["code".to_string(), "level".to_string()];
    header.extend(
        coding
            .matrix
            .documents
            .iter()
            .map(|&d| data.documents[d].clone()),
    );
    header.push("total".into());
    let mut out = line(&header);
    for row in &coding.matrix.rows {
        let code = &data.codes[row.code];
        let mut fields = vec![code.path.join(" > "), level_id(&levels, code.level())];
        fields.extend(row.per_document.iter().map(u64::to_string));
        fields.push(row.total().to_string());
        out.push_str(&line(&fields));
    }
    Some(out)
}

/// `order,document,segments,new_codes,cumulative`: one line per coded interview in interview order;
/// `new_codes` are counted codes first seen there, `cumulative` the distinct counted codes so far.
pub(crate) fn saturation_csv(input: &ReportInput) -> Option<String> {
    let coding = input.qualitative.coding.as_ref()?;
    let data = input.data.coding.as_ref()?;
    let header: Vec<String> = ["order", "document", "segments", "new_codes", "cumulative"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut out = line(&header);
    for (index, step) in coding.saturation.iter().enumerate() {
        out.push_str(&line(&[
            (index + 1).to_string(),
            data.documents[step.document].clone(),
            step.segments.to_string(),
            step.new_codes.to_string(),
            step.cumulative.to_string(),
        ]));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_separators_are_quoted() {
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("plain"), "plain");
    }
}
