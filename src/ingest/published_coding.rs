//! The publication's qualitative tables, transcribed: study design (`phase,...,value_en`), a sample of
//! initial coding (`row,interviewee,narrative_fa,...`) and concepts with their initial codes. Lists of codes
//! in one cell are separated by `;`; the Persian and English lists must have the same length.

use crate::analysis::published::{DesignCell, InitialCodingRow, LinkBasis, PrintedConcept};
use crate::analysis::Indicator;
use crate::domain::Bilingual;
use crate::error::InputError;
use crate::ingest::table::CsvTable;

/// `translation` for every English text we wrote; `paper` where the publication prints the English.
fn check_en_source(table: &CsvTable) -> Result<(), InputError> {
    for (index, source) in table
        .required_texts("en_source", "'paper' or 'translation'")?
        .iter()
        .enumerate()
    {
        if source != "paper" && source != "translation" {
            return Err(table.at(
                index + 1,
                "en_source",
                format!("expected 'paper' or 'translation', found '{source}'"),
            ));
        }
    }
    Ok(())
}

fn row_numbers(table: &CsvTable) -> Result<Vec<usize>, InputError> {
    table
        .required_texts("row", "the printed row number")?
        .iter()
        .enumerate()
        .map(|(index, text)| {
            crate::ingest::table::parse_count(text)
                .map(|n| n as usize)
                .ok_or_else(|| {
                    table.at(
                        index + 1,
                        "row",
                        format!("expected a whole number, found '{text}'"),
                    )
                })
        })
        .collect()
}

/// Splits `;`-separated lists in both languages, which must pair up.
fn code_lists(table: &CsvTable) -> Result<Vec<Vec<Bilingual>>, InputError> {
    let fa = table.required_texts("codes_fa", "the printed codes, separated by ';'")?;
    let en = table.required_texts("codes_en", "the translated codes, separated by ';'")?;
    let split =
        |text: &str| -> Vec<String> { text.split(';').map(|c| c.trim().to_string()).collect() };
    (0..fa.len())
        .map(|index| {
            let (fa, en) = (split(&fa[index]), split(&en[index]));
            if fa.len() != en.len() || fa.iter().chain(&en).any(String::is_empty) {
                return Err(table.at(index + 1,
                    "codes_en",
                    format!(
                        "{} Persian codes but {} English ones (or an empty one); each code needs its translation",
                        fa.len(),
                        en.len()
                    ),
                ));
            }
            Ok(fa
                .into_iter()
                .zip(en)
                .map(|(fa, en)| Bilingual { en, fa })
                .collect())
        })
        .collect()
}

pub(crate) fn read_design(table: &CsvTable) -> Result<Vec<DesignCell>, InputError> {
    table.require_exact_columns(&[
        "phase",
        "phase_fa",
        "phase_en",
        "field",
        "field_fa",
        "field_en",
        "value_fa",
        "value_en",
        "en_source",
    ])?;
    check_en_source(table)?;
    let column = |name: &str| table.required_texts(name, "the printed text");
    let (phase, phase_fa, phase_en) = (column("phase")?, column("phase_fa")?, column("phase_en")?);
    let (field, field_fa, field_en) = (column("field")?, column("field_fa")?, column("field_en")?);
    let (value_fa, value_en) = (column("value_fa")?, column("value_en")?);
    let mut cells: Vec<DesignCell> = Vec::new();
    for i in 0..table.height() {
        if cells
            .iter()
            .any(|c| c.phase == phase[i] && c.field == field[i])
        {
            return Err(table.at(
                i + 1,
                "field",
                format!("phase '{}' has field '{}' twice", phase[i], field[i]),
            ));
        }
        cells.push(DesignCell {
            phase: phase[i].clone(),
            phase_label: Bilingual {
                en: phase_en[i].clone(),
                fa: phase_fa[i].clone(),
            },
            field: field[i].clone(),
            field_label: Bilingual {
                en: field_en[i].clone(),
                fa: field_fa[i].clone(),
            },
            value: Bilingual {
                en: value_en[i].clone(),
                fa: value_fa[i].clone(),
            },
        });
    }
    Ok(cells)
}

pub(crate) fn read_initial_coding(table: &CsvTable) -> Result<Vec<InitialCodingRow>, InputError> {
    table.require_exact_columns(&[
        "row",
        "interviewee",
        "narrative_fa",
        "narrative_en",
        "codes_fa",
        "codes_en",
        "en_source",
    ])?;
    check_en_source(table)?;
    let numbers = row_numbers(table)?;
    let interviewees = table.required_texts("interviewee", "the interviewee's code (A1..)")?;
    let narrative_fa = table.required_texts("narrative_fa", "the printed narrative")?;
    let narrative_en = table.required_texts("narrative_en", "its translation")?;
    let codes = code_lists(table)?;
    Ok((0..table.height())
        .map(|i| InitialCodingRow {
            number: numbers[i],
            interviewee: interviewees[i].clone(),
            narrative: Bilingual {
                en: narrative_en[i].clone(),
                fa: narrative_fa[i].clone(),
            },
            codes: codes[i].clone(),
        })
        .collect())
}

pub(crate) fn read_concepts(
    table: &CsvTable,
    indicators: &[Indicator],
) -> Result<Vec<PrintedConcept>, InputError> {
    table.require_exact_columns(&[
        "row",
        "concept_fa",
        "concept_en",
        "codes_fa",
        "codes_en",
        "indicator",
        "link",
        "en_source",
    ])?;
    check_en_source(table)?;
    let numbers = row_numbers(table)?;
    let concept_fa = table.required_texts("concept_fa", "the printed concept")?;
    let concept_en = table.required_texts("concept_en", "its translation")?;
    let codes = code_lists(table)?;
    let linked = table.optional_texts("indicator")?;
    let links = table.optional_texts("link")?;
    let mut concepts = Vec::with_capacity(table.height());
    for i in 0..table.height() {
        let at = |column: &str, message: String| table.at(i + 1, column, message);
        let indicator = match (linked[i].as_str(), links[i].as_str()) {
            ("", "") => None,
            (id, _) if !id.is_empty() && !indicators.iter().any(|x| x.id == id) => {
                return Err(at("indicator", format!("unknown indicator id '{id}'")))
            }
            (id, "same-name") if !id.is_empty() => Some((id.to_string(), LinkBasis::SameName)),
            (id, "judgment") if !id.is_empty() => Some((id.to_string(), LinkBasis::Judgment)),
            (_, other) => {
                return Err(at(
                    "link",
                    format!(
                        "expected 'same-name' or 'judgment' with an indicator id, or both empty; found '{other}'"
                    ),
                ))
            }
        };
        concepts.push(PrintedConcept {
            number: numbers[i],
            concept: Bilingual {
                en: concept_en[i].clone(),
                fa: concept_fa[i].clone(),
            },
            codes: codes[i].clone(),
            indicator,
        });
    }
    Ok(concepts)
}
