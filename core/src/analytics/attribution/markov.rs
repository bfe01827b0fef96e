//! Markov-chain attribution of order k (Anderl et al. 2016; ChannelAttribution's `markov_model`),
//! with exact removal effects.
//!
//! States are (start), the k-tuples of consecutive channels of a path (a path shorter than k is
//! one state of all its channels), (conversion) and (null). A path of touches c1 … cn with C
//! conversions and N nulls adds weight C + N to start → s1 → s2 → … → sm (sliding windows, with
//! consecutive equal states merged: a self-transition does not change absorption probabilities),
//! C to sm → (conversion) and N to sm → (null); its value goes with sm's conversions. Rows are
//! normalised into transition probabilities.
//!
//! The removal effect of channel c is 1 − P(conversion with c removed) ÷ P(conversion), where
//! removing c sends every transition into a state containing c to (null): the share of converting
//! journeys that pass through c, which is what ChannelAttribution estimates by simulation. The
//! attributable conversions are shared in proportion to the removal effects; the value in
//! proportion to the value removal effects (the same with each state's mean conversion value as
//! the reward of converting from it; equal to the removal effects when every conversion has the same
//! value). Both come from exact linear solves ([`super::chain`]), one per channel, on all cores.

use super::chain::Chain;
use super::paths::PathTable;
use super::{Attribution, Credits, MarkovSummary};
use crate::error::{Error, Result};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// The highest order accepted.
pub const MAX_ORDER: usize = 8;

/// A state key: up to 8 channel codes + 1, 16 bits each (0 = no channel).
fn key(channels: &[u32]) -> u128 {
    channels
        .iter()
        .fold(0u128, |k, &c| (k << 16) | (c as u128 + 1))
}

fn unkey(mut k: u128, out: &mut Vec<u32>) {
    out.clear();
    while k != 0 {
        out.push((k & 0xffff) as u32 - 1);
        k >>= 16;
    }
}

/// The chain of a path table: the absorbing chain and, per transient state, its channels.
pub struct MarkovChain {
    pub chain: Chain,
    /// Channel codes of each state (state 0, the start, has none).
    pub state_channels: Vec<Vec<u32>>,
}

/// Builds the order-`order` chain of a path table.
pub fn build_chain(table: &PathTable, order: usize) -> Result<MarkovChain> {
    if !(1..=MAX_ORDER).contains(&order) {
        return Err(Error::argument(
            "order",
            order,
            format!("must be between 1 and {MAX_ORDER}"),
        ));
    }
    if table.channels.len() >= 0xffff {
        return Err(Error::argument(
            "paths",
            table.channels.len(),
            "channels: at most 65 534 are supported by the Markov model",
        ));
    }
    let mut states: FxHashMap<u128, u32> = FxHashMap::default();
    states.insert(0, 0);
    let mut keys = vec![0u128];
    let mut edges: FxHashMap<u64, f64> = FxHashMap::default();
    let (mut conv, mut null, mut value) = (vec![0.0], vec![0.0], vec![0.0]);
    let mut seq: Vec<u32> = Vec::new();
    for r in &table.rows {
        let w = r.conversions + r.nulls;
        if r.touches.is_empty() || w <= 0.0 {
            continue;
        }
        let k = order.min(r.touches.len());
        seq.clear();
        seq.push(0);
        for window in r.touches.windows(k) {
            let kk = key(window);
            let next = keys.len() as u32;
            let s = *states.entry(kk).or_insert_with(|| {
                keys.push(kk);
                conv.push(0.0);
                null.push(0.0);
                value.push(0.0);
                next
            });
            if *seq.last().unwrap_or(&u32::MAX) != s {
                seq.push(s);
            }
        }
        for pair in seq.windows(2) {
            *edges
                .entry(((pair[0] as u64) << 32) | pair[1] as u64)
                .or_insert(0.0) += w;
        }
        let last = seq[seq.len() - 1] as usize;
        conv[last] += r.conversions;
        null[last] += r.nulls;
        if r.conversions > 0.0 {
            value[last] += r.value;
        }
    }
    let mut list: Vec<(u32, u32, f64)> = edges
        .into_iter()
        .map(|(k, w)| ((k >> 32) as u32, k as u32, w))
        .collect();
    list.sort_unstable_by_key(|e| (e.0, e.1));
    let chain = Chain::from_weights(keys.len(), &list, &conv, &null, &value);
    let state_channels = keys
        .iter()
        .map(|&k| {
            let mut v = Vec::new();
            unkey(k, &mut v);
            v
        })
        .collect();
    Ok(MarkovChain {
        chain,
        state_channels,
    })
}

/// Markov attribution of order `order` (1 to [`MAX_ORDER`]).
///
/// ```
/// use journeystream::analytics::attribution::{markov::markov, PathTable};
/// // a > b converts 1 of 2 journeys, b alone 0 of 2: b converts 1 in 4 whichever way it is
/// // reached, so P(conversion) = 1/4; without a, only start → b remains: 1/8 (removal effect
/// // 1/2); without b nothing converts (1). The conversion is shared 1/2 : 1.
/// let rows = serde_json::json!([["a > b", 1, 10.0, 1], ["b", 0, 0.0, 2]]);
/// let a = markov(&PathTable::from_rows(rows.as_array().unwrap(), ">")?, 1)?;
/// assert_eq!(a.markov.as_ref().unwrap().conversion_probability, 0.25);
/// assert_eq!((a.channels[0].removal_effect, a.channels[1].removal_effect), (Some(0.5), Some(1.0)));
/// assert!((a.channels[0].conversions - 1.0 / 3.0).abs() < 1e-15);
/// assert!((a.channels[1].value - 20.0 / 3.0).abs() < 1e-14);
/// # Ok::<(), journeystream::Error>(())
/// ```
pub fn markov(table: &PathTable, order: usize) -> Result<Attribution> {
    let mc = build_chain(table, order)?;
    let n = mc.chain.len();
    let (p, v) = mc.chain.absorb(&vec![false; n])?;
    let nch = table.channels.len();
    let effects: Vec<(f64, f64)> = (0..nch)
        .into_par_iter()
        .map(|c| {
            let removed: Vec<bool> = mc
                .state_channels
                .iter()
                .map(|s| s.contains(&(c as u32)))
                .collect();
            if !removed.iter().any(|&r| r) {
                return Ok((0.0, 0.0));
            }
            let (pc, vc) = mc.chain.absorb(&removed)?;
            let effect = |without: f64, with: f64| {
                if with > 0.0 {
                    (1.0 - without / with).clamp(0.0, 1.0)
                } else {
                    0.0
                }
            };
            Ok((effect(pc, p), effect(vc, v)))
        })
        .collect::<Result<_>>()?;
    let mut credits = Credits::new(nch);
    for r in &table.rows {
        credits.count(r.touches.is_empty(), r.conversions, r.value, r.nulls);
    }
    let (conversions, value) = credits.attributable();
    let sum_c: f64 = effects.iter().map(|e| e.0).sum();
    let sum_v: f64 = effects.iter().map(|e| e.1).sum();
    let share = |e: f64, sum: f64, total: f64| if sum > 0.0 { e / sum * total } else { 0.0 };
    for (c, &(ec, ev)) in effects.iter().enumerate() {
        credits.set(c, share(ec, sum_c, conversions), share(ev, sum_v, value));
    }
    let mut a = credits.finish(&table.channels, table.conversions_without_value);
    let code: FxHashMap<&str, usize> = table
        .channels
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    for credit in &mut a.channels {
        let (re, value_re) = effects[code[credit.channel.as_str()]];
        credit.removal_effect = Some(re);
        credit.value_removal_effect = Some(value_re);
    }
    a.model = "markov".into();
    a.markov = Some(MarkovSummary {
        order,
        states: n - 1,
        conversion_probability: p,
        value_per_journey: v,
    });
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table(rows: serde_json::Value) -> PathTable {
        PathTable::from_rows(rows.as_array().unwrap(), ">").unwrap()
    }

    #[test]
    fn keys_round_trip() {
        let mut v = Vec::new();
        unkey(key(&[0, 5, 65533]), &mut v);
        assert_eq!(v, [65533, 5, 0]); // reversed order is fine: used as a set
    }

    #[test]
    fn order_one_by_hand() {
        // Paths: a>b>c conv 1 (value 10); a>c null 1; b conv 1 (value 2) null 1.
        // Chain: start→a 2/4, start→b 2/4; a→b 1/2, a→c 1/2; b→c 1/3, b→conv 1/3, b→null 1/3;
        // c→conv 1/2, c→null 1/2.
        // x_c = 1/2; x_b = 1/3·1/2 + 1/3 = 1/2; x_a = 1/2·1/2 + 1/2·1/2 = 1/2; P = 1/2.
        // Without a: P = 1/2·x_b = 1/4 → RE 1/2. Without b: x_a = 1/4, P = 1/8 → RE 3/4.
        // Without c: x_b = 1/3, x_a = 1/6, P = 1/12 + 1/6 = 1/4 → RE 1/2.
        // Value rewards: c 10/2 = 5, b 2/3. y_c = 5, y_b = 5/3 + 2/3 = 7/3, y_a = 7/6 + 5/2 = 11/3,
        // V = 3. Without a: V = 7/6 → 11/18; without b: y_a = 5/2, V = 5/4 → 7/12; without c:
        // y_b = 2/3, y_a = 1/3, V = 1/2 → 5/6.
        let t = table(json!([
            ["a > b > c", 1, 10.0, 0],
            ["a > c", 0, 0.0, 1],
            ["b", 1, 2.0, 1]
        ]));
        let a = markov(&t, 1).unwrap();
        let m = a.markov.as_ref().unwrap();
        assert_eq!(m.states, 3);
        assert!((m.conversion_probability - 0.5).abs() < 1e-15);
        assert!((m.value_per_journey - 3.0).abs() < 1e-14);
        let close = |got: Vec<f64>, want: [f64; 3]| {
            for (x, y) in got.iter().zip(want) {
                assert!((x - y).abs() < 1e-14, "{got:?} vs {want:?}");
            }
        };
        close(
            a.channels
                .iter()
                .map(|c| c.removal_effect.unwrap())
                .collect(),
            [0.5, 0.75, 0.5],
        );
        close(
            a.channels
                .iter()
                .map(|c| c.value_removal_effect.unwrap())
                .collect(),
            [11.0 / 18.0, 7.0 / 12.0, 5.0 / 6.0],
        );
        // 2 conversions shared 0.5 : 0.75 : 0.5; value 12 shared 22 : 21 : 30.
        close(
            a.channels.iter().map(|c| c.conversions).collect(),
            [4.0 / 7.0, 6.0 / 7.0, 4.0 / 7.0],
        );
        close(
            a.channels.iter().map(|c| c.value).collect(),
            [22.0 / 73.0 * 12.0, 21.0 / 73.0 * 12.0, 30.0 / 73.0 * 12.0],
        );
    }

    #[test]
    fn order_two_states_and_removal() {
        // a>b>a>b conv 1: order-2 states ab, ba, ab: start→ab→ba→ab→conv.
        let t = table(json!([["a > b > a > b", 1, 0.0, 0], ["c", 0, 0.0, 1]]));
        let mc = build_chain(&t, 2).unwrap();
        assert_eq!(mc.chain.len(), 4); // start, ab, ba, c
        let a = markov(&t, 2).unwrap();
        // Every conversion passes through a and b: both removal effects 1; c 0.
        let re: Vec<f64> = a
            .channels
            .iter()
            .map(|c| c.removal_effect.unwrap())
            .collect();
        assert_eq!(re, [1.0, 1.0, 0.0]);
        assert!(build_chain(&t, 0).is_err() && build_chain(&t, 9).is_err());
    }

    #[test]
    fn paths_shorter_than_the_order_are_one_state() {
        let t = table(json!([["a", 1, 0.0, 0], ["a > b > c", 1, 0.0, 1]]));
        let mc = build_chain(&t, 3).unwrap();
        assert_eq!(mc.state_channels.len(), 3); // start, (a), (a,b,c)
    }
}
