import { section, syntaxError, type ConformanceCase } from '../case.js';
import { observed } from '../observations.js';

const rule = section('9.6.1 Comparison Operators (set operators)');
const ipv4 = (value: string) => observed([{ type: 'ipv4-addr', value }]);
const ipv6 = (value: string) => observed([{ type: 'ipv6-addr', value }]);

const ipv4Cases: ConformanceCase[] = [
  rule(
    'ISSUBSET holds for an address inside the subnet',
    "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
    [ipv4('198.51.100.7')],
    true,
  ),
  rule(
    'ISSUBSET fails for an address outside the subnet',
    "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
    [ipv4('198.51.101.7')],
    false,
  ),
  rule(
    'ISSUBSET holds for a smaller subnet (the spec example)',
    "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
    [ipv4('198.51.100.0/27')],
    true,
  ),
  rule(
    'ISSUBSET fails for a larger subnet',
    "[ipv4-addr:value ISSUBSET '198.51.100.0/27']",
    [ipv4('198.51.100.0/24')],
    false,
  ),
  rule(
    'ISSUBSET holds for an identical subnet',
    "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
    [ipv4('198.51.100.0/24')],
    true,
  ),
  rule(
    'ISSUBSET holds for the first address of the subnet',
    "[ipv4-addr:value ISSUBSET '10.0.0.0/8']",
    [ipv4('10.0.0.0')],
    true,
  ),
  rule(
    'ISSUBSET holds for the last address of the subnet',
    "[ipv4-addr:value ISSUBSET '10.0.0.0/8']",
    [ipv4('10.255.255.255')],
    true,
  ),
  rule(
    'ISSUBSET fails just past the subnet',
    "[ipv4-addr:value ISSUBSET '10.0.0.0/8']",
    [ipv4('11.0.0.0')],
    false,
  ),
  rule(
    'ISSUBSET with a /32 subnet and the same address',
    "[ipv4-addr:value ISSUBSET '192.0.2.1/32']",
    [ipv4('192.0.2.1')],
    true,
  ),
  rule(
    'ISSUBSET with a /32 subnet and another address',
    "[ipv4-addr:value ISSUBSET '192.0.2.1/32']",
    [ipv4('192.0.2.2')],
    false,
  ),
  rule('ISSUBSET with a /1 subnet', "[ipv4-addr:value ISSUBSET '128.0.0.0/1']", [ipv4('200.1.2.3')], true),
  rule(
    'ISSUBSET with a /0 subnet holds for every address',
    "[ipv4-addr:value ISSUBSET '0.0.0.0/0']",
    [ipv4('203.0.113.9')],
    true,
    { referenceDeviation: 'ref-cidr-prefix-zero' },
  ),
  rule(
    'ISSUBSET with host bits set in the constant uses the network',
    "[ipv4-addr:value ISSUBSET '198.51.100.77/24']",
    [ipv4('198.51.100.1')],
    true,
  ),
  rule(
    'NOT ISSUBSET negates inside',
    "[ipv4-addr:value NOT ISSUBSET '198.51.100.0/24']",
    [ipv4('198.51.100.7')],
    false,
  ),
  rule(
    'NOT ISSUBSET negates outside',
    "[ipv4-addr:value NOT ISSUBSET '198.51.100.0/24']",
    [ipv4('203.0.113.1')],
    true,
  ),
  rule(
    'ISSUBSET on a referenced address',
    "[network-traffic:dst_ref.value ISSUBSET '203.0.113.0/24']",
    [
      observed([
        {
          type: 'network-traffic',
          id: 'network-traffic--00000000-0000-4000-8000-00000000c001',
          dst_ref: 'ipv4-addr--00000000-0000-4000-8000-00000000c002',
          protocols: ['tcp'],
        },
        { type: 'ipv4-addr', id: 'ipv4-addr--00000000-0000-4000-8000-00000000c002', value: '203.0.113.80' },
      ]),
    ],
    true,
  ),
  rule(
    'ISSUPERSET holds for a subnet containing the constant address',
    "[ipv4-addr:value ISSUPERSET '198.51.100.5']",
    [ipv4('198.51.100.0/24')],
    true,
  ),
  rule(
    'ISSUPERSET holds for a larger subnet (the spec example)',
    "[ipv4-addr:value ISSUPERSET '198.51.100.0/27']",
    [ipv4('198.51.100.0/24')],
    true,
  ),
  rule(
    'ISSUPERSET fails for a smaller subnet',
    "[ipv4-addr:value ISSUPERSET '198.51.100.0/24']",
    [ipv4('198.51.100.0/27')],
    false,
  ),
  rule(
    'ISSUPERSET holds for an identical subnet',
    "[ipv4-addr:value ISSUPERSET '198.51.100.0/24']",
    [ipv4('198.51.100.0/24')],
    true,
  ),
  rule(
    'ISSUPERSET fails for a subnet not containing the address',
    "[ipv4-addr:value ISSUPERSET '203.0.113.5']",
    [ipv4('198.51.100.0/24')],
    false,
  ),
  rule(
    'ISSUPERSET holds for an identical single address',
    "[ipv4-addr:value ISSUPERSET '198.51.100.5']",
    [ipv4('198.51.100.5')],
    true,
    {
      referenceDeviation: 'ref-cidr-single-address',
    },
  ),
  rule(
    'ISSUBSET holds for an identical single address',
    "[ipv4-addr:value ISSUBSET '198.51.100.5']",
    [ipv4('198.51.100.5')],
    true,
    {
      referenceDeviation: 'ref-cidr-single-address',
    },
  ),
  rule(
    'NOT ISSUPERSET negates',
    "[ipv4-addr:value NOT ISSUPERSET '198.51.100.0/27']",
    [ipv4('198.51.100.0/24')],
    false,
  ),
];

const ipv6Cases: ConformanceCase[] = [
  rule(
    'ISSUBSET holds for an IPv6 address inside the subnet',
    "[ipv6-addr:value ISSUBSET '2001:db8::/32']",
    [ipv6('2001:db8:dead:beef::1')],
    true,
    { referenceDeviation: 'ref-no-ipv6-cidr' },
  ),
  rule(
    'ISSUBSET fails for an IPv6 address outside the subnet',
    "[ipv6-addr:value ISSUBSET '2001:db8::/32']",
    [ipv6('2001:db9::1')],
    false,
    { referenceDeviation: 'ref-no-ipv6-cidr' },
  ),
  rule(
    'ISSUBSET holds for a smaller IPv6 subnet',
    "[ipv6-addr:value ISSUBSET '2001:db8::/32']",
    [ipv6('2001:db8:1::/48')],
    true,
    { referenceDeviation: 'ref-no-ipv6-cidr' },
  ),
  rule(
    'ISSUBSET fails for a larger IPv6 subnet',
    "[ipv6-addr:value ISSUBSET '2001:db8:1::/48']",
    [ipv6('2001:db8::/32')],
    false,
    { referenceDeviation: 'ref-no-ipv6-cidr' },
  ),
  rule(
    'ISSUBSET compares IPv6 addresses, not their spelling',
    "[ipv6-addr:value ISSUBSET '2001:db8::/48']",
    [ipv6('2001:0db8:0000:0000:0000:0000:0000:0001')],
    true,
    { referenceDeviation: 'ref-no-ipv6-cidr' },
  ),
  rule(
    'ISSUBSET with an IPv6 /128 and the same address',
    "[ipv6-addr:value ISSUBSET '2001:db8::1/128']",
    [ipv6('2001:db8::1')],
    true,
    { referenceDeviation: 'ref-no-ipv6-cidr' },
  ),
  rule(
    'ISSUBSET with a prefix that is not a multiple of 16',
    "[ipv6-addr:value ISSUBSET '2001:db8:8000::/33']",
    [ipv6('2001:db8:7fff::1')],
    false,
    { referenceDeviation: 'ref-no-ipv6-cidr' },
  ),
  rule(
    'ISSUBSET on an IPv4-mapped IPv6 subnet boundary',
    "[ipv6-addr:value ISSUBSET '::ffff:0:0/96']",
    [ipv6('::ffff:198.51.100.1')],
    true,
    { referenceDeviation: 'ref-no-ipv6-cidr' },
  ),
  rule(
    'ISSUPERSET holds for an IPv6 subnet containing the address',
    "[ipv6-addr:value ISSUPERSET '2001:db8::42']",
    [ipv6('2001:db8::/64')],
    true,
    { referenceDeviation: 'ref-no-ipv6-cidr' },
  ),
  rule(
    'ISSUPERSET fails for an IPv6 subnet not containing the address',
    "[ipv6-addr:value ISSUPERSET '2001:db9::42']",
    [ipv6('2001:db8::/64')],
    false,
    { referenceDeviation: 'ref-no-ipv6-cidr' },
  ),
  rule('NOT ISSUBSET on IPv6', "[ipv6-addr:value NOT ISSUBSET '2001:db8::/32']", [ipv6('fe80::1')], true, {
    referenceDeviation: 'ref-no-ipv6-cidr',
  }),
  rule(
    'ISSUBSET of an IPv6 address in an IPv4 subnet is false',
    "[ipv6-addr:value ISSUBSET '10.0.0.0/8']",
    [ipv6('::a00:1')],
    false,
    { referenceDeviation: 'ref-no-ipv6-cidr' },
  ),
  rule(
    'ISSUBSET of an IPv4 address in an IPv6 subnet is false',
    "[ipv4-addr:value ISSUBSET '::/0']",
    [ipv4('10.0.0.1')],
    false,
    { referenceDeviation: 'ref-no-ipv6-cidr' },
  ),
  rule(
    'ISSUBSET against a value that is not an address is false',
    "[file:name ISSUBSET '10.0.0.0/8']",
    [observed([{ type: 'file', name: 'notes.txt' }])],
    false,
    { referenceDeviation: 'ref-cidr-non-address' },
  ),
  rule(
    'ISSUBSET against a non-string value is false',
    "[file:size ISSUBSET '10.0.0.0/8']",
    [observed([{ type: 'file', size: 10 }])],
    false,
  ),
];

const invalidConstants: ConformanceCase[] = [
  rule(
    'ISSUBSET needs a valid address or subnet constant',
    "[ipv4-addr:value ISSUBSET 'foo']",
    [ipv4('10.0.0.1')],
    syntaxError(27),
  ),
  rule(
    'ISSUBSET rejects an IPv4 prefix above 32',
    "[ipv4-addr:value ISSUBSET '10.0.0.0/33']",
    [ipv4('10.0.0.1')],
    syntaxError(27),
  ),
  rule(
    'ISSUPERSET needs a valid address or subnet constant',
    "[ipv4-addr:value ISSUPERSET '10.0.0.256']",
    [ipv4('10.0.0.0/8')],
    syntaxError(29),
  ),
];

export const cidrCases: readonly ConformanceCase[] = [...ipv4Cases, ...ipv6Cases, ...invalidConstants];
