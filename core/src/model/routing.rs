//! How work moves between steps: the base flow (`next` routes) and the rework loops, as
//! transition shares between step indices. Checked on construction: every route names a step,
//! shares add up, every step is reachable from the first and can reach the end.

use super::ValueStream;
use crate::error::Error;

/// Transition shares of a value stream. `base[i]` lists `(j, p)`: from step `i`, share `p` of work
/// goes to step `j`; the rest of the share goes to the end.
#[derive(Debug, Clone, PartialEq)]
pub struct Routing {
    /// Forward flow, without rework.
    pub base: Vec<Vec<(usize, f64)>>,
    /// Rework loops as `(from, to, share)`, share in (0, 1].
    pub rework: Vec<(usize, usize, f64)>,
}

impl Routing {
    /// Builds and checks the routing; problems carry JSON paths under `prefix`.
    pub fn new(vs: &ValueStream, prefix: &str) -> Result<Routing, Vec<Error>> {
        let mut problems = Vec::new();
        let n = vs.steps.len();
        let mut base = vec![Vec::new(); n];
        for (i, step) in vs.steps.iter().enumerate() {
            let path = format!("{prefix}.steps[{i}].next");
            match &step.next {
                None if i + 1 < n => base[i].push((i + 1, 1.0)),
                None => {}
                Some(routes) => {
                    let mut total = 0.0;
                    for (k, route) in routes.iter().enumerate() {
                        let rpath = format!("{path}[{k}]");
                        if !(route.share_pct > 0.0 && route.share_pct <= 100.0) {
                            problems.push(Error::OutOfRange {
                                path: format!("{rpath}.share_pct"),
                                value: route.share_pct,
                                range: "(0, 100]".into(),
                            });
                            continue;
                        }
                        total += route.share_pct;
                        match vs.step_index(&route.step) {
                            Some(j) => base[i].push((j, route.share_pct / 100.0)),
                            None => problems.push(Error::UnknownReference {
                                path: format!("{rpath}.step"),
                                kind: "step".into(),
                                value: route.step.clone(),
                            }),
                        }
                    }
                    if !routes.is_empty() && (total - 100.0).abs() > 1e-6 {
                        problems.push(Error::invalid(
                            path.clone(),
                            format!("{total}%"),
                            "route shares must add up to 100%",
                        ));
                    }
                }
            }
        }
        let mut rework = Vec::new();
        let mut sent_back = vec![0.0; n];
        for (k, r) in vs.rework.iter().enumerate() {
            let path = format!("{prefix}.rework[{k}]");
            let from = vs.step_index(&r.from);
            let to = vs.step_index(&r.to);
            if from.is_none() {
                problems.push(Error::UnknownReference {
                    path: format!("{path}.from"),
                    kind: "step".into(),
                    value: r.from.clone(),
                });
            }
            if to.is_none() {
                problems.push(Error::UnknownReference {
                    path: format!("{path}.to"),
                    kind: "step".into(),
                    value: r.to.clone(),
                });
            }
            if !(r.share_pct > 0.0 && r.share_pct <= 100.0) {
                problems.push(Error::OutOfRange {
                    path: format!("{path}.share_pct"),
                    value: r.share_pct,
                    range: "(0, 100]".into(),
                });
                continue;
            }
            if let (Some(f), Some(t)) = (from, to) {
                sent_back[f] += r.share_pct;
                rework.push((f, t, r.share_pct / 100.0));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let routing = Routing { base, rework };
        routing.check(vs, prefix, &sent_back, &mut problems);
        if problems.is_empty() {
            Ok(routing)
        } else {
            Err(problems)
        }
    }

    fn check(&self, vs: &ValueStream, prefix: &str, sent_back: &[f64], problems: &mut Vec<Error>) {
        let n = self.base.len();
        if n == 0 {
            return;
        }
        let reached = reachable_from(&self.base, 0);
        for (i, ok) in reached.iter().enumerate() {
            if !ok {
                problems.push(Error::invalid(
                    format!("{prefix}.steps[{i}]"),
                    &vs.steps[i].id,
                    "is not reachable from the first step",
                ));
            }
        }
        let exits = self.reaches_end(&self.base);
        if exits.iter().any(|ok| !ok) {
            let closed = closed_cycle(&self.base, &exits);
            let steps = closed.iter().map(|&j| vs.steps[j].id.clone()).collect();
            problems.push(Error::CycleWithoutExit {
                path: format!("{prefix}.steps[{}].next", closed[0]),
                steps,
            });
            return;
        }
        for (k, &(from, to, _)) in self.rework.iter().enumerate() {
            if !reachable_from(&self.base, to)[from] {
                problems.push(Error::invalid(
                    format!("{prefix}.rework[{k}].to"),
                    &vs.steps[to].id,
                    format!(
                        "is not upstream of '{}': rework goes back to an earlier step",
                        vs.steps[from].id
                    ),
                ));
            }
        }
        for (k, &(from, _, _)) in self.rework.iter().enumerate() {
            if sent_back[from] > 100.0 + 1e-9 {
                problems.push(Error::OutOfRange {
                    path: format!("{prefix}.rework[{k}].share_pct"),
                    value: sent_back[from],
                    range: format!(
                        "(0, 100] in total for the loops leaving '{}'",
                        vs.steps[from].id
                    ),
                });
                return;
            }
        }
        let full = self.full();
        let exits = self.reaches_end(&full);
        if let Some(k) = (0..self.rework.len()).find(|&k| !exits[self.rework[k].0]) {
            let steps = closed_cycle(&full, &exits)
                .iter()
                .map(|&j| vs.steps[j].id.clone())
                .collect();
            problems.push(Error::CycleWithoutExit {
                path: format!("{prefix}.rework[{k}]"),
                steps,
            });
        }
    }

    /// Number of steps.
    pub fn len(&self) -> usize {
        self.base.len()
    }

    /// Whether there are no steps.
    pub fn is_empty(&self) -> bool {
        self.base.is_empty()
    }

    /// Share of work leaving step `i` for the end in a transition table.
    pub fn exit_share(table: &[Vec<(usize, f64)>], i: usize) -> f64 {
        (1.0 - table[i].iter().map(|(_, p)| p).sum::<f64>()).max(0.0)
    }

    /// Transitions with the rework loops: a step that sends share `r` back passes on `1 − Σr`.
    pub fn full(&self) -> Vec<Vec<(usize, f64)>> {
        let mut back = vec![0.0; self.base.len()];
        for &(from, _, share) in &self.rework {
            back[from] += share;
        }
        let mut full: Vec<Vec<(usize, f64)>> = self
            .base
            .iter()
            .enumerate()
            .map(|(i, out)| out.iter().map(|&(j, p)| (j, p * (1.0 - back[i]))).collect())
            .collect();
        for &(from, to, share) in &self.rework {
            full[from].push((to, share));
        }
        full
    }

    fn reaches_end(&self, table: &[Vec<(usize, f64)>]) -> Vec<bool> {
        let n = table.len();
        let mut ok: Vec<bool> = (0..n).map(|i| Self::exit_share(table, i) > 1e-12).collect();
        loop {
            let mut changed = false;
            for i in 0..n {
                if !ok[i] && table[i].iter().any(|&(j, p)| p > 0.0 && ok[j]) {
                    ok[i] = true;
                    changed = true;
                }
            }
            if !changed {
                return ok;
            }
        }
    }
}

/// The steps of a closed cycle among those that cannot reach the end: each reaches only steps
/// that reach it back.
fn closed_cycle(table: &[Vec<(usize, f64)>], exits: &[bool]) -> Vec<usize> {
    let n = table.len();
    let reach: Vec<Vec<bool>> = (0..n).map(|i| reachable_from(table, i)).collect();
    let closed: Vec<usize> = (0..n)
        .filter(|&i| !exits[i] && (0..n).all(|j| !reach[i][j] || reach[j][i]))
        .collect();
    if closed.is_empty() {
        (0..n).filter(|&i| !exits[i]).collect()
    } else {
        closed
    }
}

fn reachable_from(table: &[Vec<(usize, f64)>], start: usize) -> Vec<bool> {
    let mut seen = vec![false; table.len()];
    let mut stack = vec![start];
    seen[start] = true;
    while let Some(i) = stack.pop() {
        for &(j, p) in &table[i] {
            if p > 0.0 && !seen[j] {
                seen[j] = true;
                stack.push(j);
            }
        }
    }
    seen
}
