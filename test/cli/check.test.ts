import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../helpers/io.js';

async function check(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO();
  const code = await main(['check', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

const jsonOutput = z.array(
  z.strictObject({
    pattern: z.string(),
    valid: z.boolean(),
    diagnostics: z.array(
      z.strictObject({
        code: z.string(),
        severity: z.enum(['error', 'warning']),
        title: z.string(),
        message: z.string(),
        column: z.number().int().positive(),
        start: z.number().int().nonnegative(),
        end: z.number().int().nonnegative(),
        hint: z.string().optional(),
      }),
    ),
  }),
);

test('a valid pattern: exit 0 and "valid"', async () => {
  const result = await check("[file:name = 'a.exe']");
  assert.equal(result.code, 0);
  assert.equal(result.out, 'valid\n');
  assert.equal(result.err, '');
});

test('an invalid pattern: exit 1, the error with a caret under its column, and the hint', async () => {
  const pattern = '[file:name EXISTS]';
  const result = await check(pattern);
  assert.equal(result.code, 1);
  const lines = result.out.split('\n');
  assert.equal(lines[0], 'invalid (1 error)');
  const column = pattern.indexOf('EXISTS') + 1;
  assert.ok(lines.includes(`  ${pattern}`));
  assert.ok(lines.some((line) => line.startsWith(`error[exists-after-path] column ${column}: `)));
  assert.ok(lines.includes(`  ${' '.repeat(column - 1)}^^^^^^`));
  assert.ok(lines.includes('  hint: Write EXISTS file:name.'));
});

test('CONTAINS gets its hint', async () => {
  const result = await check("[file:name CONTAINS 'x']");
  assert.equal(result.code, 1);
  assert.match(result.out, /error\[contains-operator\] column 12: /);
  assert.match(result.out, /hint: Use LIKE with wildcards/);
});

test('a valid pattern that can never match: exit 0, "valid", and the warning', async () => {
  const result = await check("[process:command_line = 'x' AND file:name = 'y']");
  assert.equal(result.code, 0);
  assert.match(result.out, /^valid \(1 warning\)\n/);
  assert.match(result.out, /warning\[and-across-types\] column 2: /);
  assert.match(result.out, /process:image_ref\.name/);
});

test('several patterns: each judged, exit 1 when any is invalid', async () => {
  const result = await check("[file:name = 'a']", '[file:name = ]', "[file:path = 'x']");
  assert.equal(result.code, 1);
  assert.match(result.out, /^pattern 1: valid\n/);
  assert.match(result.out, /\npattern 2: invalid \(1 error\)\n/);
  assert.match(result.out, /\npattern 3: valid \(1 warning\)\n/);
  const allValid = await check("[file:name = 'a']", '[file:size > 3]');
  assert.equal(allValid.code, 0);
});

test('--json prints every diagnostic as data', async () => {
  const result = await check('--json', "[file:name = 'a' and file:size = 1]", "[file:path = 'x']");
  assert.equal(result.code, 1);
  const document = jsonOutput.parse(JSON.parse(result.out));
  assert.equal(document.length, 2);
  const [first, second] = document;
  assert.ok(first && second);
  assert.equal(first.valid, false);
  assert.deepEqual(
    first.diagnostics.map((d) => [d.code, d.severity, d.column]),
    [['keyword-case', 'error', "[file:name = 'a' and".indexOf('and') + 1]],
  );
  assert.equal(second.valid, true);
  assert.deepEqual(
    second.diagnostics.map((d) => d.code),
    ['unknown-property'],
  );
});

test('--stix-version 2.0 uses the STIX 2.0 grammar', async () => {
  const startStop = "[file:name = 'a'] START '2016-06-01T00:00:00Z' STOP '2016-07-01T00:00:00Z'";
  assert.equal((await check('--stix-version', '2.0', startStop)).code, 0);
  assert.equal((await check(startStop)).code, 1);
  const exists = await check('--stix-version', '2.0', '[EXISTS file:name]');
  assert.equal(exists.code, 1);
  assert.match(exists.out, /not-in-version/);
});

test('usage errors exit 2: no pattern, a bad version, an unknown flag', async () => {
  assert.equal((await check()).code, 2);
  assert.equal((await check('--stix-version', '3.0', "[file:name = 'a']")).code, 2);
  assert.equal((await check('--frobnicate', "[file:name = 'a']")).code, 2);
});
