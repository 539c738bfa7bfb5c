import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

/**
 * Turns Cube's compile errors into messages an analyst can act on: stack frames inside Cube
 * are dropped, and each frame pointing into a model file (`at sql (orders.yml:12:9)`) is
 * rewritten to name the file, line and the member being defined there.
 *
 * Cube transpiles YAML to JavaScript, so its line numbers count lines of that JavaScript, not
 * of the file: for "X is not defined" the line is the one of the file that references `{X}`.
 * A YAML syntax error (js-yaml's "… (46:3)") names no file: the file that fails to parse is
 * found and named.
 */
export function explainCompileErrors(message: string, modelPath: string): string {
  const lines = message.split('\n').filter((line) => !/^\s+at .*node_modules/.test(line));
  const syntax = lines[0]?.match(/^(?:YAMLException: )?(.+) \((\d+):(\d+)\)$/);
  if (syntax) {
    const file = yamlFileFailing(modelPath);
    if (file) return `Compile errors:\n${syntax[1]}\n    in ${file}, line ${syntax[2]}, column ${syntax[3]}`;
  }
  let undefinedName: string | null = null;
  return lines
    .map((line) => {
      const reference = line.match(/ReferenceError: ([\w$]+) is not defined/);
      if (reference) undefinedName = reference[1];
      const frame = line.match(/^\s+at .*\(([^()]+\.ya?ml):(\d+):\d+\)$/);
      if (!frame) return line;
      const [, file] = frame;
      const full = path.join(modelPath, file);
      const lineNo = (undefinedName && referenceLine(full, undefinedName)) || Number(frame[2]);
      const member = memberAt(full, lineNo);
      return `    in ${file}, line ${lineNo}${member ? `, member "${member}"` : ''}`;
    })
    .join('\n');
}

/** The first line of a model file that references `{name}` (alone or as `{name.member}`). */
function referenceLine(file: string, name: string): number | null {
  if (!existsSync(file)) return null;
  const pattern = new RegExp(`\\{\\s*${name.replace(/\$/g, '\\$')}\\s*[}.]`);
  const index = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((line) => pattern.test(line));
  return index >= 0 ? index + 1 : null;
}

/** The model file (relative path) that js-yaml cannot parse, if any. */
function yamlFileFailing(modelPath: string): string | null {
  const walk = (dir: string): string | null => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        const found = walk(full);
        if (found) return found;
      } else if (/\.ya?ml$/.test(entry.name)) {
        try {
          yaml.load(readFileSync(full, 'utf8'));
        } catch {
          return path.relative(modelPath, full);
        }
      }
    }
    return null;
  };
  return existsSync(modelPath) ? walk(modelPath) : null;
}

/** The `- name:` entry that encloses a line of a model YAML file. */
function memberAt(file: string, lineNo: number): string | null {
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n').slice(0, lineNo);
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = lines[i].match(/^\s*-\s+name:\s*["']?([\w-]+)/);
    if (match) return match[1];
  }
  return null;
}
