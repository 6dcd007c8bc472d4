//! A tiny multilayer perceptron for the tutorial scenes: dense layers with tanh between them,
//! softmax cross-entropy, full-batch gradients by hand-written backpropagation and the Adam
//! optimiser. Small enough to read; fast enough to train in well under a second.

use rand::RngExt;

/// A fully connected layer: `w` is `n_out × n_in`, row-major.
#[derive(Clone, Debug)]
pub struct Dense {
    /// Inputs.
    pub n_in: usize,
    /// Outputs.
    pub n_out: usize,
    /// Weights, `n_out` rows of `n_in`.
    pub w: Vec<f32>,
    /// Biases.
    pub b: Vec<f32>,
}

/// Adam's running first and second moments of one layer's weights and biases.
type Moments = (Vec<f32>, Vec<f32>, Vec<f32>, Vec<f32>);
/// Gradients of one layer: weights, biases.
type LayerGrad = (Vec<f32>, Vec<f32>);

/// Layers with tanh between them; the last layer's outputs are logits.
#[derive(Clone, Debug)]
pub struct Mlp {
    /// The layers, input first.
    pub layers: Vec<Dense>,
    adam: Vec<Moments>,
    step: i32,
}

fn softmax(z: &[f32]) -> Vec<f32> {
    let m = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let e: Vec<f32> = z.iter().map(|v| (v - m).exp()).collect();
    let s: f32 = e.iter().sum();
    e.into_iter().map(|v| v / s).collect()
}

impl Mlp {
    /// Layer sizes, e.g. `[2, 16, 16, 2]`, with Glorot-uniform weights from `rng`.
    pub fn new(sizes: &[usize], rng: &mut impl rand::Rng) -> Self {
        let layers: Vec<Dense> = sizes
            .windows(2)
            .map(|s| {
                let (n_in, n_out) = (s[0], s[1]);
                let limit = (6.0 / (n_in + n_out) as f32).sqrt();
                Dense {
                    n_in,
                    n_out,
                    w: (0..n_in * n_out)
                        .map(|_| rng.random_range(-limit..limit))
                        .collect(),
                    b: vec![0.0; n_out],
                }
            })
            .collect();
        let adam = layers
            .iter()
            .map(|l| {
                (
                    vec![0.0; l.w.len()],
                    vec![0.0; l.w.len()],
                    vec![0.0; l.b.len()],
                    vec![0.0; l.b.len()],
                )
            })
            .collect();
        Mlp {
            layers,
            adam,
            step: 0,
        }
    }

    /// Every layer's output for input `x` (hidden ones after tanh; the last are logits).
    fn forward(&self, x: &[f32]) -> Vec<Vec<f32>> {
        let mut acts = vec![x.to_vec()];
        for (k, l) in self.layers.iter().enumerate() {
            let input = &acts[acts.len() - 1];
            let mut out: Vec<f32> = (0..l.n_out)
                .map(|o| {
                    l.b[o]
                        + (0..l.n_in)
                            .map(|i| l.w[o * l.n_in + i] * input[i])
                            .sum::<f32>()
                })
                .collect();
            if k + 1 < self.layers.len() {
                out.iter_mut().for_each(|v| *v = v.tanh());
            }
            acts.push(out);
        }
        acts
    }

    /// Class probabilities for `x`.
    pub fn predict(&self, x: &[f32]) -> Vec<f32> {
        softmax(self.forward(x).last().map(Vec::as_slice).unwrap_or(&[]))
    }

    /// Gradients of the mean cross-entropy over `(xs, ys)`; also returns the loss.
    fn gradients(&self, xs: &[Vec<f32>], ys: &[usize]) -> (Vec<LayerGrad>, f32) {
        let mut grads: Vec<LayerGrad> = self
            .layers
            .iter()
            .map(|l| (vec![0.0; l.w.len()], vec![0.0; l.b.len()]))
            .collect();
        let mut loss = 0.0;
        let n = xs.len().max(1) as f32;
        for (x, &y) in xs.iter().zip(ys) {
            let acts = self.forward(x);
            let p = softmax(&acts[acts.len() - 1]);
            loss -= p[y].max(1e-12).ln();
            let mut delta: Vec<f32> = p
                .iter()
                .enumerate()
                .map(|(k, &pk)| pk - if k == y { 1.0 } else { 0.0 })
                .collect();
            for k in (0..self.layers.len()).rev() {
                let l = &self.layers[k];
                let input = &acts[k];
                let (gw, gb) = &mut grads[k];
                for (o, d) in delta.iter().enumerate() {
                    gb[o] += d / n;
                    for (g, x) in gw[o * l.n_in..(o + 1) * l.n_in].iter_mut().zip(input) {
                        *g += d * x / n;
                    }
                }
                if k > 0 {
                    delta = (0..l.n_in)
                        .map(|i| {
                            let back: f32 =
                                (0..l.n_out).map(|o| l.w[o * l.n_in + i] * delta[o]).sum();
                            back * (1.0 - input[i] * input[i]) // tanh'
                        })
                        .collect();
                }
            }
        }
        (grads, loss / n)
    }

    /// One Adam step on the full batch; returns the loss before the step.
    pub fn train_step(&mut self, xs: &[Vec<f32>], ys: &[usize], lr: f32) -> f32 {
        let (grads, loss) = self.gradients(xs, ys);
        self.step += 1;
        let (b1, b2, eps) = (0.9f32, 0.999f32, 1e-8f32);
        let (c1, c2) = (1.0 - b1.powi(self.step), 1.0 - b2.powi(self.step));
        for ((layer, (gw, gb)), (mw, vw, mb, vb)) in
            self.layers.iter_mut().zip(grads).zip(&mut self.adam)
        {
            for (p, g, m, v) in [(&mut layer.w, &gw, mw, vw), (&mut layer.b, &gb, mb, vb)] {
                for i in 0..p.len() {
                    m[i] = b1 * m[i] + (1.0 - b1) * g[i];
                    v[i] = b2 * v[i] + (1.0 - b2) * g[i] * g[i];
                    p[i] -= lr * (m[i] / c1) / ((v[i] / c2).sqrt() + eps);
                }
            }
        }
        loss
    }

    /// Fraction of `(xs, ys)` classified correctly.
    pub fn accuracy(&self, xs: &[Vec<f32>], ys: &[usize]) -> f32 {
        let ok = xs
            .iter()
            .zip(ys)
            .filter(|(x, y)| argmax(&self.predict(x)) == **y)
            .count();
        ok as f32 / xs.len().max(1) as f32
    }

    /// Gradient of log p(`class` | x) with respect to the input `x`.
    pub fn input_gradient(&self, x: &[f32], class: usize) -> Vec<f32> {
        let acts = self.forward(x);
        let p = softmax(&acts[acts.len() - 1]);
        // d log p_c / d logits = onehot(c) − p
        let mut delta: Vec<f32> = p
            .iter()
            .enumerate()
            .map(|(k, &pk)| if k == class { 1.0 } else { 0.0 } - pk)
            .collect();
        for k in (0..self.layers.len()).rev() {
            let l = &self.layers[k];
            let input = &acts[k];
            delta = (0..l.n_in)
                .map(|i| {
                    let back: f32 = (0..l.n_out).map(|o| l.w[o * l.n_in + i] * delta[o]).sum();
                    if k > 0 {
                        back * (1.0 - input[i] * input[i])
                    } else {
                        back
                    }
                })
                .collect();
        }
        delta
    }
}

/// Index of the largest value.
pub fn argmax(v: &[f32]) -> usize {
    v.iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn learns_xor() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let mut net = Mlp::new(&[2, 8, 2], &mut rng);
        let xs = vec![
            vec![0.0, 0.0],
            vec![0.0, 1.0],
            vec![1.0, 0.0],
            vec![1.0, 1.0],
        ];
        let ys = vec![0, 1, 1, 0];
        let first = net.train_step(&xs, &ys, 0.05);
        let mut last = first;
        for _ in 0..500 {
            last = net.train_step(&xs, &ys, 0.05);
        }
        assert!(last < first / 10.0, "loss {first} → {last}");
        assert_eq!(net.accuracy(&xs, &ys), 1.0);
    }

    #[test]
    fn input_gradient_matches_finite_differences() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(2);
        let net = Mlp::new(&[3, 5, 4], &mut rng);
        let x = vec![0.3, -0.2, 0.7];
        let g = net.input_gradient(&x, 2);
        for i in 0..3 {
            let mut xp = x.clone();
            xp[i] += 1e-3;
            let mut xm = x.clone();
            xm[i] -= 1e-3;
            let fd = (net.predict(&xp)[2].ln() - net.predict(&xm)[2].ln()) / 2e-3;
            assert!((fd - g[i]).abs() < 1e-2, "{i}: {fd} vs {}", g[i]);
        }
    }
}
