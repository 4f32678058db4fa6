import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_POSITIONS_PER_SOURCE, ReflectedPositions } from '../../src/state/index.js';

const line = (offset: number, fingerprint = 'f1', source = 'tail:/a') => ({ source, fingerprint, offset });

test('lines up to the restored position are replays; the first line past it ends the replay of that file', () => {
  const positions = new ReflectedPositions([
    { source: 'tail:/a', files: [{ fingerprint: 'f1', offset: 300 }] },
  ]);
  assert.equal(positions.isReplay(line(100)), true);
  assert.equal(positions.isReplay(line(300)), true);
  assert.equal(positions.isReplay(line(400)), false);
  // The same file read again from its start afterwards (truncated, same first line): new lines, not replays.
  assert.equal(positions.isReplay(line(100)), false);
  assert.equal(positions.isReplay(line(100, 'f2')), false, 'another file');
  assert.equal(positions.isReplay(line(100, 'f1', 'tail:/b')), false, 'another source');
  assert.equal(positions.isReplay({ source: 'tail:/a', offset: 10 }), false, 'no fingerprint');
  assert.equal(positions.isReplay({ source: 'stdin', line: 1 }), false);
});

test('the saved positions keep restored files not read again, the latest line of each file, and a bounded number of files', () => {
  const positions = new ReflectedPositions([
    { source: 'tail:/a', files: [{ fingerprint: 'old', offset: 50 }] },
  ]);
  positions.advance(line(10));
  positions.advance(line(20));
  positions.advance({ source: 'stdin', line: 3 });
  assert.deepEqual(positions.snapshot(), [
    {
      source: 'tail:/a',
      files: [
        { fingerprint: 'old', offset: 50 },
        { fingerprint: 'f1', offset: 20 },
      ],
    },
  ]);
  for (let i = 0; i < MAX_POSITIONS_PER_SOURCE + 5; i += 1) positions.advance(line(i + 1, `rotated-${i}`));
  positions.advance(line(30));
  const files = positions.snapshot()[0]?.files ?? [];
  assert.equal(files.length, MAX_POSITIONS_PER_SOURCE);
  assert.deepEqual(files.at(-1), { fingerprint: 'f1', offset: 30 }, 'most recently read last');
  assert.equal(
    files.some((f) => f.fingerprint === 'old'),
    false,
    'the file read longest ago went first',
  );
});
