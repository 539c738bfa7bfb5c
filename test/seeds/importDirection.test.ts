import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { REPO_ROOT } from '../../lib/paths.js';

// Data flows one way (README, Layout): seeds/ writes the warehouse, cube/ serves it, web/ shows
// it; lib/ sits below both seeds/ and cube/. An arrow back up (seeds/ importing cube/) is what
// made the data-in steps impossible to share without dragging the server along.

/** Every relative module a source file imports (static, dynamic or re-exported), as repository paths. */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1]);
  return specifiers.filter((s) => s.startsWith('.')).map((s) => path.relative(REPO_ROOT, path.resolve(path.dirname(file), s)));
}

function sourceFiles(folder: string): string[] {
  return readdirSync(path.join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.tsx?$/.test(name))
    .map((name) => path.join(REPO_ROOT, folder, name));
}

/** `file → imported module` for each import of `folder`'s sources that lands in one of `forbidden`. */
function importsInto(folder: string, forbidden: string[]): string[] {
  return sourceFiles(folder).flatMap((file) =>
    importsOf(file)
      .filter((target) => forbidden.some((top) => target === top || target.startsWith(`${top}/`)))
      .map((target) => `${path.relative(REPO_ROOT, file)} → ${target}`),
  );
}

describe('import direction: data in sits below the server', () => {
  it('seeds/ imports nothing from cube/, model/ or web/', () => {
    expect(importsInto('seeds', ['cube', 'model', 'web'])).toEqual([]);
  });

  it('lib/ imports nothing from seeds/, cube/ or web/ (both of them may import it)', () => {
    expect(importsInto('lib', ['seeds', 'cube', 'web'])).toEqual([]);
  });

  it('reads each kind of import: static, type-only, dynamic and re-export', () => {
    // The fixture is this repository: the finder must see each kind or the tests above prove nothing.
    const imports = importsOf(path.join(REPO_ROOT, 'cube/warehouseImports.ts'));
    expect(imports).toContain('seeds/pipeline.js'); // import { importTenant } from '../seeds/pipeline.js'
    expect(imports).toContain('seeds/import/importEvents.js'); // import type { ImportEvent } …
    expect(importsOf(path.join(REPO_ROOT, 'cube/start.ts'))).toContain('seeds/generate.js'); // await import('../seeds/generate.js')
    expect(importsOf(path.join(REPO_ROOT, 'cube/config.ts'))).toContain('lib/localServer.js'); // export { resolveApiSecret } from …
  });
});

describe('ESLint holds the same lines while code is written', () => {
  const eslint = new ESLint({ cwd: REPO_ROOT });
  const lint = async (file: string, code: string) => (await eslint.lintText(code, { filePath: path.join(REPO_ROOT, file) }))[0].messages.map((m) => m.ruleId);

  it('refuses an import of cube/ in seeds/', async () => {
    expect(await lint('seeds/example.ts', "import { readConfig } from '../cube/config.js';\nexport const c = readConfig;\n")).toContain('no-restricted-imports');
  });

  it('refuses an import of a feature folder in web/src/ui/', async () => {
    expect(await lint('web/src/ui/Example.tsx', "import { tenantsQuery } from '../board/boardQueries';\nexport const q = tenantsQuery;\n")).toContain('no-restricted-imports');
    expect(await lint('web/src/ui/Example.tsx', "import { useCubeQuery } from '../data/useCubeQuery';\nexport const q = useCubeQuery;\n")).toEqual([]);
  });

  it('refuses `any` in web/src outside the Cube seam', async () => {
    expect(await lint('web/src/cohorts/Example.ts', 'export const rows = (x: unknown) => x as any;\n')).toContain('@typescript-eslint/no-explicit-any');
  });
});
