export { createObserver } from './observer.js';
export type { Observer, ObserverCounters, ObserverOptions } from './observer.js';
export { isSkip } from './result.js';
export {
  FALCO_EXTENSION_ID,
  KUBERNETES_API_REQUEST_EXTENSION_ID,
  KUBERNETES_EXTENSION_ID,
  KUBERNETES_OBJECT_EXTENSION_ID,
  KUBESCAPE_EXTENSION_ID,
  TETRAGON_EXTENSION_ID,
} from './extensions.js';
