//! The publication's qualitative tables, transcribed: study design (`phase,...,value_<code>`), a sample
//! of initial coding (`row,interviewee,narrative_<code>,...`) and concepts with their initial codes. Each
//! text has a column per report language (`ingest::names`); the optional `<code>_source` columns say
//! which language's texts are the publication's and which our translation. Lists of codes in one cell
//! are separated by `;`; the lists of the languages must have the same length. Every problem of a file
//! is reported in one error.

use crate::analysis::published::{DesignCell, InitialCodingRow, LinkBasis, PrintedConcept};
use crate::analysis::Indicator;
use crate::domain::{Lang, Names};
use crate::error::{InputError, Problems};
use crate::ingest::names;
use crate::ingest::table::CsvTable;

/// The columns of a transcribed table: `fixed` ones, a text column per language for each of
/// `texts`, and optionally the text columns of the table's other languages and `<code>_source`.
fn require_columns(
    table: &CsvTable,
    fixed: &[&str],
    texts: &[&str],
    langs: &[Lang],
) -> Result<(), InputError> {
    let sources: Vec<String> = Lang::all()
        .into_iter()
        .map(|l| format!("{}_source", l.code()))
        .collect();
    names::require_columns(table, fixed, texts, langs, &sources)
}

/// `paper` or `translation` in each language's optional `<code>_source` column.
fn check_sources(table: &CsvTable, problems: &mut Problems) -> Result<(), InputError> {
    let found = table.column_names();
    for lang in Lang::all() {
        let column = format!("{}_source", lang.code());
        if !found.contains(&column) {
            continue;
        }
        for (index, source) in table
            .texts(&column, "'paper' or 'translation'", problems)?
            .iter()
            .enumerate()
        {
            if !source.is_empty() && source != "paper" && source != "translation" {
                problems.push(table.at(
                    index + 1,
                    &column,
                    format!("expected 'paper' or 'translation', found '{source}'"),
                ));
            }
        }
    }
    Ok(())
}

fn row_numbers(table: &CsvTable, problems: &mut Problems) -> Result<Vec<usize>, InputError> {
    let texts = table.texts("row", "the printed row number", problems)?;
    Ok(texts
        .iter()
        .enumerate()
        .map(
            |(index, text)| match crate::ingest::table::parse_count(text) {
                Some(n) => n as usize,
                None => {
                    if !text.is_empty() {
                        problems.push(table.at(
                            index + 1,
                            "row",
                            format!("expected a whole number, found '{text}'"),
                        ));
                    }
                    0
                }
            },
        )
        .collect())
}

/// Splits the `;`-separated lists of `codes_<code>` in each language, which must pair up.
fn code_lists(
    table: &CsvTable,
    langs: &[Lang],
    problems: &mut Problems,
) -> Result<Vec<Vec<Names>>, InputError> {
    let texts = names::read(table, "codes", "codes, separated by ';'", langs, problems)?;
    let split =
        |text: &str| -> Vec<String> { text.split(';').map(|c| c.trim().to_string()).collect() };
    let mut lists = Vec::with_capacity(texts.len());
    for (index, row) in texts.iter().enumerate() {
        let per_language: Vec<(Lang, Vec<String>)> =
            row.iter().map(|(lang, text)| (lang, split(text))).collect();
        let lengths: Vec<usize> = per_language.iter().map(|(_, codes)| codes.len()).collect();
        let uneven = lengths.windows(2).any(|w| w[0] != w[1]);
        let empty = per_language
            .iter()
            .any(|(_, codes)| codes.iter().any(String::is_empty));
        if uneven || empty {
            let counts: Vec<String> = per_language
                .iter()
                .map(|(lang, codes)| format!("{} {} codes", codes.len(), lang.name()))
                .collect();
            let last = langs
                .last()
                .map_or("codes".to_string(), |l| names::column("codes", *l));
            problems.push(table.at(
                index + 1,
                &last,
                format!(
                    "{} (or an empty one); each code needs its text in every language",
                    counts.join(" but ")
                ),
            ));
            lists.push(Vec::new());
            continue;
        }
        let count = lengths.first().copied().unwrap_or(0);
        lists.push(
            (0..count)
                .map(|k| {
                    per_language
                        .iter()
                        .map(|(lang, codes)| (*lang, codes[k].clone()))
                        .collect()
                })
                .collect(),
        );
    }
    Ok(lists)
}

pub(crate) fn read_design(table: &CsvTable, langs: &[Lang]) -> Result<Vec<DesignCell>, InputError> {
    require_columns(
        table,
        &["phase", "field"],
        &["phase", "field", "value"],
        langs,
    )?;
    let mut problems = Problems::new();
    check_sources(table, &mut problems)?;
    let phase = table.texts("phase", "the phase id", &mut problems)?;
    let field = table.texts("field", "the field id", &mut problems)?;
    let phase_label = names::read(table, "phase", "phase", langs, &mut problems)?;
    let field_label = names::read(table, "field", "field", langs, &mut problems)?;
    let value = names::read(table, "value", "printed text", langs, &mut problems)?;
    let mut cells: Vec<DesignCell> = Vec::new();
    for i in 0..table.height() {
        if cells
            .iter()
            .any(|c| c.phase == phase[i] && c.field == field[i])
        {
            problems.push(table.at(
                i + 1,
                "field",
                format!("phase '{}' has field '{}' twice", phase[i], field[i]),
            ));
            continue;
        }
        cells.push(DesignCell {
            phase: phase[i].clone(),
            phase_label: phase_label[i].clone(),
            field: field[i].clone(),
            field_label: field_label[i].clone(),
            value: value[i].clone(),
        });
    }
    problems.into_result()?;
    Ok(cells)
}

pub(crate) fn read_initial_coding(
    table: &CsvTable,
    langs: &[Lang],
) -> Result<Vec<InitialCodingRow>, InputError> {
    require_columns(
        table,
        &["row", "interviewee"],
        &["narrative", "codes"],
        langs,
    )?;
    let mut problems = Problems::new();
    check_sources(table, &mut problems)?;
    let numbers = row_numbers(table, &mut problems)?;
    let interviewees = table.texts(
        "interviewee",
        "the interviewee's code (A1..)",
        &mut problems,
    )?;
    let narratives = names::read(table, "narrative", "narrative", langs, &mut problems)?;
    let codes = code_lists(table, langs, &mut problems)?;
    problems.into_result()?;
    Ok((0..table.height())
        .map(|i| InitialCodingRow {
            number: numbers[i],
            interviewee: interviewees[i].clone(),
            narrative: narratives[i].clone(),
            codes: codes[i].clone(),
        })
        .collect())
}

pub(crate) fn read_concepts(
    table: &CsvTable,
    indicators: &[Indicator],
    langs: &[Lang],
) -> Result<Vec<PrintedConcept>, InputError> {
    require_columns(
        table,
        &["row", "indicator", "link"],
        &["concept", "codes"],
        langs,
    )?;
    let mut problems = Problems::new();
    check_sources(table, &mut problems)?;
    let numbers = row_numbers(table, &mut problems)?;
    let concept = names::read(table, "concept", "concept", langs, &mut problems)?;
    let codes = code_lists(table, langs, &mut problems)?;
    let linked = table.optional_texts("indicator")?;
    let links = table.optional_texts("link")?;
    let mut concepts = Vec::with_capacity(table.height());
    for i in 0..table.height() {
        let at = |column: &str, message: String| table.at(i + 1, column, message);
        let indicator = match (linked[i].as_str(), links[i].as_str()) {
            ("", "") => None,
            (id, _) if !id.is_empty() && !indicators.iter().any(|x| x.id == id) => {
                problems.push(at("indicator", format!("unknown indicator id '{id}'")));
                None
            }
            (id, "same-name") if !id.is_empty() => Some((id.to_string(), LinkBasis::SameName)),
            (id, "judgment") if !id.is_empty() => Some((id.to_string(), LinkBasis::Judgment)),
            (_, other) => {
                problems.push(at(
                    "link",
                    format!(
                        "expected 'same-name' or 'judgment' with an indicator id, or both empty; found '{other}'"
                    ),
                ));
                None
            }
        };
        concepts.push(PrintedConcept {
            number: numbers[i],
            concept: concept[i].clone(),
            codes: codes[i].clone(),
            indicator,
        });
    }
    problems.into_result()?;
    Ok(concepts)
}
