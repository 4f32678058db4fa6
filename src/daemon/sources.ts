/** The daemon's sources, built from its settings: tailed files, pod logs, the audit webhook, stdin. */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { DaemonConfig } from '../config.js';
import { buildAuditWebhookSource } from '../sources/audit-webhook/index.js';
import { buildStdinSource, buildTailSource, type Source, type SourceContext } from '../sources/index.js';
import { buildKubeLogsSource } from '../sources/kube-logs/index.js';

export interface DaemonSourceContext extends SourceContext {
  /** A kubeconfig to use instead of the default loading (in-cluster, then $KUBECONFIG, then ~/.kube/config). */
  readonly kubeConfig?: KubeConfig;
}

/** A tailed file's checkpoint file: named after the file's absolute path, so it survives reordering flags. */
export function tailCheckpointFile(stateDir: string, path: string): string {
  const digest = createHash('sha256').update(resolve(path)).digest('hex').slice(0, 16);
  return join(stateDir, 'checkpoints', `tail-${digest}.json`);
}

/** Builds (and so validates) every configured source; throws `SourceConfigError` naming a bad one. */
export async function buildDaemonSources(config: DaemonConfig, ctx: DaemonSourceContext): Promise<Source[]> {
  const sources: Source[] = [];
  for (const path of config.tail) {
    sources.push(
      await buildTailSource(
        {
          id: `tail:${path}`,
          path,
          startAt: config.tailStartAt,
          checkpointFile: tailCheckpointFile(config.stateDir, path),
          checkpointIntervalMs: config.checkpointIntervalMs,
        },
        ctx,
      ),
    );
  }
  if (config.kubeLabelSelector !== undefined) {
    sources.push(
      buildKubeLogsSource(
        {
          labelSelector: config.kubeLabelSelector,
          ...(config.kubeNamespace === undefined ? {} : { namespace: config.kubeNamespace }),
          ...(config.kubeContainer === undefined ? {} : { container: config.kubeContainer }),
        },
        ctx,
      ),
    );
  }
  if (config.auditWebhookPort !== undefined) {
    const webhook = await buildAuditWebhookSource(
      { host: config.auditWebhookHost, port: config.auditWebhookPort },
      ctx,
    );
    // Listen now, so a port in use stops the start-up instead of failing later.
    await webhook.listen();
    sources.push(webhook);
  }
  if (config.stdin) sources.push(buildStdinSource({}, ctx));
  return sources;
}
