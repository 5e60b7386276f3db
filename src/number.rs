//! Exact rational numbers and the one place where numbers are rounded for display.
//!
//! Fuzzy Delphi means on a decimal scale are ratios of small integers, so they are computed exactly
//! here and rounded half away from zero at the printed precision; f64 only ever sees the final value.

use std::cmp::Ordering;
use std::fmt;

/// The most decimal places a configured number may carry; keeps every intermediate inside i128.
pub const MAX_DECIMALS: u32 = 6;

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

impl Exact {
    pub const ZERO: Exact = Exact { num: 0, den: 1 };

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

    pub fn from_int(value: i128) -> Exact {
        Exact { num: value, den: 1 }
    }

    pub fn numerator(&self) -> i128 {
        self.num
    }

    pub fn denominator(&self) -> i128 {
        self.den
    }

    /// Parses a plain decimal such as `0.25`, `-1`, `.5` or `3.` with at most `MAX_DECIMALS` places.
    pub fn parse_decimal(text: &str) -> Result<Exact, String> {
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
    pub fn from_written_f64(value: f64) -> Result<Exact, String> {
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

    pub fn checked_add(self, other: Exact) -> Option<Exact> {
        let num = self
            .num
            .checked_mul(other.den)?
            .checked_add(other.num.checked_mul(self.den)?)?;
        Exact::new(num, self.den.checked_mul(other.den)?)
    }

    pub fn checked_sub(self, other: Exact) -> Option<Exact> {
        self.checked_add(Exact {
            num: other.num.checked_neg()?,
            den: other.den,
        })
    }

    pub fn checked_mul(self, other: Exact) -> Option<Exact> {
        Exact::new(
            self.num.checked_mul(other.num)?,
            self.den.checked_mul(other.den)?,
        )
    }

    pub fn checked_mul_int(self, factor: i128) -> Option<Exact> {
        Exact::new(self.num.checked_mul(factor)?, self.den)
    }

    pub fn checked_div_int(self, divisor: i128) -> Option<Exact> {
        Exact::new(self.num, self.den.checked_mul(divisor)?)
    }

    /// The nearest f64 (one rounding: numerator and denominator are exact in f64 when small).
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// Rounds half away from zero to `decimals` places, as ASCII digits (`0.617`, `-0.500`, `1`).
    pub fn round_half_away(self, decimals: u32) -> String {
        self.round_with(decimals, RoundingRule::HalfAwayFromZero)
    }

    /// Rounds to `decimals` places by the given tie rule, as ASCII digits.
    pub fn round_with(self, decimals: u32, rule: RoundingRule) -> String {
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
        // Denominators are positive, so cross-multiplication preserves order.
        (self.num * other.den).cmp(&(other.num * self.den))
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

/// How a tie (a value exactly halfway between two printable values) is rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundingRule {
    HalfAwayFromZero,
    HalfEven,
}

/// A number as it was printed: its exact value and how many decimals it showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Printed {
    pub value: Exact,
    pub decimals: u32,
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
        Ok(Printed { value, decimals })
    }

    /// Whether `exact` rounds to this printed value under `rule`.
    pub fn is_rounding_of(&self, exact: Exact, rule: RoundingRule) -> bool {
        Printed::parse(&exact.round_with(self.decimals, rule)).map(|p| p.value) == Ok(self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(num: i128, den: i128) -> Exact {
        Exact::new(num, den).unwrap()
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
    fn printed_values_know_their_precision() {
        let printed = Printed::parse("0.617").unwrap();
        assert_eq!(printed.decimals, 3);
        assert!(printed.is_rounding_of(q(37, 60), RoundingRule::HalfAwayFromZero));
        assert!(!printed.is_rounding_of(q(61, 100), RoundingRule::HalfAwayFromZero));
        let tie = Printed::parse("0.623").unwrap();
        assert!(tie.is_rounding_of(q(6225, 10000), RoundingRule::HalfAwayFromZero));
        assert!(!tie.is_rounding_of(q(6225, 10000), RoundingRule::HalfEven));
    }
}
