/**
 * Customers summarised as BG/NBD sees them — x repeat purchases, the last at t_x, observed for T
 * (both measured from the first purchase) — and grouped: customers with equal (x, t_x, T) share
 * one likelihood term, weighted by how many they are. Columns are typed arrays, and each
 * column's distinct values are indexed so a likelihood evaluates ln(α + T) once per distinct T.
 */

/** A column's distinct values and, per group, the index of its value among them. */
export interface IndexedColumn {
  values: Float64Array;
  index: Int32Array;
}

export interface CustomerGroups {
  x: IndexedColumn;
  tx: IndexedColumn;
  T: IndexedColumn;
  /** Customers in each group. */
  weight: Float64Array;
  /** For each input customer, its group. */
  groupOf: Int32Array;
}

export function indexColumn(values: Float64Array): IndexedColumn {
  const distinct = new Map<number, number>();
  const index = new Int32Array(values.length);
  values.forEach((v, i) => {
    let at = distinct.get(v);
    if (at === undefined) distinct.set(v, (at = distinct.size));
    index[i] = at;
  });
  return { values: Float64Array.from(distinct.keys()), index };
}

export function groupCustomers(x: Float64Array, tx: Float64Array, T: Float64Array): CustomerGroups {
  // Customers are keyed by the indexes of their three values, one number per customer (strings
  // as Map keys cost more than the likelihood itself at a million customers).
  const [cx, ctx, cT] = [indexColumn(x), indexColumn(tx), indexColumn(T)];
  const key = new Map<number, number>();
  const groupOf = new Int32Array(x.length);
  const first: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const k = (cx.index[i] * ctx.values.length + ctx.index[i]) * cT.values.length + cT.index[i];
    let g = key.get(k);
    if (g === undefined) {
      key.set(k, (g = first.length));
      first.push(i);
      weight.push(0);
    }
    weight[g] += 1;
    groupOf[i] = g;
  }
  const pick = (column: IndexedColumn) => ({ values: column.values, index: Int32Array.from(first, (i) => column.index[i]) });
  return { x: pick(cx), tx: pick(ctx), T: pick(cT), weight: Float64Array.from(weight), groupOf };
}
