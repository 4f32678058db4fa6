import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzePattern } from '../../src/pattern/analyze.js';
import type { PatternDiagnostic } from '../../src/pattern/diagnostics.js';

function warnings(text: string, version: '2.0' | '2.1' = '2.1'): PatternDiagnostic[] {
  const analysis = analyzePattern(text, { stixVersion: version });
  assert.notEqual(
    analysis.pattern,
    null,
    `${text} is valid: ${analysis.diagnostics.map((d) => d.message).join('; ')}`,
  );
  assert.ok(analysis.diagnostics.every((d) => d.severity === 'warning'));
  return [...analysis.diagnostics];
}

function codes(text: string, version: '2.0' | '2.1' = '2.1'): string[] {
  return warnings(text, version).map((d) => d.code);
}

function only(text: string, code: string): PatternDiagnostic {
  const found = warnings(text).filter((d) => d.code === code);
  assert.equal(found.length, 1, `one ${code} in ${text}`);
  const [diagnostic] = found;
  assert.ok(diagnostic);
  return diagnostic;
}

test('a clean pattern has no diagnostics', () => {
  for (const text of [
    "[file:name = 'a.exe']",
    "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
    "[file:name = 'foo.dll' AND file:parent_directory_ref.path = 'C:\\\\Windows\\\\System32']",
    "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.33/32']",
    "[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']",
    "[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]",
    "[process:image_ref.name = 'sh' AND process:parent_ref.command_line LIKE '%kubectl%']",
    '([x-a:x = 1] FOLLOWEDBY [x-a:y = 2]) WITHIN 60 SECONDS',
    "[user-account:extensions.'unix-account-ext'.gid = 0]",
  ]) {
    assert.deepEqual(analyzePattern(text).diagnostics, [], text);
  }
});

test('AND across object types inside one observation expression never matches: warned, with a reference path', () => {
  const text = "[process:command_line = 'x' AND file:name = 'y']";
  const warning = only(text, 'and-across-types');
  assert.equal(warning.start, 1);
  assert.equal(warning.end, text.length - 1);
  assert.match(warning.message, /'process' and 'file'/);
  assert.match(warning.hint ?? '', /process:image_ref\.name/);
  const network = only(
    "[network-traffic:dst_port = 22 AND ipv4-addr:value = '10.0.0.1']",
    'and-across-types',
  );
  assert.match(network.hint ?? '', /network-traffic:dst_ref\.value/);
});

test('AND across types with no reference between them suggests separate observation expressions', () => {
  const warning = only(
    "[network-traffic:dst_port = 22 AND user-account:user_id NOT IN ('root')]",
    'and-across-types',
  );
  assert.match(warning.hint ?? '', /\[network-traffic:…\] AND \[user-account:…\]/);
});

test('OR across types is fine, and AND is judged after OR: one shared type is enough', () => {
  assert.deepEqual(codes("[process:pid = 1 OR file:name = 'y']"), []);
  assert.deepEqual(codes("[(process:pid = 1 OR file:name = 'y') AND file:size = 3]"), []);
  assert.deepEqual(codes("[(process:pid = 1 OR file:name = 'y') AND mutex:name = 'm']"), [
    'and-across-types',
  ]);
  assert.deepEqual(codes('[process:pid = 1] AND [file:size = 3]'), []);
  assert.deepEqual(codes('[x-a:p = 1 AND x-b:q = 2]'), ['and-across-types']);
});

test('a property that no object of the type has is warned, with the likely paths', () => {
  const path = only("[file:path = '/var/log']", 'unknown-property');
  assert.equal(path.message, "file has no property 'path'");
  assert.match(path.hint ?? '', /file:parent_directory_ref\.path/);
  assert.match(path.hint ?? '', /file:name/);
  const name = only("[process:name = 'sh']", 'unknown-property');
  assert.match(name.hint ?? '', /process:image_ref\.name/);
  const typo = only("[email-message:from_ref.valu = 'a']", 'unknown-property');
  assert.equal(typo.message, "email-addr has no property 'valu'");
  assert.match(typo.hint ?? '', /email-message:from_ref\.value/);
  const text = '[file:name.length = 3]';
  const scalar = only(text, 'unknown-property');
  assert.equal(text.slice(scalar.start, scalar.end), 'length');
});

test('an extension the type does not define is warned; predefined ones are checked inside', () => {
  const text = "[file:extensions.symlink.path MATCHES '.*']";
  const warning = only(text, 'unknown-extension');
  assert.equal(text.slice(warning.start, warning.end), 'symlink');
  assert.match(warning.hint ?? '', /windows-pebinary-ext/);
  assert.deepEqual(codes("[file:extensions.'ntfs-ext'.alternate_data_streams[*].nme = 'x']"), [
    'unknown-property',
  ]);
  assert.deepEqual(codes("[process:extensions.'windows-process-ext'.owner_sid = 'S-1']"), []);
});

test('custom object types, custom properties and custom extensions are left alone', () => {
  assert.deepEqual(codes("[x-usb-device:usbdrive.serial_number = '575833314133343231313937']"), []);
  assert.deepEqual(codes("[kubernetes-pod:spec.volumes[*].hostPath.path = '/var/log']"), []);
  assert.deepEqual(codes('[file:x_sensor.anything.at[0].all = 1]'), []);
  assert.deepEqual(
    codes("[process:extensions.'extension-definition--73732245-2bdb-4479-a55b-9b1717cfe7f0'.binary = 'x']"),
    [],
  );
  assert.deepEqual(codes("[file:hashes.'SHA-999' = 'x' AND file:hashes.anything = 'y']"), []);
});

test('an object type outside STIX 2.1 is warned once, with a close known type', () => {
  const found = warnings("[win-registry-key:key = 'a' OR win-registry-key:key = 'b']");
  assert.deepEqual(
    found.map((d) => d.code),
    ['unknown-object-type'],
  );
  assert.match(found[0]?.hint ?? '', /'windows-registry-key'/);
  assert.match(only('[proces:pid = 1]', 'unknown-object-type').hint ?? '', /'process'/);
});

test('qualifier warnings: REPEATS 1, WITHIN on a single observation, START not before STOP', () => {
  assert.deepEqual(codes('[x-a:p = 1] REPEATS 1 TIMES'), ['repeats-once']);
  assert.deepEqual(codes('[x-a:p = 1] WITHIN 5 SECONDS'), ['within-single-observation']);
  // The spec's own example reads as if WITHIN covered both; it binds to the second only.
  const unparenthesised = only(
    '[x-a:p = 1] FOLLOWEDBY [x-a:p = 2] WITHIN 300 SECONDS',
    'within-single-observation',
  );
  assert.match(unparenthesised.hint ?? '', /\(\[…\] FOLLOWEDBY \[…\]\) WITHIN/);
  assert.deepEqual(codes('([x-a:p = 1] OR [x-a:p = 2]) WITHIN 5 SECONDS'), ['within-single-observation']);
  assert.deepEqual(codes('[x-a:p = 1] REPEATS 3 TIMES WITHIN 5 SECONDS'), []);
  assert.deepEqual(codes('([x-a:p = 1] AND [x-a:p = 2]) WITHIN 5 SECONDS'), []);
  assert.deepEqual(codes('([x-a:p = 1] FOLLOWEDBY [x-a:p = 2]) WITHIN 5 SECONDS'), []);
  assert.deepEqual(codes('([x-a:p = 1] WITHIN 5 SECONDS) REPEATS 2 TIMES'), ['within-single-observation']);
  const window = (start: string, stop: string): string[] =>
    codes(`[x-a:p = 1] START t'${start}' STOP t'${stop}'`);
  assert.deepEqual(window('2020-01-01T00:00:00Z', '2020-01-02T00:00:00Z'), []);
  assert.deepEqual(window('2020-01-02T00:00:00Z', '2020-01-01T00:00:00Z'), ['start-not-before-stop']);
  assert.deepEqual(window('2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z'), ['start-not-before-stop']);
  assert.deepEqual(window('2020-01-01T00:00:00.5Z', '2020-01-01T00:00:00.25Z'), ['start-not-before-stop']);
});

test('an empty IN set and the operator aliases are warned', () => {
  assert.deepEqual(codes('[x-a:p IN ()]'), ['empty-set']);
  assert.deepEqual(codes('[x-a:p == 1]'), ['operator-alias']);
});

test('STIX 2.0 mode checks no STIX 2.1 vocabulary, but still warns about AND across types', () => {
  assert.deepEqual(codes("[process:name = 'x']", '2.0'), []);
  const across = warnings("[process:name = 'x' AND file:name = 'y']", '2.0');
  assert.deepEqual(
    across.map((d) => d.code),
    ['and-across-types'],
  );
  assert.doesNotMatch(across[0]?.hint ?? '', /image_ref/);
});

test('errors: every syntax error with recovery, no warnings, and a null pattern', () => {
  const analysis = analyzePattern("[file:path EXISTS] AND [file:name CONTAINS 'x']");
  assert.equal(analysis.pattern, null);
  assert.deepEqual(
    analysis.diagnostics.map((d) => d.code),
    ['exists-after-path', 'contains-operator'],
  );
});

test('constants the compiler cannot use are errors too: a backreference in MATCHES, a bad CIDR', () => {
  const regex = analyzePattern("[file:name MATCHES '(a)\\\\1']");
  assert.equal(regex.pattern, null);
  assert.deepEqual(
    regex.diagnostics.map((d) => [d.code, d.severity]),
    [['invalid-constant', 'error']],
  );
  const cidr = analyzePattern("[ipv4-addr:value ISSUBSET '10.0.0.0/33']");
  assert.deepEqual(
    cidr.diagnostics.map((d) => [d.code, d.start]),
    [['invalid-constant', '[ipv4-addr:value ISSUBSET '.length]],
  );
});

test('diagnostics come in the order of their position', () => {
  const analysis = analyzePattern("[process:name = 'x' AND file:path = 'y'] REPEATS 1 TIMES");
  const starts = analysis.diagnostics.map((d) => d.start);
  assert.deepEqual(
    starts,
    [...starts].sort((a, b) => a - b),
  );
  assert.equal(analysis.diagnostics.length, 4);
});

test('analyzePattern never throws, whatever the text', () => {
  for (const text of ['', ']', '[[[[', "'", '\u0000', 'x'.repeat(10_000), '('.repeat(50_000), '😀']) {
    const analysis = analyzePattern(text);
    assert.equal(analysis.pattern, null);
    assert.ok(
      analysis.diagnostics.some((d) => d.severity === 'error'),
      JSON.stringify(text.slice(0, 10)),
    );
  }
});
