import { parseArgs, type ParseArgsConfig } from 'node:util';

export type CommandLineValues = Record<string, string | boolean | undefined>;

/**
 * A command's options, read the way every CLI here reads them: `--help` prints `usage` and
 * exits 0; an unknown option, or a `usageError` the command raises later, prints the message
 * and the usage and exits 2.
 */
export function commandLine(usage: string, options: NonNullable<ParseArgsConfig['options']>): { values: CommandLineValues; usageError(message: string): never } {
  const usageError = (message: string): never => {
    console.error(`${message}\n\n${usage}`);
    process.exit(2);
  };
  let values: CommandLineValues = {};
  try {
    ({ values } = parseArgs({ options: { ...options, help: { type: 'boolean' } } }));
  } catch (e) {
    usageError((e as Error).message);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  return { values, usageError };
}
