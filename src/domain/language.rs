//! The report languages: a table compiled in from `templates/languages.yaml`, each language with its
//! fixed texts from `templates/strings/<code>.yaml`. [`Lang`] is a cheap handle into that table; every
//! decision that depends on the language (direction, digits, decimal separator, fonts, plural forms, the
//! link other reports give it) is a property read here, never a `match` on particular languages.
//! [`Names`] holds a text (a name, title, caption or label) in each language it is given in.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{LazyLock, RwLock};

use serde::{Deserialize, Serialize};

include!(concat!(env!("OUT_DIR"), "/strings.rs"));

/// The languages table, compiled in.
pub const LANGUAGES_YAML: &str = include_str!("../../templates/languages.yaml");

/// A report language: a handle into the languages table, cheap to copy and compare.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang(u8);

/// The direction a language is written in (`direction: ltr` or `rtl` in the languages table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum TextDirection {
    /// `ltr`: English.
    #[serde(rename = "ltr")]
    LeftToRight,
    /// `rtl`: Persian.
    #[serde(rename = "rtl")]
    RightToLeft,
}

impl TextDirection {
    /// The value of HTML's `dir` and SVG's `direction` (`ltr`, `rtl`).
    pub fn code(self) -> &'static str {
        match self {
            TextDirection::LeftToRight => "ltr",
            TextDirection::RightToLeft => "rtl",
        }
    }

    /// Whether text runs from right to left (tables, figures and pages are mirrored).
    pub fn is_right_to_left(self) -> bool {
        self == TextDirection::RightToLeft
    }
}

impl Serialize for TextDirection {
    /// As its code, the way templates print it.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// How a count picks one of the word forms of `{n|...}` in a fixed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PluralRule {
    /// Two forms: the first for exactly one, the second for any other count (English, Persian).
    OneOther,
    /// One form for every count.
    Invariant,
}

impl PluralRule {
    /// How many forms a `{n|...}` placeholder gives.
    pub fn forms(self) -> usize {
        match self {
            PluralRule::OneOther => 2,
            PluralRule::Invariant => 1,
        }
    }

    /// The form (0-based) for the count `n`.
    pub fn pick(self, n: u64) -> usize {
        match self {
            PluralRule::OneOther => usize::from(n != 1),
            PluralRule::Invariant => 0,
        }
    }
}

/// Word's settings of a language: the tag of its runs and its fonts.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordSettings {
    /// The language tag of runs in this language (`en-US`, `fa-IR`).
    pub lang: String,
    /// The font of Latin text.
    pub latin_font: String,
    /// The font of complex-script (right-to-left) text.
    pub complex_font: String,
}

/// One entry of the languages table, as written in `templates/languages.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    code: String,
    name: String,
    report_link: String,
    #[serde(default)]
    default: bool,
    direction: TextDirection,
    digits: String,
    decimal_separator: String,
    minus_sign: String,
    plural: PluralRule,
    css_fonts: String,
    word: WordSettings,
}

/// A language of the table with its fixed texts.
#[derive(Debug)]
pub struct Language {
    /// ISO 639-1 code: file names, `lang` attributes, study.yaml keys, CSV column suffixes.
    pub code: String,
    /// The language's name in English, for error messages.
    pub name: String,
    /// The text other reports link to this language's report by.
    pub report_link: String,
    /// Part of the languages of a study that lists none.
    pub default: bool,
    /// The direction its lines run: the page, notebook cells, Word paragraphs and tables, worksheets
    /// and figures follow it.
    pub direction: TextDirection,
    /// The digits 0..9.
    pub digits: [char; 10],
    /// Between a number's whole and fractional parts.
    pub decimal_separator: String,
    /// Before a negative number.
    pub minus_sign: String,
    /// How a count picks a word form.
    pub plural: PluralRule,
    /// The font stack of the page and the figures, CSS syntax.
    pub css_fonts: String,
    /// Word's language tag and fonts.
    pub word: WordSettings,
    /// Fixed texts by key.
    strings: BTreeMap<String, String>,
    /// The strings file as written, for the manifest's record of the templates.
    pub strings_source: String,
}

impl Language {
    /// Checks an entry and its strings file (a YAML map of key to text).
    fn new(entry: Entry, strings_yaml: &str) -> Result<Language, String> {
        let code = &entry.code;
        if !(2..=3).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_lowercase()) {
            return Err(format!(
                "language code '{code}': expected two or three lowercase letters"
            ));
        }
        let digits: Vec<char> = entry.digits.chars().collect();
        let digits: [char; 10] = digits
            .try_into()
            .map_err(|_| format!("language '{code}': `digits` must be exactly ten characters"))?;
        let strings: BTreeMap<String, String> = serde_yaml::from_str(strings_yaml)
            .map_err(|e| format!("templates/strings/{code}.yaml: {e}"))?;
        Ok(Language {
            code: entry.code,
            name: entry.name,
            report_link: entry.report_link,
            default: entry.default,
            direction: entry.direction,
            digits,
            decimal_separator: entry.decimal_separator,
            minus_sign: entry.minus_sign,
            plural: entry.plural,
            css_fonts: entry.css_fonts,
            word: entry.word,
            strings,
            strings_source: strings_yaml.to_string(),
        })
    }

    /// The fixed text for `key`, if the language has one.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.strings.get(key).map(String::as_str)
    }

    /// Every key of the language's fixed texts, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.strings.keys().map(String::as_str)
    }
}

/// The table: the built-in languages first, then any added at run time ([`register`]). Entries are
/// leaked so that a `Lang` can hand out `&'static` properties without holding the lock.
static TABLE: LazyLock<RwLock<Vec<&'static Language>>> =
    LazyLock::new(|| RwLock::new(builtin().unwrap_or_default()));

/// The built-in languages, from `templates/languages.yaml` and the strings files compiled in.
fn builtin() -> Result<Vec<&'static Language>, String> {
    let entries: Vec<Entry> = serde_yaml::from_str(LANGUAGES_YAML)
        .map_err(|e| format!("templates/languages.yaml: {e}"))?;
    let mut table: Vec<&'static Language> = Vec::new();
    for entry in entries {
        let strings = BUILTIN_STRINGS
            .iter()
            .find(|(code, _)| *code == entry.code)
            .map(|(_, text)| *text)
            .ok_or_else(|| {
                format!(
                    "templates/languages.yaml: language '{}' has no templates/strings/{}.yaml",
                    entry.code, entry.code
                )
            })?;
        let language = Language::new(entry, strings)?;
        check_against(&table, &language)?;
        table.push(Box::leak(Box::new(language)));
    }
    if let Some((code, _)) = BUILTIN_STRINGS
        .iter()
        .find(|(code, _)| !table.iter().any(|l| l.code == *code))
    {
        return Err(format!(
            "templates/strings/{code}.yaml has no entry in templates/languages.yaml"
        ));
    }
    Ok(table)
}

/// A new language's code is not taken, and its texts have the first language's keys with the same
/// placeholders, so that no report can miss a text in it.
fn check_against(table: &[&Language], language: &Language) -> Result<(), String> {
    let code = &language.code;
    if table.iter().any(|l| l.code == *code) {
        return Err(format!("language '{code}' appears twice"));
    }
    let Some(first) = table.first() else {
        return Ok(());
    };
    let missing: Vec<&str> = first
        .keys()
        .filter(|key| language.text(key).is_none())
        .collect();
    let extra: Vec<&str> = language
        .keys()
        .filter(|key| first.text(key).is_none())
        .collect();
    if !missing.is_empty() || !extra.is_empty() {
        return Err(format!(
            "templates/strings/{code}.yaml: keys missing: {missing:?}; keys {} does not have: {extra:?}",
            first.code
        ));
    }
    for key in first.keys() {
        let (ours, theirs) = (
            placeholders(language.text(key).unwrap_or_default()),
            placeholders(first.text(key).unwrap_or_default()),
        );
        if ours != theirs {
            return Err(format!(
                "templates/strings/{code}.yaml: '{key}' fills {ours:?}, {} fills {theirs:?}",
                first.code
            ));
        }
    }
    Ok(())
}

/// The `{name}` placeholders of a text (the name before any `|` of a plural form).
pub fn placeholders(text: &str) -> std::collections::BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}'))
        .map(|(inside, _)| inside.split('|').next().unwrap_or_default())
        .collect()
}

/// Whether the compiled-in table loads: an error names what is wrong with it (an internal error:
/// the table and the strings files ship with the tool, and the tests load them).
pub fn check_builtin() -> Result<(), String> {
    builtin().map(|_| ())
}

/// Adds a language at run time from an entry (one item of `templates/languages.yaml`, as YAML) and
/// its strings file; the built-in languages are the same entries compiled in. The entry's texts must
/// have every key of the first language with the same placeholders.
pub fn register(entry_yaml: &str, strings_yaml: &str) -> Result<Lang, String> {
    let entry: Entry = serde_yaml::from_str(entry_yaml).map_err(|e| e.to_string())?;
    let language = Language::new(entry, strings_yaml)?;
    let mut table = TABLE
        .write()
        .map_err(|_| "the languages table is poisoned")?;
    check_against(&table, &language)?;
    let index = u8::try_from(table.len()).map_err(|_| "too many languages")?;
    table.push(Box::leak(Box::new(language)));
    Ok(Lang(index))
}

fn table() -> std::sync::RwLockReadGuard<'static, Vec<&'static Language>> {
    TABLE
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The language table's entry for an index that is not in it: never handed out (a `Lang` is made
/// only from the table), but a property read must not panic.
static MISSING: LazyLock<Language> = LazyLock::new(|| Language {
    code: "und".into(),
    name: "undetermined".into(),
    report_link: String::new(),
    default: false,
    direction: TextDirection::LeftToRight,
    digits: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    decimal_separator: ".".into(),
    minus_sign: "-".into(),
    plural: PluralRule::Invariant,
    css_fonts: "sans-serif".into(),
    word: WordSettings {
        lang: "und".into(),
        latin_font: "Times New Roman".into(),
        complex_font: "Times New Roman".into(),
    },
    strings: BTreeMap::new(),
    strings_source: String::new(),
});

impl Lang {
    /// English, the first entry of the table.
    pub const EN: Lang = Lang(0);
    /// Persian, the second entry of the table.
    pub const FA: Lang = Lang(1);

    /// The language's entry in the table.
    pub fn language(self) -> &'static Language {
        table()
            .get(usize::from(self.0))
            .copied()
            .unwrap_or(&*MISSING)
    }

    /// Every language of the table, in table order.
    pub fn all() -> Vec<Lang> {
        (0..table().len())
            .filter_map(|i| u8::try_from(i).ok().map(Lang))
            .collect()
    }

    /// The languages of a study that lists none: the table's `default` ones.
    pub fn defaults() -> Vec<Lang> {
        Lang::all()
            .into_iter()
            .filter(|l| l.language().default)
            .collect()
    }

    /// The language with this code.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::all().into_iter().find(|l| l.code() == code)
    }

    /// The codes of every language, for messages: `en, fa`.
    pub fn known_codes() -> String {
        Lang::all()
            .iter()
            .map(|l| l.code())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The language's code (`en`, `fa`): file names, `lang` attributes, study.yaml keys.
    pub fn code(self) -> &'static str {
        &self.language().code
    }

    /// The language's name in English, for error messages.
    pub fn name(self) -> &'static str {
        &self.language().name
    }

    /// The direction the language is written in: every writer (HTML, Markdown, notebook, Word,
    /// workbook, SVG) asks this, and nothing else, which way a report reads.
    pub fn dir(self) -> TextDirection {
        self.language().direction
    }

    /// The fixed text for `key`.
    pub fn text(self, key: &str) -> Option<&'static str> {
        self.language().text(key)
    }

    /// An ASCII number (`-0.617`, `48`, `724-749`) in the language's digits, decimal separator and
    /// minus sign; a hyphen after the first character (a page range) stays as written.
    pub fn number(self, ascii: &str) -> String {
        let language = self.language();
        let (sign, digits) = match ascii.strip_prefix('-') {
            Some(rest) => (language.minus_sign.as_str(), rest),
            None => ("", ascii),
        };
        let mut out = String::with_capacity(ascii.len() * 2);
        out.push_str(sign);
        for c in digits.chars() {
            match c {
                '0'..='9' => out.push(language.digits[usize::from(c as u8 - b'0')]),
                '.' => out.push_str(&language.decimal_separator),
                other => out.push(other),
            }
        }
        out
    }

    /// The ASCII digits inside a text (a label such as "6 to 15 years") in the language's digits;
    /// separators and other characters are left as they are.
    pub fn digits(self, text: &str) -> String {
        let digits = self.language().digits;
        text.chars()
            .map(|c| match c {
                '0'..='9' => digits[usize::from(c as u8 - b'0')],
                other => other,
            })
            .collect()
    }
}

/// A number written in any language of the table back in ASCII digits, `.` and `-`.
pub fn ascii_number(text: &str) -> String {
    let table = table();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'next: while let Some(c) = rest.chars().next() {
        for language in table.iter() {
            if let Some(digit) = language.digits.iter().position(|d| *d == c) {
                out.push(char::from(b'0' + digit as u8));
                rest = &rest[c.len_utf8()..];
                continue 'next;
            }
            for (mark, ascii) in [
                (language.decimal_separator.as_str(), '.'),
                (language.minus_sign.as_str(), '-'),
            ] {
                if !mark.is_empty() && rest.starts_with(mark) {
                    out.push(ascii);
                    rest = &rest[mark.len()..];
                    continue 'next;
                }
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Whether `c` is a digit of a language of the table other than ASCII's (a Persian digit, say).
pub fn is_localized_digit(c: char) -> bool {
    !c.is_ascii_digit() && table().iter().any(|l| l.digits.contains(&c))
}

/// Whether `c` is the decimal separator of a language of the table other than the ASCII point.
pub fn is_localized_decimal_separator(c: char) -> bool {
    c != '.'
        && table()
            .iter()
            .any(|l| l.decimal_separator.chars().eq(std::iter::once(c)))
}

/// Whether `c` is the minus sign of a language of the table other than the ASCII hyphen.
pub fn is_localized_minus_sign(c: char) -> bool {
    c != '-'
        && table()
            .iter()
            .any(|l| l.minus_sign.chars().eq(std::iter::once(c)))
}

impl fmt::Debug for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lang({})", self.code())
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Lang::from_code(&code).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown language '{code}'; the languages are {}",
                Lang::known_codes()
            ))
        })
    }
}

/// A text in each language it is given in: a name, title, caption or label. Written in study.yaml as
/// a map from language code to text (`{en: Low, fa: کم}`); which languages a study needs is checked
/// where the study's languages are known (`config`), so a reader of a listed language never finds
/// it missing.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Names {
    /// In table order, one entry per language.
    texts: Vec<(Lang, String)>,
}

impl Names {
    /// The text in `lang`; empty when not given (never for a language the study lists, once loaded).
    pub fn get(&self, lang: Lang) -> &str {
        self.find(lang).unwrap_or_default()
    }

    /// The text in `lang`, if given.
    pub fn find(&self, lang: Lang) -> Option<&str> {
        self.texts
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, text)| text.as_str())
    }

    /// Sets the text in `lang`.
    pub fn set(&mut self, lang: Lang, text: impl Into<String>) {
        let text = text.into();
        match self.texts.binary_search_by_key(&lang, |(l, _)| *l) {
            Ok(at) => self.texts[at].1 = text,
            Err(at) => self.texts.insert(at, (lang, text)),
        }
    }

    /// The same text in every language of the table (a code known only by its name as coded).
    pub fn uniform(text: &str) -> Names {
        Lang::all()
            .into_iter()
            .map(|l| (l, text.to_string()))
            .collect()
    }

    /// The fixed text `key` of every language of the table (`templates/strings/<code>.yaml`), for a
    /// default that every language must be able to show.
    pub fn fixed_text(key: &str) -> Names {
        Lang::all()
            .into_iter()
            .filter_map(|l| l.text(key).map(|text| (l, text.to_string())))
            .collect()
    }

    /// Each language's text, in table order.
    pub fn iter(&self) -> impl Iterator<Item = (Lang, &str)> {
        self.texts.iter().map(|(l, text)| (*l, text.as_str()))
    }

    /// Keeps the texts of `langs` only.
    pub fn retain(&mut self, langs: &[Lang]) {
        self.texts.retain(|(lang, _)| langs.contains(lang));
    }

    /// The languages of `langs` whose text is missing or blank.
    pub fn missing(&self, langs: &[Lang]) -> Vec<Lang> {
        langs
            .iter()
            .copied()
            .filter(|l| self.find(*l).is_none_or(|text| text.trim().is_empty()))
            .collect()
    }

    /// Texts from `(language, text)` pairs: `Names::of(&[(Lang::EN, "Low")])`.
    pub fn of<S: AsRef<str>>(pairs: &[(Lang, S)]) -> Names {
        pairs
            .iter()
            .map(|(l, t)| (*l, t.as_ref().to_string()))
            .collect()
    }
}

impl FromIterator<(Lang, String)> for Names {
    fn from_iter<I: IntoIterator<Item = (Lang, String)>>(pairs: I) -> Names {
        let mut names = Names::default();
        for (lang, text) in pairs {
            names.set(lang, text);
        }
        names
    }
}

impl fmt::Debug for Names {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.texts.iter().map(|(l, t)| (l.code(), t)))
            .finish()
    }
}

impl Serialize for Names {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.texts.len()))?;
        for (lang, text) in &self.texts {
            map.serialize_entry(lang.code(), text)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Names;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text per language, such as {en: Low, fa: کم}")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Names, A::Error> {
                let mut names = Names::default();
                while let Some((lang, text)) = map.next_entry::<Lang, String>()? {
                    if names.find(lang).is_some() {
                        return Err(serde::de::Error::custom(format!(
                            "language '{lang}' is given twice"
                        )));
                    }
                    names.set(lang, text);
                }
                Ok(names)
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_loads_with_english_and_persian_first() {
        check_builtin().unwrap();
        assert_eq!(Lang::EN.code(), "en");
        assert_eq!(Lang::FA.code(), "fa");
        assert_eq!(Lang::from_code("fa"), Some(Lang::FA));
        assert_eq!(Lang::from_code("xx"), None);
        assert!(Lang::FA.dir().is_right_to_left() && !Lang::EN.dir().is_right_to_left());
        assert_eq!(Lang::defaults()[..2], [Lang::EN, Lang::FA]);
        assert_eq!(Lang::FA.language().minus_sign, "\u{2212}");
        assert_eq!(Lang::FA.language().decimal_separator, "\u{066B}");
    }

    #[test]
    fn numbers_follow_the_language_and_read_back_as_ascii() {
        assert_eq!(Lang::FA.number("0.617"), "۰٫۶۱۷");
        assert_eq!(Lang::FA.number("48"), "۴۸");
        assert_eq!(Lang::FA.number("-0.5"), "\u{2212}۰٫۵");
        assert_eq!(Lang::FA.number("724-749"), "۷۲۴-۷۴۹");
        assert_eq!(Lang::EN.number("-0.617"), "-0.617");
        assert_eq!(Lang::FA.digits("6 تا 15 سال"), "۶ تا ۱۵ سال");
        assert_eq!(Lang::FA.digits("v1.2"), "v۱.۲");
        assert_eq!(ascii_number("\u{2212}۰٫۵"), "-0.5");
        assert_eq!(ascii_number("۷۲۴-۷۴۹ and 3"), "724-749 and 3");
        assert!(is_localized_digit('۳') && !is_localized_digit('3') && !is_localized_digit('x'));
        assert!(is_localized_decimal_separator('٫') && !is_localized_decimal_separator('.'));
    }

    #[test]
    fn names_read_from_yaml_by_language_code_and_refuse_unknown_codes() {
        let names: Names = serde_yaml::from_str("{fa: کم, en: Low}").unwrap();
        assert_eq!(names.get(Lang::EN), "Low");
        assert_eq!(names.get(Lang::FA), "کم");
        // Written back in table order, as the manifest records it.
        assert_eq!(serde_yaml::to_string(&names).unwrap(), "en: Low\nfa: کم\n");
        let only: Names = serde_yaml::from_str("{en: Low}").unwrap();
        assert_eq!(only.missing(&[Lang::EN, Lang::FA]), [Lang::FA]);
        assert_eq!(
            Names::of(&[(Lang::EN, " ")]).missing(&[Lang::EN]),
            [Lang::EN]
        );
        let error = serde_yaml::from_str::<Names>("{en: Low, de: Niedrig}").unwrap_err();
        assert!(
            error.to_string().contains("unknown language 'de'"),
            "{error}"
        );
        assert!(
            error.to_string().contains("the languages are en, fa"),
            "{error}"
        );
    }

    #[test]
    fn plural_rules_pick_their_forms() {
        assert_eq!(PluralRule::OneOther.pick(1), 0);
        assert_eq!(PluralRule::OneOther.pick(0), 1);
        assert_eq!(PluralRule::OneOther.pick(21), 1);
        assert_eq!(PluralRule::Invariant.pick(1), 0);
        assert_eq!(PluralRule::Invariant.forms(), 1);
    }

    #[test]
    fn a_language_with_a_key_missing_or_other_placeholders_is_refused() {
        let entry = "{code: zz, name: Test, report_link: Test report, direction: ltr, digits: '0123456789', decimal_separator: '.', minus_sign: '-', plural: invariant, css_fonts: serif, word: {lang: en-US, latin_font: Arial, complex_font: Arial}}";
        let error = register(entry, "doc.title: 'x {title}'").unwrap_err();
        assert!(error.contains("keys missing"), "{error}");
        let mut strings: String = Lang::EN
            .language()
            .keys()
            .map(|key| format!("{key:?}: {:?}\n", Lang::EN.text(key).unwrap_or_default()))
            .collect();
        strings = strings.replacen("{title}", "{name}", 1);
        let error = register(entry, &strings).unwrap_err();
        assert!(error.contains("fills"), "{error}");
        let error = register(&entry.replace("zz", "en"), &strings).unwrap_err();
        assert!(error.contains("appears twice"), "{error}");
    }
}
