/**
 * Shared constants of the web unit tests: a /meta answer shaped like Cube 0.35's (views with
 * measures and dimensions carrying `meta.kpi`, `meta.format`, `meta.role`), written by hand so
 * the tests do not depend on the model being edited concurrently.
 */
export const EXEC = 'executive_kpis';
export const HEALTH = 'customer_health';
export const TARGETS = 'kpi_attainment';

export const META_CUBES = [
  {
    name: HEALTH,
    title: 'Customer health',
    type: 'view',
    meta: {},
    measures: [
      { name: `${HEALTH}.repeat_rate`, title: 'Repeat rate', shortTitle: 'Repeat rate', type: 'number', meta: { kpi: 'repeat_rate', format: 'percent', as_of: true } },
      // Another view's revenue: the board view's must win.
      { name: `${HEALTH}.revenue`, title: 'Revenue', shortTitle: 'Revenue', type: 'number', meta: { kpi: 'revenue', format: 'currency' } },
    ],
    dimensions: [
      { name: `${HEALTH}.month`, title: 'Month', type: 'time', meta: {} },
      { name: `${HEALTH}.tenant_id`, title: 'Tenant', type: 'string', meta: { role: 'tenant' } },
    ],
  },
  {
    name: EXEC,
    title: 'Executive KPIs',
    type: 'view',
    meta: { board: true },
    measures: [
      { name: `${EXEC}.revenue`, title: 'Executive KPIs Revenue', shortTitle: 'Revenue', type: 'number', description: 'Sum of net_amount.', meta: { kpi: 'revenue', format: 'currency' } },
      { name: `${EXEC}.orders`, title: 'Orders', shortTitle: 'Orders', type: 'number', meta: { kpi: 'orders', format: 'number' } },
      { name: `${EXEC}.aov`, title: 'AOV', shortTitle: 'AOV', type: 'number', meta: { kpi: 'aov', format: 'currency' } },
      { name: `${EXEC}.active_customers`, title: 'Active customers', shortTitle: 'Active customers', type: 'number', meta: { kpi: 'active_customers', format: 'number' } },
      { name: `${EXEC}.odd_format`, title: 'Odd', type: 'number', meta: { format: 'bananas' } },
      { name: `${EXEC}.last_order_date`, title: 'Last day with data', type: 'time', meta: { role: 'last_day_with_data', format: 'date' } },
    ],
    dimensions: [
      { name: `${EXEC}.tenant_id`, title: 'Tenant', type: 'string', meta: { role: 'tenant' } },
      { name: `${EXEC}.channel`, title: 'Channel', type: 'string', meta: { role: 'channel' } },
      { name: `${EXEC}.ordered_at`, title: 'Ordered at', type: 'time' },
      { name: `${EXEC}.region`, title: 'Region', type: 'string', meta: { role: 'region' } },
    ],
  },
  {
    name: TARGETS,
    title: 'KPI attainment',
    type: 'view',
    meta: {},
    measures: [
      { name: `${TARGETS}.revenue_attainment`, title: 'Revenue attainment', type: 'number', meta: { kpi: 'kpi_attainment', target_for: 'revenue', format: 'percent' } },
      { name: `${TARGETS}.orders_attainment`, title: 'Orders attainment', type: 'number', meta: { kpi: 'kpi_attainment', target_for: 'orders', format: 'percent' } },
    ],
    dimensions: [{ name: `${TARGETS}.month`, title: 'Month', type: 'time', meta: {} }],
  },
];
