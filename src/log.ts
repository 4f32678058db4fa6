import { Writable } from 'node:stream';
import { pino, type DestinationStream, type Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

function field(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

const levelNames: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const hidden = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'sighting', 'observed_data']);

/** One pino JSON line as a line for people: time, level, message, then key=value fields. */
export function prettyLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof record.time === 'number' ? new Date(record.time).toISOString().slice(11, 23) : '';
  const level = levelNames[typeof record.level === 'number' ? record.level : 30] ?? 'INFO';
  const label = record.kind === 'sighting' ? 'SIGHTING' : level;
  const fields = Object.entries(record)
    .filter(([key]) => !hidden.has(key))
    .map(([key, value]) => `${key}=${field(value)}`);
  return [time, label.padEnd(8), typeof record.msg === 'string' ? record.msg : '', ...fields]
    .join(' ')
    .trimEnd();
}

function prettyStream(out: NodeJS.WritableStream): DestinationStream {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const lines = chunk
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== '');
      out.write(lines.map((line) => `${prettyLine(line)}\n`).join(''));
      done();
    },
  });
}

/**
 * The process's one root logger: pino JSON lines on the given stream (stdout), so `kubectl logs`
 * shows sightings and operational messages alike; `pretty` renders them for a terminal instead.
 */
export function createLogger(options: {
  level: LogLevel;
  pretty: boolean;
  stream: NodeJS.WritableStream;
}): Logger {
  const destination = options.pretty ? prettyStream(options.stream) : (options.stream as DestinationStream);
  return pino(
    { level: options.level, base: undefined, timestamp: pino.stdTimeFunctions.epochTime },
    destination,
  );
}
