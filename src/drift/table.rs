//! Cell-by-cell comparison of two versions of one CSV table, rows matched by the table's id columns.
//!
//! Which columns identify a row, which columns are decisions and in which order tables are shown are
//! all decided here, from the table's header and path.

use std::collections::{BTreeSet, HashMap};

use crate::number::Exact;

use super::csv::Csv;

/// The id columns of every table the report writes, tried in this order: the first set whose columns
/// are all in the header is the table's key. A table with none of them is keyed by its first column.
///
/// | key | tables |
/// |---|---|
/// | `table`, `row`, `column` | `audit.csv` (one line per audited printed value) |
/// | `indicator`, `level` | `distances.csv` (one line per indicator and level chosen) |
/// | `indicator` | the counts and screening tables (`table<N>.csv`), `agreement.csv`, `sensitivity.csv`, `rounds.csv` |
/// | `set` | `demographics_audit.csv` |
/// | `count` | `coding_counts_audit.csv` |
/// | `code` | `code_matrix.csv` (one line per counted code, by its path) |
/// | `document` | `saturation.csv` (one line per coded interview) |
/// | `level` | `codes_per_level.csv` (one line per level of the code tree) |
/// | `scale`, `aggregation`, `defuzzification`, `columns_read_as` | `identify.csv` (one line per combination) |
/// | `rule` | `threshold.csv` (one line: the threshold the screening used) |
pub(crate) const KEY_COLUMNS: &[&[&str]] = &[
    &["table", "row", "column"],
    &["indicator", "level"],
    &["indicator"],
    &["set"],
    &["count"],
    &["code"],
    &["document"],
    &["level"],
    &["scale", "aggregation", "defuzzification", "columns_read_as"],
    &["rule"],
];

/// Columns that hold a decision: the screening status, consensus, the audit verdict, the stop rule of
/// rounds and the result of a printed count. A column named by a number (a threshold of the
/// sensitivity sweep) whose old and new values are both `accepted` or `rejected` is a decision too.
pub(crate) const DECISION_COLUMNS: &[&str] =
    &["status", "consensus", "verdict", "stable", "result"];

/// A table in [`TABLE_ORDER`]: the counts and screening tables are named by the numbers the study
/// gives them ([`crate::report::numbered_table_csv`]), the others by their fixed path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ShownTable {
    /// The screening table (`tables.screening.number`).
    Screening,
    /// The counts table (`tables.counts.number`).
    Counts,
    /// A table with a fixed path.
    Path(&'static str),
}

/// The order tables are shown in: the screening's decisions first, the audits last. Other tables
/// follow in path order.
pub(crate) const TABLE_ORDER: &[ShownTable] = &[
    ShownTable::Screening,
    ShownTable::Path("tables/threshold.csv"),
    ShownTable::Path("tables/agreement.csv"),
    ShownTable::Path("tables/rounds.csv"),
    ShownTable::Path("tables/sensitivity.csv"),
    ShownTable::Counts,
    ShownTable::Path("tables/distances.csv"),
    ShownTable::Path("tables/codes_per_level.csv"),
    ShownTable::Path("tables/code_matrix.csv"),
    ShownTable::Path("tables/saturation.csv"),
    ShownTable::Path("tables/audit.csv"),
    ShownTable::Path("tables/identify.csv"),
    ShownTable::Path("tables/demographics_audit.csv"),
    ShownTable::Path("tables/coding_counts_audit.csv"),
];

/// The paths of the numbered tables of one build, as its manifest records their numbers
/// (`parameters.study_yaml.tables`); `None` when the manifest does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct NumberedTables {
    /// The counts table's CSV path.
    pub(crate) counts: Option<String>,
    /// The screening table's CSV path.
    pub(crate) screening: Option<String>,
}

impl NumberedTables {
    /// The numbered tables a manifest names.
    pub(crate) fn from_manifest(bytes: Option<&[u8]>) -> NumberedTables {
        let manifest: Option<serde_json::Value> =
            bytes.and_then(|b| serde_json::from_slice(b).ok());
        let path = |table: &str| {
            let number = manifest
                .as_ref()?
                .pointer(&format!("/parameters/study_yaml/tables/{table}/number"))?
                .as_u64()?;
            Some(crate::report::numbered_table_csv(
                u32::try_from(number).ok()?,
            ))
        };
        NumberedTables {
            counts: path("counts"),
            screening: path("screening"),
        }
    }
}

/// Where a table comes in [`TABLE_ORDER`]; unknown tables after the known ones.
pub(crate) fn table_rank(path: &str, numbered: &NumberedTables) -> usize {
    TABLE_ORDER
        .iter()
        .position(|known| match known {
            ShownTable::Screening => numbered.screening.as_deref() == Some(path),
            ShownTable::Counts => numbered.counts.as_deref() == Some(path),
            ShownTable::Path(known) => *known == path,
        })
        .unwrap_or(TABLE_ORDER.len())
}

/// The key of `header`: the names of its id columns (see [`KEY_COLUMNS`]).
pub(crate) fn key_columns(header: &[String]) -> Vec<String> {
    for candidate in KEY_COLUMNS {
        if candidate.iter().all(|c| header.iter().any(|h| h == c)) {
            return candidate.iter().map(|c| c.to_string()).collect();
        }
    }
    header.first().cloned().into_iter().collect()
}

fn is_verdict(text: &str) -> bool {
    matches!(text, "accepted" | "rejected")
}

/// A cell value as written (full precision) and at the table's display precision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Value {
    pub(crate) text: String,
    pub(crate) display: String,
}

impl Value {
    /// Decimal numbers are rounded half away from zero at `decimals` places, through their exact
    /// binary value (as the report rounds them); whole numbers and texts are shown as written.
    pub(crate) fn new(text: &str, decimals: u32) -> Value {
        let display = number(text)
            .filter(|v| text.contains(['.', 'e', 'E']) && v.abs() < 1e12)
            .and_then(Exact::from_f64_exact)
            .map(|exact| exact.round_half_away(decimals))
            .unwrap_or_else(|| text.to_string());
        Value {
            text: text.to_string(),
            display,
        }
    }

    /// Whether the value is a decimal number, so that full precision says more than the display.
    pub(crate) fn is_decimal(&self) -> bool {
        self.display != self.text
    }
}

fn number(text: &str) -> Option<f64> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.eq_ignore_ascii_case("nan") || trimmed.contains("inf") {
        return None;
    }
    trimmed.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Two cells are the same when their texts are, or when both are the same number (`1.0` and `1`).
pub(crate) fn same_cell(old: &str, new: &str) -> bool {
    old == new || matches!((number(old), number(new)), (Some(a), Some(b)) if a == b)
}

/// A row's id: its key columns and their values, and which occurrence of that id it is (from 1) when
/// a table repeats one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct RowKey {
    pub(crate) columns: Vec<(String, String)>,
    pub(crate) occurrence: usize,
}

impl RowKey {
    /// `I05` for an indicator; `count accepted` for another one-column key; `table 7, row 5, column
    /// status` for several.
    pub(crate) fn label(&self) -> String {
        let mut label = match self.columns.as_slice() {
            [(name, value)] if name == "indicator" => value.clone(),
            columns => columns
                .iter()
                .map(|(name, value)| format!("{name} {value}"))
                .collect::<Vec<_>>()
                .join(", "),
        };
        if self.occurrence > 1 {
            label.push_str(&format!(" (#{})", self.occurrence));
        }
        label
    }
}

/// A row added or removed: its id and every cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    pub(crate) key: RowKey,
    pub(crate) values: Vec<(String, String)>,
}

/// One cell that differs between the committed table and the rebuilt one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CellChange {
    pub(crate) row: RowKey,
    pub(crate) column: String,
    pub(crate) old: Value,
    pub(crate) new: Value,
    /// A decision cell (see [`DECISION_COLUMNS`]).
    pub(crate) decision: bool,
}

impl CellChange {
    /// The change does not show at the display precision (only at full precision).
    pub(crate) fn below_display_precision(&self) -> bool {
        self.old.display == self.new.display
    }
}

/// How one table changed. Cells are decisions first, then numbers, then texts (an audit's diagnosis),
/// each group in the rebuilt table's row order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableDiff {
    pub(crate) path: String,
    /// The id columns rows are matched by.
    pub(crate) key: Vec<String>,
    pub(crate) columns_added: Vec<String>,
    pub(crate) columns_removed: Vec<String>,
    pub(crate) cells: Vec<CellChange>,
    pub(crate) rows_added: Vec<Row>,
    pub(crate) rows_removed: Vec<Row>,
}

impl TableDiff {
    pub(crate) fn is_empty(&self) -> bool {
        self.columns_added.is_empty()
            && self.columns_removed.is_empty()
            && self.cells.is_empty()
            && self.rows_added.is_empty()
            && self.rows_removed.is_empty()
    }

    /// How many rows have at least one changed cell.
    pub(crate) fn rows_changed(&self) -> usize {
        self.cells
            .iter()
            .map(|c| &c.row)
            .collect::<BTreeSet<_>>()
            .len()
    }
}

impl PartialOrd for RowKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for RowKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (&self.columns, self.occurrence).cmp(&(&other.columns, other.occurrence))
    }
}

/// Every row of `csv` with its key by the columns `key` (those of them the header has).
fn keyed_rows(csv: &Csv, key: &[String]) -> Vec<Row> {
    let mut positions: Vec<(String, usize)> = key
        .iter()
        .filter_map(|name| {
            csv.header
                .iter()
                .position(|h| h == name)
                .map(|i| (name.clone(), i))
        })
        .collect();
    if positions.is_empty() {
        positions = csv
            .header
            .first()
            .map(|name| (name.clone(), 0))
            .into_iter()
            .collect();
    }
    let mut seen: HashMap<Vec<(String, String)>, usize> = HashMap::new();
    csv.rows
        .iter()
        .map(|fields| {
            let columns: Vec<(String, String)> = positions
                .iter()
                .map(|(name, i)| (name.clone(), fields[*i].clone()))
                .collect();
            let occurrence = seen.entry(columns.clone()).or_insert(0);
            *occurrence += 1;
            Row {
                key: RowKey {
                    columns,
                    occurrence: *occurrence,
                },
                values: csv.header.iter().cloned().zip(fields.clone()).collect(),
            }
        })
        .collect()
}

/// Compares the committed version of a table (`old`) with the rebuilt one (`new`), rows matched by
/// the rebuilt table's key, numbers shown at `decimals` places.
pub(crate) fn diff_table(path: &str, old: &Csv, new: &Csv, decimals: u32) -> TableDiff {
    let key = key_columns(&new.header);
    let old_rows = keyed_rows(old, &key);
    let new_rows = keyed_rows(new, &key);
    let columns_added: Vec<String> = new
        .header
        .iter()
        .filter(|c| !old.header.contains(c))
        .cloned()
        .collect();
    let columns_removed: Vec<String> = old
        .header
        .iter()
        .filter(|c| !new.header.contains(c))
        .cloned()
        .collect();
    let old_by_key: HashMap<&RowKey, &Row> = old_rows.iter().map(|r| (&r.key, r)).collect();
    let mut decisions = Vec::new();
    let mut numbers = Vec::new();
    let mut texts = Vec::new();
    let mut rows_added = Vec::new();
    for row in &new_rows {
        let Some(previous) = old_by_key.get(&row.key) else {
            rows_added.push(row.clone());
            continue;
        };
        for (column, new_text) in &row.values {
            let Some((_, old_text)) = previous.values.iter().find(|(c, _)| c == column) else {
                continue;
            };
            if same_cell(old_text, new_text) {
                continue;
            }
            let decision = DECISION_COLUMNS.contains(&column.as_str())
                || (number(column).is_some() && is_verdict(old_text) && is_verdict(new_text));
            let change = CellChange {
                row: row.key.clone(),
                column: column.clone(),
                old: Value::new(old_text, decimals),
                new: Value::new(new_text, decimals),
                decision,
            };
            if decision {
                decisions.push(change);
            } else if number(old_text).is_some() || number(new_text).is_some() {
                numbers.push(change);
            } else {
                texts.push(change);
            }
        }
    }
    let new_keys: BTreeSet<&RowKey> = new_rows.iter().map(|r| &r.key).collect();
    let rows_removed = old_rows
        .iter()
        .filter(|r| !new_keys.contains(&r.key))
        .cloned()
        .collect();
    decisions.extend(numbers);
    decisions.extend(texts);
    TableDiff {
        path: path.to_string(),
        key,
        columns_added,
        columns_removed,
        cells: decisions,
        rows_added,
        rows_removed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drift::csv::parse;

    fn header(names: &str) -> Vec<String> {
        names.split(',').map(String::from).collect()
    }

    #[test]
    fn keys_come_from_the_header() {
        assert_eq!(
            key_columns(&header(
                "table,row,column,published,reproduced,verdict,detail"
            )),
            vec!["table", "row", "column"]
        );
        assert_eq!(
            key_columns(&header("indicator,component,level,experts,distance,agrees")),
            vec!["indicator", "level"]
        );
        assert_eq!(
            key_columns(&header("indicator,component,l,m,u,crisp,status")),
            vec!["indicator"]
        );
        assert_eq!(key_columns(&header("set,printed,exhaustive")), vec!["set"]);
        assert_eq!(
            key_columns(&header("count,relation,published")),
            vec!["count"]
        );
        assert_eq!(key_columns(&header("name,value")), vec!["name"]);
        assert_eq!(key_columns(&header("code,level,A1,A2,total")), vec!["code"]);
        assert_eq!(
            key_columns(&header("order,document,segments,new_codes,cumulative")),
            vec!["document"]
        );
        assert_eq!(
            key_columns(&header("level,depth,defined,used,coded,counted")),
            vec!["level"]
        );
        assert_eq!(
            key_columns(&header(
                "rank,tied,scale,aggregation,defuzzification,columns_read_as,reproduced,rows"
            )),
            vec!["scale", "aggregation", "defuzzification", "columns_read_as"]
        );
        assert_eq!(
            key_columns(&header(
                "rule,of,factor,statistic,threshold,threshold_fraction"
            )),
            vec!["rule"]
        );
    }

    #[test]
    fn decimals_are_rounded_half_away_from_zero_through_their_binary_value() {
        // 0.5166666666666667 (31/60 as a double) shows as 0.517; 0.6875 = 11/16 is a tie at three
        // places (0.6875 exactly) and goes away from zero to 0.688.
        assert_eq!(Value::new("0.5166666666666667", 3).display, "0.517");
        assert_eq!(Value::new("0.6875", 3).display, "0.688");
        assert_eq!(Value::new("-0.0005", 3).display, "-0.001");
        // Whole numbers and texts stay as written.
        assert_eq!(Value::new("15", 3).display, "15");
        assert_eq!(Value::new("accepted", 3).display, "accepted");
        assert!(!Value::new("15", 3).is_decimal());
        assert!(Value::new("0.25", 3).is_decimal());
    }

    #[test]
    fn numbers_are_compared_as_numbers() {
        assert!(same_cell("1.0", "1"));
        assert!(same_cell("0.25", "0.250"));
        assert!(!same_cell("0.25", "0.2500000000000001"));
        assert!(!same_cell("yes", "no"));
        assert!(same_cell("", ""));
        assert!(!same_cell("", "0"));
    }

    #[test]
    fn changed_cells_added_and_removed_rows_are_found_by_key() {
        // SYNTHETIC tables: rows reordered (I2 before I1), I3 removed, I4 added, I1's crisp moved
        // below display precision, I2's l changed and its status flipped.
        let old = parse(
            "indicator,component,l,crisp,status\n\
             I1,c,0.3,0.5166666666666667,accepted\n\
             I2,c,0.3,0.5166666666666667,accepted\n\
             I3,c,0.1,0.2,rejected\n",
        )
        .unwrap();
        let new = parse(
            "indicator,component,l,crisp,status\n\
             I2,c,0.25,0.46111111111111114,rejected\n\
             I1,c,0.3,0.5166666666666668,accepted\n\
             I4,c,0.9,0.95,accepted\n",
        )
        .unwrap();
        let diff = diff_table("tables/table7.csv", &old, &new, 3);
        assert_eq!(diff.key, vec!["indicator"]);
        let cells: Vec<String> = diff
            .cells
            .iter()
            .map(|c| {
                format!(
                    "{} {} {}->{} ({}->{}) decision={} hidden={}",
                    c.row.label(),
                    c.column,
                    c.old.display,
                    c.new.display,
                    c.old.text,
                    c.new.text,
                    c.decision,
                    c.below_display_precision()
                )
            })
            .collect();
        assert_eq!(
            cells,
            vec![
                "I2 status accepted->rejected (accepted->rejected) decision=true hidden=false",
                "I2 l 0.300->0.250 (0.3->0.25) decision=false hidden=false",
                "I2 crisp 0.517->0.461 (0.5166666666666667->0.46111111111111114) decision=false hidden=false",
                "I1 crisp 0.517->0.517 (0.5166666666666667->0.5166666666666668) decision=false hidden=true",
            ]
        );
        assert_eq!(diff.rows_changed(), 2);
        assert_eq!(diff.rows_added.len(), 1);
        assert_eq!(diff.rows_added[0].key.label(), "I4");
        assert_eq!(diff.rows_removed.len(), 1);
        assert_eq!(diff.rows_removed[0].key.label(), "I3");
    }

    #[test]
    fn multi_column_keys_and_repeated_ids() {
        let old = parse("table,row,column,verdict\n7,5,status,match\n7,5,crisp,match\n").unwrap();
        let new =
            parse("table,row,column,verdict\n7,5,status,mismatch\n7,5,crisp,match\n").unwrap();
        let diff = diff_table("tables/audit.csv", &old, &new, 3);
        assert_eq!(diff.cells.len(), 1);
        assert_eq!(diff.cells[0].row.label(), "table 7, row 5, column status");
        assert!(diff.cells[0].decision);

        let old = parse("indicator,v\na,1\na,2\n").unwrap();
        let new = parse("indicator,v\na,1\na,3\n").unwrap();
        let diff = diff_table("x.csv", &old, &new, 3);
        assert_eq!(diff.cells.len(), 1);
        assert_eq!(diff.cells[0].row.label(), "a (#2)");

        let old = parse("count,study_value,result\naccepted,47,match\n").unwrap();
        let new = parse("count,study_value,result\naccepted,46,mismatch\n").unwrap();
        let diff = diff_table("tables/coding_counts_audit.csv", &old, &new, 3);
        assert_eq!(diff.cells[0].row.label(), "count accepted");
        assert_eq!(diff.cells[0].column, "result");
        assert!(diff.cells[0].decision);
    }

    #[test]
    fn cells_come_decisions_first_then_numbers_then_texts() {
        // SYNTHETIC audit lines: the reproduced status is a number-free text, not a decision column.
        let old = parse(
            "table,row,column,reproduced,verdict,detail\n\
             7,1,crisp,0.517,match,\n\
             7,1,status,accepted,match,\n",
        )
        .unwrap();
        let new = parse(
            "table,row,column,reproduced,verdict,detail\n\
             7,1,crisp,0.461,mismatch,far\n\
             7,1,status,rejected,mismatch,differs\n",
        )
        .unwrap();
        let diff = diff_table("tables/audit.csv", &old, &new, 3);
        let order: Vec<(String, &str, bool)> = diff
            .cells
            .iter()
            .map(|c| (c.row.columns[2].1.clone(), c.column.as_str(), c.decision))
            .collect();
        assert_eq!(
            order,
            vec![
                ("crisp".to_string(), "verdict", true),
                ("status".to_string(), "verdict", true),
                ("crisp".to_string(), "reproduced", false),
                ("crisp".to_string(), "detail", false),
                ("status".to_string(), "reproduced", false),
                ("status".to_string(), "detail", false),
            ]
        );
    }

    #[test]
    fn sensitivity_cells_are_decisions_and_new_columns_are_named() {
        let old = parse("indicator,crisp,0.5,0.55\nI1,0.52,accepted,rejected\n").unwrap();
        let new = parse("indicator,crisp,0.5,0.6\nI1,0.49,rejected,rejected\n").unwrap();
        let diff = diff_table("tables/sensitivity.csv", &old, &new, 3);
        assert_eq!(diff.columns_added, vec!["0.6"]);
        assert_eq!(diff.columns_removed, vec!["0.55"]);
        assert_eq!(diff.cells[0].column, "0.5");
        assert!(diff.cells[0].decision);
        assert_eq!(diff.cells[1].column, "crisp");
        assert!(!diff.cells[1].decision);
    }

    #[test]
    fn the_numbered_tables_rank_by_the_numbers_the_manifest_records() {
        // SYNTHETIC manifest of a study whose tables are 1 (counts) and 2 (screening).
        let manifest = br#"{"parameters": {"study_yaml": {"tables": {"counts": {"number": 1}, "screening": {"number": 2}}}}}"#;
        let numbered = NumberedTables::from_manifest(Some(manifest));
        assert_eq!(numbered.counts.as_deref(), Some("tables/table1.csv"));
        assert_eq!(numbered.screening.as_deref(), Some("tables/table2.csv"));
        let mut paths = vec![
            "tables/audit.csv",
            "tables/table1.csv",
            "tables/zzz.csv",
            "tables/sensitivity.csv",
            "tables/table2.csv",
        ];
        paths.sort_by_key(|p| table_rank(p, &numbered));
        assert_eq!(
            paths,
            [
                "tables/table2.csv",
                "tables/sensitivity.csv",
                "tables/table1.csv",
                "tables/audit.csv",
                "tables/zzz.csv"
            ]
        );
        // Without a manifest, no name is taken for the screening table.
        let unknown = NumberedTables::from_manifest(None);
        assert_eq!(table_rank("tables/table7.csv", &unknown), TABLE_ORDER.len());
    }
}
