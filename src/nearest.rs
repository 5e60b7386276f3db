//! Nearest names: what an error suggests when a name it was given is not one it knows (a survey
//! header, a cell id in a document), by edit distance.

/// Levenshtein distance: insertions, deletions and substitutions of one character.
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// Up to `most` of `candidates` nearest `wanted`, nearest first (ties in the candidates' order); a
/// candidate that contains `wanted`, or that `wanted` contains, counts as one edit away.
pub fn nearest<'a>(wanted: &str, candidates: &[&'a str], most: usize) -> Vec<&'a str> {
    let wanted_chars: Vec<char> = wanted.chars().collect();
    let mut ranked: Vec<(usize, usize, &str)> = candidates
        .iter()
        .enumerate()
        .map(|(index, &candidate)| {
            let distance = if !wanted.is_empty()
                && (candidate.contains(wanted) || wanted.contains(candidate))
            {
                1
            } else {
                edit_distance(&wanted_chars, &candidate.chars().collect::<Vec<_>>())
            };
            (distance, index, candidate)
        })
        .collect();
    ranked.sort_unstable();
    ranked
        .into_iter()
        .take(most)
        .map(|(_, _, candidate)| candidate)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    #[test]
    fn distances_count_single_character_edits() {
        assert_eq!(edit_distance(&chars("summary"), &chars("summary")), 0);
        assert_eq!(edit_distance(&chars("sumary"), &chars("summary")), 1);
        assert_eq!(edit_distance(&chars("kitten"), &chars("sitting")), 3);
        assert_eq!(edit_distance(&chars(""), &chars("abc")), 3);
    }

    #[test]
    fn the_nearest_names_come_first() {
        let ids = ["study", "method", "summary", "screening", "sensitivity"];
        assert_eq!(nearest("sumary", &ids, 2), ["summary", "study"]);
        assert_eq!(nearest("screen", &ids, 1), ["screening"]);
        assert_eq!(nearest("x", &[], 3), Vec::<&str>::new());
    }
}
