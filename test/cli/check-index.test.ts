/**
 * `matcher check` shows the engine's index warnings: a `[ … ]` the index cannot use is a warning with its
 * reason, its cost, a caret and a hint, and never changes the exit code.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../helpers/io.js';

async function check(...args: string[]): Promise<{ code: number; out: string }> {
  const io = memoryIO();
  const code = await main(['check', ...args], io);
  return { code, out: io.out() };
}

test('an indexable pattern has no index warning', async () => {
  const result = await check("[file:name = 'a.exe'] FOLLOWEDBY [process:command_line LIKE 'curl %']");
  assert.equal(result.code, 0);
  assert.equal(result.out, 'valid\n');
});

test('a [ … ] the index cannot use: a warning with why, what it costs, a caret and a hint; exit 0', async () => {
  const pattern = "[file:name = 'a.exe'] FOLLOWEDBY [process:command_line LIKE '%curl%']";
  const result = await check(pattern);
  assert.equal(result.code, 0);
  const lines = result.out.split('\n');
  assert.equal(lines[0], 'valid (1 warning)');
  const column = pattern.indexOf('process:command_line') + 1;
  const warning = lines.find((line) => line.startsWith(`warning[unindexed-comparison] column ${column}: `));
  assert.ok(warning, result.out);
  assert.match(
    warning,
    /\[ … \] number 2 cannot be indexed: the LIKE pattern has no literal prefix or suffix/,
  );
  assert.match(warning, /tested against every observation with an object of type process/);
  const span = "process:command_line LIKE '%curl%'";
  assert.ok(lines.includes(`  ${' '.repeat(column - 1)}${'^'.repeat(span.length)}`));
  assert.ok(lines.some((line) => line.startsWith('  hint: Add a comparison the index can look up')));
});

test('OR: the side without a key is named', async () => {
  const result = await check("[file:name = 'a' OR file:size > 1000]");
  assert.match(result.out, /> is a range, not a value to look up \(file:size > 1000\)/);
  const indexed = await check("[file:name = 'a' AND file:size > 1000]");
  assert.equal(indexed.out, 'valid\n', 'AND needs a key on one side only');
});

test('AND across object types is reported once, by the analyzer', async () => {
  const result = await check("[file:name = 'a' AND process:pid = 4]");
  assert.match(result.out, /^valid \(1 warning\)\n/);
  assert.match(result.out, /warning\[and-across-types\]/);
});

test('--json carries index warnings as diagnostics with a title', async () => {
  const result = await check('--json', '[EXISTS file:name]');
  assert.equal(result.code, 0);
  const [checked] = JSON.parse(result.out) as [{ diagnostics: Record<string, unknown>[] }];
  assert.deepEqual(checked.diagnostics, [
    {
      code: 'unindexed-comparison',
      severity: 'warning',
      title: 'Comparison expression the index cannot use',
      message:
        '[ … ] number 1 cannot be indexed: EXISTS names no value (EXISTS file:name). It is tested against every observation with an object of type file, not only those that hold a value it names.',
      column: 2,
      start: 1,
      end: 17,
      hint: "Add a comparison the index can look up to this [ … ] with AND (=, IN, LIKE with a literal prefix or suffix, or ISSUBSET with an IP network; e.g. … AND process:command_line LIKE 'curl %'); with OR, each side needs one.",
    },
  ]);
});

test('an invalid pattern gets no index warning', async () => {
  const result = await check('[file:name != ]');
  assert.equal(result.code, 1);
  assert.doesNotMatch(result.out, /unindexed-comparison/);
});
