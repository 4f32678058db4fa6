/** The child process behind EngineRunner: answers one case per IPC message with our engine. */
import { compilePattern, PatternSyntaxError } from '../../../src/pattern/index.js';
import type { EngineAnswer } from './classifiers.js';
import type { CaseInput } from './generator.js';

function answer(input: CaseInput): EngineAnswer {
  try {
    return {
      matched: compilePattern(input.pattern, { stixVersion: input.version }).match(input.observations),
    };
  } catch (error) {
    if (error instanceof PatternSyntaxError)
      return { error: error.message, column: error.column, token: error.token };
    return { crash: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

process.on('message', (input: CaseInput) => {
  process.send?.(answer(input));
});
