/**
 * A buyer's RFM score as the README defines it, written independently of the model's rank():
 * 1 + floor(5 × the share of the buyers in the partition whose value is strictly lower), so equal
 * values score alike. "Strictly lower" is the buyers up to this value (a running count over the
 * value) minus those with this very value.
 */
export const rfmScoreSql = (partition: string, column: string) =>
  `1 + floor(5.0 * (count(*) OVER (PARTITION BY ${partition} ORDER BY ${column} RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
     - count(*) OVER (PARTITION BY ${partition}, ${column})) / count(*) OVER (PARTITION BY ${partition}))`;
