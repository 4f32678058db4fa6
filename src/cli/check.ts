import { z } from 'zod';
import { activateIndicator } from '../engine/index.js';
import {
  indexWarningCatalog,
  indicatorIndexWarnings,
  type IndexWarning,
  type IndexWarningCode,
} from '../engine/warnings.js';
import {
  analyzePattern,
  diagnosticToJson,
  formatDiagnostic,
  type PatternDiagnostic,
  type PatternDiagnosticJson,
} from '../pattern/index.js';
import { parseCommandArgs, parseSettings } from './args.js';
import type { CliIO, Command } from './command.js';

const usage = `Usage: matcher check '<pattern>' ['<pattern>' …] [--stix-version 2.0|2.1] [--json]

Checks STIX patterns without running anything. Prints "valid" (and any warnings: patterns that are
legal but can never match, or are suspicious, or have a [ … ] the engine's index cannot use, so it is
tested against every event of its object type), or each error with a caret under its column and a hint.
--json prints [{"pattern", "valid", "diagnostics": [{code, severity, title, message, column, start, end, hint}]}].
Exit code 0 when every pattern is valid (warnings included), 1 when any has an error.`;

const checkSettingsSchema = z.strictObject({
  patterns: z.array(z.string()).min(1, 'give at least one pattern'),
  stixVersion: z.enum(['2.0', '2.1']).default('2.1'),
  json: z.boolean().default(false),
});

/** A diagnostic of the pattern front end or an index warning of the engine, shown alike. */
type CheckDiagnostic = Omit<PatternDiagnosticJson, 'code'> & {
  readonly code: PatternDiagnosticJson['code'] | IndexWarningCode;
};

interface CheckedPattern {
  readonly pattern: string;
  readonly valid: boolean;
  readonly diagnostics: readonly CheckDiagnostic[];
}

function indexWarningToJson(warning: IndexWarning): CheckDiagnostic {
  return {
    code: warning.code,
    severity: 'warning',
    title: indexWarningCatalog[warning.code].title,
    message: warning.message,
    column: warning.start + 1,
    start: warning.start,
    end: warning.end,
    hint: warning.hint,
  };
}

/**
 * What the engine's index says of a valid pattern. "never-matches" is left out when the analyzer already
 * reported the AND across object types behind it.
 */
function indexDiagnostics(
  pattern: string,
  stixVersion: '2.0' | '2.1',
  analyzed: readonly PatternDiagnostic[],
): CheckDiagnostic[] {
  const indicator = activateIndicator({
    id: 'indicator--00000000-0000-4000-8000-000000000000',
    pattern,
    pattern_type: 'stix',
    pattern_version: stixVersion,
    valid_from: '1970-01-01T00:00:00Z',
  });
  if ('reason' in indicator) return [];
  const acrossTypes = analyzed.some((d) => d.code === 'and-across-types');
  return indicatorIndexWarnings(indicator)
    .filter((warning) => !(acrossTypes && warning.code === 'never-matches'))
    .map(indexWarningToJson);
}

function checkPattern(pattern: string, stixVersion: '2.0' | '2.1'): CheckedPattern {
  const analysis = analyzePattern(pattern, { stixVersion });
  const valid = analysis.pattern !== null;
  const diagnostics: CheckDiagnostic[] = analysis.diagnostics.map(diagnosticToJson);
  if (valid) diagnostics.push(...indexDiagnostics(pattern, stixVersion, analysis.diagnostics));
  // Stable: at one offset, the analyzer's diagnostics stay before the index's.
  return { pattern, valid, diagnostics: diagnostics.sort((a, b) => a.start - b.start) };
}

function countOf(diagnostics: readonly CheckDiagnostic[], severity: CheckDiagnostic['severity']): string {
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
    diagnostics: checked.diagnostics,
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
  const results = settings.patterns.map((pattern) => checkPattern(pattern, settings.stixVersion));
  if (settings.json) io.stdout.write(asJson(results));
  else io.stdout.write(results.map((checked, i) => asText(checked, i, results.length)).join('\n'));
  return Promise.resolve(results.every((checked) => checked.valid) ? 0 : 1);
}

export const checkCommand: Command = {
  name: 'check',
  summary:
    'Check STIX patterns: errors with a caret and a hint, warnings for patterns that never match or cannot be indexed.',
  usage,
  run,
};
