//! Shapley-value attribution ("simplified Shapley", Zhao et al. 2018, *Shapley Value Methods for
//! Attribution Modeling in Online Advertising*).
//!
//! The players are the channels of converting paths; the value of a coalition S is the
//! conversions (or conversion value) of the paths whose set of channels is a subset of S. A
//! channel's credit is its Shapley value: the weighted average of its marginal contributions
//! v(S ∪ {c}) − v(S) over all coalitions S without c, with weight |S|! (n − |S| − 1)! ÷ n!. The
//! coalition values come from a subset-sum (zeta) transform over bitmasks and every coalition is
//! enumerated, so the cost is n · 2ⁿ: up to [`MAX_CHANNELS`] channels.
//!
//! For this game the Shapley value equals Σ over channel sets T containing c of R(T) ÷ |T|, R(T)
//! the conversions of paths with exactly the channels T (each path's conversions split equally
//! over its distinct channels); the tests check one against the other.

use super::paths::PathTable;
use super::{Attribution, Credits};
use crate::error::{Error, Result};

/// The most channels (in converting paths) the exact enumeration accepts.
pub const MAX_CHANNELS: usize = 20;

/// Shapley-value attribution of a path table. Channels that occur only in paths without
/// conversions are not players (their credit is 0).
///
/// ```
/// use journeystream::analytics::attribution::{shapley::shapley, PathTable};
/// // v({a}) = 2, v({b}) = 0, v({a, b}) = 2 + 4: a gets 2 + 4/2, b gets 4/2.
/// let rows = serde_json::json!([["a", 2, 20.0], ["a > b > a", 4, 40.0]]);
/// let s = shapley(&PathTable::from_rows(rows.as_array().unwrap(), ">")?)?;
/// assert_eq!((s.channels[0].conversions, s.channels[1].conversions), (4.0, 2.0));
/// assert_eq!(s.channels[0].value, 40.0);
/// # Ok::<(), journeystream::Error>(())
/// ```
pub fn shapley(table: &PathTable) -> Result<Attribution> {
    // Players: channels of converting paths, numbered by first appearance.
    let mut player = vec![usize::MAX; table.channels.len()];
    let mut players: Vec<usize> = Vec::new();
    let converting = |r: &super::PathRow| r.conversions > 0.0 || r.value > 0.0;
    for r in table.rows.iter().filter(|r| converting(r)) {
        for &t in &r.touches {
            if player[t as usize] == usize::MAX {
                player[t as usize] = players.len();
                players.push(t as usize);
            }
        }
    }
    let n = players.len();
    if n > MAX_CHANNELS {
        return Err(Error::argument(
            "model",
            "shapley",
            format!(
                "converting paths have {n} channels; exact Shapley values are limited to {MAX_CHANNELS}"
            ),
        ));
    }
    let size = 1usize << n;
    let mut v = vec![[0.0f64; 2]; size];
    let mut credits = Credits::new(table.channels.len());
    for r in &table.rows {
        credits.count(r.touches.is_empty(), r.conversions, r.value, r.nulls);
        if r.touches.is_empty() || !converting(r) {
            continue;
        }
        let mask = r
            .touches
            .iter()
            .fold(0usize, |m, &t| m | 1 << player[t as usize]);
        v[mask][0] += r.conversions;
        v[mask][1] += r.value;
    }
    // Zeta transform: v(S) = Σ over T ⊆ S of R(T).
    for i in 0..n {
        for s in 0..size {
            if s & (1 << i) != 0 {
                let below = v[s ^ (1 << i)];
                v[s][0] += below[0];
                v[s][1] += below[1];
            }
        }
    }
    // weight[k] = k! (n − k − 1)! / n! = 1 / (n · C(n − 1, k))
    let weight: Vec<f64> = (0..n)
        .map(|k| {
            let mut binom = 1.0f64;
            for j in 0..k {
                binom = binom * (n - 1 - j) as f64 / (j + 1) as f64;
            }
            1.0 / (n as f64 * binom)
        })
        .collect();
    let mut phi = vec![[0.0f64; 2]; n];
    for s in 0..size {
        let w = weight.get(s.count_ones() as usize).copied().unwrap_or(0.0);
        for (i, p) in phi.iter_mut().enumerate() {
            if s & (1 << i) == 0 {
                let with = v[s | 1 << i];
                p[0] += w * (with[0] - v[s][0]);
                p[1] += w * (with[1] - v[s][1]);
            }
        }
    }
    for (i, &c) in players.iter().enumerate() {
        credits.set(c, phi[i][0], phi[i][1]);
    }
    let mut a = credits.finish(&table.channels, table.conversions_without_value);
    a.model = "shapley".into();
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Σ over channel sets T ∋ c of R(T) / |T|.
    fn closed_form(table: &PathTable) -> Vec<f64> {
        let mut out = vec![0.0; table.channels.len()];
        for r in &table.rows {
            let mut set = r.touches.clone();
            set.sort_unstable();
            set.dedup();
            for &c in &set {
                out[c as usize] += r.conversions / set.len() as f64;
            }
        }
        out
    }

    #[test]
    fn three_channel_game_by_hand() {
        // R({a}) = 6, R({a,b}) = 4, R({b,c}) = 3, R({a,b,c}) = 3, b>c nulls only: not counted.
        // a: 6 + 4/2 + 3/3 = 9; b: 2 + 1.5 + 1 = 4.5; c: 1.5 + 1 = 2.5.
        let rows = json!([
            ["a", 6],
            ["a > b > a", 4],
            ["c > b", 3],
            ["b > c > a", 3],
            ["d", 0, 0, 9]
        ]);
        let t = PathTable::from_rows(rows.as_array().unwrap(), ">").unwrap();
        let s = shapley(&t).unwrap();
        let got: Vec<f64> = s.channels.iter().map(|c| c.conversions).collect();
        for (x, y) in got.iter().zip([9.0, 4.5, 2.5, 0.0]) {
            assert!((x - y).abs() < 1e-12, "{got:?}");
        }
    }

    #[test]
    fn enumeration_equals_the_closed_form_on_many_channels() {
        let names: Vec<String> = (0..12).map(|i| format!("c{i:02}")).collect();
        let mut seed = 7u64;
        let mut rows = Vec::new();
        for _ in 0..200 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            let len = 1 + (seed >> 60) as usize % 5;
            let path: Vec<&str> = (0..len)
                .map(|j| names[((seed >> (8 * j + 3)) % 12) as usize].as_str())
                .collect();
            rows.push(json!([path.join(" > "), (seed >> 40) % 7, 1.5]));
        }
        let t = PathTable::from_rows(&rows, ">").unwrap();
        let s = shapley(&t).unwrap();
        let want = closed_form(&t);
        for c in &s.channels {
            let i = t.channels.iter().position(|n| *n == c.channel).unwrap();
            assert!((c.conversions - want[i]).abs() < 1e-9, "{}", c.channel);
        }
        let total: f64 = s.channels.iter().map(|c| c.conversions).sum();
        assert!((total - s.total_conversions).abs() < 1e-9);
    }

    #[test]
    fn too_many_channels_is_an_error() {
        let path: Vec<String> = (0..21).map(|i| format!("c{i}")).collect();
        let rows = json!([[path.join(">"), 1]]);
        let t = PathTable::from_rows(rows.as_array().unwrap(), ">").unwrap();
        let e = shapley(&t).unwrap_err();
        assert!(e.to_string().contains("21 channels"), "{e}");
    }
}
