// A small reader of the Dockerfile and .dockerignore, enough for the tests to check what the image holds.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

export interface Stage {
  readonly base: string;
  readonly name: string | undefined;
  readonly instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM, with their defaults. */
  readonly globalArgs: ReadonlyMap<string, string>;
  readonly stages: Stage[];
}

/** Instructions with continuation lines joined; comments and blank lines dropped. */
function instructionsOf(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const space = line.search(/\s/);
      return { keyword: line.slice(0, space).toUpperCase(), args: line.slice(space + 1).trim() };
    });
}

export function parseDockerfile(text: string): Dockerfile {
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const instruction of instructionsOf(text)) {
    if (instruction.keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!match?.[1]) throw new Error(`unreadable FROM ${instruction.args}`);
      stages.push({ base: match[1], name: match[2], instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === 'ARG') {
      const [name = '', value = ''] = instruction.args.split('=');
      globalArgs.set(name, value);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/** The base image of a stage with global ARGs substituted. */
export function baseImage(dockerfile: Dockerfile, stage: Stage): string {
  return stage.base.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (_, braced: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare ?? '';
      return dockerfile.globalArgs.get(name) ?? '';
    },
  );
}

export function readDockerfile(root: string): Dockerfile {
  return parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
}

/** A JSON-array (exec form) instruction's arguments. */
export function execForm(instruction: Instruction | undefined): string[] {
  if (!instruction) return [];
  const parsed: unknown = JSON.parse(instruction.args);
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    throw new Error(`${instruction.keyword} is not in exec form: ${instruction.args}`);
  }
  return parsed;
}

/**
 * Whether .dockerignore lets `path` into the build context: the last matching pattern decides,
 * `!` re-includes. Supports the patterns the file uses: `**`, `dir/**`, exact names.
 */
export function dockerContextIncludes(ignoreText: string, path: string): boolean {
  let included = true;
  for (const raw of ignoreText.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    const pattern = negated ? line.slice(1) : line;
    const regex = new RegExp(
      '^' +
        pattern
          .split('**')
          .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
          .join('.*') +
        '$',
    );
    if (regex.test(path)) included = negated;
  }
  return included;
}
