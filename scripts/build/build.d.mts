/** Types of build.mjs (plain JavaScript: it runs before anything is compiled). */
export declare const ENTRIES: Record<string, string>;
export declare const PRELOAD_ENTRY: string;
export declare const BUNDLED_PACKAGES: string[];
export interface Metafile {
  inputs: Record<string, { bytes: number; imports: { path: string; kind: string; external?: boolean }[] }>;
  outputs: Record<string, { bytes: number; entryPoint?: string; inputs: Record<string, { bytesInOutput: number }>; imports: { path: string; kind: string; external?: boolean }[] }>;
}
export declare function build(options?: { clean?: boolean }): Promise<Metafile>;
