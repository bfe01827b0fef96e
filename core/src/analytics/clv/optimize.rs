//! Minimising a smooth objective with its gradient: BFGS with a backtracking line search, then
//! Newton steps on a finite-difference Hessian of the gradient (the same Hessian gives the
//! standard errors).

use serde::{Deserialize, Serialize};

/// How a minimisation ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Convergence {
    /// BFGS iterations plus Newton polishing steps.
    pub iterations: usize,
    /// Objective evaluations (each with its gradient).
    pub evaluations: usize,
    /// Max-norm of the gradient at the solution (in the optimised, log-parameter space).
    pub gradient_norm: f64,
    /// Whether the gradient norm fell below the tolerance.
    pub converged: bool,
}

/// Settings of [`minimize`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Converged when the max-norm of the gradient is at most this.
    pub gradient_tolerance: f64,
    /// At most this many BFGS iterations.
    pub max_iterations: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            gradient_tolerance: 1e-9,
            max_iterations: 500,
        }
    }
}

/// An objective: returns `f(x)` and writes its gradient into `g`; a non-finite value means
/// outside the domain.
pub trait Objective {
    fn eval(&self, x: &[f64], g: &mut [f64]) -> f64;
}

impl<F: Fn(&[f64], &mut [f64]) -> f64> Objective for F {
    fn eval(&self, x: &[f64], g: &mut [f64]) -> f64 {
        self(x, g)
    }
}

/// The minimiser found, its value and how the search ended.
#[derive(Debug, Clone)]
pub struct Minimum {
    pub x: Vec<f64>,
    pub value: f64,
    pub convergence: Convergence,
}

/// Minimises `f` from `x0`.
///
/// ```
/// use journeystream::analytics::clv::optimize::{minimize, Settings};
/// let f = |x: &[f64], g: &mut [f64]| {
///     g[0] = 2.0 * (x[0] - 3.0);
///     g[1] = 20.0 * (x[1] + 1.0);
///     (x[0] - 3.0).powi(2) + 10.0 * (x[1] + 1.0).powi(2)
/// };
/// let m = minimize(&f, &[0.0, 0.0], Settings::default());
/// assert!(m.convergence.converged);
/// assert!((m.x[0] - 3.0).abs() < 1e-8 && (m.x[1] + 1.0).abs() < 1e-8);
/// ```
pub fn minimize(f: &impl Objective, x0: &[f64], settings: Settings) -> Minimum {
    let n = x0.len();
    let mut x = x0.to_vec();
    let mut g = vec![0.0; n];
    let mut evaluations = 1;
    let mut fx = f.eval(&x, &mut g);
    // Inverse Hessian approximation, row-major.
    let mut h = identity(n);
    let mut iterations = 0;
    let (mut xn, mut gn) = (vec![0.0; n], vec![0.0; n]);
    let mut first = true;
    // BFGS until the gradient is small; Newton steps on the Hessian finish (quadratically, and
    // without line searches lost in the rounding noise of the objective).
    let newton_from = (settings.gradient_tolerance * 1e3).max(1e-7);
    while iterations < settings.max_iterations && norm(&g) > newton_from {
        iterations += 1;
        let mut p: Vec<f64> = (0..n)
            .map(|i| -(0..n).map(|j| h[i * n + j] * g[j]).sum::<f64>())
            .collect();
        let mut slope = dot(&p, &g);
        if slope >= 0.0 {
            h = identity(n);
            p = g.iter().map(|v| -v).collect();
            slope = dot(&p, &g);
        }
        // The first step is scaled so that it moves at most 1 in any coordinate.
        let mut step = if first {
            (1.0 / p.iter().fold(0.0f64, |m, v| m.max(v.abs()))).min(1.0)
        } else {
            1.0
        };
        let mut accepted = false;
        for _ in 0..40 {
            for i in 0..n {
                xn[i] = x[i] + step * p[i];
            }
            evaluations += 1;
            let fxn = f.eval(&xn, &mut gn);
            // Sufficient decrease; or, at the objective's rounding noise, a smaller gradient.
            let noise = fxn.is_finite() && (fxn - fx).abs() <= 1e-14 * fx.abs().max(1.0);
            if fxn.is_finite()
                && (fxn <= fx + 1e-4 * step * slope || (noise && norm(&gn) < norm(&g)))
            {
                accepted = true;
                let s: Vec<f64> = (0..n).map(|i| xn[i] - x[i]).collect();
                let y: Vec<f64> = (0..n).map(|i| gn[i] - g[i]).collect();
                let sy = dot(&s, &y);
                if sy > 1e-300 {
                    if first {
                        // Scale the initial inverse Hessian (Nocedal & Wright 6.20).
                        let scale = sy / dot(&y, &y);
                        h.iter_mut().for_each(|v| *v *= scale);
                    }
                    bfgs_update(&mut h, &s, &y, sy);
                    first = false;
                }
                x.copy_from_slice(&xn);
                g.copy_from_slice(&gn);
                fx = fxn;
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            break;
        }
    }
    // Newton polishing on the finite-difference Hessian.
    for _ in 0..20 {
        if norm(&g) <= settings.gradient_tolerance * 1e-3 {
            break;
        }
        let Some(hess) = hessian(f, &x, &mut evaluations) else {
            break;
        };
        let Some(step) = solve(&hess, &g, n) else {
            break;
        };
        let xt: Vec<f64> = (0..n).map(|i| x[i] - step[i]).collect();
        evaluations += 1;
        let ft = f.eval(&xt, &mut gn);
        if !(ft.is_finite() && ft <= fx + 1e-12 * fx.abs().max(1.0) && norm(&gn) < norm(&g)) {
            break;
        }
        iterations += 1;
        x = xt;
        g.copy_from_slice(&gn);
        fx = ft;
    }
    let gradient_norm = norm(&g);
    Minimum {
        x,
        value: fx,
        convergence: Convergence {
            iterations,
            evaluations,
            gradient_norm,
            converged: gradient_norm <= settings.gradient_tolerance && fx.is_finite(),
        },
    }
}

/// Minimises `f` from `x0`, a point near its minimum, given `hess`, an approximation of its
/// Hessian there (a subsample's, for a fit on many customers): Newton steps on `hess`, one
/// evaluation each, while they shrink the gradient, then [`minimize`] from where they end. The
/// evaluations counted are `f`'s.
///
/// ```
/// use journeystream::analytics::clv::optimize::{minimize_near, Settings};
/// let f = |x: &[f64], g: &mut [f64]| {
///     g[0] = 2.0 * (x[0] - 3.0);
///     g[1] = 20.0 * (x[1] + 1.0);
///     (x[0] - 3.0).powi(2) + 10.0 * (x[1] + 1.0).powi(2)
/// };
/// // A Hessian 5 % off, from near the minimum.
/// let m = minimize_near(&f, &[2.9, -0.9], &[2.1, 0.0, 0.0, 19.0], Settings::default());
/// assert!(m.convergence.converged && (m.x[0] - 3.0).abs() < 1e-8);
/// assert!(m.convergence.evaluations < 15, "{:?}", m.convergence);
/// ```
pub fn minimize_near(f: &impl Objective, x0: &[f64], hess: &[f64], settings: Settings) -> Minimum {
    let n = x0.len();
    let (mut x, mut g, mut gn) = (x0.to_vec(), vec![0.0; n], vec![0.0; n]);
    let mut fx = f.eval(&x, &mut g);
    let mut evaluations = 1;
    let mut iterations = 0;
    while fx.is_finite() && norm(&g) > settings.gradient_tolerance * 1e-3 {
        let Some(step) = solve(hess, &g, n) else {
            break;
        };
        let xt: Vec<f64> = (0..n).map(|i| x[i] - step[i]).collect();
        evaluations += 1;
        let ft = f.eval(&xt, &mut gn);
        // Each step must shrink the gradient by a good factor, or the approximation is too
        // far off to go on with.
        if !(ft.is_finite() && ft <= fx + 1e-12 * fx.abs().max(1.0) && norm(&gn) < 0.5 * norm(&g)) {
            break;
        }
        iterations += 1;
        x = xt;
        g.copy_from_slice(&gn);
        fx = ft;
    }
    let mut m = minimize(f, &x, settings);
    m.convergence.iterations += iterations;
    m.convergence.evaluations += evaluations;
    m
}

/// The Hessian of `f` at `x` by central differences of its gradient (symmetrised); `None` when
/// a gradient is not finite.
pub fn hessian(f: &impl Objective, x: &[f64], evaluations: &mut usize) -> Option<Vec<f64>> {
    let n = x.len();
    let mut hess = vec![0.0; n * n];
    let (mut gp, mut gm) = (vec![0.0; n], vec![0.0; n]);
    let mut xp = x.to_vec();
    for j in 0..n {
        let e = 1e-5 * x[j].abs().max(1.0);
        xp[j] = x[j] + e;
        f.eval(&xp, &mut gp);
        xp[j] = x[j] - e;
        f.eval(&xp, &mut gm);
        xp[j] = x[j];
        *evaluations += 2;
        for i in 0..n {
            hess[i * n + j] = (gp[i] - gm[i]) / (2.0 * e);
        }
    }
    for i in 0..n {
        for j in 0..i {
            let m = 0.5 * (hess[i * n + j] + hess[j * n + i]);
            hess[i * n + j] = m;
            hess[j * n + i] = m;
        }
    }
    hess.iter().all(|v| v.is_finite()).then_some(hess)
}

/// Inverse of a symmetric positive-definite matrix (Cholesky); `None` when it is not one.
pub fn inverse_spd(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut inv = vec![0.0; n * n];
    for j in 0..n {
        let mut e = vec![0.0; n];
        e[j] = 1.0;
        let col = solve(a, &e, n)?;
        for i in 0..n {
            inv[i * n + j] = col[i];
        }
    }
    Some(inv)
}

/// Solves `a x = b` for symmetric positive-definite `a` by Cholesky.
fn solve(a: &[f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = a[i * n + j] - (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum::<f64>();
            if i == j {
                if s.is_nan() || s <= 0.0 {
                    return None;
                }
                l[i * n + i] = s.sqrt();
            } else {
                l[i * n + j] = s / l[j * n + j];
            }
        }
    }
    let mut y = vec![0.0; n];
    for i in 0..n {
        y[i] = (b[i] - (0..i).map(|k| l[i * n + k] * y[k]).sum::<f64>()) / l[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        x[i] = (y[i] - (i + 1..n).map(|k| l[k * n + i] * x[k]).sum::<f64>()) / l[i * n + i];
    }
    Some(x)
}

fn bfgs_update(h: &mut [f64], s: &[f64], y: &[f64], sy: f64) {
    let n = s.len();
    let rho = 1.0 / sy;
    let hy: Vec<f64> = (0..n)
        .map(|i| (0..n).map(|j| h[i * n + j] * y[j]).sum())
        .collect();
    let yhy = dot(y, &hy);
    for i in 0..n {
        for j in 0..n {
            h[i * n + j] += rho * ((1.0 + rho * yhy) * s[i] * s[j] - hy[i] * s[j] - s[i] * hy[j]);
        }
    }
}

fn identity(n: usize) -> Vec<f64> {
    let mut h = vec![0.0; n * n];
    for i in 0..n {
        h[i * n + i] = 1.0;
    }
    h
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(g: &[f64]) -> f64 {
    g.iter().fold(0.0f64, |m, v| m.max(v.abs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rosenbrock() {
        let f = |x: &[f64], g: &mut [f64]| {
            g[0] = -2.0 * (1.0 - x[0]) - 400.0 * x[0] * (x[1] - x[0] * x[0]);
            g[1] = 200.0 * (x[1] - x[0] * x[0]);
            (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2)
        };
        let m = minimize(&f, &[-1.2, 1.0], Settings::default());
        assert!(m.convergence.converged, "{:?}", m.convergence);
        assert!((m.x[0] - 1.0).abs() < 1e-7 && (m.x[1] - 1.0).abs() < 1e-7);
        let h = hessian(&f, &m.x, &mut 0).unwrap();
        let inv = inverse_spd(&h, 2).unwrap();
        // H = [[802, -400], [-400, 200]] at (1, 1); det 400.
        assert!((inv[0] - 0.5).abs() < 1e-4 && (inv[3] - 802.0 / 400.0).abs() < 1e-3);
    }
}
