//! Texts in the study's languages from CSV columns named `<field>_<code>` (`name_en`, `label_fa`): one
//! column per language the study lists, each cell required; the columns of the table's other languages
//! may be there too (a bilingual file serves a one-language study) and are not read. An optional
//! `<field>_<code>_source` column says where a language's text comes from (`paper` or `translation`).

use crate::domain::{Lang, Names};
use crate::error::{InputError, Problems};
use crate::ingest::table::CsvTable;

/// `<field>_<code>`.
pub(crate) fn column(field: &str, lang: Lang) -> String {
    format!("{field}_{}", lang.code())
}

/// Fails unless the header holds the `fixed` columns and, for each field of `texts`, a column per
/// report language, and no other column than the table's other languages' text columns and `extra`.
pub(crate) fn require_columns(
    table: &CsvTable,
    fixed: &[&str],
    texts: &[&str],
    langs: &[Lang],
    extra: &[String],
) -> Result<(), InputError> {
    let mut required: Vec<String> = fixed.iter().map(|c| c.to_string()).collect();
    let mut optional: Vec<String> = extra.to_vec();
    for field in texts {
        required.extend(langs.iter().map(|l| column(field, *l)));
        optional.extend(
            Lang::all()
                .into_iter()
                .filter(|l| !langs.contains(l))
                .map(|l| column(field, l)),
        );
    }
    table.require_known_columns(&required, &optional)
}

/// The `<field>_<code>_source` column of every language of the table.
pub(crate) fn source_columns(field: &str) -> Vec<String> {
    Lang::all()
        .into_iter()
        .map(|l| source_column(field, l))
        .collect()
}

/// `<field>_<code>_source`.
pub(crate) fn source_column(field: &str, lang: Lang) -> String {
    format!("{}_source", column(field, lang))
}

/// Each row's texts of `field` in the study's languages; an empty cell is a problem ("expected the
/// English name" for `what` = "name"), and its text stays empty.
pub(crate) fn read(
    table: &CsvTable,
    field: &str,
    what: &str,
    langs: &[Lang],
    problems: &mut Problems,
) -> Result<Vec<Names>, InputError> {
    let mut names = vec![Names::default(); table.height()];
    for lang in langs {
        let texts = table.texts(
            &column(field, *lang),
            &format!("the {} {what}", lang.name()),
            problems,
        )?;
        for (row, text) in names.iter_mut().zip(texts) {
            row.set(*lang, text);
        }
    }
    Ok(names)
}

/// The languages (of the study's) in which each row's `field` is a translation rather than the
/// publication's own words: `translation` in its `<field>_<code>_source` column. `extra` are further
/// values the column accepts (as not being translations), beside `paper`.
pub(crate) fn translated(
    table: &CsvTable,
    field: &str,
    langs: &[Lang],
    extra: &[&str],
    problems: &mut Problems,
) -> Result<Vec<Vec<Lang>>, InputError> {
    let mut translated = vec![Vec::new(); table.height()];
    let names = table.column_names();
    for lang in langs {
        let column = source_column(field, *lang);
        if !names.contains(&column) {
            continue;
        }
        let mut accepted = vec!["paper", "translation"];
        accepted.extend_from_slice(extra);
        let expected = quoted_list(&accepted);
        for (index, value) in table.optional_texts(&column)?.iter().enumerate() {
            match value.as_str() {
                "translation" => translated[index].push(*lang),
                "" => {}
                other if accepted.contains(&other) => {}
                other => {
                    problems.push(table.at(
                        index + 1,
                        &column,
                        format!("expected {expected}, found '{other}'"),
                    ));
                }
            }
        }
    }
    Ok(translated)
}

/// `'a', 'b' or 'c'`.
fn quoted_list(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_columns_and_lists_of_accepted_values() {
        assert_eq!(source_columns("name"), ["name_en_source", "name_fa_source"]);
        assert_eq!(
            quoted_list(&["paper", "translation", "coded"]),
            "'paper', 'translation' or 'coded'"
        );
        assert_eq!(
            quoted_list(&["paper", "translation"]),
            "'paper' or 'translation'"
        );
    }
}
