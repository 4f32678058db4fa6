import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { matchPattern, ObservationInputError, PatternSyntaxError } from '../pattern/index.js';
import { parseCommandArgs, parseSettings } from './args.js';
import type { CliIO, Command } from './command.js';

const usage = `Usage: matcher match --pattern '<pattern>' [--stix-version 2.0|2.1] <observations.json>

Evaluates one STIX pattern against observations, as the OASIS reference matcher does, and prints
{"matched": true|false}. For STIX 2.1 the file holds a list of bundles (observed-data and the SCOs
their object_refs name); for 2.0, a list of observed-data with embedded objects. "-" reads stdin.
Exit code 0 when evaluated (matched or not), 1 for a bad pattern or bad observations.`;

const matchSettingsSchema = z.strictObject({
  pattern: z.string({ error: 'give the pattern with --pattern' }),
  stixVersion: z.enum(['2.0', '2.1']).default('2.1'),
  file: z.string().min(1, 'give the observations file, or - for standard input'),
});

async function readInput(file: string, io: CliIO): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function run(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    pattern: { type: 'string' },
    'stix-version': { type: 'string' },
  });
  const settings = parseSettings(matchSettingsSchema, {
    pattern: values.pattern,
    stixVersion: values['stix-version'],
    file: positionals.length === 1 ? positionals[0] : '',
  });
  let observations: unknown;
  try {
    observations = JSON.parse(await readInput(settings.file, io));
  } catch (error) {
    io.stderr.write(
      `matcher match: ${settings.file}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
  if (!Array.isArray(observations)) {
    io.stderr.write(`matcher match: ${settings.file}: observations must be a JSON list\n`);
    return 1;
  }
  try {
    const matched = matchPattern(settings.pattern, observations, { stixVersion: settings.stixVersion });
    io.stdout.write(`${JSON.stringify({ matched })}\n`);
    return 0;
  } catch (error) {
    if (error instanceof PatternSyntaxError || error instanceof ObservationInputError) {
      io.stderr.write(`matcher match: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

export const matchCommand: Command = {
  name: 'match',
  summary: 'Evaluate one pattern against a file of observations.',
  usage,
  run,
};
