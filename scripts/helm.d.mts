// Types of scripts/helm.mjs for the TypeScript tests.
export declare const HELM_VERSION: string;
export declare const cachedHelmPath: string;
export declare function ensureHelm(options?: { log?: (line: string) => void }): string;
