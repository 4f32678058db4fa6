import { readIndicatorFile } from './bundle-file.js';
import type { IndicatorProvider, IndicatorSnapshot } from './provider.js';

/** Indicators from STIX bundle files, read again on every load (so an edited file takes effect on refresh). */
export function fileIndicatorProvider(files: readonly string[]): IndicatorProvider {
  return {
    name: `file:${files.join(',')}`,
    async load(): Promise<IndicatorSnapshot> {
      const reads = await Promise.all(files.map((file) => readIndicatorFile(file)));
      return {
        indicators: reads.flatMap((read) => read.indicators),
        problems: reads.flatMap((read) =>
          read.problems.map((p) => ({
            ...(p.id === undefined ? {} : { id: p.id }),
            message: `${p.file}: object ${p.index}: ${p.message}`,
          })),
        ),
      };
    },
    close: () => Promise.resolve(),
  };
}
