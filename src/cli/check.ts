import { z } from 'zod';
import {
  analyzePattern,
  diagnosticToJson,
  formatDiagnostic,
  type PatternDiagnostic,
} from '../pattern/index.js';
import { parseCommandArgs, parseSettings } from './args.js';
import type { CliIO, Command } from './command.js';

const usage = `Usage: matcher check '<pattern>' ['<pattern>' …] [--stix-version 2.0|2.1] [--json]

Checks STIX patterns without running anything. Prints "valid" (and any warnings: patterns that are
legal but can never match, or are suspicious), or each error with a caret under its column and a hint.
--json prints [{"pattern", "valid", "diagnostics": [{code, severity, title, message, column, start, end, hint}]}].
Exit code 0 when every pattern is valid (warnings included), 1 when any has an error.`;

const checkSettingsSchema = z.strictObject({
  patterns: z.array(z.string()).min(1, 'give at least one pattern'),
  stixVersion: z.enum(['2.0', '2.1']).default('2.1'),
  json: z.boolean().default(false),
});

interface CheckedPattern {
  readonly pattern: string;
  readonly valid: boolean;
  readonly diagnostics: readonly PatternDiagnostic[];
}

function countOf(diagnostics: readonly PatternDiagnostic[], severity: PatternDiagnostic['severity']): string {
  const count = diagnostics.filter((d) => d.severity === severity).length;
  return count === 0 ? '' : `${count} ${severity}${count === 1 ? '' : 's'}`;
}

function asText(checked: CheckedPattern, index: number, total: number): string {
  const counts = [countOf(checked.diagnostics, 'error'), countOf(checked.diagnostics, 'warning')]
    .filter((part) => part !== '')
    .join(', ');
  const verdict = `${checked.valid ? 'valid' : 'invalid'}${counts === '' ? '' : ` (${counts})`}`;
  const header = total > 1 ? `pattern ${index + 1}: ${verdict}` : verdict;
  const details = checked.diagnostics.map((d) => formatDiagnostic(checked.pattern, d));
  return [header, ...details].join('\n\n') + '\n';
}

function asJson(results: readonly CheckedPattern[]): string {
  const document = results.map((checked) => ({
    pattern: checked.pattern,
    valid: checked.valid,
    diagnostics: checked.diagnostics.map(diagnosticToJson),
  }));
  return `${JSON.stringify(document)}\n`;
}

function run(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    'stix-version': { type: 'string' },
    json: { type: 'boolean' },
  });
  const settings = parseSettings(checkSettingsSchema, {
    patterns: positionals,
    stixVersion: values['stix-version'],
    json: values.json,
  });
  const results = settings.patterns.map((pattern): CheckedPattern => {
    const analysis = analyzePattern(pattern, { stixVersion: settings.stixVersion });
    return { pattern, valid: analysis.pattern !== null, diagnostics: analysis.diagnostics };
  });
  if (settings.json) io.stdout.write(asJson(results));
  else io.stdout.write(results.map((checked, i) => asText(checked, i, results.length)).join('\n'));
  return Promise.resolve(results.every((checked) => checked.valid) ? 0 : 1);
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'Check STIX patterns: errors with a caret and a hint, warnings for patterns that never match.',
  usage,
  run,
};
