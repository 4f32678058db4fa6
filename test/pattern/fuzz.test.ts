/**
 * The error contract, fuzzed: any string given to compilePattern yields a compiled pattern or a
 * PatternSyntaxError, never another exception and never a hang. 100,000 random and mutated pattern strings,
 * seeded (PATTERN_FUZZ_SEED overrides the seed) so any failure can be replayed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { z } from 'zod';
import { analyzePattern } from '../../src/pattern/analyze.js';
import { compilePattern } from '../../src/pattern/compile.js';
import { PatternSyntaxError } from '../../src/pattern/errors.js';
import { parseWithDiagnostics } from '../../src/pattern/parser.js';
import { ensurePythonVenv } from '../helpers/python.js';
import { Prng } from './differential/prng.js';
import { REFERENCE_REQUIREMENT } from './differential/reference-process.js';

const SEED = Number(process.env.PATTERN_FUZZ_SEED ?? 20_240_611);
const INPUTS = 100_000;
/** The slowest single compile allowed: a guard against hangs and super-linear paths, asked for by issue 2. */
const SLOWEST_COMPILE_MS = 50;

/** Valid patterns covering every construct; the mutations start from these. */
const corpus: readonly string[] = [
  "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
  "[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']",
  "[file:hashes.'SHA-256' = 'bf07' OR file:hashes.MD5 = 'cead'] AND [file:hashes.'SHA-256' = 'aec0']",
  "([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) WITHIN 300 SECONDS",
  "[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]",
  "[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd8']",
  "[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = 'example.com'] REPEATS 5 TIMES WITHIN 1800 SECONDS",
  "[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value = '198.51.100.1/32']",
  "[(file:name = 'pdf.exe' OR file:size = '371712') AND file:created = t'2014-01-13T07:03:17Z']",
  "[network-traffic:dst_ref.value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64']",
  "[ipv4-addr:value ISSUPERSET '10.0.0.0/8' OR ipv4-addr:value NOT ISSUBSET '192.168.0.0/16']",
  "([file:name = 'foo.dll'] AND [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo']) OR [process:pid = 4 OR process:pid = -1]",
  '[(network-traffic:dst_port IN (443, 6443, 8443) AND network-traffic:src_packets != 0)]',
  "[x-custom:'x-prop'[0][-1] NOT IN ('a', 1, 2.5, true, t'2020-02-29T23:59:60.123Z', b'aGk=', h'')]",
  '[EXISTS process:image_ref AND NOT EXISTS process:parent_ref.pid]',
  "[artifact:payload_bin = b'aGVsbG8=' AND artifact:mime_type LIKE 'text/%_']",
  "[process:command_line NOT LIKE '%kubectl%'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
  "[user-account:user_id == '0' AND user-account:account_login <> 'root'] /* comment */ OR [mutex:name = 'm'] // end",
  '[file:size >= +10 AND file:size <= 1000 AND file:size > -.5]',
  "[kubernetes-pod:spec.volumes[*].hostPath.path = '/var/log'] FOLLOWEDBY [process:image_ref.name = 'sh'] WITHIN 0.5 SECONDS",
];

/** Pieces spliced into patterns: tokens, broken tokens, and awkward characters. */
const fragments: readonly string[] = [
  '[',
  ']',
  '(',
  ')',
  ' AND ',
  ' OR ',
  ' NOT ',
  ' FOLLOWEDBY ',
  ' WITHIN 5 SECONDS',
  ' REPEATS 2 TIMES',
  " START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
  ' EXISTS ',
  ' IN ',
  ' (1, 2)',
  ' ()',
  ' LIKE ',
  ' MATCHES ',
  ' ISSUBSET ',
  ' = ',
  ' != ',
  ' <= ',
  ' > ',
  "'x'",
  "'",
  "\\'",
  '\\',
  '\\\\',
  "t'2020-01-01T00:00:00Z'",
  "t'",
  "b'aGk='",
  "b'",
  "h'ff'",
  "h'",
  '1',
  '-1',
  '+1',
  '.5',
  '-.5',
  '007',
  '1e9',
  '9007199254740993',
  'true',
  'false',
  'TRUE',
  'and',
  'file:name',
  'x-a:b',
  ':',
  '.',
  ',',
  '[*]',
  '[0]',
  '[-1]',
  "'x-y'",
  '/*',
  '*/',
  '//',
  '==',
  '<>',
  '&&',
  '||',
  '"',
  '"q"',
  '#',
  '!',
  '^',
  '*',
  '-',
  '+',
  'é',
  '😀',
  '\u0000',
  '\u3000',
  '\u2028',
  '\uD800',
  '\uDFFF',
  '\t',
  '\n',
  ' ',
  'CONTAINS',
  'LAST',
  'SECONDS',
  'TIMES',
];

type Random = () => number;

/** The differential test's seeded generator, as a plain function. */
function generator(seed: number): Random {
  const prng = new Prng(seed);
  return () => prng.next();
}

function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function integer(random: Random, below: number): number {
  return Math.floor(random() * below);
}

/** Characters that mean something in a pattern (all ASCII). */
const PATTERN_CHARACTERS: readonly string[] = Array.from('[]()\':.,=!<>*+-^/&|" \tANDORtbh0123456789xyz_\\');

function randomCharacter(random: Random): string {
  const roll = random();
  if (roll < 0.7) return pick(random, PATTERN_CHARACTERS);
  if (roll < 0.9) return String.fromCharCode(integer(random, 0x80));
  return String.fromCharCode(integer(random, 0x10000));
}

/** One small edit: insert, delete, replace, splice a fragment, duplicate or move a slice. */
function mutate(random: Random, text: string): string {
  const at = integer(random, text.length + 1);
  const span = 1 + integer(random, 8);
  switch (integer(random, 6)) {
    case 0:
      return text.slice(0, at) + randomCharacter(random) + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + span);
    case 2:
      return text.slice(0, at) + randomCharacter(random) + text.slice(at + 1);
    case 3:
      return text.slice(0, at) + pick(random, fragments) + text.slice(at);
    case 4:
      return text.slice(0, at) + text.slice(at, at + span * 4) + text.slice(at);
    default: {
      const other = integer(random, text.length + 1);
      return (
        text.slice(0, Math.min(at, other)) +
        text.slice(Math.max(at, other)) +
        text.slice(Math.min(at, other), Math.max(at, other))
      );
    }
  }
}

function deepNesting(random: Random): string {
  const depth = integer(random, 3000);
  const inner = pick(random, corpus);
  const [open, close] = random() < 0.5 ? ['(', ')'] : ['[(', ')]'];
  const core = open === '(' ? inner : inner.slice(1, -1);
  const text = `${open}${'('.repeat(depth)}${core}${')'.repeat(depth - integer(random, 3))}${close}`;
  return random() < 0.5 ? text : mutate(random, text);
}

function longInput(random: Random): string {
  const count = 1 + integer(random, 1500);
  const operator = pick(random, [' AND ', ' OR ', ' FOLLOWEDBY ']);
  const roll = random();
  if (roll < 0.4) return Array.from({ length: count }, () => pick(random, corpus)).join(operator);
  if (roll < 0.7) return `[${Array.from({ length: count }, (_, i) => `file:size = ${i}`).join(operator)}]`;
  return `[file:name = '${'a'.repeat(integer(random, 200_000))}${random() < 0.5 ? "'" : ''}]`;
}

function randomText(random: Random): string {
  return Array.from({ length: integer(random, 60) }, () =>
    random() < 0.3 ? pick(random, fragments) : randomCharacter(random),
  ).join('');
}

/** A corpus pattern (or two spliced together) with up to four small edits. */
function mutatedPattern(random: Random): string {
  let text =
    random() < 0.15
      ? `${pick(random, corpus)}${pick(random, fragments)}${pick(random, corpus)}`
      : pick(random, corpus);
  const edits = random() < 0.2 ? 0 : 1 + integer(random, 4);
  for (let i = 0; i < edits; i += 1) text = mutate(random, text);
  return text;
}

function fuzzInput(random: Random): string {
  const roll = random();
  if (roll < 0.02) return deepNesting(random);
  if (roll < 0.03) return longInput(random);
  if (roll < 0.1) return randomText(random);
  return mutatedPattern(random);
}

interface Outcome {
  readonly valid: boolean;
  /** CPU time of the process during the compile: unlike wall time, not inflated when the machine is busy. */
  readonly cpuMs: number;
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Compiles once and times it; anything thrown other than a well-formed PatternSyntaxError fails the test. */
function compileOnce(text: string, stixVersion: '2.0' | '2.1', index: number): Outcome {
  const started = process.cpuUsage();
  try {
    compilePattern(text, { stixVersion });
    return { valid: true, cpuMs: cpuMsSince(started) };
  } catch (error) {
    const cpuMs = cpuMsSince(started);
    const replay = `input #${index} (seed ${SEED}, STIX ${stixVersion}): ${JSON.stringify(text.slice(0, 300))}`;
    if (!(error instanceof PatternSyntaxError)) {
      assert.fail(
        `${replay} threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      );
    }
    assert.ok(
      error.column >= 1 && error.column <= text.length + 1,
      `${replay}: column ${error.column} out of range`,
    );
    assert.ok(Array.isArray(error.expected), replay);
    return { valid: false, cpuMs };
  }
}

test(`${INPUTS} random and mutated patterns: a compiled pattern or a PatternSyntaxError, each within ${SLOWEST_COMPILE_MS} ms`, () => {
  const random = generator(SEED);
  let valid = 0;
  let slowest = { ms: 0, text: '' };
  for (let index = 0; index < INPUTS; index += 1) {
    const text = fuzzInput(random);
    const stixVersion = index % 4 === 0 ? '2.0' : '2.1';
    const outcome = compileOnce(text, stixVersion, index);
    if (outcome.valid) valid += 1;
    // A garbage collection can stall one call; an input is slow only if it is slow every time.
    const ms =
      outcome.cpuMs > SLOWEST_COMPILE_MS
        ? Math.min(outcome.cpuMs, ...[1, 2].map(() => compileOnce(text, stixVersion, index).cpuMs))
        : outcome.cpuMs;
    if (ms > slowest.ms) slowest = { ms, text };
    // analyzePattern agrees with the compiler on what is valid, and never throws.
    if (index % 20 === 0) {
      const analysis = analyzePattern(text, { stixVersion });
      assert.equal(
        analysis.pattern !== null,
        outcome.valid,
        `analyzePattern and compilePattern disagree on #${index}: ${JSON.stringify(text.slice(0, 300))}`,
      );
    }
  }
  const summary = `${valid} of ${INPUTS} valid; slowest compile ${slowest.ms.toFixed(2)} ms of CPU (${slowest.text.length} chars: ${JSON.stringify(slowest.text.slice(0, 80))})`;
  console.log(`fuzz: seed ${SEED}; ${summary}`);
  // The fuzzer must reach the compiler's back end too, not only the syntax errors.
  assert.ok(valid > INPUTS / 20, `too few valid inputs: ${summary}`);
  assert.ok(slowest.ms < SLOWEST_COMPILE_MS, summary);
});

/** Asks the reference grammar (stix2-patterns, under stix2-matcher) whether each pattern parses. */
const REFERENCE_PARSER = `
import json, sys
from stix2patterns.v20.pattern import Pattern as Pattern20
from stix2patterns.v21.pattern import Pattern as Pattern21
from stix2patterns.exceptions import ParseException
answers = []
for case in json.load(sys.stdin):
    try:
        (Pattern20 if case["version"] == "2.0" else Pattern21)(case["text"])
        answers.append(True)
    except ParseException:
        answers.append(False)
json.dump(answers, sys.stdout)
`;

/**
 * Where we reject on purpose what the reference grammar accepts: days that do not exist (RFC 3339; the
 * compiler rejects them too), WITHIN or REPEATS counts that are not positive (the specification says
 * positive; the grammar's IntPosLiteral includes 0), and two qualifiers of one kind on one observation
 * expression (STIX 2.1 §9.5.1 "MUST NOT"; the reference's validator rejects them, its grammar does not).
 */
const DELIBERATE_REJECTIONS: ReadonlySet<string> = new Set([
  'invalid-timestamp',
  'qualifier-not-positive',
  'duplicate-qualifier',
]);

test('the grammar accepts exactly what the reference grammar accepts, on 5,000 mutated patterns', () => {
  const random = generator(SEED + 1);
  const cases = Array.from({ length: 5000 }, (_, index) => ({
    text: mutatedPattern(random),
    version: index % 5 === 0 ? '2.0' : '2.1',
  }));
  const python = ensurePythonVenv('stix2-matcher', [REFERENCE_REQUIREMENT]);
  const output = execFileSync(python, ['-c', REFERENCE_PARSER], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const answers = z.array(z.boolean()).length(cases.length).parse(JSON.parse(output));
  const disagreements: string[] = [];
  let accepted = 0;
  cases.forEach(({ text, version }, index) => {
    const result = parseWithDiagnostics(text, { stixVersion: version === '2.0' ? '2.0' : '2.1' });
    const firstError = result.diagnostics.find((d) => d.severity === 'error');
    const reference = answers[index];
    if (firstError === undefined) {
      accepted += 1;
      if (reference === false) disagreements.push(`STIX ${version} ${JSON.stringify(text)}: we accept it`);
      return;
    }
    if (reference === true && !DELIBERATE_REJECTIONS.has(firstError.code)) {
      disagreements.push(`STIX ${version} ${JSON.stringify(text)}: we reject it (${firstError.message})`);
    }
  });
  assert.deepEqual(disagreements, []);
  assert.ok(accepted > 500 && accepted < 4500, `a mix of valid and invalid patterns (${accepted} valid)`);
});
