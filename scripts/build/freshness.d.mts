/** Types of freshness.mjs (plain JavaScript: it runs before anything is compiled). */
export declare const ROOT: string;
export declare const DIST: string;
export declare const BUILD_INFO: string;
export declare const ENTRY_FILES: string[];
export declare function staleReason(root?: string): string | undefined;
export declare function ensureBuilt(options?: { log?: (message: string) => void }): Promise<boolean>;
