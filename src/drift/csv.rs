//! Reading the report's own CSV tables back: RFC 4180 records as `report::tables` writes them.

/// A CSV table: its header and its records, every field as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Csv {
    pub(crate) header: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
}

/// Parses `text` (comma-separated, fields quoted with `"` when they hold a comma, quote or line break,
/// records ending in `\n` or `\r\n`). The error names the record (1 = header) where parsing stopped.
pub(crate) fn parse(text: &str) -> Result<Csv, String> {
    let mut records: Vec<Vec<String>> = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    // Whether the current record has any content yet (a field, or a separator).
    let mut started = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    quoted = false;
                    match chars.peek() {
                        None | Some(',') | Some('\n') | Some('\r') => {}
                        Some(other) => {
                            return Err(format!(
                                "record {}: '{other}' after a closing quote",
                                records.len() + 1
                            ))
                        }
                    }
                }
                other => field.push(other),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => {
                quoted = true;
                started = true;
            }
            '"' => {
                return Err(format!(
                    "record {}: a quote inside an unquoted field",
                    records.len() + 1
                ))
            }
            ',' => {
                record.push(std::mem::take(&mut field));
                started = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                started = false;
            }
            other => {
                field.push(other);
                started = true;
            }
        }
    }
    if quoted {
        return Err(format!(
            "record {}: a quoted field is not closed",
            records.len() + 1
        ));
    }
    if started {
        record.push(field);
        records.push(record);
    }
    let mut records = records.into_iter();
    let header = records.next().ok_or("the file is empty")?;
    let rows: Vec<Vec<String>> = records.collect();
    for (index, row) in rows.iter().enumerate() {
        if row.len() != header.len() {
            return Err(format!(
                "record {}: {} fields, the header has {}",
                index + 2,
                row.len(),
                header.len()
            ));
        }
    }
    Ok(Csv { header, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_keep_commas_quotes_and_line_breaks() {
        let csv = parse("a,b,c\n1,\"x, \"\"y\"\"\",\"two\nlines\"\r\n2,,\n").unwrap();
        assert_eq!(csv.header, vec!["a", "b", "c"]);
        assert_eq!(
            csv.rows,
            vec![
                vec!["1".to_string(), "x, \"y\"".into(), "two\nlines".into()],
                vec!["2".to_string(), String::new(), String::new()],
            ]
        );
    }

    #[test]
    fn a_last_record_without_line_break_is_read() {
        assert_eq!(parse("a\n1").unwrap().rows, vec![vec!["1".to_string()]]);
    }

    #[test]
    fn malformed_tables_are_errors_naming_the_record() {
        assert_eq!(
            parse("a,b\n1\n").unwrap_err(),
            "record 2: 1 fields, the header has 2"
        );
        assert_eq!(
            parse("a\n\"open\n").unwrap_err(),
            "record 2: a quoted field is not closed"
        );
        assert_eq!(
            parse("a\nx\"y\n").unwrap_err(),
            "record 2: a quote inside an unquoted field"
        );
        assert_eq!(parse("").unwrap_err(), "the file is empty");
    }
}
