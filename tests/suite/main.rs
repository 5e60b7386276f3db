//! The integration tests, in one binary: each module is one area (the CLI, bad input, formats, the
//! reference study, ...); one binary links the library once instead of once per file.

mod common;

mod author_document;
mod bad_input;
mod cli;
mod codebook_depth;
mod committed_reports;
mod determinism;
mod drift;
mod every_problem;
mod faults;
mod formats;
mod from_survey;
mod fuzz;
mod identify;
mod injection;
mod jupyterlab;
mod languages;
mod large_studies;
mod layering;
mod page_templates;
mod parameters;
mod published_in_text;
mod qda_formats;
mod ratings_shapes;
mod raw_ratings;
mod reader;
mod reader_pdf;
mod real_exports;
mod reference_audit;
mod reference_qualitative;
mod reference_study;
mod report_cells;
mod respondents;
mod study_kinds;
mod variants;
mod word_and_pdf;
mod worked_example;
