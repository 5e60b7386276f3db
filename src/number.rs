//! Exact rational numbers, computed values that are exact or f64, and the one place where numbers are
//! rounded for display.
//!
//! Fuzzy Delphi means on a decimal scale are ratios of small integers, so rational methods (arithmetic
//! means, linear defuzzifications) are computed exactly here. Methods that take roots or logarithms
//! (geometric means, the geometric defuzzification, distances) give f64 values, carried as
//! [`Num::Approx`]; an f64 is itself a binary fraction, so it is rounded and compared through its exact
//! value, by the same code as exact values.

use std::cmp::Ordering;
use std::fmt;

/// The most decimal places a configured number may carry; keeps every intermediate inside i128.
pub(crate) const MAX_DECIMALS: u32 = 6;

/// A reduced fraction `num / den` with `den > 0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Exact {
    num: i128,
    den: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Compares `a / b` with `c / d` (`b, d > 0`) exactly, without overflow: cross-multiplication when
/// it fits, otherwise by comparing whole parts and then the reciprocals of the remainders.
pub(crate) fn cmp_ratio(a: i128, b: i128, c: i128, d: i128) -> Ordering {
    if let (Some(left), Some(right)) = (a.checked_mul(d), c.checked_mul(b)) {
        return left.cmp(&right);
    }
    let (whole_a, rest_a) = (a.div_euclid(b), a.rem_euclid(b));
    let (whole_c, rest_c) = (c.div_euclid(d), c.rem_euclid(d));
    match whole_a.cmp(&whole_c) {
        Ordering::Equal => match (rest_a, rest_c) {
            (0, 0) => Ordering::Equal,
            (0, _) => Ordering::Less,
            (_, 0) => Ordering::Greater,
            // rest_a / b against rest_c / d is d / rest_c against b / rest_a.
            _ => cmp_ratio(d, rest_c, b, rest_a),
        },
        unequal => unequal,
    }
}

impl Exact {
    pub(crate) const ZERO: Exact = Exact { num: 0, den: 1 };

    /// `num / den`, reduced; `None` when `den` is zero.
    pub fn new(num: i128, den: i128) -> Option<Exact> {
        if den == 0 {
            return None;
        }
        let sign = if den < 0 { -1 } else { 1 };
        let divisor = gcd(num, den).max(1);
        Some(Exact {
            num: sign * num / divisor,
            den: sign * den / divisor,
        })
    }

    pub(crate) fn from_int(value: i128) -> Exact {
        Exact { num: value, den: 1 }
    }

    pub(crate) fn numerator(&self) -> i128 {
        self.num
    }

    pub(crate) fn denominator(&self) -> i128 {
        self.den
    }

    /// Parses a plain decimal such as `0.25`, `-1`, `.5` or `3.` with at most `MAX_DECIMALS` places.
    pub(crate) fn parse_decimal(text: &str) -> Result<Exact, String> {
        let parsed = Printed::parse(text)?;
        if parsed.decimals > MAX_DECIMALS {
            return Err(format!(
                "'{text}' has {} decimal places; at most {MAX_DECIMALS} are supported",
                parsed.decimals
            ));
        }
        Ok(parsed.value)
    }

    /// The exact value of an f64 that was written as a short decimal (as YAML numbers are):
    /// its shortest round-trip representation is taken as the decimal the author wrote.
    pub(crate) fn from_written_f64(value: f64) -> Result<Exact, String> {
        if !value.is_finite() {
            return Err(format!("{value} is not a finite number"));
        }
        let text = format!("{value}");
        if text.contains('e') {
            return Err(format!(
                "{value} needs more than {MAX_DECIMALS} decimal places"
            ));
        }
        Exact::parse_decimal(&text)
    }

    pub(crate) fn checked_add(self, other: Exact) -> Option<Exact> {
        let num = self
            .num
            .checked_mul(other.den)?
            .checked_add(other.num.checked_mul(self.den)?)?;
        Exact::new(num, self.den.checked_mul(other.den)?)
    }

    pub(crate) fn checked_sub(self, other: Exact) -> Option<Exact> {
        self.checked_add(Exact {
            num: other.num.checked_neg()?,
            den: other.den,
        })
    }

    pub(crate) fn checked_mul(self, other: Exact) -> Option<Exact> {
        Exact::new(
            self.num.checked_mul(other.num)?,
            self.den.checked_mul(other.den)?,
        )
    }

    pub(crate) fn checked_mul_int(self, factor: i128) -> Option<Exact> {
        Exact::new(self.num.checked_mul(factor)?, self.den)
    }

    pub(crate) fn checked_div_int(self, divisor: i128) -> Option<Exact> {
        Exact::new(self.num, self.den.checked_mul(divisor)?)
    }

    /// The nearest f64 (one rounding: numerator and denominator are exact in f64 when small).
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// The exact value of a finite f64 (a binary fraction `mantissa / 2^k`), when it fits in i128.
    pub(crate) fn from_f64_exact(value: f64) -> Option<Exact> {
        if !value.is_finite() {
            return None;
        }
        if value == 0.0 {
            return Some(Exact::ZERO);
        }
        let bits = value.to_bits();
        let negative = bits >> 63 == 1;
        let biased = ((bits >> 52) & 0x7ff) as i32;
        let fraction = (bits & ((1u64 << 52) - 1)) as i128;
        // value = mantissa * 2^exponent exactly.
        let (mantissa, exponent) = if biased == 0 {
            (fraction, -1074)
        } else {
            (fraction | (1i128 << 52), biased - 1075)
        };
        let shift = mantissa.trailing_zeros() as i32;
        let (mantissa, exponent) = (mantissa >> shift, exponent + shift);
        let signed = if negative { -mantissa } else { mantissa };
        if exponent >= 0 {
            let factor = 1i128
                .checked_shl(exponent as u32)
                .filter(|_| exponent < 126)?;
            signed.checked_mul(factor).map(Exact::from_int)
        } else if -exponent < 126 {
            Exact::new(signed, 1i128 << (-exponent))
        } else {
            None
        }
    }

    /// Rounds half away from zero to `decimals` places, as ASCII digits (`0.617`, `-0.500`, `1`).
    pub(crate) fn round_half_away(self, decimals: u32) -> String {
        self.round_with(decimals, RoundingRule::HalfAwayFromZero)
    }

    /// A configured parameter as a short decimal, as many places as it needs (`0.2`, `0.75`, `1`).
    pub(crate) fn short_decimal(self) -> String {
        without_trailing_zeros(&self.round_half_away(MAX_DECIMALS))
    }

    /// Rounds to `decimals` places by the given tie rule, as ASCII digits.
    pub(crate) fn round_with(self, decimals: u32, rule: RoundingRule) -> String {
        let scale = 10i128.pow(decimals);
        let scaled_num = self.num.abs() * scale;
        let (quotient, remainder) = (scaled_num / self.den, scaled_num % self.den);
        let twice = remainder * 2;
        let round_up = match twice.cmp(&self.den) {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => match rule {
                RoundingRule::HalfAwayFromZero => true,
                RoundingRule::HalfEven => quotient % 2 == 1,
            },
        };
        let magnitude = quotient + i128::from(round_up);
        let negative = self.num < 0 && magnitude != 0;
        let digits = magnitude.to_string();
        let text = if decimals == 0 {
            digits
        } else {
            let width = decimals as usize + 1;
            let padded = format!("{digits:0>width$}");
            let (int_part, frac_part) = padded.split_at(padded.len() - decimals as usize);
            format!("{int_part}.{frac_part}")
        };
        if negative {
            format!("-{text}")
        } else {
            text
        }
    }
}

impl PartialOrd for Exact {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Exact {
    fn cmp(&self, other: &Self) -> Ordering {
        // Denominators are positive, so the ratio comparison preserves order.
        cmp_ratio(self.num, self.den, other.num, other.den)
    }
}

impl fmt::Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

/// A computed value: exact where the method is rational, f64 where it takes roots or logarithms.
///
/// Every operation keeps exactness while both sides are exact; an f64 operand makes the result f64.
/// Rounding and comparisons go through the exact value of the f64 (a binary fraction), so a value is
/// rounded for display in one place ([`Exact::round_with`]) whatever its kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    /// An exact rational.
    Exact(Exact),
    /// A float, for methods that take roots.
    Approx(f64),
}

impl From<Exact> for Num {
    fn from(value: Exact) -> Num {
        Num::Exact(value)
    }
}

impl Num {
    pub(crate) const ZERO: Num = Num::Exact(Exact::ZERO);

    /// The exact value, when the number was computed exactly.
    pub(crate) fn exact(self) -> Option<Exact> {
        match self {
            Num::Exact(value) => Some(value),
            Num::Approx(_) => None,
        }
    }

    /// Whether the number is held exactly (a fraction), not as a double.
    pub(crate) fn is_exact(self) -> bool {
        matches!(self, Num::Exact(_))
    }

    /// The value as the nearest f64.
    pub fn to_f64(self) -> f64 {
        match self {
            Num::Exact(value) => value.to_f64(),
            Num::Approx(value) => value,
        }
    }

    /// The exact value of the number as held: an f64 is converted without rounding when its binary
    /// fraction fits in i128 (every f64 from 2^-70 to 2^70 does).
    pub(crate) fn as_ratio(self) -> Option<Exact> {
        match self {
            Num::Exact(value) => Some(value),
            Num::Approx(value) => Exact::from_f64_exact(value),
        }
    }

    /// Rounds half away from zero to `decimals` places, as ASCII digits.
    pub fn round_half_away(self, decimals: u32) -> String {
        self.round_with(decimals, RoundingRule::HalfAwayFromZero)
    }

    /// Rounds by the given tie rule: the exact value of the number, rounded by [`Exact::round_with`].
    pub(crate) fn round_with(self, decimals: u32, rule: RoundingRule) -> String {
        match self.as_ratio() {
            Some(value) => value.round_with(decimals, rule),
            // Not finite, or below 2^-70 in magnitude (no tie is possible there): f64 formatting.
            None => format!("{:.*}", decimals as usize, self.to_f64()),
        }
    }

    fn combine(
        self,
        other: Num,
        exact: impl Fn(Exact, Exact) -> Option<Exact>,
        approx: impl Fn(f64, f64) -> f64,
    ) -> Option<Num> {
        match (self, other) {
            (Num::Exact(a), Num::Exact(b)) => exact(a, b).map(Num::Exact),
            (a, b) => Some(Num::Approx(approx(a.to_f64(), b.to_f64()))),
        }
    }

    /// `None` only when an exact sum overflows i128.
    pub(crate) fn checked_add(self, other: Num) -> Option<Num> {
        self.combine(other, Exact::checked_add, |a, b| a + b)
    }

    pub(crate) fn checked_sub(self, other: Num) -> Option<Num> {
        self.combine(other, Exact::checked_sub, |a, b| a - b)
    }

    pub(crate) fn checked_mul(self, other: Num) -> Option<Num> {
        self.combine(other, Exact::checked_mul, |a, b| a * b)
    }

    pub(crate) fn checked_mul_int(self, factor: i128) -> Option<Num> {
        match self {
            Num::Exact(value) => value.checked_mul_int(factor).map(Num::Exact),
            Num::Approx(value) => Some(Num::Approx(value * factor as f64)),
        }
    }

    pub(crate) fn checked_div_int(self, divisor: i128) -> Option<Num> {
        match self {
            Num::Exact(value) => value.checked_div_int(divisor).map(Num::Exact),
            Num::Approx(_) if divisor == 0 => None,
            Num::Approx(value) => Some(Num::Approx(value / divisor as f64)),
        }
    }

    /// Compares with an exact value through the number's exact value (an f64 compares as the binary
    /// fraction it holds, so 0.1 as an f64 is slightly above 1/10).
    pub fn cmp_exact(self, other: Exact) -> Ordering {
        match self.as_ratio() {
            Some(value) => value.cmp(&other),
            None => self
                .to_f64()
                .partial_cmp(&other.to_f64())
                .unwrap_or(Ordering::Less),
        }
    }

    /// A total order: by exact values when both have one, by f64 otherwise.
    pub(crate) fn total_cmp(self, other: Num) -> Ordering {
        match (self.as_ratio(), other.as_ratio()) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => self.to_f64().total_cmp(&other.to_f64()),
        }
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Num::Exact(value) => write!(f, "{value}"),
            Num::Approx(value) => write!(f, "{value:?}"),
        }
    }
}

/// A computed value at full f64 precision, as the CSV outputs write it: the shortest form that reads
/// back as the same f64 (`0.6166666666666667`, `0.5`, `1.0`).
pub(crate) fn full_precision(value: Num) -> String {
    format!("{:?}", value.to_f64())
}

/// A decimal's digits without trailing zeros after the point, a bare point or a negative zero:
/// `0.750` -> `0.75`, `2.00` -> `2`, `-0.00` -> `0`, `10` -> `10`. The one place that shortens a
/// printed decimal: configured parameters and figure coordinates both go through it.
pub(crate) fn without_trailing_zeros(decimal: &str) -> String {
    // Only a fraction's zeros are dropped: `10` keeps its zero.
    let trimmed = if decimal.contains('.') {
        decimal.trim_end_matches('0').trim_end_matches('.')
    } else {
        decimal
    };
    if trimmed == "-0" {
        "0".to_string()
    } else {
        trimmed.to_string()
    }
}

/// How a tie (a value exactly halfway between two printable values) is rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundingRule {
    /// Ties go away from zero (0.5 -> 1, -0.5 -> -1).
    HalfAwayFromZero,
    /// Ties go to the even neighbour (0.5 -> 0, 1.5 -> 2).
    HalfEven,
}

/// Significant digits from which a print is read as a binary double written in full (what Python, R
/// and our own CSV writer print), not as a decimal rounding: `0.36000000000000004`, `0.6666666666666666`.
pub(crate) const FULL_PRECISION_DIGITS: u32 = 15;

/// How many units in the last place of a double a full-precision print may be from the value it stands
/// for: a few roundings (a sum, a division) separate an author's f64 from the exact value.
pub(crate) const DOUBLE_ULPS: i128 = 4;

/// A number as it was printed: its exact value and how many decimals it showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Printed {
    pub(crate) value: Exact,
    pub(crate) decimals: u32,
    /// The bits of the f64 the text denotes, when the print is at double precision: it has at least
    /// [`FULL_PRECISION_DIGITS`] significant digits or is the shortest round-trip form of its f64.
    pub(crate) binary: Option<u64>,
    /// Significant digits printed (leading zeros excluded, trailing zeros included).
    pub(crate) significant: u32,
}

impl Printed {
    /// Parses a printed decimal (ASCII digits, optional sign, `.` as separator).
    pub fn parse(text: &str) -> Result<Printed, String> {
        let trimmed = text.trim();
        let (negative, unsigned) = match trimmed.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
        };
        let (int_part, frac_part) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (int_part.is_empty() && frac_part.is_empty())
            || !all_digits(int_part)
            || !all_digits(frac_part)
        {
            return Err(format!("'{text}' is not a decimal number"));
        }
        let digits = format!("{int_part}{frac_part}");
        let significant = digits.trim_start_matches('0');
        if significant.len() > 30 || frac_part.len() > 30 {
            return Err(format!("'{text}' has too many digits"));
        }
        let magnitude: i128 = if significant.is_empty() {
            0
        } else {
            significant
                .parse()
                .map_err(|_| format!("'{text}' is not a decimal number"))?
        };
        let decimals = frac_part.len() as u32;
        let value = Exact::new(
            if negative { -magnitude } else { magnitude },
            10i128.pow(decimals),
        )
        .ok_or_else(|| format!("'{text}' is not a decimal number"))?;
        let significant = significant.len() as u32;
        // Rust parses decimals to the nearest f64 (correctly rounded), as Python and R do.
        let binary = trimmed
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .filter(|f| {
                significant >= FULL_PRECISION_DIGITS
                    || format!("{f}") == trimmed
                    || format!("{f:?}") == trimmed
            })
            .map(f64::to_bits);
        Ok(Printed {
            value,
            decimals,
            binary,
            significant,
        })
    }

    /// Whether the print shows a double in full: it is compared, shown and searched at double precision.
    pub(crate) fn is_full_precision(&self) -> bool {
        self.binary.is_some() && self.significant >= FULL_PRECISION_DIGITS
    }

    /// A computed value in the form of this print: the shortest round-trip form of its f64 for a
    /// full-precision print, else rounded half away from zero at the printed decimals.
    pub(crate) fn show(&self, value: Num) -> String {
        if self.is_full_precision() {
            format!("{}", value.to_f64())
        } else {
            value.round_half_away(self.decimals)
        }
    }

    /// The printed value itself, in its canonical form (see [`Printed::show`]).
    pub fn canonical(&self) -> String {
        match self.binary {
            Some(bits) if self.is_full_precision() => format!("{}", f64::from_bits(bits)),
            _ => self.value.round_half_away(self.decimals),
        }
    }

    /// Decimals at which two prints of the same table are ranked: a full-precision print carries
    /// rounding noise in its last digits (two f64 roads to 2/3 print `...66` and `...67`), so it is
    /// ranked at 12 decimals, far finer than any difference a panel's ratings can make.
    pub(crate) fn rank_decimals(&self) -> u32 {
        if self.is_full_precision() {
            self.decimals.min(12)
        } else {
            self.decimals
        }
    }

    /// The exact values within [`DOUBLE_ULPS`] units in the last place of the printed double, when the
    /// print is at double precision.
    fn double_interval(&self) -> Option<(Exact, Exact)> {
        let x = f64::from_bits(self.binary?);
        let ulp = (x.next_up() - x).max(x - x.next_down());
        let centre = Exact::from_f64_exact(x)?;
        let reach = Exact::from_f64_exact(ulp)?.checked_mul_int(DOUBLE_ULPS)?;
        Some((centre.checked_sub(reach)?, centre.checked_add(reach)?))
    }

    /// Widens a decimal rounding interval to every value within a few ulps of the printed double.
    fn with_double(&self, interval: RoundingInterval) -> RoundingInterval {
        let Some((low, high)) = self.double_interval() else {
            return interval;
        };
        let mut widened = interval;
        if low < interval.low || (low == interval.low && !interval.low_closed) {
            widened.low = low;
            widened.low_closed = true;
        }
        if high > interval.high || (high == interval.high && !interval.high_closed) {
            widened.high = high;
            widened.high_closed = true;
        }
        widened
    }

    /// Whether `exact` rounds to this printed value under `rule`.
    pub fn is_rounding_of(&self, exact: Exact, rule: RoundingRule) -> bool {
        Printed::parse(&exact.round_with(self.decimals, rule)).map(|p| p.value) == Ok(self.value)
    }

    /// The exact values that round to this printed value under `rule`.
    ///
    /// With `d` decimals and printed value `P / 10^d`, the interval runs from `(P - 1/2) / 10^d` to
    /// `(P + 1/2) / 10^d`; which ends are included depends on how the rule breaks ties:
    /// half away from zero keeps the end nearer zero (both ends open at zero), half-even keeps both
    /// ends when `P` is even and neither when it is odd.
    ///
    /// A print at double precision also stands for every value within [`DOUBLE_ULPS`] ulps of its
    /// double (a full-precision print of a computed f64 is no decimal rounding of the exact value).
    pub(crate) fn interval(&self, rule: RoundingRule) -> RoundingInterval {
        self.with_double(self.decimal_interval(rule))
    }

    fn decimal_interval(&self, rule: RoundingRule) -> RoundingInterval {
        let units = self.units();
        let (low_closed, high_closed) = match rule {
            RoundingRule::HalfAwayFromZero => match units.cmp(&0) {
                Ordering::Greater => (true, false),
                Ordering::Less => (false, true),
                Ordering::Equal => (false, false),
            },
            RoundingRule::HalfEven => {
                let even = units % 2 == 0;
                (even, even)
            }
        };
        // `units` has at most 30 digits (see `parse`), so 2 * units + 1 and 2 * 10^d fit in i128.
        let den = 2 * 10i128.pow(self.decimals);
        RoundingInterval {
            low: Exact::new(2 * units - 1, den).unwrap_or(Exact::ZERO),
            high: Exact::new(2 * units + 1, den).unwrap_or(Exact::ZERO),
            low_closed,
            high_closed,
        }
    }

    /// The exact values that round to this printed value under either tie rule: everything a
    /// defensible rounding could have printed as this value.
    pub(crate) fn interval_any_rule(&self) -> RoundingInterval {
        let away = self.decimal_interval(RoundingRule::HalfAwayFromZero);
        let even = self.decimal_interval(RoundingRule::HalfEven);
        self.with_double(RoundingInterval {
            low_closed: away.low_closed || even.low_closed,
            high_closed: away.high_closed || even.high_closed,
            ..away
        })
    }

    /// The printed value in units of its last digit (`0.617` -> 617, `-1.5` -> -15).
    pub(crate) fn units(&self) -> i128 {
        // The reduced denominator divides 10^d, so this is a whole number and cannot overflow.
        self.value.num * (10i128.pow(self.decimals) / self.value.den)
    }
}

/// An interval of exact values with open or closed ends: the values a printed number may stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RoundingInterval {
    pub(crate) low: Exact,
    pub(crate) high: Exact,
    pub(crate) low_closed: bool,
    pub(crate) high_closed: bool,
}

impl RoundingInterval {
    /// Whether `num / den` (with `den > 0`) lies in the interval.
    pub(crate) fn contains_ratio(&self, num: i128, den: i128) -> bool {
        let low_ok = match cmp_ratio(num, den, self.low.num, self.low.den) {
            Ordering::Greater => true,
            Ordering::Equal => self.low_closed,
            Ordering::Less => false,
        };
        let high_ok = match cmp_ratio(num, den, self.high.num, self.high.den) {
            Ordering::Less => true,
            Ordering::Equal => self.high_closed,
            Ordering::Greater => false,
        };
        low_ok && high_ok
    }

    pub(crate) fn contains(&self, value: Exact) -> bool {
        self.contains_ratio(value.num, value.den)
    }

    /// Whether a computed value lies in the interval: exactly, through the value's exact binary
    /// fraction when it is an f64.
    pub(crate) fn contains_num(&self, value: Num) -> bool {
        match value.as_ratio() {
            Some(exact) => self.contains(exact),
            None => {
                let v = value.to_f64();
                let (low, high) = (self.low.to_f64(), self.high.to_f64());
                (v > low || (self.low_closed && v == low))
                    && (v < high || (self.high_closed && v == high))
            }
        }
    }
}

/// The fraction `num / den`, for the hand-computed cases of unit tests.
#[cfg(test)]
pub(crate) fn q(num: i128, den: i128) -> Exact {
    Exact::new(num, den).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_decimals_drop_only_a_fraction_s_trailing_zeros() {
        assert_eq!(without_trailing_zeros("0.750"), "0.75");
        assert_eq!(without_trailing_zeros("2.00"), "2");
        assert_eq!(without_trailing_zeros("-0.00"), "0");
        assert_eq!(without_trailing_zeros("-0.50"), "-0.5");
        assert_eq!(without_trailing_zeros("10"), "10");
        assert_eq!(without_trailing_zeros("100.000"), "100");
        assert_eq!(
            Exact::parse_decimal("0.550").unwrap().short_decimal(),
            "0.55"
        );
        assert_eq!(Exact::parse_decimal("3").unwrap().short_decimal(), "3");
    }

    #[test]
    fn fractions_are_reduced_with_a_positive_denominator() {
        assert_eq!(q(6, -8), q(-3, 4));
        assert_eq!(q(-3, 4).numerator(), -3);
        assert_eq!(q(-3, 4).denominator(), 4);
        assert!(Exact::new(1, 0).is_none());
    }

    #[test]
    fn arithmetic_is_exact() {
        // 1/3 + 1/6 = 1/2; (1/2) * 3 = 3/2; (3/2) / 3 = 1/2.
        let half = q(1, 3).checked_add(q(1, 6)).unwrap();
        assert_eq!(half, q(1, 2));
        assert_eq!(half.checked_mul_int(3).unwrap(), q(3, 2));
        assert_eq!(q(3, 2).checked_div_int(3).unwrap(), q(1, 2));
        assert_eq!(q(1, 2).checked_sub(q(3, 4)).unwrap(), q(-1, 4));
        assert!(q(1, 3) < q(1, 2));
    }

    #[test]
    fn decimals_parse_exactly() {
        assert_eq!(Exact::parse_decimal("0.25").unwrap(), q(1, 4));
        assert_eq!(Exact::parse_decimal("-1").unwrap(), q(-1, 1));
        assert_eq!(Exact::parse_decimal(".5").unwrap(), q(1, 2));
        assert!(Exact::parse_decimal("0.1234567").is_err());
        assert!(Exact::parse_decimal("abc").is_err());
        assert!(Exact::parse_decimal("").is_err());
        assert!(Exact::parse_decimal("1e3").is_err());
        assert_eq!(Exact::from_written_f64(0.75).unwrap(), q(3, 4));
        assert_eq!(Exact::from_written_f64(0.1).unwrap(), q(1, 10));
    }

    #[test]
    fn rounding_is_half_away_from_zero_on_the_exact_value() {
        // 0.6225 is not representable in binary (f64 gives 0.62249999...), but exactly it is a tie.
        assert_eq!(q(6225, 10000).round_half_away(3), "0.623");
        assert_eq!(q(-6225, 10000).round_half_away(3), "-0.623");
        assert_eq!(
            q(6225, 10000).round_with(3, RoundingRule::HalfEven),
            "0.622"
        );
        assert_eq!(
            q(6235, 10000).round_with(3, RoundingRule::HalfEven),
            "0.624"
        );
        // 37/60 = 0.61666..., 121/180 = 0.67222...
        assert_eq!(q(37, 60).round_half_away(3), "0.617");
        assert_eq!(q(121, 180).round_half_away(3), "0.672");
        assert_eq!(q(1, 2).round_half_away(3), "0.500");
        assert_eq!(q(1, 2).round_half_away(0), "1");
        assert_eq!(q(-1, 2000).round_half_away(3), "-0.001");
        assert_eq!(q(-1, 3000).round_half_away(3), "0.000");
        assert_eq!(q(2, 1).round_half_away(2), "2.00");
    }

    #[test]
    fn ratio_comparison_is_exact_even_when_cross_products_overflow() {
        assert_eq!(cmp_ratio(1, 3, 1, 2), Ordering::Less);
        assert_eq!(cmp_ratio(-1, 3, -1, 2), Ordering::Greater);
        assert_eq!(cmp_ratio(2, 4, 1, 2), Ordering::Equal);
        // (10^30 + 1) / 10^30 against (10^30 + 2) / (10^30 + 1): cross products overflow i128.
        // Whole parts are 1 and 1; remainders 1/10^30 and 1/(10^30 + 1): the first is larger.
        let big = 10i128.pow(30);
        assert_eq!(cmp_ratio(big + 1, big, big + 2, big + 1), Ordering::Greater);
        assert_eq!(cmp_ratio(big + 2, big + 1, big + 1, big), Ordering::Less);
        assert_eq!(cmp_ratio(3 * big, 3 * big, big, big), Ordering::Equal);
    }

    #[test]
    fn rounding_intervals_follow_the_tie_rules() {
        // 0.617 stands for [0.6165, 0.6175) when ties go away from zero; 617 is odd, so half-even
        // keeps neither end: (0.6165, 0.6175). Either rule: [0.6165, 0.6175).
        let printed = Printed::parse("0.617").unwrap();
        assert_eq!(printed.units(), 617);
        let away = printed.interval(RoundingRule::HalfAwayFromZero);
        assert_eq!((away.low, away.high), (q(6165, 10000), q(6175, 10000)));
        assert!(away.contains(q(6165, 10000)) && !away.contains(q(6175, 10000)));
        let even = printed.interval(RoundingRule::HalfEven);
        assert!(!even.contains(q(6165, 10000)) && !even.contains(q(6175, 10000)));
        let any = printed.interval_any_rule();
        assert!(any.contains(q(6165, 10000)) && !any.contains(q(6175, 10000)));
        // 0.622 is even: half-even keeps both ties 0.6215 and 0.6225.
        let even_units = Printed::parse("0.622").unwrap();
        let any = even_units.interval_any_rule();
        assert!(any.contains(q(6215, 10000)) && any.contains(q(6225, 10000)));
        // Zero: half away from zero sends both ties away; half-even keeps them.
        let zero = Printed::parse("0.0").unwrap();
        assert!(!zero
            .interval(RoundingRule::HalfAwayFromZero)
            .contains(q(1, 20)));
        assert!(zero.interval(RoundingRule::HalfEven).contains(q(-1, 20)));
        // Negative values mirror positive ones: -0.5 at 0 decimals rounds away to -1.
        let minus_one = Printed::parse("-1").unwrap();
        assert!(minus_one
            .interval(RoundingRule::HalfAwayFromZero)
            .contains(q(-1, 2)));
        assert!(!minus_one
            .interval(RoundingRule::HalfAwayFromZero)
            .contains(q(-3, 2)));
    }

    #[test]
    fn intervals_agree_with_rounding_the_value_itself() {
        // Every k/360 in [-1, 1] (ties at 3 and 2 decimals included) against printed values at
        // 2 and 3 decimals near it: the interval test and the string rounding must give the same answer.
        for k in -360..=360 {
            let value = q(k, 360);
            for decimals in [2u32, 3] {
                for rule in [RoundingRule::HalfAwayFromZero, RoundingRule::HalfEven] {
                    let rounded = Printed::parse(&value.round_with(decimals, rule)).unwrap();
                    for step in -2..=2 {
                        let units = rounded.units() + step;
                        let text = Exact::new(units, 10i128.pow(decimals))
                            .unwrap()
                            .round_half_away(decimals);
                        let printed = Printed::parse(&text).unwrap();
                        assert_eq!(
                            printed.interval(rule).contains(value),
                            printed.is_rounding_of(value, rule),
                            "{k}/360 against {text} ({rule:?})"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn printed_values_know_their_precision() {
        let printed = Printed::parse("0.617").unwrap();
        assert_eq!(printed.decimals, 3);
        assert!(printed.is_rounding_of(q(37, 60), RoundingRule::HalfAwayFromZero));
        assert!(!printed.is_rounding_of(q(61, 100), RoundingRule::HalfAwayFromZero));
        let tie = Printed::parse("0.623").unwrap();
        assert!(tie.is_rounding_of(q(6225, 10000), RoundingRule::HalfAwayFromZero));
        assert!(!tie.is_rounding_of(q(6225, 10000), RoundingRule::HalfEven));
    }

    #[test]
    fn f64_values_convert_to_their_exact_binary_fraction() {
        assert_eq!(Exact::from_f64_exact(0.75), Some(q(3, 4)));
        assert_eq!(Exact::from_f64_exact(-2.5), Some(q(-5, 2)));
        assert_eq!(Exact::from_f64_exact(6.0), Some(q(6, 1)));
        assert_eq!(Exact::from_f64_exact(0.0), Some(Exact::ZERO));
        // 0.1 is 3602879701896397 / 2^55 in binary, slightly above 1/10.
        assert_eq!(
            Exact::from_f64_exact(0.1),
            Some(q(3_602_879_701_896_397, 1i128 << 55))
        );
        assert!(Exact::from_f64_exact(0.1).unwrap() > q(1, 10));
        assert_eq!(Exact::from_f64_exact(f64::NAN), None);
        assert_eq!(Exact::from_f64_exact(1e-300), None);
    }

    #[test]
    fn approximate_values_round_and_compare_through_their_exact_value() {
        // 0.0625 = 1/16 is an exact tie at 3 decimals: half away from zero gives 0.063, where f64
        // formatting (ties to even) would give 0.062.
        assert_eq!(Num::Approx(0.0625).round_half_away(3), "0.063");
        assert_eq!(format!("{:.3}", 0.0625), "0.062");
        assert_eq!(Num::Approx(2f64.sqrt()).round_half_away(4), "1.4142");
        assert_eq!(Num::Exact(q(2, 3)).round_half_away(3), "0.667");
        // The f64 nearest 0.1 is above 1/10; the exact 1/10 is not.
        assert_eq!(Num::Approx(0.1).cmp_exact(q(1, 10)), Ordering::Greater);
        assert_eq!(Num::Exact(q(1, 10)).cmp_exact(q(1, 10)), Ordering::Equal);
        assert_eq!(Num::Approx(1e-300).round_half_away(3), "0.000");
    }

    #[test]
    fn operations_stay_exact_until_an_f64_enters() {
        let third = Num::Exact(q(1, 3));
        let sum = third.checked_add(third).unwrap();
        assert_eq!(sum, Num::Exact(q(2, 3)));
        let mixed = third.checked_add(Num::Approx(0.5)).unwrap();
        assert!(!mixed.is_exact());
        assert!((mixed.to_f64() - 5.0 / 6.0).abs() < 1e-15);
        assert_eq!(
            Num::Exact(q(3, 4)).checked_div_int(3).unwrap(),
            Num::Exact(q(1, 4))
        );
        assert_eq!(Num::Approx(1.0).checked_div_int(0), None);
        assert_eq!(
            Num::Exact(q(1, 2)).total_cmp(Num::Approx(0.25)),
            Ordering::Greater
        );
    }

    #[test]
    fn full_precision_prints_are_compared_within_a_few_ulps_of_their_double() {
        // 0.36000000000000004 is what 0.1 * 3.6 gives in f64: one ulp (2^-54) above the double nearest
        // 0.36. Read as a decimal at 17 places it would exclude 9/25; at double precision it holds it.
        let print = Printed::parse("0.36000000000000004").unwrap();
        assert!(print.is_full_precision());
        assert_eq!(print.significant, 17);
        assert!(print.interval_any_rule().contains(q(9, 25)));
        assert!(print
            .interval(RoundingRule::HalfAwayFromZero)
            .contains(q(9, 25)));
        // 0.3600000000000010 is about 17 ulps (of 2^-54) above it: outside.
        assert!(!print
            .interval_any_rule()
            .contains(Printed::parse("0.3600000000000010").unwrap().value));
        // 2/3 is 0.666...6 (16 sixes) + 2/3 * 10^-16: more than half a unit of the 16th decimal from
        // the print, within a ulp of its double.
        let two_thirds = Printed::parse("0.6666666666666666").unwrap();
        assert!(two_thirds.is_full_precision());
        assert!(two_thirds.interval_any_rule().contains(q(2, 3)));
        assert!(!two_thirds.interval_any_rule().contains(q(6667, 10000)));
        assert_eq!(two_thirds.show(Num::Exact(q(2, 3))), "0.6666666666666666");
        assert_eq!(two_thirds.canonical(), "0.6666666666666666");
        // A short print is also the shortest form of its double, but its decimal interval is far
        // wider than a few ulps: it is compared, and shown, as a 3-decimal rounding.
        let short = Printed::parse("0.617").unwrap();
        assert!(short.binary.is_some() && !short.is_full_precision());
        assert_eq!(
            short.interval_any_rule(),
            short.decimal_interval(RoundingRule::HalfAwayFromZero)
        );
        assert_eq!(short.show(Num::Exact(q(37, 60))), "0.617");
        // 0.6170 is no shortest form (trailing zero) and has 4 digits: a plain decimal.
        assert_eq!(Printed::parse("0.6170").unwrap().binary, None);
        // Ranked at 12 decimals: two roads to 2/3 rank alike.
        assert_eq!(two_thirds.rank_decimals(), 12);
        assert_eq!(short.rank_decimals(), 3);
    }

    #[test]
    fn full_precision_is_the_csv_writers_form() {
        assert_eq!(full_precision(Num::Exact(q(37, 60))), "0.6166666666666667");
        assert_eq!(full_precision(Num::Exact(q(1, 1))), "1.0");
        assert_eq!(
            full_precision(Num::Approx(0.1 + 0.2)),
            "0.30000000000000004"
        );
        let printed = Printed::parse("1.0").unwrap();
        assert!(printed.binary.is_some());
    }
}
