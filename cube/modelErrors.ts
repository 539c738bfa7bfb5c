import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Turns Cube's compile errors into messages an analyst can act on: stack frames inside Cube
 * are dropped, and each frame pointing into a model file (`at sql (orders.yml:12:9)`) is
 * rewritten to name the file, line and the member being defined there.
 */
export function explainCompileErrors(message: string, modelPath: string): string {
  return message
    .split('\n')
    .filter((line) => !/^\s+at .*node_modules/.test(line))
    .map((line) => {
      const frame = line.match(/^\s+at .*\(([^()]+\.ya?ml):(\d+):\d+\)$/);
      if (!frame) return line;
      const [, file, lineNo] = frame;
      const member = memberAt(path.join(modelPath, file), Number(lineNo));
      return `    in ${file}, line ${lineNo}${member ? `, member "${member}"` : ''}`;
    })
    .join('\n');
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
