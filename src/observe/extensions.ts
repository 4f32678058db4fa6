/**
 * The fixed ids of the STIX 2.1 extension definitions this stage uses (stix/extension-definitions.json
 * holds the definitions themselves; a test keeps the two in step). Patterns name them in full, e.g.
 * `process:extensions.'extension-definition--677e8920-ca83-4dbf-9463-f594e9d52d11'.pod_name = 'web'`.
 */

/** The identity that created the extension definitions. */
export const MATCHER_IDENTITY_ID = 'identity--20bccc43-d4f8-4723-8b9e-4b106b9ae15b';

/** Property extension on `process`: where it ran in Kubernetes (node, namespace, pod, container, image, workload). */
export const KUBERNETES_EXTENSION_ID = 'extension-definition--677e8920-ca83-4dbf-9463-f594e9d52d11';
/** Property extension on `process`: Tetragon's own process fields, and on the event's process the event's fields. */
export const TETRAGON_EXTENSION_ID = 'extension-definition--73732245-2bdb-4479-a55b-9b1717cfe7f0';
/** Property extension on `process`: the Falco alert (rule, priority, output fields). */
export const FALCO_EXTENSION_ID = 'extension-definition--7511e1fb-0116-4908-885f-a8268d95cc8c';
/** Property extension on `process`: the Kubescape node-agent alert (rule id, name, severity, arguments). */
export const KUBESCAPE_EXTENSION_ID = 'extension-definition--112e9310-5f90-466f-943b-0891f82277ae';
/** New SCO type `kubernetes-api-request`: one request to the Kubernetes API server, from the audit log. */
export const KUBERNETES_API_REQUEST_EXTENSION_ID =
  'extension-definition--55d86ca3-3658-49d6-9e92-9261c235a451';
/** New SCO types `kubernetes-<kind>`: a Kubernetes object as sent to or returned by the API server. */
export const KUBERNETES_OBJECT_EXTENSION_ID = 'extension-definition--fd318e6f-79fd-44ef-adb2-89d07e138e1c';

export const PROPERTY_EXTENSION = 'property-extension';
export const NEW_SCO = 'new-sco';

/** Kubernetes context properties, the same for every sensor. */
export interface KubernetesContext {
  node_name?: string;
  cluster_name?: string;
  namespace?: string;
  pod_name?: string;
  pod_labels?: Readonly<Record<string, unknown>>;
  container_id?: string;
  container_name?: string;
  image_name?: string;
  image_id?: string;
  workload_name?: string;
  workload_kind?: string;
}
