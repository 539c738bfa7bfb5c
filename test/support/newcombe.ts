/**
 * Newcombe's hybrid score interval for a difference of two independent proportions (method 10 of
 * R. G. Newcombe, "Interval estimation for the difference between independent proportions: comparison
 * of eleven methods", Statistics in Medicine 17 (1998) 873–890): each proportion gets its Wilson score
 * interval, and the difference's bounds combine the distances from each estimate to its bounds.
 * Plain arithmetic, written apart from the model's SQL so that tests compare two computations.
 */
const Z = 1.959964;

/** Wilson score interval of x successes in n trials (without continuity correction). */
export function wilson(x: number, n: number, z = Z): [number, number] {
  const p = x / n;
  const centre = 2 * n * p + z * z;
  const spread = z * Math.sqrt(z * z + 4 * n * p * (1 - p));
  const denominator = 2 * (n + z * z);
  return [(centre - spread) / denominator, (centre + spread) / denominator];
}

/** 95 % interval of x1/n1 − x2/n2. */
export function newcombe(x1: number, n1: number, x2: number, n2: number, z = Z): [number, number] {
  const [p1, p2] = [x1 / n1, x2 / n2];
  const [l1, u1] = wilson(x1, n1, z);
  const [l2, u2] = wilson(x2, n2, z);
  const d = p1 - p2;
  return [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}
