/** Transparent gzip: a stream that starts with the gzip magic bytes is decompressed, any other passes through. */
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

const GZIP_MAGIC = [0x1f, 0x8b] as const;

export function isGzip(start: Uint8Array): boolean {
  return start[0] === GZIP_MAGIC[0] && start[1] === GZIP_MAGIC[1];
}

/** The chunks of `input`, decompressed when the first chunk starts like gzip. Errors surface in iteration. */
export async function* maybeGunzip(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = input[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done === true) return;
  const rest: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => iterator };
  if (!isGzip(first.value)) {
    yield first.value;
    yield* rest;
    return;
  }
  const compressed = Readable.from(prepend(first.value, rest), { objectMode: false });
  // pipeline destroys both streams on failure, so a corrupt file ends the iteration with its error.
  const gunzip = pipeline(compressed, createGunzip(), () => undefined);
  for await (const chunk of gunzip) yield chunk as Buffer;
}

async function* prepend(first: Uint8Array, rest: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield first;
  yield* rest;
}
