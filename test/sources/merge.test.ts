import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as nextTask } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { RawLine } from '../../src/contracts.js';
import { mergeSources } from '../../src/merge.js';
import type { Source } from '../../src/sources/source.js';

setFlagsFromString('--expose-gc');
/** A full garbage collection, to see which values are still reachable. */
const collectGarbage = runInNewContext('gc') as () => void;

function line(source: string, text: string): RawLine {
  return { text, origin: { source } };
}

function sourceOf(id: string, batches: () => AsyncIterable<readonly RawLine[]>): Source {
  return { id, batches, commit: () => undefined, stop: () => Promise.resolve() };
}

/** A source that yields `count` one-line batches, one per event-loop turn. */
function busy(id: string, count: number): Source {
  return sourceOf(id, async function* () {
    for (let i = 0; i < count; i += 1) {
      await nextTask();
      yield [line(id, `${id}${i}`)];
    }
  });
}

/** Reads that never complete, like a webhook nobody calls; `onReturn` is told when the reader gives up. */
function quietBatches(onReturn: () => void = () => undefined): AsyncIterable<readonly RawLine[]> {
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => new Promise<IteratorResult<readonly RawLine[]>>(() => undefined),
      return: () => {
        onReturn();
        return Promise.resolve({ done: true as const, value: undefined });
      },
    }),
  };
}

test('batches of a busy source are not kept once consumed while another source stays quiet', async () => {
  const consumed: WeakRef<readonly RawLine[]>[] = [];
  const merged = mergeSources([busy('busy', 200), sourceOf('quiet', () => quietBatches())])[
    Symbol.asyncIterator
  ]();
  while (consumed.length < 200) {
    const next = await merged.next();
    assert.ok(next.done !== true);
    consumed.push(new WeakRef(next.value.lines));
  }
  // WeakRefs hold their target until the current job ends.
  await nextTask();
  collectGarbage();
  // The last one may still be referenced by the iteration; none before it may be.
  const kept = consumed.filter((ref) => ref.deref() !== undefined).length;
  assert.ok(kept <= 1, `${kept} of 200 batches consumed are still in memory`);
  await merged.return(undefined);
});

test('every batch of every source, each source in its own order, until all have ended', async () => {
  const texts: string[] = [];
  for await (const { source, lines } of mergeSources([busy('a', 5), busy('b', 3)])) {
    for (const raw of lines) {
      assert.equal(raw.origin.source, source.id);
      texts.push(raw.text);
    }
  }
  assert.deepEqual(
    texts.filter((text) => text.startsWith('a')),
    ['a0', 'a1', 'a2', 'a3', 'a4'],
  );
  assert.deepEqual(
    texts.filter((text) => text.startsWith('b')),
    ['b0', 'b1', 'b2'],
  );
});

test('a source is asked for its next batch only once its previous one is consumed', async () => {
  let asked = 0;
  const counting = sourceOf('counting', async function* () {
    for (let i = 0; i < 3; i += 1) {
      asked += 1;
      await nextTask();
      yield [line('counting', String(i))];
    }
  });
  const merged = mergeSources([counting])[Symbol.asyncIterator]();
  await merged.next();
  await nextTask();
  await nextTask();
  assert.equal(asked, 1);
  await merged.next();
  assert.equal(asked, 2);
  await merged.return(undefined);
});

test('a failing source ends the stream with its error, the others are told to return', async () => {
  const failure = new Error('socket closed');
  let returned = false;
  const failing = sourceOf('failing', () => ({
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<readonly RawLine[]>> => {
        await nextTask();
        throw failure;
      },
    }),
  }));
  const other = sourceOf('other', () =>
    quietBatches(() => {
      returned = true;
    }),
  );
  await assert.rejects(async () => {
    for await (const batch of mergeSources([failing, other]))
      assert.fail(`unexpected batch ${batch.source.id}`);
  }, failure);
  assert.equal(returned, true);
});
