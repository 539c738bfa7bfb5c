/** `npm run model:check [-- --model DIR] [--warehouse PATH|URL]`: compiles and lints the model; exit 1 on any issue. */
import './productionEnv.js';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readConfig } from './config.js';
import { checkPrimaryKeys, lintModel, type ModelIssue } from './modelCheck.js';
import { startServer } from './server.js';
import { isPostgresUrl } from './warehouse.js';

const config = readConfig();
const { values } = parseArgs({ options: { model: { type: 'string' }, warehouse: { type: 'string' } } });
const modelPath = values.model ?? config.modelPath;
const warehouse = values.warehouse ?? config.warehouse;
const hasWarehouse = isPostgresUrl(warehouse) || existsSync(warehouse);

const { issues, cubes } = lintModel(modelPath);
if (hasWarehouse) {
  // Compile through the same Cube server the product runs: broken references name file and member.
  const server = await startServer({ warehouse, apiSecret: 'model-check', port: 0, modelPath, webDist: null, refreshIntervalSeconds: 0, demoIdentity: null });
  const compileErrors = await server.checkModel();
  await server.close();
  if (compileErrors) issues.push({ file: modelPath, message: compileErrors });
  issues.push(...(await checkPrimaryKeys(cubes, warehouse)));
} else {
  console.error(`No warehouse at ${warehouse}: compile and data checks skipped (run npm run seed first).`);
}

const print = (i: ModelIssue) => `${i.file}${i.member ? ` (${i.member})` : ''}: ${i.message}`;
if (issues.length) {
  console.error(`Model check failed with ${issues.length} issue(s):\n${issues.map((i) => `  - ${print(i)}`).join('\n')}`);
  process.exit(1);
}
console.log(`Model OK: ${cubes.size} cubes in ${modelPath}${hasWarehouse ? `, compiled and checked against ${warehouse.replace(/:[^:@/]+@/, ':***@')}` : ''}.`);
