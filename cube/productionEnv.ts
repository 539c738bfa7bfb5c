/**
 * Imported first by the product's entry points (npm start, model:check): Cube Core behaves as
 * in development unless NODE_ENV is production, and warns about Cube Store, which this product
 * does not use (pre-aggregations are built inside the warehouse, `external: false`).
 */
process.env.NODE_ENV ??= 'production';
process.env.CUBEJS_EXTERNAL_DEFAULT ??= 'false';
