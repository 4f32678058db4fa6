import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compilePattern, matchPattern } from '../../src/pattern/compile.js';
import { PatternSyntaxError, SearchLimitError } from '../../src/pattern/errors.js';
import { ObservationInputError } from '../../src/pattern/observation-input.js';
import { at, bundle, observedDataV20 } from './observation-fixtures.js';

test('compilePattern returns the text, the AST, the version and a reusable match', () => {
  const compiled = compilePattern("[file:name = 'a']");
  assert.equal(compiled.text, "[file:name = 'a']");
  assert.equal(compiled.stixVersion, '2.1');
  assert.equal(compiled.ast.kind, 'observation');
  const hit = [bundle([{ type: 'file', name: 'a' }])];
  const miss = [bundle([{ type: 'file', name: 'b' }])];
  assert.equal(compiled.match(hit), true);
  assert.equal(compiled.match(miss), false);
  assert.equal(compiled.match(hit), true, 'no state carried between calls');
  assert.equal(compiled.match([]), false);
});

test('matchPattern is compile-then-match, in either version', () => {
  assert.ok(matchPattern("[file:name = 'a']", [bundle([{ type: 'file', name: 'a' }])]));
  const v20 = [observedDataV20([{ type: 'file', name: 'a' }], { first: at(1) })];
  assert.ok(matchPattern("[file:name = 'a']", v20, { stixVersion: '2.0' }));
  assert.ok(
    matchPattern("[file:name = 'a'] START '2020-01-01T00:00:00Z' STOP '2020-01-01T00:00:02Z'", v20, {
      stixVersion: '2.0',
    }),
  );
  assert.ok(
    !matchPattern("[file:name = 'a'] START '2020-01-01T00:00:02Z' STOP '2020-01-01T00:00:03Z'", v20, {
      stixVersion: '2.0',
    }),
  );
});

/** Compiles and returns the PatternSyntaxError it must throw. */
function syntaxErrorOf(pattern: string): PatternSyntaxError {
  try {
    compilePattern(pattern);
  } catch (error) {
    assert.ok(error instanceof PatternSyntaxError, `${pattern}: ${String(error)}`);
    return error;
  }
  assert.fail(`${pattern} compiled`);
}

test('an unusable constant is a PatternSyntaxError at the constant, saying what is wrong', () => {
  const cases: [string, string, RegExp][] = [
    ["[file:name MATCHES '(a)\\\\1']", "'(a)\\\\1'", /backreferences/],
    ["[file:name MATCHES 'a(?=b)']", "'a(?=b)'", /lookahead/],
    ["[file:name MATCHES '(']", "'('", /invalid or unsupported regular expression/],
    ["[ipv4-addr:value ISSUBSET '10.0.0.0/33']", "'10.0.0.0/33'", /not an IPv4 or IPv6/],
    ["[ipv4-addr:value ISSUPERSET 'host']", "'host'", /not an IPv4 or IPv6/],
    ["[file:name IN ('a', 1)]", "('a', 1)", /mixes constants/],
  ];
  for (const [pattern, token, message] of cases) {
    const error = syntaxErrorOf(pattern);
    assert.equal(error.token, token, pattern);
    assert.equal(error.offset, pattern.indexOf(token), pattern);
    assert.equal(error.column, pattern.indexOf(token) + 1, pattern);
    assert.equal(error.code, 'invalid-constant');
    assert.match(error.message, message);
    assert.match(error.message, new RegExp(`^column ${error.column}: `));
  }
});

test('integers and floats may share an IN set', () => {
  assert.ok(matchPattern('[file:size IN (1, 2.5)]', [bundle([{ type: 'file', size: 2.5 }])]));
});

test('syntax errors come from the parser unchanged', () => {
  const error = syntaxErrorOf("[file:name = 'a'");
  assert.ok(error.expected.length > 0);
});

test('malformed observations raise ObservationInputError from match', () => {
  const compiled = compilePattern("[file:name = 'a']");
  assert.throws(
    () => compiled.match([{ type: 'bundle', objects: [{ type: 'observed-data', id: 'x' }] }]),
    ObservationInputError,
  );
  assert.throws(() => compiled.match('nope' as unknown as unknown[]), ObservationInputError);
});

test('any string compiles or throws PatternSyntaxError, never anything else', () => {
  const seeds = [
    "[file:name MATCHES '^a+$' AND file:size > 10]",
    "[ipv4-addr:value ISSUBSET '10.0.0.0/8'] FOLLOWEDBY [file:hashes.'SHA-256' = h'00ff'] WITHIN 5 SECONDS",
    "[process:image_ref.name LIKE '%sh'] REPEATS 3 TIMES START t'2020-01-01T00:00:00Z' STOP t'2021-01-01T00:00:00Z'",
    "[file:x_refs[*].name IN ('a', 'b') OR NOT EXISTS file:y]",
  ];
  const mutated = fc
    .tuple(fc.constantFrom(...seeds), fc.nat(), fc.nat(), fc.string({ maxLength: 4 }))
    .map(([seed, at1, at2, insert]) => {
      const i = at1 % (seed.length + 1);
      const j = Math.min(seed.length, i + (at2 % 5));
      return seed.slice(0, i) + insert + seed.slice(j);
    });
  fc.assert(
    fc.property(fc.oneof(mutated, fc.string({ maxLength: 40 })), (text) => {
      try {
        compilePattern(text);
      } catch (error) {
        return error instanceof PatternSyntaxError;
      }
      return true;
    }),
    { numRuns: 1000 },
  );
});

test('bindings lists every distinct way the pattern is satisfied, as indexes of the observed-data', () => {
  const compiled = compilePattern("([file:name = 'a'] FOLLOWEDBY [file:name = 'b']) WITHIN 5 SECONDS");
  const batch = [
    bundle([{ type: 'file', name: 'a' }], { first: at(0) }),
    bundle([{ type: 'file', name: 'a' }], { first: at(1) }),
    bundle([{ type: 'file', name: 'b' }], { first: at(2) }),
    bundle([{ type: 'file', name: 'a' }], { first: at(3) }),
    bundle([{ type: 'file', name: 'b' }], { first: at(7) }),
  ];
  const found = [...compiled.bindings(batch)].map((binding) => [...binding].sort().join(','));
  assert.deepEqual(found.sort(), ['0,2', '1,2', '3,4']);
  assert.equal(compiled.match(batch), found.length > 0);
  assert.deepEqual([...compiled.bindings(batch.slice(0, 2))], [], 'no b: no binding');
});

/** A generated observation expression over file names a, b and c, with every operator and qualifier. */
function generatedPattern(random: () => number, depth: number): string {
  const roll = random();
  const name = ['a', 'b', 'c'][Math.floor(random() * 3)] ?? 'a';
  if (depth === 0 || roll < 0.3) return `[file:name = '${name}']`;
  if (roll < 0.7) {
    const operator = ['AND', 'OR', 'FOLLOWEDBY'][Math.floor(random() * 3)] ?? 'AND';
    return `(${generatedPattern(random, depth - 1)} ${operator} ${generatedPattern(random, depth - 1)})`;
  }
  const inner = generatedPattern(random, depth - 1);
  if (roll < 0.8) return `(${inner} WITHIN ${1 + Math.floor(random() * 8)} SECONDS)`;
  if (roll < 0.9)
    return `(${inner} START t'${at(Math.floor(random() * 6))}' STOP t'${at(4 + Math.floor(random() * 8))}')`;
  return `(${inner} REPEATS ${1 + Math.floor(random() * 2)} TIMES)`;
}

test('bindings through one observed-data are exactly those of all bindings that use it', () => {
  let random = 7;
  const next = (): number => {
    random = (random * 1_103_515_245 + 12_345) % 2 ** 31;
    return random / 2 ** 31;
  };
  let through = 0;
  for (let c = 0; c < 400; c += 1) {
    const compiled = compilePattern(generatedPattern(next, 3));
    const batch = Array.from({ length: 3 + Math.floor(next() * 4) }, () => {
      const start = Math.floor(next() * 12);
      // Some observed-data are intervals, or observed twice: bindings then count observations, not objects.
      const count = next() < 0.2 ? 2 : 1;
      const last = next() < 0.2 ? at(start + 2) : at(start);
      return bundle([{ type: 'file', name: ['a', 'b', 'c'][Math.floor(next() * 3)] ?? 'a' }], {
        first: at(start),
        last,
        count,
      });
    });
    const all = [...compiled.bindings(batch)].map((binding) => [...binding].sort().join(','));
    for (let index = 0; index < batch.length; index += 1) {
      const expected = all.filter((key) => key.split(',').includes(String(index))).sort();
      const found = [...compiled.bindings(batch, { through: index })].map((b) => [...b].sort().join(','));
      assert.deepEqual(found.sort(), expected, `${compiled.text} through ${index}`);
      through += expected.length;
    }
  }
  assert.ok(through > 400, `${through} bindings through an observed-data: both outcomes must be common`);
});

test('a search given maxSteps stops with SearchLimitError; the bindings it gave before are real ones', () => {
  const compiled = compilePattern("[file:name = 'a'] FOLLOWEDBY [file:name = 'b']");
  const batch = Array.from({ length: 30 }, (_, i) =>
    bundle([{ type: 'file', name: i % 2 === 0 ? 'a' : 'b' }], { first: at(i) }),
  );
  const key = (binding: ReadonlySet<number>): string => [...binding].sort().join(',');
  const all = new Set([...compiled.bindings(batch)].map(key));
  const given: string[] = [];
  assert.throws(() => {
    for (const binding of compiled.bindings(batch, { maxSteps: 100 })) given.push(key(binding));
  }, SearchLimitError);
  assert.ok(given.length > 0 && given.length < all.size, `${given.length} of ${all.size} before the limit`);
  for (const binding of given) assert.ok(all.has(binding), binding);
  assert.equal([...compiled.bindings(batch, { maxSteps: 1_000_000 })].length, all.size, 'enough steps: all');
});
