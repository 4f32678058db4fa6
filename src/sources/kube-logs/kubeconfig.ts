import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';

/** Where Kubernetes mounts a pod's service account token. */
const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * The kubeconfig to use: the given file; else in-cluster credentials when running in a pod;
 * else the default kubeconfig ($KUBECONFIG, then ~/.kube/config). Throws when it names no usable cluster.
 */
export function loadKubeConfig(kubeconfigPath: string | undefined): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (kubeconfigPath !== undefined) kubeConfig.loadFromFile(kubeconfigPath);
  else if (existsSync(SERVICE_ACCOUNT_TOKEN)) kubeConfig.loadFromCluster();
  else kubeConfig.loadFromDefault();
  checkKubeConfig(kubeConfig);
  return kubeConfig;
}

/** Throws when the kubeconfig cannot reach an API server, before anything runs. */
export function checkKubeConfig(kubeConfig: KubeConfig): void {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) throw new Error('The kubeconfig has no current context with a cluster.');
  let url: URL;
  try {
    url = new URL(cluster.server);
  } catch {
    throw new Error(
      `The kubeconfig's cluster '${cluster.name}' has no valid server URL: '${cluster.server}'.`,
    );
  }
  if (url.protocol === 'http:' && !cluster.skipTLSVerify && cluster.proxyUrl === undefined) {
    throw new Error(
      `The kubeconfig's cluster '${cluster.name}' uses plain HTTP (${cluster.server}) without insecure-skip-tls-verify; ` +
        'the Kubernetes client refuses it. Is a kubeconfig or in-cluster service account available?',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(
      `The kubeconfig's cluster '${cluster.name}' has an unsupported server URL: '${cluster.server}'.`,
    );
  }
}
