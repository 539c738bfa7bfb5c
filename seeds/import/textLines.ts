/**
 * The lines of an import file, numbered as an editor numbers them (line 1 is the first line),
 * read as a stream: gzip is recognised by its magic bytes, text is decoded as UTF-8 (a BOM is
 * dropped) or Shift_JIS/CP932, and progress is reported as the share of the file's bytes read.
 */
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';

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

/** Yields the file's lines; onProgress gets the share (0–1) of the file's bytes read so far. */
export async function* readLines(file: string, encoding: TextEncoding, onProgress?: (share: number) => void): AsyncGenerator<NumberedLine> {
  const size = statSync(file).size || 1;
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  let bytes = 0;
  raw.on('data', (chunk) => {
    bytes += chunk.length;
    onProgress?.(bytes / size);
  });
  const unpacked: Readable = isGzip(file) ? raw.pipe(createGunzip()) : raw;
  const lines = createInterface({ input: unpacked.pipe(decoder(encoding)), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    yield { line, text };
  }
}
