/** The browser's path (CHROMIUM_PATH, else Debian's `/usr/bin/chromium`). */
export declare const CHROMIUM_PATH: string;
/** The flags every launcher passes (scripts/lib/chromium.mjs). */
export declare const CHROMIUM_ARGS: string[];
