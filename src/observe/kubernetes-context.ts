import type { EventContext } from '../contracts.js';
import { KUBERNETES_EXTENSION_ID, PROPERTY_EXTENSION, type KubernetesContext } from './extensions.js';

/** The `Observation.context` of a Kubernetes context. */
export function eventContext(kubernetes: KubernetesContext): EventContext {
  const context: { node?: string; namespace?: string; pod?: string; container?: string } = {};
  if (kubernetes.node_name !== undefined) context.node = kubernetes.node_name;
  if (kubernetes.namespace !== undefined) context.namespace = kubernetes.namespace;
  if (kubernetes.pod_name !== undefined) context.pod = kubernetes.pod_name;
  if (kubernetes.container_name !== undefined) context.container = kubernetes.container_name;
  return context;
}

/** Adds the Kubernetes property extension to a process's extensions, when there is anything to say. */
export function addKubernetesExtension(
  extensions: Record<string, unknown>,
  kubernetes: KubernetesContext,
): void {
  const properties: Record<string, unknown> = { extension_type: PROPERTY_EXTENSION };
  let empty = true;
  for (const key in kubernetes) {
    const value = kubernetes[key as keyof KubernetesContext];
    if (value === undefined || value === '') continue;
    properties[key] = value;
    empty = false;
  }
  if (!empty) extensions[KUBERNETES_EXTENSION_ID] = properties;
}
