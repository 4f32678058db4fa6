import { section, type ConformanceCase } from '../case.js';
import { observed, stixId, type JsonObject } from '../observations.js';

const paths = section('9.7 Object Path Syntax');
const basic = section('9.7.1 Basic Object Properties');
const lists = section('9.7.2 List Object Properties');
const dictionaries = section('9.7.3 Dictionary Object Properties');
const references = section('9.7.4 Object Reference Properties');
const file = (props: JsonObject): JsonObject => observed([{ type: 'file', ...props }]);

const pe = file({
  name: 'a.exe',
  hashes: { 'SHA-256': 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f', MD5: 'x' },
  extensions: {
    'windows-pebinary-ext': {
      pe_type: 'exe',
      sections: [
        { name: '.text', entropy: 7.5 },
        { name: '.data', entropy: 1.25 },
      ],
    },
    'raster-image-ext': { image_height: 768 },
  },
  x_tags: ['red', 'green'],
  x_matrix: [['a', 'b'], ['c']],
});

const pathCases: ConformanceCase[] = [
  basic('a top-level property', "[file:name = 'a.exe']", [pe], true),
  basic('the object type must match', "[process:name = 'a.exe']", [pe], false),
  basic(
    'a property of a custom object type',
    '[x-acme-widget:x_size = 3]',
    [observed([{ type: 'x-acme-widget', x_size: 3 }])],
    true,
  ),
  basic('an absent property makes the comparison false', "[file:x_absent = 'a']", [pe], false),
  basic('an absent property makes != false too', "[file:x_absent != 'a']", [pe], false),
  basic('an absent property makes NOT = false too', "[file:x_absent NOT = 'a']", [pe], false),
  basic('an absent property makes NOT IN false too', "[file:x_absent NOT IN ('a')]", [pe], false),
  basic('a quoted first property name', "[file:'name' = 'a.exe']", [pe], true),
  paths(
    'a quoted property with a hyphen',
    "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
    [pe],
    true,
  ),
  paths('property names are case-sensitive', "[file:hashes.md5 = 'x']", [pe], false),
  paths(
    'a quoted property with a full stop',
    "[x-thing:x_map.'a.b' = 1]",
    [observed([{ type: 'x-thing', x_map: { 'a.b': 1, a: { b: 2 } } }])],
    true,
  ),
  paths(
    'a quoted name with a full stop is one step, not two',
    "[x-thing:x_map.'a.b' = 2]",
    [observed([{ type: 'x-thing', x_map: { 'a.b': 1, a: { b: 2 } } }])],
    false,
  ),
  paths(
    'unquoted nested steps',
    '[x-thing:x_map.a.b = 2]',
    [observed([{ type: 'x-thing', x_map: { 'a.b': 1, a: { b: 2 } } }])],
    true,
  ),
  dictionaries('a dictionary key', "[file:hashes.MD5 = 'x']", [pe], true),
  dictionaries('an absent dictionary key', "[file:hashes.SHA1 = 'x']", [pe], false),
  dictionaries(
    'an extension property (spec example)',
    "[file:extensions.'raster-image-ext'.image_height = 768]",
    [pe],
    true,
  ),
  dictionaries('an extension that is absent', "[file:extensions.'ntfs-ext'.sid = 'x']", [pe], false),
  dictionaries('stepping into a string is absent', "[file:name.x = 'a']", [pe], false),
  lists('an index selects one element', "[file:x_tags[0] = 'red']", [pe], true),
  lists('an index selects only that element', "[file:x_tags[0] = 'green']", [pe], false),
  lists('the last index', "[file:x_tags[1] = 'green']", [pe], true),
  lists('an index out of range is false', "[file:x_tags[2] = 'green']", [pe], false),
  lists('an index out of range is false for != too', "[file:x_tags[5] != 'green']", [pe], false),
  lists('a negative index is out of range', "[file:x_tags[-1] = 'green']", [pe], false),
  lists('[*] tries every element', "[file:x_tags[*] = 'green']", [pe], true),
  lists('[*] fails when no element matches', "[file:x_tags[*] = 'blue']", [pe], false),
  lists('[*] with != holds when some element differs', "[file:x_tags[*] != 'red']", [pe], true),
  lists(
    '[*] then a property (spec example)',
    "[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7]",
    [pe],
    true,
  ),
  lists(
    '[*] then a property, no element matching',
    "[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 8]",
    [pe],
    false,
  ),
  lists(
    'an index then a property',
    "[file:extensions.'windows-pebinary-ext'.sections[1].name = '.data']",
    [pe],
    true,
  ),
  lists('nested lists with two [*]', "[file:x_matrix[*][*] = 'c']", [pe], true),
  lists('nested lists with indexes', "[file:x_matrix[0][1] = 'b']", [pe], true),
  lists('nested lists, index out of the inner range', "[file:x_matrix[1][1] = 'b']", [pe], false),
  lists('a list without an index does not equal an element', "[file:x_tags = 'red']", [pe], false),
  lists('an index on a non-list is absent', "[file:name[0] = 'a.exe']", [pe], false),
  lists('[*] on a non-list is absent', "[file:name[*] = 'a.exe']", [pe], false),
  lists('[*] on an empty list is false', "[file:x_tags[*] = 'red']", [file({ x_tags: [] })], false),
  lists(
    'network-traffic:protocols[0] (spec example)',
    "[network-traffic:protocols[0] = 'ipv4']",
    [observed([{ type: 'network-traffic', protocols: ['ipv4', 'tcp'] }])],
    true,
  ),
];

const ip = (n: number): string => stixId('ipv4-addr', 0xa000 + n);
const nt = (n: number): string => stixId('network-traffic', 0xa000 + n);
const fileId = (n: number): string => stixId('file', 0xa000 + n);
const proc = (n: number): string => stixId('process', 0xa000 + n);

const traffic = observed([
  { type: 'network-traffic', id: nt(1), src_ref: ip(1), dst_ref: ip(2), protocols: ['tcp'] },
  { type: 'ipv4-addr', id: ip(1), value: '203.0.113.10' },
  { type: 'ipv4-addr', id: ip(2), value: '198.51.100.58' },
]);

const directory = observed([
  { type: 'directory', id: stixId('directory', 0xa001), path: '/tmp', contains_refs: [fileId(1), fileId(2)] },
  { type: 'file', id: fileId(1), name: 'a.sh' },
  { type: 'file', id: fileId(2), name: 'b.sh' },
]);

const processTree = observed([
  { type: 'process', id: proc(1), pid: 1, image_ref: fileId(11), child_refs: [proc(2)] },
  { type: 'process', id: proc(2), pid: 2, image_ref: fileId(12), parent_ref: proc(1) },
  { type: 'file', id: fileId(11), name: 'init' },
  { type: 'file', id: fileId(12), name: 'sh' },
]);

const referenceCases: ConformanceCase[] = [
  references(
    'a _ref is dereferenced (network-traffic:src_ref.value)',
    "[network-traffic:src_ref.value = '203.0.113.10']",
    [traffic],
    true,
  ),
  references('the other _ref', "[network-traffic:dst_ref.value = '198.51.100.58']", [traffic], true),
  references(
    'a _ref does not reach other objects',
    "[network-traffic:src_ref.value = '198.51.100.58']",
    [traffic],
    false,
  ),
  references(
    'email-message:from_ref.value (spec example)',
    "[email-message:from_ref.value = 'mary@example.com']",
    [
      observed([
        {
          type: 'email-message',
          id: stixId('email-message', 0xa001),
          is_multipart: false,
          from_ref: stixId('email-addr', 0xa001),
        },
        { type: 'email-addr', id: stixId('email-addr', 0xa001), value: 'mary@example.com' },
      ]),
    ],
    true,
  ),
  references('process:image_ref.name', "[process:image_ref.name = 'sh']", [processTree], true),
  references('a chain of references', "[process:parent_ref.image_ref.name = 'init']", [processTree], true),
  references(
    'a chain of references, wrong end',
    "[process:parent_ref.image_ref.name = 'sh']",
    [processTree],
    false,
  ),
  references(
    '_refs[*] tries every referenced object (spec example)',
    "[directory:contains_refs[*].name = 'b.sh']",
    [directory],
    true,
  ),
  references('_refs[*], none matching', "[directory:contains_refs[*].name = 'c.sh']", [directory], false),
  references(
    '_refs[0] selects the first referenced object',
    "[directory:contains_refs[0].name = 'a.sh']",
    [directory],
    true,
  ),
  references(
    '_refs[0] selects only the first',
    "[directory:contains_refs[0].name = 'b.sh']",
    [directory],
    false,
  ),
  references(
    '_refs[n] out of range is false',
    "[directory:contains_refs[2].name = 'a.sh']",
    [directory],
    false,
  ),
  references('_refs[*] then a _ref', "[process:child_refs[*].image_ref.name = 'sh']", [processTree], true),
  references(
    'a dangling _ref is absent',
    "[network-traffic:src_ref.value = '203.0.113.10']",
    [observed([{ type: 'network-traffic', src_ref: ip(99), protocols: ['tcp'] }])],
    false,
  ),
  references(
    'an object not listed in object_refs is not found',
    "[network-traffic:src_ref.value = '203.0.113.10']",
    [
      observed([{ type: 'network-traffic', id: nt(20), src_ref: ip(20), protocols: ['tcp'] }], {
        unlisted: [{ type: 'ipv4-addr', id: ip(20), value: '203.0.113.10' }],
      }),
    ],
    false,
  ),
  references(
    'an object of another observed-data is not found',
    "[network-traffic:src_ref.value = '203.0.113.10']",
    [
      observed([{ type: 'network-traffic', id: nt(21), src_ref: ip(21), protocols: ['tcp'] }]),
      observed([{ type: 'ipv4-addr', id: ip(21), value: '203.0.113.10' }]),
    ],
    false,
  ),
  references(
    'a referenced object still matches on its own type',
    "[ipv4-addr:value = '203.0.113.10']",
    [traffic],
    true,
  ),
];

export const objectPathCases: readonly ConformanceCase[] = [...pathCases, ...referenceCases];
