//! Machine-readable tables: CSV with ASCII digits and full precision, for CI diffs and re-analysis.

use crate::report::model::Results;

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

/// `indicator,component,<level ids>,responses` (the paper's Table 6 layout, one column per level).
pub fn counts_csv(results: &Results) -> String {
    let counts = &results.data.counts;
    let mut header = vec!["indicator".to_string(), "component".to_string()];
    header.extend(counts.levels.iter().cloned());
    header.push("responses".into());
    let mut out = line(&header);
    for (indicator, row) in results.data.indicators.iter().zip(&counts.rows) {
        let mut fields = vec![indicator.id.clone(), indicator.component.clone()];
        fields.extend(row.counts.iter().map(u64::to_string));
        fields.push(row.responses().to_string());
        out.push_str(&line(&fields));
    }
    out
}

/// `indicator,component,l,m,u,crisp,status` at full f64 precision (shortest round-trip form).
pub fn screening_csv(results: &Results) -> String {
    let header: Vec<String> = ["indicator", "component", "l", "m", "u", "crisp", "status"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut out = line(&header);
    for (indicator, row) in results.data.indicators.iter().zip(results.screening) {
        let mut fields = vec![indicator.id.clone(), indicator.component.clone()];
        match row.result {
            Some(result) => {
                for value in [result.fuzzy.l, result.fuzzy.m, result.fuzzy.u, result.crisp] {
                    fields.push(format!("{:?}", value.to_f64()));
                }
                fields.push(result.status.as_str().to_string());
            }
            // No responses: nothing to average, so no values and no decision.
            None => fields.extend(std::iter::repeat_n(String::new(), 5)),
        }
        out.push_str(&line(&fields));
    }
    out
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
