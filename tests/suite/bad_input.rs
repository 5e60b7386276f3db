//! The bad-input corpus: each case breaks a copy of the reference study (or writes a small SYNTHETIC file)
//! and checks the documented exit code, a message naming the file (row and column where they apply), no
//! panic, and a previous report folder left byte-for-byte as it was. Accepted cases must build.

use crate::common;

use std::fs;
use std::io::{Cursor, Write};
use std::path::Path;

use common::{copy_reference_study, run};

const COUNTS: &str = "table6_published.csv";
const LONG: &str = "ratings_long.csv";

fn edit(dir: &Path, file: &str, change: impl Fn(String) -> String) {
    common::edit_file(&dir.join(file), change);
}

fn replace(dir: &Path, file: &str, from: &str, to: &str) {
    common::replace_once(&dir.join(file), from, to);
}

fn set_bytes(dir: &Path, file: &str, bytes: &[u8]) {
    fs::write(dir.join(file), bytes).unwrap();
}

/// Switches the study to long-shape ratings: a SYNTHETIC `expert,indicator,rating` file that expands the
/// published Table 6 counts (expert E01 takes the lowest level given, and so on), so the study still builds.
fn use_long_ratings(dir: &Path) {
    let counts = fs::read_to_string(dir.join(COUNTS)).unwrap();
    let mut long = String::from("expert,indicator,rating\n");
    for line in counts.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let mut expert = 0;
        for (level, count) in cells[1..].iter().enumerate() {
            for _ in 0..count.parse::<usize>().unwrap() {
                expert += 1;
                long.push_str(&format!("E{expert:02},{},{}\n", cells[0], level + 1));
            }
        }
    }
    fs::write(dir.join(LONG), long).unwrap();
    replace(
        dir,
        "study.yaml",
        "ratings: {shape: counts, path: table6_published.csv}",
        "ratings: {shape: long, path: ratings_long.csv}",
    );
}

/// Points the study's coding section at `interviews.qdpx` holding `archive`, with the fixture codebook.
fn use_qdpx(dir: &Path, archive: Vec<u8>) {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/qda");
    fs::copy(fixtures.join("codebook.csv"), dir.join("codebook.csv")).unwrap();
    fs::write(dir.join("interviews.qdpx"), archive).unwrap();
    replace(
        dir,
        "study.yaml",
        "coding:\n",
        "coding:\n  segments: {format: qdpx, path: interviews.qdpx}\n  codebook: codebook.csv\n",
    );
}

fn zip_of(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// Switches the study to the SYNTHETIC survey export of `common::survey_export_rows`, each answer row
/// (respondent 1..15) passed through `edit_rows` first.
fn use_survey(dir: &Path, edit_rows: impl Fn(usize, &mut Vec<String>)) {
    let mut csv = String::new();
    for (r, mut row) in common::survey_export_rows().into_iter().enumerate() {
        if r > 0 {
            edit_rows(r, &mut row);
        }
        csv.push_str(&row.join(","));
        csv.push('\n');
    }
    fs::write(dir.join("export.csv"), csv).unwrap();
    common::use_survey_export(dir, "export.csv");
}

enum Expect {
    /// The build fails with `code` and stderr contains every fragment.
    Fails(i32, &'static [&'static str]),
    /// The build succeeds (the input is messy but has one sensible reading).
    Builds,
    /// The build succeeds and the report file (first) contains the text (second): a documented flag.
    BuildsFlagging(&'static str, &'static str),
}
use Expect::{Builds, BuildsFlagging, Fails};

struct Case {
    name: &'static str,
    break_study: fn(&Path),
    expect: Expect,
}

fn cases() -> Vec<Case> {
    vec![
        // Empty files and headers only.
        Case {
            name: "empty_counts_file",
            break_study: |d| set_bytes(d, COUNTS, b""),
            expect: Fails(3, &[COUNTS]),
        },
        Case {
            name: "counts_header_only",
            break_study: |d| {
                set_bytes(d, COUNTS, b"indicator,very_low,low,medium,high,very_high\n")
            },
            expect: Fails(3, &[COUNTS]),
        },
        Case {
            name: "empty_indicators_file",
            break_study: |d| set_bytes(d, "indicators.csv", b""),
            expect: Fails(3, &["indicators.csv"]),
        },
        Case {
            name: "empty_components_file",
            break_study: |d| set_bytes(d, "components.csv", b""),
            expect: Fails(3, &["components.csv"]),
        },
        Case {
            name: "empty_study_yaml",
            break_study: |d| set_bytes(d, "study.yaml", b""),
            expect: Fails(3, &["study.yaml"]),
        },
        Case {
            name: "empty_long_ratings",
            break_study: |d| {
                use_long_ratings(d);
                set_bytes(d, LONG, b"")
            },
            expect: Fails(3, &[LONG]),
        },
        // Missing, duplicate and misspelled columns.
        Case {
            name: "counts_missing_level_column",
            break_study: |d| {
                edit(d, COUNTS, |t| {
                    t.lines()
                        .map(|l| l.rsplit_once(',').unwrap().0.to_string() + "\n")
                        .collect()
                })
            },
            expect: Fails(3, &[COUNTS, "column 'very_high': missing column"]),
        },
        Case {
            name: "counts_misspelled_level_column",
            break_study: |d| replace(d, COUNTS, "very_high", "very_hihg"),
            expect: Fails(3, &[COUNTS, "column 'very_high': missing column; the header has"]),
        },
        Case {
            name: "counts_duplicate_column",
            break_study: |d| replace(d, COUNTS, "medium,high", "high,high"),
            expect: Fails(3, &[COUNTS, "column 'high': the header names this column more than once"]),
        },
        Case {
            name: "counts_missing_indicator_column",
            break_study: |d| replace(d, COUNTS, "indicator,", "item,"),
            expect: Fails(3, &[COUNTS, "indicator"]),
        },
        Case {
            name: "indicators_misspelled_component_column",
            break_study: |d| replace(d, "indicators.csv", "id,component,", "id,componnet,"),
            expect: Fails(3, &["indicators.csv, column 'component': missing column"]),
        },
        Case {
            name: "indicators_duplicate_column",
            break_study: |d| {
                replace(
                    d,
                    "indicators.csv",
                    "name_en,name_en_source",
                    "name_en,name_en",
                )
            },
            expect: Fails(3, &["indicators.csv, column 'name_en': the header names this column more than once"]),
        },
        Case {
            name: "components_missing_id_column",
            break_study: |d| replace(d, "components.csv", "id,name_fa", "key,name_fa"),
            expect: Fails(3, &["components.csv", "id"]),
        },
        Case {
            name: "long_missing_rating_column",
            break_study: |d| {
                use_long_ratings(d);
                replace(d, LONG, "expert,indicator,rating", "expert,indicator,score")
            },
            expect: Fails(3, &[LONG, "rating"]),
        },
        Case {
            name: "long_duplicate_column",
            break_study: |d| {
                use_long_ratings(d);
                replace(d, LONG, "expert,indicator,rating", "expert,expert,rating")
            },
            expect: Fails(3, &[LONG, "column 'expert': the header names this column more than once"]),
        },
        // Wrong delimiter.
        Case {
            name: "counts_semicolon_delimiter",
            break_study: |d| edit(d, COUNTS, |t| t.replace(',', ";")),
            expect: Fails(3, &[COUNTS, "the file is separated by semicolons, not commas; save it as comma-separated CSV"]),
        },
        Case {
            name: "indicators_tab_delimiter",
            break_study: |d| edit(d, "indicators.csv", |t| t.replace(',', "\t")),
            expect: Fails(3, &["indicators.csv", "the file is separated by tabs, not commas"]),
        },
        Case {
            name: "long_semicolon_delimiter",
            break_study: |d| {
                use_long_ratings(d);
                edit(d, LONG, |t| t.replace(',', ";"))
            },
            expect: Fails(3, &[LONG, "the file is separated by semicolons, not commas"]),
        },
        // BOM and CRLF: accepted.
        Case {
            name: "counts_with_bom",
            break_study: |d| edit(d, COUNTS, |t| format!("\u{feff}{t}")),
            expect: Builds,
        },
        Case {
            name: "counts_with_crlf",
            break_study: |d| edit(d, COUNTS, |t| t.replace('\n', "\r\n")),
            expect: Builds,
        },
        Case {
            name: "indicators_with_bom_and_crlf",
            break_study: |d| {
                edit(d, "indicators.csv", |t| {
                    format!("\u{feff}{}", t.replace('\n', "\r\n"))
                })
            },
            expect: Builds,
        },
        Case {
            name: "study_yaml_with_bom_and_crlf",
            break_study: |d| {
                edit(d, "study.yaml", |t| {
                    format!("\u{feff}{}", t.replace('\n', "\r\n"))
                })
            },
            expect: Builds,
        },
        Case {
            name: "long_with_bom_and_crlf",
            break_study: |d| {
                use_long_ratings(d);
                edit(d, LONG, |t| format!("\u{feff}{}", t.replace('\n', "\r\n")))
            },
            expect: Builds,
        },
        // Invalid UTF-8.
        Case {
            name: "indicators_invalid_utf8",
            break_study: |d| {
                let mut b = fs::read(d.join("indicators.csv")).unwrap();
                let at = b.len() - 5;
                b[at] = 0xff;
                set_bytes(d, "indicators.csv", &b)
            },
            expect: Fails(3, &["indicators.csv"]),
        },
        Case {
            name: "counts_invalid_utf8",
            break_study: |d| {
                let mut b = fs::read(d.join(COUNTS)).unwrap();
                b.extend_from_slice(b"I\xff\xfe,0,0,0,0,1\n");
                set_bytes(d, COUNTS, &b)
            },
            expect: Fails(3, &[COUNTS]),
        },
        Case {
            name: "study_yaml_invalid_utf8",
            break_study: |d| {
                let mut b = fs::read(d.join("study.yaml")).unwrap();
                b.extend_from_slice(b"# \xc3\x28\n");
                set_bytes(d, "study.yaml", &b)
            },
            expect: Fails(3, &["study.yaml: line 90: the file is not valid UTF-8 text"]),
        },
        // Ratings outside the scale or not whole numbers.
        Case {
            name: "counts_negative",
            break_study: |d| replace(d, COUNTS, "I03,0,0,1,5,9", "I03,0,0,-1,5,9"),
            expect: Fails(3, &[COUNTS, "row 3", "column 'medium'", "expected"]),
        },
        Case {
            name: "counts_fraction",
            break_study: |d| replace(d, COUNTS, "I03,0,0,1,5,9", "I03,0,0,1.5,5,9"),
            expect: Fails(3, &[COUNTS, "row 3", "column 'medium'", "expected"]),
        },
        Case {
            name: "counts_empty_cell",
            break_study: |d| replace(d, COUNTS, "I03,0,0,1,5,9", "I03,0,0,,5,9"),
            expect: Fails(3, &[COUNTS, "row 3", "column 'medium'"]),
        },
        Case {
            name: "counts_too_many_cells",
            break_study: |d| replace(d, COUNTS, "I03,0,0,1,5,9", "I03,0,0,1,5,9,4"),
            expect: Fails(3, &[COUNTS, "row 3 (line 4): expected 6 fields as in the header, found 7"]),
        },
        Case {
            name: "long_rating_above_scale",
            break_study: |d| {
                use_long_ratings(d);
                edit(d, LONG, |t| t.replacen(",I01,1\n", ",I01,6\n", 1))
            },
            expect: Fails(3, &[LONG, "column 'rating'", "expected"]),
        },
        Case {
            name: "long_rating_zero",
            break_study: |d| {
                use_long_ratings(d);
                edit(d, LONG, |t| t.replacen(",I01,1\n", ",I01,0\n", 1))
            },
            expect: Fails(3, &[LONG, "column 'rating'", "expected"]),
        },
        Case {
            name: "long_rating_fraction",
            break_study: |d| {
                use_long_ratings(d);
                edit(d, LONG, |t| t.replacen(",I01,1\n", ",I01,2.5\n", 1))
            },
            expect: Fails(3, &[LONG, "column 'rating'", "expected"]),
        },
        Case {
            name: "long_rating_text",
            break_study: |d| {
                use_long_ratings(d);
                edit(d, LONG, |t| t.replacen(",I01,1\n", ",I01,hihg\n", 1))
            },
            expect: Fails(3, &[LONG, "column 'rating'", "expected"]),
        },
        // Persian and Arabic-Indic digits: accepted as numbers.
        Case {
            name: "counts_persian_digits",
            break_study: |d| replace(d, COUNTS, "I03,0,0,1,5,9", "I03,۰,۰,۱,۵,۹"),
            expect: Builds,
        },
        Case {
            name: "counts_arabic_indic_digits",
            break_study: |d| replace(d, COUNTS, "I03,0,0,1,5,9", "I03,٠,٠,١,٥,٩"),
            expect: Builds,
        },
        Case {
            name: "long_persian_digits",
            break_study: |d| {
                use_long_ratings(d);
                edit(d, LONG, |t| t.replace(",5\n", ",۵\n"))
            },
            expect: Builds,
        },
        // Duplicates, unknown ids, panel sizes.
        Case {
            name: "counts_duplicate_indicator_row",
            break_study: |d| edit(d, COUNTS, |t| t + "I03,0,0,1,5,9\n"),
            expect: Fails(3, &[COUNTS, "row 49 (line 50), column 'indicator': indicator 'I03' already has a row (row 3)"]),
        },
        Case {
            name: "counts_unknown_indicator",
            break_study: |d| replace(d, COUNTS, "I03,0,0,1,5,9", "I99,0,0,1,5,9"),
            expect: Fails(3, &[COUNTS, "row 3 (line 4), column 'indicator': unknown indicator id 'I99'"]),
        },
        Case {
            name: "counts_more_experts_than_the_panel",
            break_study: |d| replace(d, COUNTS, "I03,0,0,1,5,9", "I03,0,0,1,5,19"),
            // Documented: computed from what the row has, and flagged.
            expect: BuildsFlagging("tables/audit.csv", "6,3,responses,25,15,mismatch,\"The printed counts add up to 25 responses, not the panel's 15"),
        },
        Case {
            name: "long_duplicate_expert_indicator_pair",
            break_study: |d| {
                use_long_ratings(d);
                edit(d, LONG, |t| t + "E01,I01,3\n")
            },
            expect: Fails(3, &[LONG, "row 714 (line 715), column 'indicator': expert 'E01' rated indicator 'I01' twice"]),
        },
        Case {
            name: "long_unknown_indicator",
            break_study: |d| {
                use_long_ratings(d);
                edit(d, LONG, |t| t + "E01,I99,3\n")
            },
            expect: Fails(3, &[LONG, "row 714 (line 715), column 'indicator': unknown indicator id 'I99'"]),
        },
        Case {
            name: "long_more_experts_than_the_panel",
            break_study: |d| {
                use_long_ratings(d);
                edit(d, LONG, |t| {
                    t + &(16..=25)
                        .map(|e| format!("E{e},I01,3\n"))
                        .collect::<String>()
                })
            },
            // Documented: computed from what it has, and flagged.
            expect: BuildsFlagging("tables/table6.csv", "I01,networking,1,1,10,3,3,18"),
        },
        Case {
            name: "indicators_duplicate_id",
            break_study: |d| {
                edit(d, "indicators.csv", |t| {
                    let second = t.lines().nth(1).unwrap().to_string();
                    t + &second + "\n"
                })
            },
            expect: Fails(3, &["indicators.csv: row 49 (line 50), column 'id': id 'I01' appears twice"]),
        },
        Case {
            name: "indicators_unknown_component",
            break_study: |d| replace(d, "indicators.csv", "I01,networking,", "I01,netwroking,"),
            expect: Fails(3, &["indicators.csv: row 1 (line 2), column 'component': unknown component id 'netwroking'"]),
        },
        Case {
            name: "yaml_panel_size_zero",
            break_study: |d| replace(d, "study.yaml", "delphi_experts: 15", "delphi_experts: 0"),
            expect: Fails(3, &["study.yaml"]),
        },
        Case {
            name: "yaml_panel_size_text",
            break_study: |d| {
                replace(
                    d,
                    "study.yaml",
                    "delphi_experts: 15",
                    "delphi_experts: fifteen",
                )
            },
            expect: Fails(3, &["study.yaml", "line"]),
        },
        // YAML syntax errors and unknown keys.
        Case {
            name: "yaml_unclosed_bracket",
            break_study: |d| replace(d, "study.yaml", "tfn: [0, 0, 0.25]", "tfn: [0, 0, 0.25"),
            expect: Fails(3, &["study.yaml", "line"]),
        },
        Case {
            name: "yaml_tab_indentation",
            break_study: |d| replace(d, "study.yaml", "  aggregation:", "\taggregation:"),
            expect: Fails(3, &["study.yaml", "line"]),
        },
        Case {
            name: "yaml_unknown_top_level_key",
            break_study: |d| edit(d, "study.yaml", |t| t + "colour: red\n"),
            expect: Fails(3, &["study.yaml: line 90: unknown field `colour`"]),
        },
        Case {
            name: "yaml_misspelled_nested_key",
            break_study: |d| replace(d, "study.yaml", "  threshold: 0.5", "  thresold: 0.5"),
            expect: Fails(3, &["study.yaml: line 42: method: unknown field `thresold`, expected one of"]),
        },
        Case {
            name: "yaml_threshold_text",
            break_study: |d| replace(d, "study.yaml", "  threshold: 0.5", "  threshold: half"),
            expect: Fails(3, &["study.yaml", "threshold"]),
        },
        Case {
            name: "yaml_tfn_out_of_order",
            break_study: |d| {
                replace(
                    d,
                    "study.yaml",
                    "tfn: [0.25, 0.5, 0.75]",
                    "tfn: [0.75, 0.5, 0.25]",
                )
            },
            expect: Fails(3, &["study.yaml"]),
        },
        Case {
            name: "yaml_duplicate_key",
            break_study: |d| edit(d, "study.yaml", |t| t + "id: again\n"),
            expect: Fails(3, &["study.yaml"]),
        },
        // Paths that leave the study folder or do not exist.
        Case {
            name: "path_parent_folder",
            break_study: |d| {
                replace(
                    d,
                    "study.yaml",
                    "components: components.csv",
                    "components: ../components.csv",
                )
            },
            expect: Fails(3, &["study.yaml, key 'data.components': '../components.csv' must be a relative path inside the study folder"]),
        },
        Case {
            name: "path_absolute",
            break_study: |d| {
                replace(
                    d,
                    "study.yaml",
                    "indicators: indicators.csv",
                    "indicators: /etc/passwd",
                )
            },
            expect: Fails(3, &["/etc/passwd"]),
        },
        Case {
            name: "path_missing_file",
            break_study: |d| {
                replace(
                    d,
                    "study.yaml",
                    "components: components.csv",
                    "components: nosuch.csv",
                )
            },
            expect: Fails(3, &["nosuch.csv"]),
        },
        Case {
            name: "path_is_a_folder",
            break_study: |d| {
                fs::create_dir(d.join("folder.csv")).unwrap();
                replace(
                    d,
                    "study.yaml",
                    "components: components.csv",
                    "components: folder.csv",
                )
            },
            expect: Fails(3, &["folder.csv"]),
        },
        // Very long lines.
        Case {
            name: "counts_very_long_indicator_id",
            break_study: |d| edit(d, COUNTS, |t| t + &"X".repeat(2_000_000) + ",0,0,0,0,1\n"),
            expect: Fails(3, &[COUNTS, "row 49 (line 50), column 'indicator': unknown indicator id"]),
        },
        Case {
            name: "long_very_long_line",
            break_study: |d| {
                use_long_ratings(d);
                edit(d, LONG, |t| t + "E01,I01," + &"9".repeat(2_000_000) + "\n")
            },
            expect: Fails(3, &[LONG, "column 'rating'"]),
        },
        Case {
            name: "yaml_very_long_title",
            break_study: |d| {
                replace(
                    d,
                    "study.yaml",
                    "en: Components that precede",
                    &format!("en: {} Components that precede", "x".repeat(1_000_000)),
                )
            },
            expect: Builds,
        },
        // QDA archives, built here.
        Case {
            name: "qdpx_not_a_zip",
            break_study: |d| use_qdpx(d, b"not a zip archive".to_vec()),
            expect: Fails(3, &["interviews.qdpx"]),
        },
        Case {
            name: "qdpx_zip_bomb",
            break_study: |d| {
                // 70 MiB of XML deflated to about 70 KiB: above the 64 MiB a single entry may inflate to.
                let mut xml = b"<Project name=\"p\">".to_vec();
                xml.resize(70 * 1024 * 1024, b' ');
                xml.extend_from_slice(b"</Project>");
                use_qdpx(d, zip_of(&[("project.qde", &xml)], zip::CompressionMethod::Deflated))
            },
            expect: Fails(3, &["interviews.qdpx: entry 'project.qde' inflates past the limit"]),
        },
        Case {
            name: "qdpx_path_traversal",
            break_study: |d| {
                use_qdpx(
                    d,
                    zip_of(
                        &[
                            ("project.qde", b"<Project name=\"p\"/>"),
                            ("sources/../../outside.txt", b"x"),
                        ],
                        zip::CompressionMethod::Stored,
                    ),
                )
            },
            expect: Fails(3, &["interviews.qdpx: entry 'sources/../../outside.txt' has a name that points outside the archive"]),
        },
        Case {
            name: "qdpx_entity_expansion",
            break_study: |d| {
                use_qdpx(d, zip_of(&[("project.qde", b"<?xml version=\"1.0\"?><!DOCTYPE Project [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><Project name=\"&c;\"/>")], zip::CompressionMethod::Stored))
            },
            expect: Fails(3, &["interviews.qdpx"]),
        },
        Case {
            name: "qdpx_without_project_xml",
            break_study: |d| {
                use_qdpx(
                    d,
                    zip_of(&[("sources/a.txt", b"x")], zip::CompressionMethod::Stored),
                )
            },
            expect: Fails(3, &["interviews.qdpx"]),
        },
        // Issue 20: the new coding keys are validated and named; a project whose texts are missing
        // is refused by default and names the key that accepts it.
        Case {
            name: "coding_hierarchy_separator_empty",
            break_study: |d| {
                replace(d, "study.yaml", "coding:\n", "coding:\n  hierarchy_separator: \" \"\n")
            },
            expect: Fails(3, &["study.yaml", "coding.hierarchy_separator", "empty"]),
        },
        Case {
            name: "coding_texts_optional_on_a_csv",
            break_study: |d| {
                fs::copy(
                    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/qda/segments.csv"),
                    d.join("segments.csv"),
                )
                .unwrap();
                replace(
                    d,
                    "study.yaml",
                    "coding:\n",
                    "coding:\n  segments: {format: project-csv, path: segments.csv, texts: optional}\n",
                )
            },
            expect: Fails(3, &["study.yaml", "coding.segments.texts"]),
        },
        Case {
            name: "coding_texts_misspelt",
            break_study: |d| {
                replace(
                    d,
                    "study.yaml",
                    "coding:\n",
                    "coding:\n  segments: {format: qdpx, path: interviews.qdpx, texts: optinal}\n",
                )
            },
            expect: Fails(3, &["study.yaml", "texts", "optinal"]),
        },
        Case {
            name: "qdpx_source_text_missing",
            break_study: |d| {
                use_qdpx(
                    d,
                    zip_of(
                        &[(
                            "project.qde",
                            b"<Project name=\"p\"><Sources><TextSource guid=\"s\" name=\"S1\" plainTextPath=\"internal://s.txt\"/></Sources></Project>",
                        )],
                        zip::CompressionMethod::Stored,
                    ),
                )
            },
            expect: Fails(3, &["interviews.qdpx", "no entry sources/s.txt", "coding.segments.texts: optional"]),
        },
        // Issue 13: a survey export with several problems reports them all in one run (up to 20).
        Case {
            name: "survey_several_bad_answers",
            break_study: |d| {
                use_survey(d, |r, row| {
                    if r % 3 == 0 {
                        row[2] = "Rather high".to_string();
                    }
                })
            },
            expect: Fails(3, &["5 problems in", "export.csv: row 3 (line 4), column 'Q2?'", "export.csv: row 15 (line 16), column 'Q2?'", "found 'Rather high'"]),
        },
        Case {
            name: "survey_more_than_twenty_problems",
            break_study: |d| {
                use_survey(d, |_, row| {
                    row[5] = "x".to_string();
                    row[6] = "y".to_string();
                })
            },
            expect: Fails(3, &["30 problems in", "the first 20 listed", "... and 10 more"]),
        },
        Case {
            name: "survey_unmapped_columns_and_a_misspelt_key",
            break_study: |d| {
                use_survey(d, |_, row| row.push("extra".to_string()));
                edit(d, "export.csv", |t| t.replacen("Q48?", "Q48?,Comments", 1).replacen(",Q7?,", ",Q 7 ?,", 1));
                replace(d, "study.yaml", "\"Q9?\": I09", "\"Q9!\": I09");
            },
            expect: Fails(3, &["column 'Comments': this column is neither a question", "column 'Q9?': this column is neither", "column 'Q 7 ?': this column is neither", "column 'Q7?': data.ratings.survey.questions names this column, but the file has no such header; the nearest column header is 'Q 7 ?'", "column 'Q9!': data.ratings.survey.questions names this column, but the file has no such header; the nearest column header is 'Q9?'"]),
        },
        Case {
            name: "survey_mapping_problems_in_study_yaml",
            break_study: |d| {
                use_survey(d, |_, _| {});
                replace(d, "study.yaml", "\"Q2?\": I02", "\"Q2?\": I99");
                replace(d, "study.yaml", "\"Q3?\": I03", "\"Q3?\": I01");
            },
            expect: Fails(3, &["study.yaml, key 'data.ratings.survey.questions': 'Q2?' maps to 'I99'", "indicator 'I01' has two questions", "indicator 'I02' has no question", "indicator 'I03' has no question"]),
        },
        Case {
            name: "survey_answer_mapped_to_no_level",
            break_study: |d| {
                use_survey(d, |_, _| {});
                replace(
                    d,
                    "study.yaml",
                    "\"Q48?\": I48\n",
                    "\"Q48?\": I48\n      answers: {\"Extremely important\": vh}\n",
                );
            },
            expect: Fails(3, &["study.yaml, key 'data.ratings.survey.answers': 'Extremely important' maps to 'vh', which is not a level id of the scale (its ids, lowest first: very_low, low, medium, high, very_high)"]),
        },
        Case {
            name: "survey_export_builds",
            break_study: |d| use_survey(d, |_, _| {}),
            expect: Builds,
        },
        Case {
            name: "counts_trailing_blank_lines_and_an_empty_row",
            break_study: |d| {
                edit(d, COUNTS, |text| {
                    text.replacen("\nI02,", "\n,,,,,\nI02,", 1) + "\n\n"
                })
            },
            expect: Builds,
        },
    ]
}

#[test]
fn every_bad_input_case_fails_cleanly_and_every_messy_but_sensible_case_builds() {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().to_str().unwrap();
    let pristine = copy_reference_study();
    let built = run(&[
        "build-report",
        "--study",
        pristine.path().to_str().unwrap(),
        "--out",
        out_dir,
    ]);
    common::assert_succeeded(&built);
    let before = common::tree(out.path());

    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut failures = Vec::new();
    let mut messages = Vec::new();
    for case in &cases {
        let study = copy_reference_study();
        (case.break_study)(study.path());
        let study_dir = study.path().to_str().unwrap();
        let fresh = tempfile::tempdir().unwrap();
        let target = match case.expect {
            Fails(..) => out_dir,
            Builds | BuildsFlagging(..) => fresh.path().to_str().unwrap(),
        };
        let result = run(&["build-report", "--study", study_dir, "--out", target]);
        let stderr = String::from_utf8_lossy(&result.stderr).into_owned();
        if std::env::var_os("SHOW_CASES").is_some() {
            eprintln!("== {} -> {:?}\n{stderr}", case.name, result.status.code());
        }
        let mut problems = Vec::new();
        if stderr.contains("panicked") {
            problems.push("panicked".to_string());
        }
        match case.expect {
            Fails(code, fragments) => {
                if result.status.code() != Some(code) {
                    problems.push(format!("exit {:?}, expected {code}", result.status.code()));
                }
                for fragment in fragments {
                    if !stderr.contains(fragment) {
                        problems.push(format!("message lacks {fragment:?}"));
                    }
                }
                if common::tree(out.path()) != before {
                    problems.push("the previous report folder changed".to_string());
                }
                // The temporary folders' names change every run: name them by role in the snapshot.
                let message = stderr
                    .replace(study_dir, "<study>")
                    .replace(out_dir, "<out>");
                messages.push((case.name, message));
            }
            Builds | BuildsFlagging(..) => {
                if !result.status.success() {
                    problems.push(format!("exit {:?}, expected success", result.status.code()));
                }
                if let BuildsFlagging(file, text) = case.expect {
                    let written = fs::read_to_string(fresh.path().join("htsme-2024").join(file))
                        .unwrap_or_default();
                    if !written.contains(text) {
                        problems.push(format!("{file} lacks {text:?}"));
                    }
                }
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{}: {}\n{stderr}", case.name, problems.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    // The full message of every failing case, one snapshot each: the exact wording, row and column.
    for (name, message) in messages {
        insta::assert_snapshot!(name, message);
    }
}
