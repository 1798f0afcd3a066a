/** c + Σ coef·2^(-s·rate) over s >= 0, with distinct positive rates: a lead's score as decay runs on. */
export type ExponentialSum = { constant: number; terms: readonly { coef: number; rate: number }[] };

export function evaluate({ constant, terms }: ExponentialSum, s: number): number {
  let sum = constant;
  for (const { coef, rate } of terms) sum += coef * 2 ** (-s * rate);
  return sum;
}

/**
 * The points in (0, ∞) where the sum changes direction, ascending. Between two of them it is
 * monotone, so a threshold is crossed at most once there.
 *
 * f'(s) = -ln2 · Σ coef·rate·2^(-s·rate). Multiplying by 2^(s·r) for the slowest rate r keeps the sign
 * and turns the slowest term into a constant: the sign changes of f' are those of a sum with one term
 * fewer, found the same way. A sum of k terms thus has at most k - 1 turning points.
 */
export function turningPoints(sum: ExponentialSum): number[] {
  const terms = sum.terms.filter((term) => term.coef !== 0);
  if (terms.length < 2) return [];
  const slowest = terms.reduce((a, b) => (b.rate < a.rate ? b : a));
  const derivativeSign: ExponentialSum = {
    constant: slowest.coef * slowest.rate,
    terms: terms
      .filter((term) => term !== slowest)
      .map((term) => ({ coef: term.coef * term.rate, rate: term.rate - slowest.rate })),
  };
  return signChanges(derivativeSign);
}

/** The points in (0, ∞) where the sum changes sign, ascending (touching zero is not a change). */
export function signChanges(sum: ExponentialSum): number[] {
  const changes: number[] = [];
  let from = 0;
  for (const to of [...turningPoints(sum), Number.POSITIVE_INFINITY]) {
    const root = rootBetween(sum, from, to);
    if (root !== undefined) changes.push(root);
    from = to;
  }
  return changes;
}

const sign = (x: number) => (x > 0 ? 1 : x < 0 ? -1 : 0);

// On a monotone stretch: bisection, to the precision of a double. At infinity the sum tends to its
// constant, so the far end is found by doubling until the sign of the constant shows.
function rootBetween(sum: ExponentialSum, from: number, to: number): number | undefined {
  const start = sign(evaluate(sum, from));
  const end = Number.isFinite(to) ? sign(evaluate(sum, to)) : sign(sum.constant);
  if (start === 0 || end === 0 || start === end) return undefined;
  let lo = from;
  let hi = to;
  if (!Number.isFinite(hi)) {
    hi = Math.max(1, 2 * from);
    while (sign(evaluate(sum, hi)) !== end) hi *= 2;
  }
  for (let mid = (lo + hi) / 2; mid > lo && mid < hi; mid = (lo + hi) / 2) {
    if (sign(evaluate(sum, mid)) === start) lo = mid;
    else hi = mid;
  }
  return hi;
}
