//! The process profile of a log, with pm4py's definitions: activity counts, start and end
//! activities, the directly-follows graph with frequency and performance, variants, case durations.
//!
//! - Directly-follows: consecutive events of a case. The flow time of an edge `a → b` is
//!   `max(start(b), complete(a)) − complete(a)` (without start timestamps: `complete(b) − complete(a)`),
//!   pm4py's `discover_performance_dfg`; its statistics are mean, median, min, max, total and the
//!   sample standard deviation (none for a single occurrence, where pandas gives NaN).
//! - Variant: the sequence of activities of a case. Case duration: last completion − first start
//!   (first completion without start timestamps), in seconds.
//!
//! ```
//! use journeystream::{analytics::process::profile, log::LogBuilder};
//! let mut b = LogBuilder::new();
//! for (case, activity, t) in [("1", "a", 0), ("1", "b", 10), ("2", "a", 0), ("2", "b", 30), ("2", "c", 40)] {
//!     b.push(case, activity, t * 1_000_000_000)?;
//! }
//! let p = profile(&b.finish().unwrap());
//! let ab = p.dfg.iter().find(|e| e.source == "a" && e.target == "b").unwrap();
//! assert_eq!((ab.count, ab.mean, ab.median), (2, 20.0, 20.0));
//! assert_eq!(p.variants[0].count, 1);
//! assert_eq!(p.case_durations.max, 40.0);
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::partial::{add_counts, unify, Partial};
use super::sequence::{Sequence, SequenceStore};
use crate::log::{EventLog, Interner};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

const NS: f64 = 1e9;

/// The mergeable partial of a [`Profile`].
#[derive(Debug, Clone)]
pub struct ProfilePartial {
    activities: Arc<Interner>,
    cases: u64,
    events: u64,
    events_per_activity: Vec<u64>,
    cases_per_activity: Vec<u64>,
    start: Vec<u64>,
    end: Vec<u64>,
    /// The flow times (ns) of every directly-follows pair, grouped by pair as they are read.
    flows: EdgeFlows,
    /// The distinct activity sequences.
    variants: VariantTable,
    /// The case-id dictionaries of the logs the cases come from.
    case_sources: Vec<Arc<Interner>>,
    /// One record per case, in one segment per batch of cases.
    case_records: Vec<CaseSegment>,
}

/// The records of a batch of cases, all from one log.
#[derive(Debug, Clone)]
struct CaseSegment {
    /// The log's case-id dictionary, an index into `case_sources`.
    source: u32,
    records: Vec<CaseRecord>,
}

/// A case as the profile needs it: its number in its log, its variant and its duration.
#[derive(Debug, Clone, Copy)]
struct CaseRecord {
    case: u32,
    variant: u32,
    duration: i64,
}

/// Distinct activity sequences, stored end to end in one arena (no allocation per variant), found
/// through an open-addressing table whose slots hold each sequence's hash and place in the arena:
/// a lookup reads one slot and, when the hash matches, the sequence.
#[derive(Debug, Clone, Default)]
struct VariantTable {
    arena: Vec<u32>,
    spans: Vec<(usize, usize)>,
    /// A power of two of slots, at most half of them used.
    slots: Vec<Slot>,
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    hash: u64,
    start: usize,
    len: u32,
    /// `VariantTable::NONE` when the slot is free.
    id: u32,
}

impl VariantTable {
    const NONE: u32 = u32::MAX;
    const FREE: Slot = Slot {
        hash: 0,
        start: 0,
        len: 0,
        id: Self::NONE,
    };

    fn len(&self) -> usize {
        self.spans.len()
    }

    fn get(&self, id: u32) -> &[u32] {
        let (start, len) = self.spans[id as usize];
        &self.arena[start..start + len]
    }

    fn hash(seq: &[u32]) -> u64 {
        let mut h = rustc_hash::FxHasher::default();
        seq.hash(&mut h);
        h.finish()
    }

    /// Where the probe for `hash` starts: the top bits of a Fibonacci multiple.
    fn home(&self, hash: u64) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (hash.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }

    /// The id of `seq`, added when new.
    fn intern(&mut self, seq: &[u32]) -> u32 {
        self.intern_hashed(seq, Self::hash(seq))
    }

    /// The id of `seq`, whose hash is `hash`, added when new.
    fn intern_hashed(&mut self, seq: &[u32], hash: u64) -> u32 {
        if 2 * (self.spans.len() + 1) > self.slots.len() {
            self.grow();
        }
        let len = u32::try_from(seq.len()).expect("a case has fewer than 2^32 events");
        let mask = self.slots.len() - 1;
        let mut i = self.home(hash);
        loop {
            let slot = self.slots[i];
            if slot.id == Self::NONE {
                break;
            }
            if slot.hash == hash
                && slot.len == len
                && self.arena[slot.start..slot.start + seq.len()] == *seq
            {
                return slot.id;
            }
            i = (i + 1) & mask;
        }
        let id = self.spans.len() as u32;
        let start = self.arena.len();
        self.slots[i] = Slot {
            hash,
            start,
            len,
            id,
        };
        self.spans.push((start, seq.len()));
        self.arena.extend_from_slice(seq);
        id
    }

    /// Reads the slots where `hashes` start probing, and the sequences they match, before any
    /// lookup needs them: the cache misses of a batch overlap instead of stalling one lookup at
    /// a time (group prefetching).
    fn prefetch(&self, hashes: &[u64]) {
        if self.slots.is_empty() {
            return;
        }
        let slot = |h: u64| &self.slots[self.home(h)];
        let mut seen = 0u64;
        for &h in hashes {
            seen ^= slot(h).hash;
        }
        for &h in hashes {
            let s = slot(h);
            if s.hash == h {
                seen ^= self.arena.get(s.start).map_or(0, |&a| u64::from(a));
            }
        }
        std::hint::black_box(seen);
    }

    /// Twice the slots, every sequence placed again from its stored hash.
    fn grow(&mut self) {
        let size = (2 * self.slots.len()).max(16);
        let old = std::mem::replace(&mut self.slots, vec![Self::FREE; size]);
        let mask = self.slots.len() - 1;
        for slot in old.into_iter().filter(|s| s.id != Self::NONE) {
            let mut i = self.home(slot.hash);
            while self.slots[i].id != Self::NONE {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }

    /// Each sequence of the table with its id and hash.
    fn entries(&self) -> impl Iterator<Item = (u32, &[u32], u64)> {
        self.slots
            .iter()
            .filter(|s| s.id != Self::NONE)
            .map(|s| (s.id, &self.arena[s.start..s.start + s.len as usize], s.hash))
    }
}

impl Partial for ProfilePartial {
    fn empty(activities: Arc<Interner>) -> Self {
        let n = activities.len();
        ProfilePartial {
            activities,
            cases: 0,
            events: 0,
            events_per_activity: vec![0; n],
            cases_per_activity: vec![0; n],
            start: vec![0; n],
            end: vec![0; n],
            flows: EdgeFlows::default(),
            variants: VariantTable::default(),
            case_sources: Vec::new(),
            case_records: Vec::new(),
        }
    }

    fn add_cases(&mut self, log: &EventLog, cases: Range<usize>) {
        if cases.is_empty() {
            return;
        }
        let mut flows = EdgeFlows::default();
        let mut slots = SlotIndex::new(self.activities.len());
        let mut records = Vec::with_capacity(cases.len());
        let source = self.source_of(log.case_dictionary());
        let mut last_case = vec![usize::MAX; self.activities.len()];
        let mut hashes = [0u64; PREFETCH];
        for c in cases.clone() {
            let k = (c - cases.start) % PREFETCH;
            if k == 0 {
                // The next batch's variant hashes, and their table slots read ahead.
                let batch = c..(c + PREFETCH).min(cases.end);
                for (h, b) in hashes.iter_mut().zip(batch) {
                    *h = VariantTable::hash(log.case(b).activities());
                }
                self.variants
                    .prefetch(&hashes[..cases.end.min(c + PREFETCH) - c]);
            }
            let case = log.case(c);
            let (acts, ts) = (case.activities(), case.timestamps());
            if acts.is_empty() {
                continue;
            }
            let starts = case.starts();
            let start_of =
                |i: usize| starts.map_or(ts[i], |s| if s[i] == i64::MIN { ts[i] } else { s[i] });
            self.cases += 1;
            self.events += acts.len() as u64;
            for &a in acts {
                self.events_per_activity[a as usize] += 1;
                if last_case[a as usize] != c {
                    last_case[a as usize] = c;
                    self.cases_per_activity[a as usize] += 1;
                }
            }
            self.start[acts[0] as usize] += 1;
            self.end[acts[acts.len() - 1] as usize] += 1;
            for i in 1..acts.len() {
                let flow = start_of(i).max(ts[i - 1]) - ts[i - 1];
                flows.push(&mut slots, acts[i - 1], acts[i], flow);
            }
            records.push(CaseRecord {
                case: c as u32,
                variant: self.variants.intern_hashed(acts, hashes[k]),
                duration: ts[ts.len() - 1] - start_of(0),
            });
        }
        self.flows.absorb(flows, None);
        self.case_records.push(CaseSegment { source, records });
    }

    fn merge(mut self, mut other: Self) -> Self {
        let (dict, map) = unify(&self.activities, &other.activities);
        if map.is_none() && self.variants.len() < other.variants.len() {
            // Same dictionary: pour the smaller partial into the larger one.
            std::mem::swap(&mut self, &mut other);
        }
        let m = map.as_deref();
        self.activities = dict;
        self.cases += other.cases;
        self.events += other.events;
        add_counts(&mut self.events_per_activity, &other.events_per_activity, m);
        add_counts(&mut self.cases_per_activity, &other.cases_per_activity, m);
        add_counts(&mut self.start, &other.start, m);
        add_counts(&mut self.end, &other.end, m);
        self.flows.absorb(other.flows, m);
        let mut variant_map = vec![0u32; other.variants.len()];
        let mut seq = Vec::new();
        for (id, other_seq, hash) in other.variants.entries() {
            variant_map[id as usize] = match m {
                None => self.variants.intern_hashed(other_seq, hash),
                Some(m) => {
                    seq.clear();
                    seq.extend(other_seq.iter().map(|&a| m[a as usize]));
                    self.variants.intern(&seq)
                }
            };
        }
        let source_map: Vec<u32> = other
            .case_sources
            .iter()
            .map(|d| self.source_of(d))
            .collect();
        for mut segment in other.case_records {
            for r in &mut segment.records {
                r.variant = variant_map[r.variant as usize];
            }
            segment.source = source_map[segment.source as usize];
            self.case_records.push(segment);
        }
        let n = self.activities.len();
        for v in [
            &mut self.events_per_activity,
            &mut self.cases_per_activity,
            &mut self.start,
            &mut self.end,
        ] {
            v.resize(n, 0);
        }
        self
    }
}

impl ProfilePartial {
    /// The index of a case-id dictionary among this partial's sources, added when new.
    fn source_of(&mut self, dictionary: &Arc<Interner>) -> u32 {
        match self
            .case_sources
            .iter()
            .position(|d| Arc::ptr_eq(d, dictionary))
        {
            Some(i) => i as u32,
            None => {
                self.case_sources.push(dictionary.clone());
                (self.case_sources.len() - 1) as u32
            }
        }
    }
}

/// Summary statistics of durations, in seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DurationStats {
    pub count: u64,
    pub mean: f64,
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub total: f64,
    /// Sample standard deviation (n − 1); none below two values.
    pub stdev: Option<f64>,
}

impl DurationStats {
    /// Statistics of nanosecond durations (reordered in place): `i64` for durations inside a
    /// case, `u64` for gaps between cases, which may exceed `i64::MAX`. Sums are exact.
    pub fn of_nanos<T: Copy + Ord + Into<i128>>(values: &mut [T]) -> DurationStats {
        let n = values.len();
        if n == 0 {
            return DurationStats {
                count: 0,
                mean: 0.0,
                median: 0.0,
                min: 0.0,
                max: 0.0,
                total: 0.0,
                stdev: None,
            };
        }
        let wide = |v: T| -> i128 { v.into() };
        let (mut min, mut max, mut total) = (values[0], values[0], 0i128);
        for &v in values.iter() {
            min = min.min(v);
            max = max.max(v);
            total += wide(v);
        }
        let secs = |v: T| wide(v) as f64 / NS;
        let mean = total as f64 / n as f64 / NS;
        let stdev = (n > 1).then(|| {
            let ss = exact_squares(values.iter().map(|&v| wide(v)), total, n as i128);
            (ss / (n - 1) as f64).sqrt() / NS
        });
        let (_, &mut upper, _) = values.select_nth_unstable(n / 2);
        let median = if n % 2 == 1 {
            secs(upper)
        } else {
            let lower = values[..n / 2]
                .iter()
                .copied()
                .max()
                .expect("n is even and positive");
            (wide(lower) as f64 + wide(upper) as f64) / 2.0 / NS
        };
        DurationStats {
            count: n as u64,
            mean,
            median,
            min: secs(min),
            max: secs(max),
            total: total as f64 / NS,
            stdev,
        }
    }
}

/// The sum of squared deviations from the mean, Σ(x − x̄)², of integers whose sum is `total`,
/// accumulated exactly (in 256 bits) and rounded once: the same value in any order, so a
/// statistic merged from partitions equals the one of the whole.
///
/// With m = ⌊total / n⌋ and r = total − n·m, Σ(x − x̄)² = Σ(x − m)² − r²/n.
fn exact_squares(values: impl Iterator<Item = i128>, total: i128, n: i128) -> f64 {
    let m = total.div_euclid(n);
    let r = total.rem_euclid(n);
    let (mut hi, mut lo) = (0u128, 0u128);
    for x in values {
        let d = (x - m).unsigned_abs();
        let sq = d * d; // |x − m| < 2^64, so its square fits in 128 bits
        let (sum, carry) = lo.overflowing_add(sq);
        lo = sum;
        hi += u128::from(carry);
    }
    let s = hi as f64 * 2f64.powi(128) + lo as f64;
    (s - (r as f64) * (r as f64) / n as f64).max(0.0)
}

/// An activity and how often it occurs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityCount {
    pub activity: String,
    /// Events of this activity.
    pub events: u64,
    /// Cases with at least one.
    pub cases: u64,
}

/// An activity that starts or ends cases, and in how many.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Endpoint {
    pub activity: String,
    pub cases: u64,
}

/// An edge of the directly-follows graph with its frequency and performance (seconds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DfgEdge {
    pub source: String,
    pub target: String,
    pub count: u64,
    pub mean: f64,
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub total: f64,
    pub stdev: Option<f64>,
}

/// A variant: an activity sequence, its cases, and their durations (seconds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub activities: Sequence,
    pub count: u64,
    /// Share of all cases.
    pub share: f64,
    pub duration: DurationStats,
}

/// The duration of one case (seconds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseDuration {
    pub case: Arc<str>,
    pub duration: f64,
}

/// The process profile of a log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub cases: u64,
    pub events: u64,
    /// By events, most first (ties by name).
    pub activities: Vec<ActivityCount>,
    /// By cases, most first (ties by name).
    pub start_activities: Vec<Endpoint>,
    pub end_activities: Vec<Endpoint>,
    /// By count, most first (ties by source, target).
    pub dfg: Vec<DfgEdge>,
    /// By count, most first (ties by activity sequence).
    pub variants: Vec<Variant>,
    /// Statistics of all case durations.
    pub case_durations: DurationStats,
    /// Every case's duration, longest first (ties by case id).
    pub cases_by_duration: Vec<CaseDuration>,
}

impl ProfilePartial {
    /// The profile.
    pub fn finish(self) -> Profile {
        let names: Vec<Arc<str>> = self.activities.names().to_vec();
        // Ties are broken by name: rank[code] is the code's place in name order.
        let mut by_name: Vec<u32> = (0..names.len() as u32).collect();
        by_name.sort_unstable_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
        let mut rank = vec![0u32; names.len()];
        for (r, &code) in by_name.iter().enumerate() {
            rank[code as usize] = r as u32;
        }
        let name = |a: u32| names[a as usize].to_string();
        let mut activities: Vec<ActivityCount> = (0..names.len())
            .filter(|&a| self.events_per_activity[a] > 0)
            .map(|a| ActivityCount {
                activity: name(a as u32),
                events: self.events_per_activity[a],
                cases: self.cases_per_activity[a],
            })
            .collect();
        activities.sort_by(|x, y| {
            y.events
                .cmp(&x.events)
                .then_with(|| x.activity.cmp(&y.activity))
        });
        let endpoints = |counts: &[u64]| {
            let mut v: Vec<Endpoint> = (0..counts.len())
                .filter(|&a| counts[a] > 0)
                .map(|a| Endpoint {
                    activity: name(a as u32),
                    cases: counts[a],
                })
                .collect();
            v.sort_by(|x, y| {
                y.cases
                    .cmp(&x.cases)
                    .then_with(|| x.activity.cmp(&y.activity))
            });
            v
        };
        let (start_activities, end_activities) = (endpoints(&self.start), endpoints(&self.end));
        let cases = self.cases;
        let (flows, table, sources) = (self.flows, self.variants, self.case_sources);
        let segments = self.case_records;
        let records: Vec<CaseRecord> = segments
            .iter()
            .flat_map(|s| s.records.iter().copied())
            .collect();
        let variants = || {
            let mut start = vec![0usize; table.len() + 1];
            for r in &records {
                start[r.variant as usize + 1] += 1;
            }
            for i in 0..table.len() {
                start[i + 1] += start[i];
            }
            let mut grouped = vec![0i64; records.len()];
            let mut next = start.clone();
            for r in &records {
                grouped[next[r.variant as usize]] = r.duration;
                next[r.variant as usize] += 1;
            }
            // Variants sorted on integers (count, then the ranks of their first activities packed
            // into one number); only variants equal in both compare their sequences.
            let count = |v: usize| (start[v + 1] - start[v]) as u64;
            let mut order: Vec<(u64, u128, u32)> = (0..table.len())
                .map(|v| {
                    (
                        u64::MAX - count(v),
                        rank_prefix(table.get(v as u32), &rank),
                        v as u32,
                    )
                })
                .collect();
            order.par_sort_unstable();
            let ranked = |v: u32| table.get(v).iter().map(|&a| rank[a as usize]);
            sort_ties(
                &mut order,
                |x, y| (x.0, x.1) == (y.0, y.1),
                |x, y| ranked(x.2).cmp(ranked(y.2)),
            );
            let mut slices: Vec<Option<&mut [i64]>> = Vec::with_capacity(table.len());
            let mut rest: &mut [i64] = &mut grouped;
            for v in 0..table.len() {
                let (head, tail) = rest.split_at_mut(count(v) as usize);
                slices.push(Some(head));
                rest = tail;
            }
            let ordered: Vec<(u32, &mut [i64])> = order
                .iter()
                .map(|&(_, _, v)| (v, slices[v as usize].take().expect("each variant once")))
                .collect();
            // The variants' activities are ranges of the table's arena, which the result keeps.
            let spans = table.spans;
            let store = SequenceStore::new(names.clone(), table.arena);
            ordered
                .into_par_iter()
                .map(|(v, durations)| {
                    let duration = DurationStats::of_nanos(durations);
                    let (start, len) = spans[v as usize];
                    Variant {
                        activities: Sequence::new(&store, start, len),
                        count: duration.count,
                        share: duration.count as f64 / cases as f64,
                        duration,
                    }
                })
                .collect::<Vec<_>>()
        };
        let durations = || {
            // Ids shared in record order (reading each case dictionary front to back), then moved
            // into duration order: no chain of dependent reads per case.
            let mut ids: Vec<Option<Arc<str>>> = segments
                .iter()
                .flat_map(|s| {
                    let dictionary = &sources[s.source as usize];
                    s.records.iter().map(|r| Some(dictionary.shared(r.case)))
                })
                .collect();
            let id = |i: u32| ids[i as usize].as_deref().expect("not yet moved");
            // Sorted on integers (duration, then the first eight bytes of the id); only cases
            // equal in both compare their ids.
            let mut order: Vec<(u64, u64, u32)> = records
                .iter()
                .enumerate()
                .map(|(i, r)| (descending(r.duration), id_prefix(id(i as u32)), i as u32))
                .collect();
            order.par_sort_unstable();
            sort_ties(
                &mut order,
                |x, y| (x.0, x.1) == (y.0, y.1),
                |x, y| id(x.2).cmp(id(y.2)),
            );
            let list = order
                .iter()
                .map(|&(d, _, i)| CaseDuration {
                    case: ids[i as usize].take().expect("each case once"),
                    duration: descending(d as i64) as f64 / NS,
                })
                .collect::<Vec<_>>();
            let mut all: Vec<i64> = records.iter().map(|r| r.duration).collect();
            (DurationStats::of_nanos(&mut all), list)
        };
        let (dfg, (variants, (case_stats, cases_by_duration))) = rayon::join(
            || flows.finish(&rank, &name),
            || rayon::join(variants, durations),
        );
        Profile {
            cases,
            events: self.events,
            activities,
            start_activities,
            end_activities,
            dfg,
            variants,
            case_durations: case_stats,
            cases_by_duration,
        }
    }
}

/// Sorts each run of neighbours that `same` calls equal by `cmp` (`items` is sorted on the key
/// that `same` compares).
fn sort_ties<T>(items: &mut [T], same: impl Fn(&T, &T) -> bool, cmp: impl Fn(&T, &T) -> Ordering) {
    let mut run = 0;
    for i in 1..=items.len() {
        if i == items.len() || !same(&items[run], &items[i]) {
            if i - run > 1 {
                items[run..i].sort_unstable_by(&cmp);
            }
            run = i;
        }
    }
}

/// A number whose ascending order is `d`'s descending order (its own inverse, up to the cast).
fn descending(d: i64) -> u64 {
    !(d as u64 ^ (1 << 63))
}

/// The first eight bytes of `id` as a big-endian number (zeros past its end): ordering these
/// orders the ids, up to equal prefixes.
fn id_prefix(id: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let n = id.len().min(8);
    bytes[..n].copy_from_slice(&id.as_bytes()[..n]);
    u64::from_be_bytes(bytes)
}

/// A sequence's first activities packed into one number, each as its rank + 1 in just enough
/// bits for every rank (0 past the sequence's end), as many as fit in 128 bits: comparing two
/// prefixes orders sequences as comparing their ranks does, up to equal prefixes.
fn rank_prefix(seq: &[u32], rank: &[u32]) -> u128 {
    let bits = (u32::BITS - (rank.len() as u32).leading_zeros()).max(1);
    (0..128 / bits).fold(0u128, |key, i| {
        let r = seq
            .get(i as usize)
            .map_or(0, |&a| rank[a as usize] as u128 + 1);
        (key << bits) | r
    })
}

/// Cases whose variant slots are read ahead at once.
const PREFETCH: usize = 32;

/// Where a chunk of cases keeps each directly-follows pair's slot while reading: a dense
/// matrix for up to 128 activities, a hash map above.
enum SlotIndex {
    Dense { activities: usize, cells: Vec<u32> },
    Sparse(FxHashMap<(u32, u32), u32>),
}

impl SlotIndex {
    fn new(activities: usize) -> Self {
        if activities <= 128 {
            SlotIndex::Dense {
                activities,
                cells: vec![u32::MAX; activities * activities],
            }
        } else {
            SlotIndex::Sparse(FxHashMap::default())
        }
    }

    /// The slot of `(a, b)`, or `new` (which becomes its slot) when unseen.
    fn slot(&mut self, a: u32, b: u32, new: u32) -> u32 {
        match self {
            SlotIndex::Dense { activities, cells } => {
                let cell = &mut cells[a as usize * *activities + b as usize];
                if *cell == u32::MAX {
                    *cell = new;
                }
                *cell
            }
            SlotIndex::Sparse(map) => *map.entry((a, b)).or_insert(new),
        }
    }
}

/// Flow times grouped by directly-follows pair: each pair's times in one segment per chunk of
/// cases (merging moves segments, never copies times; they are joined once, per pair, at the end).
#[derive(Debug, Clone, Default)]
struct EdgeFlows {
    pairs: Vec<(u32, u32)>,
    times: Vec<Segments>,
}

/// One pair's flow times, in segments.
type Segments = Vec<Vec<i64>>;

impl EdgeFlows {
    /// Adds one flow of a chunk being read (one segment per pair).
    fn push(&mut self, slots: &mut SlotIndex, a: u32, b: u32, flow: i64) {
        let slot = slots.slot(a, b, self.pairs.len() as u32) as usize;
        if slot == self.pairs.len() {
            self.pairs.push((a, b));
            self.times.push(vec![Vec::new()]);
        }
        self.times[slot][0].push(flow);
    }

    /// Takes in the flows of other cases, whose codes map through `map` (none: the same codes).
    fn absorb(&mut self, other: EdgeFlows, map: Option<&[u32]>) {
        let code = |a: u32| map.map_or(a, |m| m[a as usize]);
        let mut slot: FxHashMap<(u32, u32), usize> = self
            .pairs
            .iter()
            .enumerate()
            .map(|(i, &p)| (p, i))
            .collect();
        for ((a, b), segments) in other.pairs.into_iter().zip(other.times) {
            let pair = (code(a), code(b));
            let i = *slot.entry(pair).or_insert_with(|| {
                self.pairs.push(pair);
                self.times.push(Vec::new());
                self.pairs.len() - 1
            });
            self.times[i].extend(segments);
        }
    }

    /// The directly-follows graph: statistics per pair in parallel, ordered by count then names.
    fn finish(self, rank: &[u32], name: &(dyn Fn(u32) -> String + Sync)) -> Vec<DfgEdge> {
        let mut edges: Vec<((u32, u32), Segments, usize)> = self
            .pairs
            .into_iter()
            .zip(self.times)
            .map(|(p, segments)| {
                let n = segments.iter().map(Vec::len).sum();
                (p, segments, n)
            })
            .collect();
        edges.sort_unstable_by_key(|&((a, b), _, n)| {
            (std::cmp::Reverse(n), rank[a as usize], rank[b as usize])
        });
        edges
            .into_par_iter()
            .map(|((a, b), mut segments, n)| {
                let mut times = if segments.len() == 1 {
                    segments.pop().expect("one segment")
                } else {
                    let mut all = Vec::with_capacity(n);
                    for s in segments {
                        all.extend_from_slice(&s);
                    }
                    all
                };
                let s = DurationStats::of_nanos(&mut times);
                DfgEdge {
                    source: name(a),
                    target: name(b),
                    count: s.count,
                    mean: s.mean,
                    median: s.median,
                    min: s.min,
                    max: s.max,
                    total: s.total,
                    stdev: s.stdev,
                }
            })
            .collect()
    }
}

/// The process profile of a log, on all cores.
pub fn profile(log: &EventLog) -> Profile {
    ProfilePartial::of_log(log).finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn the_standard_deviation_is_the_same_in_any_order() {
        // Durations whose floating-point sum of squares depends on the order.
        let values: Vec<i64> = (0..1000)
            .map(|i: i64| (i * 7919 % 1013) * 1_000_000_007 + i * 3)
            .collect();
        let forward = DurationStats::of_nanos(&mut values.clone());
        let mut reversed: Vec<i64> = values.iter().rev().copied().collect();
        let mut shuffled: Vec<i64> = values
            .iter()
            .step_by(2)
            .chain(values.iter().skip(1).step_by(2))
            .copied()
            .collect();
        assert_eq!(DurationStats::of_nanos(&mut reversed).stdev, forward.stdev);
        assert_eq!(DurationStats::of_nanos(&mut shuffled).stdev, forward.stdev);
        // 1, 2, 3, 4 s: sample variance 5/3.
        let s = DurationStats::of_nanos(&mut [1i64, 2, 3, 4].map(|x| x * 1_000_000_000));
        assert!((s.stdev.unwrap() - (5.0f64 / 3.0).sqrt()).abs() < 1e-15);
        // The widest spread: 0 and 2^64 − 1 ns (gaps between cases).
        let s = DurationStats::of_nanos(&mut [0u64, u64::MAX]);
        assert!((s.stdev.unwrap() - u64::MAX as f64 / 2f64.sqrt() / 1e9).abs() < 1e-3);
    }

    #[test]
    fn variant_table_finds_each_sequence_again_after_growing() {
        let mut table = VariantTable::default();
        let seqs: Vec<Vec<u32>> = (0..2000u32)
            .map(|i| (0..i % 7 + 1).map(|k| (i * 31 + k * 7) % 11).collect())
            .collect();
        let mut first: HashMap<&[u32], u32> = HashMap::new();
        for s in &seqs {
            table.prefetch(&[VariantTable::hash(s)]);
            let id = table.intern(s);
            assert_eq!(*first.entry(s).or_insert(id), id, "{s:?}");
            assert_eq!(table.get(id), &s[..]);
        }
        assert_eq!(table.len(), first.len());
        assert!(table.slots.len() >= 2 * table.len(), "at most half full");
        let mut seen = 0;
        for (id, seq, hash) in table.entries() {
            assert_eq!((first[seq], hash), (id, VariantTable::hash(seq)));
            seen += 1;
        }
        assert_eq!(seen, first.len());
    }
}
