import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import { parseSourceConfig, SourceConfigError } from '../context.js';
import type { SourceContext } from '../context.js';
import { describeError } from '../events.js';
import { AuditWebhookConfigSchema } from './config.js';
import type { AuditWebhookConfig } from './config.js';
import { AuditWebhookSource } from './source.js';
import type { AuditWebhookTls } from './source.js';

/**
 * Checks the settings, and for HTTPS that the certificate, key and client CA files are readable and
 * fit together; then builds the source, which listens on `listen()` or the first `batches()`.
 */
export async function buildAuditWebhookSource(
  input: unknown,
  context: SourceContext,
): Promise<AuditWebhookSource> {
  const config = parseSourceConfig('audit-webhook', AuditWebhookConfigSchema, input);
  const tls = await loadTls(config);
  const logger = context.logger.child({ component: 'source', id: config.id });
  return new AuditWebhookSource(config, logger, tls);
}

async function loadTls(config: AuditWebhookConfig): Promise<AuditWebhookTls | undefined> {
  if (config.tlsCertFile === undefined || config.tlsKeyFile === undefined) return undefined;
  const cert = await readSetting(config, 'tlsCertFile', config.tlsCertFile);
  const key = await readSetting(config, 'tlsKeyFile', config.tlsKeyFile);
  const clientCa =
    config.tlsClientCaFile === undefined
      ? undefined
      : await readSetting(config, 'tlsClientCaFile', config.tlsClientCaFile);
  try {
    createSecureContext({ cert, key, ca: clientCa });
  } catch (error) {
    throw new SourceConfigError(
      `audit-webhook source ${config.id}: tlsCertFile, tlsKeyFile: not a usable certificate and key: ${describeError(error)}`,
    );
  }
  return { cert, key, clientCa };
}

async function readSetting(config: AuditWebhookConfig, setting: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new SourceConfigError(`audit-webhook source ${config.id}: ${setting}: ${describeError(error)}`);
  }
}
