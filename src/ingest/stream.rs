//! Long ratings files read in one pass: we read the file in chunks of whole records, hash and check each chunk
//! as it passes, and polars parses it on one of two workers that count ratings per indicator and level.
//! Memory stays bounded (a few chunks in flight) whatever the file's size, and the file is read once.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};

use polars_core::prelude::*;
use polars_io::prelude::*;
use sha2::{Digest, Sha256};

use crate::analysis::{Indicator, Round};
use crate::digest::hex;
use crate::domain::ScaleLevel;
use crate::error::{InputError, Problems};
use crate::ingest::ratings::RatingReader;
use crate::ingest::table::{duplicated_column, ragged_record, refuse_compressed};
use crate::ingest::tally::Tally;
use crate::ingest::weights::ExpertWeights;

/// Called with the bytes read so far and the file's size, after every chunk (for a progress display).
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// Bytes of records per chunk handed to polars: large enough that the cost of a parse call vanishes,
/// small enough that the chunks in flight stay a few MiB (measured: 1 MiB parses as fast as 16 MiB).
const CHUNK_BYTES: usize = 1 << 20;

/// Chunks parsed at once; the machine this is tuned for has two cores.
const WORKERS: usize = 2;

const COLUMNS: [&str; 3] = ["expert", "indicator", "rating"];

/// The array polars parses a text column into (Arrow's string views).
type TextArray = <StringType as PolarsDataType>::Array;

/// What one pass over a long ratings file gives: the counts, the number of data rows, and the file's SHA-256.
pub(crate) struct LongRatings {
    pub(crate) round: Round,
    pub(crate) rows: usize,
    pub(crate) sha256: String,
}

/// `expert,indicator,rating`, one row per rating, counted per indicator and level in one pass (with the
/// sum of the experts' weights per level when `weights` is given), hashed on the way.
///
/// Chunks are counted in parallel, so a pass that fails knows that the file is bad but not which problem
/// comes first in it; the file is then read again in order, and the first problem is named by its row.
pub(crate) fn read_long_ratings(
    path: &Path,
    scale: &[ScaleLevel],
    indicators: &[Indicator],
    weights: Option<&ExpertWeights>,
    progress: Option<Progress>,
) -> Result<LongRatings, InputError> {
    let setup = Setup {
        path,
        scale,
        indicators,
        weights,
        block: CHUNK_BYTES,
    };
    setup.read(progress)
}

struct Setup<'a> {
    path: &'a Path,
    scale: &'a [ScaleLevel],
    indicators: &'a [Indicator],
    weights: Option<&'a ExpertWeights>,
    block: usize,
}

/// Whole records of the file, after a copy of its header (so that each chunk is a CSV file of its own).
struct Chunk {
    text: Vec<u8>,
    /// Bytes of `text` that are the header.
    header_len: usize,
    /// The physical line of the file on which the chunk's first record starts.
    first_line: usize,
}

/// What one worker counted.
struct Counted {
    tally: Tally,
    rows: usize,
    rated: Rated,
}

/// Where a worker's chunk sits in the file; known only when chunks are counted in order.
struct Position {
    rows_before: usize,
    first_line: usize,
}

impl Setup<'_> {
    /// A parallel pass, and an ordered one after it if it fails.
    fn read(&self, progress: Option<Progress>) -> Result<LongRatings, InputError> {
        match self.pass(WORKERS, progress) {
            Ok(counted) => Ok(counted),
            Err(parallel_error) => match self.pass(1, None) {
                Err(first_error) => Err(first_error),
                // Both passes apply the same checks, so this does not happen; if it did, it stands.
                Ok(_) => Err(parallel_error),
            },
        }
    }

    fn pass(&self, workers: usize, progress: Option<Progress>) -> Result<LongRatings, InputError> {
        let ordered = workers == 1;
        let path = self.path;
        let io_error =
            |e: std::io::Error| InputError::file(path, format!("cannot read the file: {e}"));
        let mut file = File::open(path).map_err(io_error)?;
        let size = file.metadata().map_err(io_error)?.len();
        let mut reader = ChunkReader::new(&mut file, path, self.block);
        let header = reader.header()?;
        let shared = Shared {
            path: path.to_path_buf(),
            failed: AtomicBool::new(false),
            experts: Mutex::new(PlHashMap::new()),
            weights: self.weights,
            words_per_expert: self.indicators.len().div_ceil(64),
            header_lines: header.lines,
        };
        let schema: SchemaRef = Arc::new(Schema::from_iter(
            header
                .names
                .iter()
                .map(|name| Field::new(name.as_str().into(), DataType::String)),
        ));

        let (sender, receiver) = sync_channel::<Chunk>(workers * 2);
        // Owned by the workers only: when the last one stops, for whatever reason, sending fails and the
        // reader stops too.
        let receiver = Arc::new(Mutex::new(receiver));
        let (read_result, counted) = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    let counter = Counter::new(self, &shared);
                    let (schema, receiver) = (Arc::clone(&schema), Arc::clone(&receiver));
                    scope.spawn(move || counter.run(&receiver, &schema, ordered))
                })
                .collect();
            drop(receiver);
            let read_result = reader.send_chunks(&header.text, &sender, &shared.failed, |done| {
                if let Some(progress) = &progress {
                    progress(done, size)
                }
            });
            drop(sender);
            let counted: Vec<Result<Counted, InputError>> = handles
                .into_iter()
                .map(|handle| {
                    handle.join().unwrap_or_else(|_| {
                        Err(InputError::file(path, "the ratings counter failed"))
                    })
                })
                .collect();
            (read_result, counted)
        });
        // A counting error comes from a chunk the reader had already checked, so it is the earlier one.
        let mut tally = Tally::new(
            self.indicators.len(),
            self.scale.len(),
            self.weights.is_some(),
        );
        let mut rows = 0;
        let mut rated = Rated::default();
        for result in counted {
            let part = result?;
            tally.merge(part.tally);
            rows += part.rows;
            if !rated.merge(part.rated) {
                // Two workers counted the same pair: the ordered pass names the second rating's row.
                return Err(InputError::file(path, "an expert rated an indicator twice"));
            }
        }
        let sha256 = read_result?;
        // Expert ids by number (the order of first sight).
        let names = shared.experts.into_inner().ok().map(|experts| {
            let mut names = vec![String::new(); experts.len()];
            for (name, expert) in experts {
                names[expert.index] = name;
            }
            names
        });
        Ok(LongRatings {
            round: tally.finish(self.scale, self.indicators, names),
            rows,
            sha256,
        })
    }
}

/// The header record as read, and what it names.
struct Header {
    /// The header's bytes with the byte-order mark removed, line break included.
    text: Vec<u8>,
    names: Vec<String>,
    /// Physical lines the header takes (more than one only if a quoted name holds a line break).
    lines: usize,
}

/// Reads the file block by block into chunks of whole records, hashing every byte and checking that the
/// text is UTF-8.
struct ChunkReader<'f> {
    file: &'f mut File,
    path: &'f Path,
    hasher: Sha256,
    /// Bytes read at a time (`CHUNK_BYTES`; tests use a few bytes to cut every record).
    block: usize,
    /// Bytes read and not yet sent (the start of a record whose end has not been read), after a prefix.
    pending: Vec<u8>,
    /// Bytes at the start of `pending` that are not the file's: a copy of the header, once it is read,
    /// so that each chunk is a CSV text of its own without copying its records.
    prefix_len: usize,
    bytes_read: u64,
    at_end: bool,
    /// The line on which the next pending byte is.
    next_line: usize,
}

impl<'f> ChunkReader<'f> {
    fn new(file: &'f mut File, path: &'f Path, block: usize) -> Self {
        ChunkReader {
            file,
            path,
            hasher: Sha256::new(),
            block: block.max(1),
            pending: Vec::new(),
            prefix_len: 0,
            bytes_read: 0,
            at_end: false,
            next_line: 1,
        }
    }

    /// Appends up to `block` bytes of the file to `pending`; false at the end of the file.
    fn fill(&mut self) -> Result<bool, InputError> {
        if self.at_end {
            return Ok(false);
        }
        let start = self.pending.len();
        self.pending.resize(start + self.block, 0);
        let read = loop {
            match self.file.read(&mut self.pending[start..]) {
                Ok(read) => break read,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(InputError::file(
                        self.path,
                        format!("cannot read the file: {e}"),
                    ))
                }
            }
        };
        self.pending.truncate(start + read);
        self.hasher.update(&self.pending[start..]);
        self.bytes_read += read as u64;
        self.at_end = read == 0;
        Ok(read > 0)
    }

    /// Takes the first `len` pending bytes after the prefix (once the header is read, a copy of it) as
    /// a chunk, prefix included, and starts the pending bytes again with the prefix. The records taken
    /// are checked to be UTF-8 (they end at a record boundary, so they never cut a character).
    fn take_text(&mut self, len: usize) -> Result<Vec<u8>, InputError> {
        let prefix = self.prefix_len;
        let end = prefix + len;
        // Room for the next block too, so that filling it does not move the buffer.
        let mut rest = Vec::with_capacity(prefix + self.pending.len() - end + self.block);
        rest.extend_from_slice(&self.pending[..prefix]);
        rest.extend_from_slice(&self.pending[end..]);
        self.pending.truncate(end);
        let text = std::mem::replace(&mut self.pending, rest);
        let records = &text[prefix..];
        if let Err(e) = std::str::from_utf8(records) {
            let line = self.next_line + count_newlines(&records[..e.valid_up_to()]);
            let message = if e.error_len().is_none() {
                "the file ends inside a UTF-8 character"
            } else {
                crate::error::NOT_UTF8
            };
            return Err(InputError::at_line(self.path, line, message));
        }
        self.next_line += count_newlines(records);
        Ok(text)
    }

    /// Reads and checks the header record.
    fn header(&mut self) -> Result<Header, InputError> {
        let path = self.path;
        if !self.fill()? {
            return Err(InputError::file(
                path,
                "the file is empty; expected a header row and data rows",
            ));
        }
        refuse_compressed(path, &self.pending[..self.pending.len().min(4)])?;
        let end = loop {
            if let Some(end) = record_boundary(&self.pending, false) {
                break end;
            }
            if !self.fill()? {
                break self.pending.len();
            }
        };
        let mut text = self.take_text(end)?;
        let lines = self.next_line - 1;
        if text.starts_with(b"\xEF\xBB\xBF") {
            text.drain(..3);
        }
        if !text.ends_with(b"\n") {
            text.push(b'\n');
        }
        let names: Vec<String> = CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .into_reader_with_file_handle(std::io::Cursor::new(text.as_slice()))
            .finish()
            .map_err(|e| InputError::file(path, format!("not a readable CSV table: {e}")))?
            .get_column_names()
            .iter()
            .map(|name| name.to_string())
            .collect();
        if let Some(error) = duplicated_column(path, &names) {
            return Err(error);
        }
        for name in COLUMNS {
            if !names.iter().any(|found| found == name) {
                return Err(InputError::column(
                    path,
                    name,
                    crate::ingest::table::missing_column_message(&names),
                ));
            }
        }
        if let Some(extra) = names
            .iter()
            .find(|found| !COLUMNS.contains(&found.as_str()))
        {
            return Err(InputError::column(
                path,
                extra,
                "unexpected column; expected the columns expert,indicator,rating",
            ));
        }
        Ok(Header { text, names, lines })
    }

    /// Sends every chunk of whole records to the workers, until the end of the file or until a worker
    /// fails; returns the file's SHA-256 once it has all been read.
    fn send_chunks(
        &mut self,
        header: &[u8],
        sender: &std::sync::mpsc::SyncSender<Chunk>,
        failed: &AtomicBool,
        progress: impl Fn(u64),
    ) -> Result<String, InputError> {
        let mut pending = Vec::with_capacity(header.len() + self.pending.len() + self.block);
        pending.extend_from_slice(header);
        pending.append(&mut self.pending);
        self.pending = pending;
        self.prefix_len = header.len();
        loop {
            if failed.load(Ordering::Relaxed) {
                return Err(InputError::file(self.path, "counting stopped"));
            }
            let more = self.fill()?;
            progress(self.bytes_read);
            let records = &self.pending[self.prefix_len..];
            let end = match record_boundary(records, true) {
                Some(end) if more => end,
                // A record longer than what is pending: read on.
                None if more => continue,
                // The end of the file: whatever is pending is the last record.
                _ => records.len(),
            };
            if end == 0 {
                break;
            }
            let first_line = self.next_line;
            let chunk = Chunk {
                text: self.take_text(end)?,
                header_len: self.prefix_len,
                first_line,
            };
            if sender.send(chunk).is_err() {
                break;
            }
        }
        Ok(hex(&std::mem::take(&mut self.hasher).finalize()))
    }
}

/// The end (one past the line break) of the last record that ends in `bytes`, or of the first one when
/// `last` is false; line breaks inside quoted fields do not end records.
fn record_boundary(bytes: &[u8], last: bool) -> Option<usize> {
    if !bytes.contains(&b'"') {
        let position = if last {
            bytes.iter().rposition(|&b| b == b'\n')
        } else {
            bytes.iter().position(|&b| b == b'\n')
        };
        return position.map(|p| p + 1);
    }
    let mut in_quotes = false;
    let mut found = None;
    for (position, &byte) in bytes.iter().enumerate() {
        match byte {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                found = Some(position + 1);
                if !last {
                    break;
                }
            }
            _ => {}
        }
    }
    found
}

fn count_newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// What the workers share: the experts seen so far, and whether one of them has failed.
struct Shared<'a> {
    path: PathBuf,
    failed: AtomicBool,
    experts: Mutex<PlHashMap<String, Expert>>,
    weights: Option<&'a ExpertWeights>,
    words_per_expert: usize,
    header_lines: usize,
}

/// One expert: their number (in order of first sight) and their weight.
#[derive(Clone, Copy)]
struct Expert {
    index: usize,
    units: i128,
}

impl Shared<'_> {
    /// The expert named `name` (trimmed), registered on first sight; `row` locates a missing weight.
    fn expert(&self, name: &str, row: usize) -> Result<Expert, InputError> {
        let mut experts = self
            .experts
            .lock()
            .map_err(|_| InputError::file(&self.path, "the ratings counter failed"))?;
        if let Some(&expert) = experts.get(name) {
            return Ok(expert);
        }
        let units = match self.weights {
            Some(weights) => weights
                .units_of(name)
                .ok_or_else(|| weights.missing(&self.path, row, "expert", name))?,
            None => 0,
        };
        let expert = Expert {
            index: experts.len(),
            units,
        };
        experts.insert(name.to_string(), expert);
        Ok(expert)
    }
}

/// Which indicators each expert has rated, one bit per pair, by expert number.
#[derive(Default)]
struct Rated {
    words_per_expert: usize,
    bits: Vec<Vec<u64>>,
}

impl Rated {
    /// Marks the pair; false when it was marked already.
    fn mark(&mut self, expert: usize, indicator: usize) -> bool {
        if expert >= self.bits.len() {
            self.bits.resize(expert + 1, Vec::new());
        }
        let words = &mut self.bits[expert];
        if words.is_empty() {
            words.resize(self.words_per_expert, 0);
        }
        let (word, bit) = (indicator / 64, 1u64 << (indicator % 64));
        let fresh = words[word] & bit == 0;
        words[word] |= bit;
        fresh
    }

    /// Adds another worker's pairs; false when some pair was rated in both.
    fn merge(&mut self, other: Rated) -> bool {
        let mut disjoint = true;
        if self.bits.len() < other.bits.len() {
            self.bits.resize(other.bits.len(), Vec::new());
        }
        for (mine, theirs) in self.bits.iter_mut().zip(other.bits) {
            if mine.is_empty() {
                *mine = theirs;
                continue;
            }
            for (word, more) in mine.iter_mut().zip(theirs) {
                disjoint &= *word & more == 0;
                *word |= more;
            }
        }
        disjoint
    }
}

/// The 16-byte view polars keeps of a text of at most 12 bytes: its length, then the bytes themselves,
/// zero-padded (Arrow's string view layout). Two texts with equal views are equal, so comparing a
/// view is one integer comparison; a text whose view differs is compared as text.
fn inline_view(text: &[u8]) -> Option<u128> {
    let length = u32::try_from(text.len()).ok().filter(|&l| l <= 12)?;
    let mut bytes = [0u8; 16];
    bytes[..4].copy_from_slice(&length.to_le_bytes());
    bytes[4..4 + text.len()].copy_from_slice(text);
    Some(u128::from_le_bytes(bytes))
}

/// One worker's counting state. Ratings files repeat a few texts millions of times, so each column keeps
/// the texts it has resolved, with fast paths for the common layouts (an expert's ratings together,
/// indicators in their listed order) that compare polars' string views instead of the texts.
struct Counter<'s, 'a> {
    shared: &'s Shared<'a>,
    reader: RatingReader<'a>,
    /// Each indicator's id as a view, by index (none for ids longer than 12 bytes).
    indicator_views: Vec<Option<u128>>,
    indicators: PlHashMap<&'a str, usize>,
    experts: PlHashMap<String, Expert>,
    /// Pairs this worker has counted: duplicates within its chunks are found here, across workers when
    /// the workers' pairs are merged.
    rated: Rated,
    /// Each rating text seen, as written: its view (when short), the text, and its level.
    levels: Vec<(Option<u128>, String, usize)>,
    tally: Tally,
    /// Records parsed, fully empty ones included (they still number the rows after them).
    rows: usize,
    /// Fully empty records, which are skipped.
    skipped: usize,
    /// In the ordered pass, the problems of the rows so far (every one, the first 20 listed): a row
    /// with a problem is not counted, and counting goes on. In a parallel pass a problem stops every
    /// worker, and the ordered pass that follows reports them all.
    problems: Option<Problems>,
}

impl<'s, 'a> Counter<'s, 'a> {
    fn new(setup: &Setup<'a>, shared: &'s Shared<'a>) -> Self {
        Counter {
            shared,
            reader: RatingReader::new(setup.scale),
            indicator_views: setup
                .indicators
                .iter()
                .map(|i| inline_view(i.id.as_bytes()))
                .collect(),
            indicators: setup
                .indicators
                .iter()
                .enumerate()
                .map(|(index, indicator)| (indicator.id.as_str(), index))
                .collect(),
            experts: PlHashMap::new(),
            rated: Rated {
                words_per_expert: shared.words_per_expert,
                bits: Vec::new(),
            },
            levels: Vec::new(),
            tally: Tally::new(
                setup.indicators.len(),
                setup.scale.len(),
                setup.weights.is_some(),
            ),
            rows: 0,
            skipped: 0,
            problems: None,
        }
    }

    /// A row's problem: kept in the ordered pass (the row is then skipped), the end of a parallel one.
    fn problem(&mut self, error: InputError) -> Result<(), InputError> {
        match &mut self.problems {
            Some(problems) => {
                problems.push(error);
                Ok(())
            }
            None => Err(error),
        }
    }

    /// Counts chunks until there are none left or some worker fails.
    fn run(
        mut self,
        receiver: &Mutex<Receiver<Chunk>>,
        schema: &SchemaRef,
        ordered: bool,
    ) -> Result<Counted, InputError> {
        if ordered {
            self.problems = Some(Problems::new());
        }
        loop {
            let chunk = {
                let Ok(receiver) = receiver.lock() else { break };
                match receiver.recv() {
                    Ok(chunk) => chunk,
                    Err(_) => break,
                }
            };
            if self.shared.failed.load(Ordering::Relaxed) {
                break;
            }
            let position = Position {
                rows_before: self.rows,
                first_line: chunk.first_line,
            };
            if let Err(error) = self.count_chunk(&chunk, schema, ordered.then_some(&position)) {
                self.shared.failed.store(true, Ordering::Relaxed);
                return Err(error);
            }
        }
        if let Some(problems) = self.problems.take() {
            problems.into_result()?;
        }
        Ok(Counted {
            tally: self.tally,
            rows: self.rows - self.skipped,
            rated: self.rated,
        })
    }

    fn count_chunk(
        &mut self,
        chunk: &Chunk,
        schema: &SchemaRef,
        position: Option<&Position>,
    ) -> Result<(), InputError> {
        // The shared state outlives `self`, so its path is borrowed without borrowing `self`.
        let shared = self.shared;
        let path = shared.path.as_path();
        let frame = CsvReadOptions::default()
            .with_has_header(true)
            .with_schema(Some(Arc::clone(schema)))
            .with_n_threads(Some(1))
            .into_reader_with_file_handle(std::io::Cursor::new(chunk.text.as_slice()))
            .finish()
            .map_err(|e| self.unreadable(chunk, position, e))?;
        let records = &chunk.text[chunk.header_len..];
        // Where each row's line is: only when no record spans lines (quoted line breaks, blank lines).
        let lines_are_rows = position.is_some()
            && count_newlines(records) + usize::from(!records.ends_with(b"\n")) == frame.height();
        let locate = |index: usize| -> (usize, Option<usize>) {
            let position = position.unwrap_or(&Position {
                rows_before: 0,
                first_line: 0,
            });
            let row = position.rows_before + index + 1;
            (row, lines_are_rows.then(|| position.first_line + index))
        };
        let column = |name: &str| -> Result<&StringChunked, InputError> {
            frame
                .column(name)
                .and_then(|c| c.str())
                .map_err(|e| InputError::column(path, name, e.to_string()))
        };
        let columns = [column("expert")?, column("indicator")?, column("rating")?];
        // The parse cuts the three columns alike; should it not, one array per column is made.
        let aligned = columns[0].chunk_lengths().eq(columns[1].chunk_lengths())
            && columns[0].chunk_lengths().eq(columns[2].chunk_lengths());
        let rechunked;
        let [experts, indicators, ratings] = if aligned {
            columns
        } else {
            rechunked = columns.map(|c| c.rechunk().into_owned());
            [&rechunked[0], &rechunked[1], &rechunked[2]]
        };
        let mut first_index = 0;
        for ((experts, indicators), ratings) in experts
            .downcast_iter()
            .zip(indicators.downcast_iter())
            .zip(ratings.downcast_iter())
        {
            self.count_arrays([experts, indicators, ratings], first_index, &locate)?;
            first_index += experts.len();
        }
        self.rows += frame.height();
        Ok(())
    }

    /// Counts the rows of one array per column; `first_index` is the first row's index in the chunk, and
    /// `locate` turns an index into a row and line of the file.
    fn count_arrays(
        &mut self,
        [experts, indicators, ratings]: [&TextArray; 3],
        first_index: usize,
        locate: &dyn Fn(usize) -> (usize, Option<usize>),
    ) -> Result<(), InputError> {
        // The shared state outlives `self`, so its path is borrowed without borrowing `self`.
        let shared = self.shared;
        let path = shared.path.as_path();
        let (expert_views, indicator_views, rating_views) =
            (experts.views(), indicators.views(), ratings.views());
        // The previous row's expert, by the view of their text in this chunk.
        let mut current: Option<(u128, Expert)> = None;
        let mut last_indicator = usize::MAX;
        let values = experts.iter().zip(indicators.iter()).zip(ratings.iter());
        for (index, ((expert, indicator), rating)) in values.enumerate() {
            let cell_error = |column: &str, message: String| {
                let (row, line) = locate(first_index + index);
                let mut error = InputError::record(path, row, column, message);
                error.line = line;
                error
            };
            // A null's view says nothing of a text, so only present values take the fast paths.
            let present = expert.is_some() && indicator.is_some() && rating.is_some();
            let (expert, indicator, rating) = (
                expert.unwrap_or_default(),
                indicator.unwrap_or_default(),
                rating.unwrap_or_default(),
            );
            // A fully empty row (a blank line, a trailing one above all) is no rating.
            if !present
                && expert.trim().is_empty()
                && indicator.trim().is_empty()
                && rating.trim().is_empty()
            {
                self.skipped += 1;
                continue;
            }

            // The indicator: the one after the previous row's, or looked up.
            let next = last_indicator.wrapping_add(1);
            let indicator_view = indicator_views[index].as_u128();
            let found = match self.indicator_views.get(next) {
                Some(&Some(view)) if present && view == indicator_view => Ok(next),
                _ => match self.indicators.get(indicator.trim()) {
                    Some(&index) => Ok(index),
                    None if indicator.trim().is_empty() => {
                        Err(cell_error("indicator", "empty cell".into()))
                    }
                    None => Err(cell_error(
                        "indicator",
                        format!("unknown indicator id '{}'", indicator.trim()),
                    )),
                },
            };
            let indicator_index = match found {
                Ok(index) => index,
                Err(error) => {
                    self.problem(error)?;
                    continue;
                }
            };
            last_indicator = indicator_index;

            // The expert: the previous row's, or this worker's, or the shared registry's.
            let expert_view = expert_views[index].as_u128();
            let expert_entry = match current {
                Some((view, entry)) if present && view == expert_view => entry,
                _ => {
                    let entry = match self.experts.get(expert) {
                        Some(&entry) => entry,
                        None => {
                            let name = expert.trim();
                            if name.is_empty() {
                                self.problem(cell_error("expert", "empty cell".into()))?;
                                continue;
                            }
                            let (row, line) = locate(first_index + index);
                            match self.shared.expert(name, row) {
                                Ok(entry) => {
                                    self.experts.insert(expert.to_string(), entry);
                                    entry
                                }
                                Err(mut error) => {
                                    error.line = line;
                                    self.problem(error)?;
                                    continue;
                                }
                            }
                        }
                    };
                    current = Some((expert_view, entry));
                    entry
                }
            };

            // The rating: a text seen before (by its view when it is short), or read by the scale.
            let rating_view = rating_views[index].as_u128();
            let seen_level = if present && rating.len() <= 12 {
                self.levels
                    .iter()
                    .find(|(view, _, _)| *view == Some(rating_view))
            } else {
                self.levels.iter().find(|(_, text, _)| text == rating)
            };
            let level = match seen_level {
                Some(&(_, _, level)) => level,
                None => {
                    if rating.trim().is_empty() {
                        self.problem(cell_error("rating", "empty cell".into()))?;
                        continue;
                    }
                    let Some(level) = self.reader.level_of(rating) else {
                        let error = cell_error(
                            "rating",
                            format!(
                                "expected {}, found '{}'",
                                self.reader.expected(),
                                rating.trim()
                            ),
                        );
                        self.problem(error)?;
                        continue;
                    };
                    self.levels
                        .push((inline_view(rating.as_bytes()), rating.to_string(), level));
                    level
                }
            };

            if !self.rated.mark(expert_entry.index, indicator_index) {
                self.problem(cell_error(
                    "indicator",
                    format!(
                        "expert '{}' rated indicator '{}' twice; expected one rating per expert and indicator",
                        expert.trim(),
                        indicator.trim()
                    ),
                ))?;
                continue;
            }
            self.tally.add(
                expert_entry.index,
                indicator_index,
                level,
                expert_entry.units,
            );
        }
        Ok(())
    }

    /// A chunk polars could not parse: a record with more fields than the header, located, or polars' word.
    fn unreadable(
        &self,
        chunk: &Chunk,
        position: Option<&Position>,
        error: PolarsError,
    ) -> InputError {
        let path = &self.shared.path;
        let text = String::from_utf8_lossy(&chunk.text);
        match (ragged_record(path, &text, b','), position) {
            (Some(mut located), Some(position)) => {
                // Rows and lines of the chunk, whose header is a copy, to rows and lines of the file.
                located.row = located.row.map(|row| row + position.rows_before);
                located.line = located
                    .line
                    .map(|line| line + position.first_line - 1 - self.shared.header_lines);
                located
            }
            (Some(located), None) => located,
            (None, _) => InputError::file(path, format!("not a readable CSV table: {error}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::presets::ScalePreset;
    use crate::domain::{Lang, Names};
    use std::io::Write;

    fn indicators(n: usize) -> Vec<Indicator> {
        (0..n)
            .map(|i| Indicator {
                id: format!("I{i:02}"),
                number: i + 1,
                component: "C".into(),
                name: Names::of(&[
                    (Lang::EN, format!("Indicator {i}")),
                    (Lang::FA, format!("شاخص {i}")),
                ]),
                translated: vec![Lang::EN],
            })
            .collect()
    }

    fn file_with(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(bytes).unwrap();
        file
    }

    fn read(bytes: &[u8], n_indicators: usize) -> Result<LongRatings, InputError> {
        let file = file_with(bytes);
        let scale = ScalePreset::FivePointQuarters.levels();
        read_long_ratings(file.path(), &scale, &indicators(n_indicators), None, None)
    }

    /// SYNTHETIC: `experts` x 40 indicators, the rating of pair (e, i) is (e * 7 + i * 3) % 5 + 1; about
    /// 15 bytes a row, so 20,000 experts make an 11 MiB file of many chunks.
    fn synthetic(experts: usize) -> String {
        let mut text = String::from("expert,indicator,rating\n");
        for e in 0..experts {
            for i in 0..40 {
                text.push_str(&format!("E{e:05},I{i:02},{}\n", (e * 7 + i * 3) % 5 + 1));
            }
        }
        text
    }

    #[test]
    fn record_boundaries_skip_line_breaks_inside_quotes() {
        assert_eq!(record_boundary(b"a,b\nc,d\ne", true), Some(8));
        assert_eq!(record_boundary(b"a,b\nc,d\ne", false), Some(4));
        assert_eq!(record_boundary(b"\"a\nb\",c\nd", false), Some(8));
        assert_eq!(record_boundary(b"x,\"y\nz", true), None);
        assert_eq!(record_boundary(b"no break", true), None);
    }

    #[test]
    fn inline_views_are_the_views_polars_makes() {
        // The fast paths compare our view of a text with the one polars parsed; the layout must agree.
        let frame = CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .into_reader_with_file_handle(std::io::Cursor::new(
                b"t\nI07\nabcdefghijkl\n".as_slice(),
            ))
            .finish()
            .unwrap();
        let column = frame.column("t").unwrap().str().unwrap().rechunk();
        let views = column.downcast_iter().next().unwrap().views();
        assert_eq!(Some(views[0].as_u128()), inline_view(b"I07"));
        assert_eq!(Some(views[1].as_u128()), inline_view(b"abcdefghijkl"));
        assert_eq!(inline_view(b"abcdefghijklm"), None);
        assert_ne!(inline_view(b"I07"), inline_view(b"I08"));
    }

    #[test]
    fn a_file_of_many_chunks_is_counted_hashed_and_numbered_exactly() {
        let text = synthetic(20_000);
        assert!(text.len() > 8 * CHUNK_BYTES, "{} bytes", text.len());
        let read = read(text.as_bytes(), 40).unwrap();
        assert_eq!(read.rows, 800_000);
        assert_eq!(read.sha256, crate::digest::sha256_hex(text.as_bytes()));
        // Indicator i is rated at level (7e + 3i) % 5 by expert e: 20,000 experts cycle through the five
        // residues of 7e evenly, so every level has 4,000 ratings of every indicator.
        for row in &read.round.counts.rows {
            assert_eq!(row.counts, vec![4_000; 5], "{}", row.indicator);
        }
    }

    #[test]
    fn a_pair_rated_twice_chunks_apart_is_named_at_its_second_rating() {
        let mut text = synthetic(20_000);
        text.push_str("E00000,I00,3\n");
        let error = read(text.as_bytes(), 40).err().unwrap();
        assert_eq!((error.row, error.line), (Some(800_001), Some(800_002)));
        assert!(
            error
                .message
                .contains("'E00000' rated indicator 'I00' twice"),
            "{error}"
        );
    }

    #[test]
    fn the_first_problem_in_file_order_is_named_when_several_chunks_hold_one() {
        let mut text = synthetic(20_000);
        // Row 700,001 first (a bad rating), then an unknown indicator at row 10 in an earlier chunk.
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        lines[700_001] = "E17500,I00,9".into();
        lines[10] = "E00000,I99,1".into();
        text = lines.join("\n") + "\n";
        let error = read(text.as_bytes(), 40).err().unwrap();
        assert_eq!((error.row, error.line), (Some(10), Some(11)), "{error}");
        assert!(
            error.message.contains("unknown indicator id 'I99'"),
            "{error}"
        );
    }

    #[test]
    fn a_quoted_line_break_keeps_rows_right_and_drops_the_line_it_would_get_wrong() {
        let text = "expert,indicator,rating\n\"E\n1\",I00,5\nE2,I00,8\n";
        let error = read(text.as_bytes(), 1).err().unwrap();
        assert_eq!((error.row, error.line), (Some(2), None), "{error}");
        assert_eq!(error.table_column(), Some("rating"));
    }

    #[test]
    fn a_record_longer_than_a_chunk_is_read_whole() {
        let name = "E".repeat(3 * CHUNK_BYTES);
        let text = format!("expert,indicator,rating\n{name},I00,5\nE2,I00,4\n");
        let read = read(text.as_bytes(), 1).unwrap();
        assert_eq!(read.rows, 2);
        assert_eq!(read.round.counts.rows[0].counts, vec![0, 0, 0, 1, 1]);
    }

    #[test]
    fn an_invalid_byte_after_the_first_chunk_is_located_by_line() {
        let mut bytes = synthetic(20_000).into_bytes();
        bytes.extend_from_slice(b"E99999,I00,\xff\n");
        let error = read(&bytes, 40).err().unwrap();
        assert_eq!(error.line, Some(800_002));
        assert!(error.message.contains("UTF-8"), "{error}");
    }

    fn read_in_blocks(
        bytes: &[u8],
        n_indicators: usize,
        block: usize,
    ) -> Result<LongRatings, InputError> {
        let file = file_with(bytes);
        let scale = ScalePreset::FivePointQuarters.levels();
        let indicators = indicators(n_indicators);
        let setup = Setup {
            path: file.path(),
            scale: &scale,
            indicators: &indicators,
            weights: None,
            block,
        };
        setup.read(None)
    }

    /// SYNTHETIC: quoted fields with separators, escaped quotes and line breaks, a byte-order mark, CRLF
    /// endings, ratings as numbers, ids and labels, and no line break at the end.
    const AWKWARD: &str = "\u{feff}expert,indicator,rating\r\n\
        \"Dr. A, \"\"senior\"\"\",I00,5\r\n\
        \"B\nsecond line\",I00,very_low\r\n\
        \"Dr. A, \"\"senior\"\"\",\"I01\",\"3\"\r\n\
        C,I01,very high\r\n\
        ابراهیم,I00,۴\r\n\
        ابراهیم,I01,medium";

    #[test]
    fn every_block_size_cuts_records_alike() {
        // Blocks of 1 to 40 bytes cut records, quoted fields, CRLF pairs and multi-byte characters at
        // every position; the counts, rows and digest must be those of one block.
        let whole = read_in_blocks(AWKWARD.as_bytes(), 2, CHUNK_BYTES).unwrap();
        assert_eq!(whole.rows, 6);
        // I00: 5, very_low, ۴ -> levels 5, 1, 4; I01: 3, very high, medium -> levels 3, 5, 3.
        assert_eq!(whole.round.counts.rows[0].counts, vec![1, 0, 0, 1, 1]);
        assert_eq!(whole.round.counts.rows[1].counts, vec![0, 0, 2, 0, 1]);
        for block in 1..=40 {
            let cut = read_in_blocks(AWKWARD.as_bytes(), 2, block).unwrap();
            assert_eq!(cut.rows, whole.rows, "block {block}");
            assert_eq!(
                cut.round.counts.rows, whole.round.counts.rows,
                "block {block}"
            );
            assert_eq!(cut.sha256, whole.sha256, "block {block}");
        }
    }

    #[test]
    fn every_block_size_names_the_same_first_problem() {
        let bad = format!("{AWKWARD}\r\nC,I00,9\r\nC,I00,4\r\n");
        let whole = read_in_blocks(bad.as_bytes(), 2, CHUNK_BYTES)
            .err()
            .unwrap();
        // Row 7 starts on line 9 (the header, six rows, one of them on two lines); the quoted line
        // break sits in the same chunk only for some block sizes, so the line is given or left out.
        assert_eq!(whole.row, Some(7), "{whole}");
        assert!(whole.message.contains("found '9'"), "{whole}");
        for block in 1..=40 {
            let cut = read_in_blocks(bad.as_bytes(), 2, block).err().unwrap();
            assert_eq!(
                (cut.row, &cut.message),
                (whole.row, &whole.message),
                "block {block}"
            );
            assert!(
                cut.line.is_none() || cut.line == Some(9),
                "block {block}: {cut}"
            );
        }
    }

    #[test]
    fn an_empty_file_is_an_error() {
        let error = read(b"", 1).err().unwrap();
        assert!(error.message.contains("empty"), "{error}");
    }
}
