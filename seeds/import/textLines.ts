/**
 * The lines of an import file, numbered as an editor numbers them (line 1 is the first line),
 * read as a stream: gzip is recognised by its magic bytes, text is decoded as UTF-8 (a BOM is
 * dropped) or Shift_JIS/CP932, and progress is reported as the share of the file's bytes read.
 */
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { pipeline, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ImportError } from './format.js';

export type TextEncoding = 'utf-8' | 'shift_jis';

function isGzip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

function decoder(encoding: TextEncoding): Transform {
  const text = new TextDecoder(encoding, { fatal: false });
  return new Transform({
    // Strings out, as they are decoded (not turned back into bytes).
    readableObjectMode: true,
    transform(chunk: Buffer, _enc, done) {
      done(null, text.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, text.decode());
    },
  });
}

export interface NumberedLine {
  line: number;
  text: string;
}

/**
 * The longest line read, in characters: no format has lines near it, and a file without line
 * breaks (or a small gzip expanding to one) would otherwise be held whole in memory as one string.
 */
export const MAX_LINE_CHARS = 1 << 20;
const tooLong = (line: number) => new ImportError(`Line ${line} is longer than ${MAX_LINE_CHARS.toLocaleString('en-US')} characters: is the file text in the format named?`);

/**
 * Yields the file's lines (split at \r\n, \n or \r); onProgress gets the share (0–1) of the file's
 * bytes read so far. A gzip that does not decompress, or a line longer than MAX_LINE_CHARS, is an
 * ImportError: the import fails and writes nothing, and the process reading it keeps running.
 */
export async function* readLines(file: string, encoding: TextEncoding, onProgress?: (share: number) => void): AsyncGenerator<NumberedLine> {
  const size = statSync(file).size || 1;
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  let bytes = 0;
  raw.on('data', (chunk) => {
    bytes += chunk.length;
    onProgress?.(bytes / size);
  });
  const gzip = isGzip(file);
  // pipeline, not pipe: an error of any stage (a corrupt gzip) ends the loop below as a throw
  // instead of an 'error' event nobody listens to, which would end the process.
  const decoded = gzip ? pipeline(raw, createGunzip(), decoder(encoding), () => {}) : pipeline(raw, decoder(encoding), () => {});
  let line = 0;
  let rest = '';
  try {
    for await (const chunk of decoded as AsyncIterable<string>) {
      const text = rest + chunk;
      const breaks = /\r\n|\n|\r/g;
      let start = 0;
      for (let found = breaks.exec(text); found; found = breaks.exec(text)) {
        // A \r ending the chunk may be the first half of \r\n: decide with the next chunk.
        if (found[0] === '\r' && found.index === text.length - 1) break;
        if (found.index - start > MAX_LINE_CHARS) throw tooLong(line + 1);
        line += 1;
        yield { line, text: text.slice(start, found.index) };
        start = breaks.lastIndex;
      }
      rest = text.slice(start);
      if (rest.length > MAX_LINE_CHARS) throw tooLong(line + 1);
    }
  } catch (e) {
    if (gzip && !(e instanceof ImportError)) throw new ImportError(`The file starts like a gzip file but does not decompress (${(e as Error).message}).`);
    throw e;
  } finally {
    raw.destroy();
  }
  if (rest.endsWith('\r')) rest = rest.slice(0, -1);
  if (rest.length > MAX_LINE_CHARS) throw tooLong(line + 1);
  if (rest !== '') yield { line: line + 1, text: rest };
}
